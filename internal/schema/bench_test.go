package schema

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

const (
	benchTables  = 2000
	benchColumns = 20
)

// syntheticSchema builds benchTables tables of benchColumns columns in memory,
// each with a foreign key to the previous table.
func syntheticSchema() *Schema {
	types := []pgTypeInfo{
		{typname: "varchar", builtin: true, typmod: 104},
		{typname: "int4", builtin: true, typmod: -1},
		{typname: "numeric", builtin: true, typmod: (10<<16 | 2) + 4},
		{typname: "timestamptz", builtin: true, typmod: -1},
		{typname: "text", builtin: true, typmod: -1},
		{typname: "bool", builtin: true, typmod: -1},
		{typname: "date", builtin: true, typmod: -1},
		{typname: "jsonb", builtin: true, typmod: -1},
		{typname: "mood", typtype: "e", labels: []string{"happy", "sad", "neutral"}, typmod: -1},
	}
	var tables []*rawTable
	for i := 0; i < benchTables; i++ {
		t := &rawTable{schema: "public", name: fmt.Sprintf("table_%04d", i), pk: []string{"id"}}
		id := &Column{Name: "id", Default: strp(fmt.Sprintf("nextval('table_%04d_id_seq'::regclass)", i)), AutoIncrement: true}
		mapPostgres(id, pgTypeInfo{typname: "int4", builtin: true, typmod: -1})
		fillDefault(id)
		t.cols = append(t.cols, id)
		for j := 1; j < benchColumns; j++ {
			c := &Column{Name: fmt.Sprintf("column_%02d", j), Nullable: j%2 == 0}
			mapPostgres(c, types[j%len(types)])
			t.cols = append(t.cols, c)
		}
		if i > 0 {
			t.cols[1].Name = "parent_id"
			mapPostgres(t.cols[1], pgTypeInfo{typname: "int4", builtin: true, typmod: -1})
			t.fks = []rawFK{{name: "fk", cols: []string{"parent_id"}, refSchema: "public",
				refTable: fmt.Sprintf("table_%04d", i-1), refCols: []string{"id"}}}
		}
		tables = append(tables, t)
	}
	return assemble(tables, "public", catalogRules{}, Options{})
}

func BenchmarkMarshalDescriptions(b *testing.B) {
	s := syntheticSchema()
	out, _ := s.MarshalDescriptions()
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.MarshalDescriptions(); err != nil {
			b.Fatal(err)
		}
	}
}

// The baseline: the same document through encoding/json with ordered structs.
type (
	jsonParams struct {
		RelatedModel   *struct{ Model string } `json:"related_model,omitempty"`
		Date           *bool                   `json:"date,omitempty"`
		Time           *bool                   `json:"time,omitempty"`
		Options        []map[string]string     `json:"options,omitempty"`
		Length         **int                   `json:"length,omitempty"`
		DBInternalType string                  `json:"db_internal_type"`
	}
	jsonField struct {
		Name                 string          `json:"name"`
		DBColumn             string          `json:"db_column"`
		Field                string          `json:"field"`
		DBField              string          `json:"db_field"`
		Filterable           bool            `json:"filterable"`
		Null                 bool            `json:"null"`
		Editable             bool            `json:"editable"`
		Params               jsonParams      `json:"params"`
		DataSourceField      json.RawMessage `json:"data_source_field"`
		DataSourceName       json.RawMessage `json:"data_source_name"`
		DataSourceParams     json.RawMessage `json:"data_source_params"`
		DataSourceOrderAfter json.RawMessage `json:"data_source_order_after"`
		DataSourceHidden     json.RawMessage `json:"data_source_hidden"`
		Required             bool            `json:"required"`
		DefaultType          string          `json:"default_type,omitempty"`
		DefaultValue         any             `json:"default_value,omitempty"`
	}
	jsonModel struct {
		Model                string          `json:"model"`
		DBTable              string          `json:"db_table"`
		Hidden               bool            `json:"hidden"`
		PrimaryKeyField      string          `json:"primary_key_field"`
		PrimaryKeyAuto       bool            `json:"primary_key_auto"`
		IsView               bool            `json:"is_view"`
		Fields               []jsonField     `json:"fields"`
		Relations            []Relation      `json:"relations"`
		RelationOverrides    []Relation      `json:"relation_overrides"`
		DataSourceName       json.RawMessage `json:"data_source_name"`
		DataSourceNamePlural json.RawMessage `json:"data_source_name_plural"`
		DataSourceOrderAfter json.RawMessage `json:"data_source_order_after"`
		DataSourceHidden     json.RawMessage `json:"data_source_hidden"`
	}
)

func encodingJSONDescriptions(s *Schema) ([]byte, error) {
	null := json.RawMessage("null")
	yes, no := true, false
	out := make([]jsonModel, 0, len(s.Models))
	for _, m := range s.Models {
		jm := jsonModel{Model: m.Name, DBTable: m.Name, PrimaryKeyField: m.PK().Name, PrimaryKeyAuto: m.PKAuto,
			IsView: m.IsView, Relations: m.Relations, RelationOverrides: []Relation{}, DataSourceName: null,
			DataSourceNamePlural: null, DataSourceOrderAfter: null, DataSourceHidden: null}
		if jm.Relations == nil {
			jm.Relations = []Relation{}
		}
		for _, c := range m.Columns {
			f := jsonField{Name: c.Name, DBColumn: c.Name, Field: c.Field, DBField: c.DBField, Filterable: true,
				Null: c.Nullable, Editable: true, DataSourceField: null, DataSourceName: null, DataSourceParams: null,
				DataSourceOrderAfter: null, DataSourceHidden: null, Required: Required(m, c),
				DefaultType: c.DefaultType, DefaultValue: c.DefaultValue}
			f.Params.DBInternalType = c.InternalType
			if c.ForeignKey != nil {
				f.Field = FieldForeignKey
				f.Params.RelatedModel = &struct{ Model string }{c.ForeignKey.RefModel}
			}
			if c.Kind == KindDate {
				f.Params.Date, f.Params.Time = &yes, &no
			}
			for _, v := range c.EnumValues {
				f.Params.Options = append(f.Params.Options, map[string]string{"name": v, "value": v})
			}
			if c.StringType {
				l := c.Length
				f.Params.Length = &l
			}
			jm.Fields = append(jm.Fields, f)
		}
		out = append(out, jm)
	}
	return json.Marshal(out)
}

func BenchmarkMarshalDescriptionsEncodingJSONBaseline(b *testing.B) {
	s := syntheticSchema()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := encodingJSONDescriptions(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReflectLarge reflects benchTables tables of benchColumns columns,
// each with a foreign key to the previous one, on every configured engine
// (the schema is created once; PostgreSQL and MariaDB skip when their
// environment variable is unset).
func BenchmarkReflectLarge(b *testing.B) {
	for _, e := range testdb.Engines {
		b.Run(string(e), func(b *testing.B) {
			d := testdb.New(b, e)
			createLarge(b, d)
			var s *Schema
			b.Run("reflect", func(b *testing.B) {
				for b.Loop() {
					var err error
					s, err = Reflect(context.Background(), d, Options{})
					if err != nil {
						b.Fatal(err)
					}
				}
				if len(s.Models) != benchTables || len(s.Model("table_0001").Relations) != 2 ||
					len(s.Model("table_1999").Columns) != benchColumns {
					b.Fatalf("%d models; table_0001 relations %v", len(s.Models), s.Model("table_0001").Relations)
				}
			})
			b.Run("reflect+describe", func(b *testing.B) {
				for b.Loop() {
					s, err := Reflect(context.Background(), d, Options{})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := s.MarshalDescriptions(); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

func createLarge(b *testing.B, d *db.DB) {
	b.Helper()
	colTypes := map[config.Engine][]string{
		config.EnginePostgres: {"varchar(100)", "integer", "numeric(10,2)", "timestamptz", "text", "boolean", "date", "jsonb"},
		config.EngineMySQL:    {"varchar(100)", "int", "decimal(10,2)", "timestamp NULL", "text", "tinyint(1)", "date", "json"},
		config.EngineSQLite:   {"VARCHAR(100)", "INTEGER", "DECIMAL(10,2)", "DATETIME", "TEXT", "BOOLEAN", "DATE", "JSON"},
	}[d.Dialect.Engine]
	stmt := func(i int) string {
		var sb strings.Builder
		fmt.Fprintf(&sb, "CREATE TABLE table_%04d (id INTEGER PRIMARY KEY", i)
		for j := 1; j < benchColumns; j++ {
			if j == 1 && i > 0 {
				fmt.Fprintf(&sb, ", parent_id INTEGER REFERENCES table_%04d (id)", i-1)
				continue
			}
			fmt.Fprintf(&sb, ", column_%02d %s", j, colTypes[j%len(colTypes)])
		}
		sb.WriteString(")")
		return sb.String()
	}
	ctx := context.Background()
	switch d.Dialect.Engine {
	case config.EnginePostgres, config.EngineSQLite:
		// batches keep PostgreSQL within max_locks_per_transaction
		for start := 0; start < benchTables; start += 100 {
			tx, err := d.SQL.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			for i := start; i < min(start+100, benchTables); i++ {
				if _, err := tx.ExecContext(ctx, stmt(i)); err != nil {
					b.Fatal(err)
				}
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
	default:
		for i := 0; i < benchTables; i++ {
			if _, err := d.SQL.ExecContext(ctx, strings.Replace(stmt(i), " REFERENCES", ", FOREIGN KEY (parent_id) REFERENCES", 1)); err != nil {
				b.Fatal(err)
			}
		}
	}
}
