package ddl

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// spec is a column resolved for one engine: everything the DDL needs.
type spec struct {
	Name    string
	Type    string // SQL type without autoincrement
	PK      bool
	Auto    bool   // autoincrement (integer primary key, or auto_increment)
	Null    bool   // nullable
	Default string // SQL default expression, "" for none
	FK      *fk
	Comment string
}

// fk is a foreign key to add: constraint name, referenced table and column.
type fk struct {
	Name     string
	RefModel *schema.Model
	RefCol   string
}

// constraintName is upstream's <table>_<column>_fkey, cut to the identifier limit.
func constraintName(table, column string) string {
	n := table + "_" + column + "_fkey"
	if len(n) > MaxNameBytes {
		n = n[:MaxNameBytes-5] + "_fkey"
	}
	return n
}

// resolveType is the SQL type of a DTO (FK columns take the referenced type).
func (ed *Editor) resolveType(ctx context.Context, c *Column, table string) (string, *fk, error) {
	e := ed.DB.Dialect.Engine
	var key *fk
	if c.RelatedModel != "" {
		m := ed.Schema.Model(c.RelatedModel)
		if m == nil || m.IsView {
			return "", nil, apierr.Field("params", "related_model: no table named "+c.RelatedModel)
		}
		var ref *schema.Column
		if c.CustomPK != "" {
			ref = m.Column(c.CustomPK)
		} else if !m.PKAuto {
			ref = m.PK()
		}
		if ref == nil {
			return "", nil, apierr.Field("params", "related_model: "+c.RelatedModel+" has no primary key (set custom_primary_key)")
		}
		exact, err := ed.columnType(ctx, m, ref.Name)
		if err != nil {
			return "", nil, err
		}
		t, err := refType(e, ref, exact)
		if err != nil {
			return "", nil, apierr.Field("params", err.Error())
		}
		key = &fk{Name: constraintName(table, c.Name), RefModel: m, RefCol: ref.Name}
		return t, key, nil
	}
	dbf := c.DBField
	if dbf == "" {
		dbf = dbFieldOf(c.Field)
	}
	t, err := sqlType(e, dbf, c.Length)
	if err != nil {
		return "", nil, apierr.Field("field", err.Error())
	}
	return t, nil, nil
}

// resolveNew resolves a DTO for CREATE TABLE and ADD COLUMN.
func (ed *Editor) resolveNew(ctx context.Context, c *Column, table string, composite bool) (*spec, error) {
	t, key, err := ed.resolveType(ctx, c, table)
	if err != nil {
		return nil, err
	}
	s := &spec{Name: c.Name, Type: t, PK: c.PrimaryKey, Null: c.Null && !c.PrimaryKey, FK: key, Comment: c.Comment}
	if c.PrimaryKey && !composite && integerType(t) && key == nil {
		s.Auto = true
	}
	if err := ed.resolveDefault(c, s); err != nil {
		return nil, err
	}
	return s, nil
}

// resolveDefault renders the DTO default into s.
func (ed *Editor) resolveDefault(c *Column, s *spec) error {
	d := ed.DB.Dialect
	e := d.Engine
	switch c.DefaultType {
	case "":
		return nil
	case DefaultValue:
		s.Default = literal(d, c.DefaultValue, s.Type)
	case DefaultDatetimeNow:
		switch {
		case e == config.EnginePostgres:
			s.Default = "now()"
		case e == config.EngineSQLite && strings.EqualFold(s.Type, "DATE"):
			s.Default = "CURRENT_DATE"
		default:
			s.Default = "CURRENT_TIMESTAMP"
		}
	case DefaultUUID:
		switch e {
		case config.EnginePostgres:
			s.Default = "gen_random_uuid()"
		case config.EngineMySQL:
			s.Default = "uuid()"
		default:
			return apierr.Field("default_type", "uuid defaults are not available on SQLite")
		}
	case DefaultSequence:
		v, _ := c.DefaultValue.(string)
		if e != config.EnginePostgres || v == "" {
			return apierr.Field("default_type", "sequence defaults need PostgreSQL and the sequence name as default_value")
		}
		v = strings.Trim(strings.TrimSuffix(strings.TrimSpace(v), "::regclass"), "'")
		s.Default = "nextval(" + literal(d, v, "") + "::regclass)"
	case DefaultAutoIncrement:
		if !integerType(s.Type) {
			return apierr.Field("default_type", "auto_increment needs an integer column")
		}
		if !s.PK && e != config.EnginePostgres {
			return apierr.Field("default_type", "auto_increment is only possible on the primary key on this database")
		}
		s.Auto = true
	}
	return nil
}

// literal renders a default value as an SQL literal: booleans and numbers
// bare (booleans as 1/0 outside PostgreSQL and outside boolean columns),
// strings quoted with the engine's escaping.
func literal(d db.Dialect, v any, typ string) string {
	boolCol := strings.Contains(strings.ToLower(typ), "bool")
	switch x := v.(type) {
	case bool:
		switch {
		case boolCol && d.Has(feature.NativeBool):
			return map[bool]string{true: "true", false: "false"}[x]
		case boolCol:
			return map[bool]string{true: "1", false: "0"}[x]
		}
		return map[bool]string{true: "'1'", false: "'0'"}[x]
	case json.Number:
		return x.String()
	case string:
		return d.StringLiteral(x)
	}
	return "NULL"
}

// definition renders "name type [constraints]" for CREATE TABLE and ADD COLUMN.
func definition(d db.Dialect, s *spec, inlinePK bool) string {
	var b strings.Builder
	b.WriteString(d.QuoteIdent(s.Name))
	b.WriteByte(' ')
	switch {
	case s.Auto && d.Has(feature.SerialSequences):
		b.WriteString(s.Type + " GENERATED BY DEFAULT AS IDENTITY")
	case s.Auto && d.Has(feature.AlterByRebuild) && inlinePK: // INTEGER PRIMARY KEY is the rowid
		b.WriteString("INTEGER")
	default:
		b.WriteString(s.Type)
	}
	if !s.Null {
		b.WriteString(" NOT NULL")
	} else if d.Has(feature.NullableTimestampNeedsNull) && strings.EqualFold(s.Type, "TIMESTAMP") {
		b.WriteString(" NULL")
	}
	if s.Auto && d.Has(feature.AutoIncrement) {
		b.WriteString(" AUTO_INCREMENT")
	}
	if s.Default != "" {
		def := s.Default
		if d.Has(feature.AlterByRebuild) {
			def = sqliteDefault(def)
		} else if d.Has(feature.ParenthesisedDefaults) && strings.HasSuffix(def, ")") {
			def = "(" + def + ")"
		}
		b.WriteString(" DEFAULT " + def)
	}
	if inlinePK && s.PK {
		b.WriteString(" PRIMARY KEY")
	}
	if d.Has(feature.InlineComments) && s.Comment != "" {
		b.WriteString(" COMMENT " + literal(d, s.Comment, ""))
	}
	return b.String()
}

// references renders "REFERENCES t (c)".
func references(d db.Dialect, k *fk) string {
	m := k.RefModel
	t := d.QuoteIdent(m.Table)
	if d.Has(feature.Schemas) && m.Schema != "" {
		t = d.QuoteTable(m.Schema, m.Table)
	}
	return "REFERENCES " + t + " (" + d.QuoteIdent(k.RefCol) + ")"
}

// fkConstraint renders "CONSTRAINT name FOREIGN KEY (col) REFERENCES ...".
func fkConstraint(d db.Dialect, col string, k *fk) string {
	return fmt.Sprintf("CONSTRAINT %s FOREIGN KEY (%s) %s", d.QuoteIdent(k.Name), d.QuoteIdent(col), references(d, k))
}
