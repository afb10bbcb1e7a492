package query

import (
	"context"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// The test schema: teams <- users <- items, tags <- item_tags -> items, and
// events (datetimes for grouping). Models are built by hand so that these
// tests do not depend on schema reflection.

type colSpec struct {
	name   string
	kind   schema.Kind
	pg, my string // DDL types
	lite   string
}

func ddlType(e config.Engine, c colSpec) string {
	switch e {
	case config.EnginePostgres:
		return c.pg
	case config.EngineMySQL:
		return c.my
	}
	return c.lite
}

var itemCols = []colSpec{
	{name: "id", kind: schema.KindInteger, pg: "INTEGER PRIMARY KEY", my: "INTEGER PRIMARY KEY", lite: "INTEGER PRIMARY KEY"},
	{name: "name", kind: schema.KindText, pg: "VARCHAR(100) NOT NULL", my: "VARCHAR(100) NOT NULL", lite: "VARCHAR(100) NOT NULL"},
	{name: "note", kind: schema.KindText, pg: "TEXT", my: "TEXT", lite: "TEXT"},
	{name: "qty", kind: schema.KindInteger, pg: "INTEGER", my: "INTEGER", lite: "INTEGER"},
	{name: "price", kind: schema.KindDecimal, pg: "NUMERIC(10,2)", my: "DECIMAL(10,2)", lite: "DECIMAL(10,2)"},
	{name: "ratio", kind: schema.KindFloat, pg: "DOUBLE PRECISION", my: "DOUBLE", lite: "REAL"},
	{name: "active", kind: schema.KindBoolean, pg: "BOOLEAN", my: "TINYINT(1)", lite: "BOOLEAN"},
	{name: "born", kind: schema.KindDate, pg: "DATE", my: "DATE", lite: "DATE"},
	{name: "created", kind: schema.KindDateTime, pg: "TIMESTAMP(6)", my: "DATETIME(6)", lite: "DATETIME"},
	{name: "status", kind: schema.KindEnum, pg: "item_status", my: "ENUM('new','paid','done')", lite: "TEXT"},
	{name: "data", kind: schema.KindJSON, pg: "JSONB", my: "JSON", lite: "TEXT"},
	{name: "position", kind: schema.KindInteger, pg: "INTEGER", my: "INTEGER", lite: "INTEGER"},
	{name: "page", kind: schema.KindInteger, pg: "INTEGER", my: "INTEGER", lite: "INTEGER"},
	{name: "owner_id", kind: schema.KindInteger, pg: "INTEGER REFERENCES users(id)", my: "INTEGER REFERENCES users(id)", lite: "INTEGER REFERENCES users(id)"},
}

// pgDataType is what information_schema reports on PostgreSQL.
func pgDataType(c colSpec) string {
	switch c.kind {
	case schema.KindText:
		if strings.HasPrefix(c.pg, "VARCHAR") {
			return "character varying"
		}
		return "text"
	case schema.KindEnum:
		return "USER-DEFINED"
	case schema.KindJSON:
		return "jsonb"
	}
	return strings.ToLower(strings.Fields(c.pg)[0])
}

func newCol(e config.Engine, pos int, s colSpec) *schema.Column {
	c := &schema.Column{Name: s.name, Position: pos, Kind: s.kind, Nullable: true, DataType: strings.ToLower(ddlType(e, s))}
	if e == config.EnginePostgres {
		c.DataType = pgDataType(s)
	}
	if s.kind == schema.KindEnum {
		c.EnumValues = []string{"new", "paid", "done"}
	}
	return c
}

func modelSchema(d *db.DB) string {
	if d.Dialect.Engine == config.EngineSQLite {
		return ""
	}
	return d.Schema
}

type fixture struct {
	d      *db.DB
	s      *schema.Schema
	items  *schema.Model
	events *schema.Model
}

func simpleModel(schemaName, name string, cols ...*schema.Column) *schema.Model {
	m := &schema.Model{Name: name, Schema: schemaName, Table: name, Columns: cols}
	for i, c := range cols {
		c.Position = i + 1
	}
	m.PrimaryKey = []*schema.Column{cols[0]}
	cols[0].PrimaryKey = true
	return m
}

func fk(c *schema.Column, model, col string) *schema.Column {
	c.ForeignKey = &schema.ForeignKey{RefTable: model, RefModel: model, RefColumn: col}
	return c
}

func intCol(name string) *schema.Column {
	return &schema.Column{Name: name, Kind: schema.KindInteger, DataType: "integer"}
}

func textCol(name string) *schema.Column {
	return &schema.Column{Name: name, Kind: schema.KindText, DataType: "character varying"}
}

// setup creates and fills the test tables and returns their models.
func setup(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	e := d.Dialect.Engine
	var ddl strings.Builder
	if e == config.EnginePostgres {
		ddl.WriteString("CREATE TYPE item_status AS ENUM ('new', 'paid', 'done');\n")
	}
	ddl.WriteString(`CREATE TABLE teams (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);
CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, team_id INTEGER REFERENCES teams(id));
`)
	ddl.WriteString("CREATE TABLE items (")
	for i, c := range itemCols {
		if i > 0 {
			ddl.WriteString(", ")
		}
		ddl.WriteString(d.Dialect.QuoteIdent(c.name) + " " + ddlType(e, c))
	}
	ddl.WriteString(");\n")
	ddl.WriteString(`CREATE TABLE tags (id INTEGER PRIMARY KEY, label VARCHAR(20));
CREATE TABLE item_tags (id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES items(id), tag_id INTEGER REFERENCES tags(id));
INSERT INTO teams VALUES (1, 'Red'), (2, 'Blue');
INSERT INTO users VALUES (1, 'ann', 1), (2, 'bob', 2), (3, 'cid', 1);
INSERT INTO tags VALUES (1, 'hot'), (2, 'cold');
`)
	ddl.WriteString(`INSERT INTO items VALUES
 (1, 'Alpha', 'first note', 10, 12.50, 0.5, TRUE, '2024-01-15', '2024-01-15 10:30:00.123456', 'new', '{"color":"red","n":1}', 1, 3, 1),
 (2, 'beta', NULL, 20, 7.25, 1.5, FALSE, '2024-02-29', '2024-02-29 23:59:59', 'paid', '{"color":"blue","n":2}', 2, 1, 2),
 (3, 'École', '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 3, 1, 3),
 (4, '100% pure', 'under_score', 5, 100.00, -2.25, TRUE, '2023-12-31', '2023-12-31 23:00:00', 'done', '["red","green"]', 4, 1, 1),
 (5, 'ÉCOLE normale', 'NOTE', 15, 0.99, 3.0, FALSE, '2024-03-01', '2024-03-04 00:00:00', 'new', '{"tags":["x"]}', 5, 1, NULL),
 (6, 'gamma_ray', 'x%y', 0, 12.50, 0, TRUE, '2024-04-01', '2024-04-01 12:00:00.5', 'paid', '5', 6, 1, 2),
 (7, 'Straße', 'STRASSE', -3, 3.10, 2.5, TRUE, '2024-07-01', '2024-07-01 00:00:00.000001', 'done', '"red"', 7, 1, 3);
INSERT INTO item_tags VALUES (1, 1, 1), (2, 2, 1), (3, 4, 2);
`)
	testdb.Exec(t, d, ddl.String())
	// row 8 through bound parameters: a backslash in the name, and (on
	// SQLite) a datetime stored by the driver with an offset.
	ph := make([]string, 14)
	for i := range ph {
		ph[i] = d.Dialect.Placeholder(i + 1)
	}
	var active any // NULL
	testdb.MustExec(t, d, "INSERT INTO items VALUES ("+strings.Join(ph, ", ")+")",
		8, `back\slash!`, "plain", 7, "1.00", 9.5, active, "2024-05-05",
		time.Date(2024, 5, 5, 5, 5, 5, 0, time.UTC), "done", `{"k":"v"}`, 8, 1, 2)

	f := &fixture{d: d}
	f.s = testSchema(e, modelSchema(d))
	f.items = f.s.Model("items")
	return f
}

// testSchema is the models of the test tables for an engine.
func testSchema(e config.Engine, schemaName string) *schema.Schema {
	items := &schema.Model{Name: "items", Schema: schemaName, Table: "items"}
	for i, c := range itemCols {
		items.Columns = append(items.Columns, newCol(e, i+1, c))
	}
	items.Columns[0].PrimaryKey = true
	items.PrimaryKey = []*schema.Column{items.Columns[0]}
	fk(items.Columns[len(items.Columns)-1], "users", "id")
	teams := simpleModel(schemaName, "teams", intCol("id"), textCol("name"))
	users := simpleModel(schemaName, "users", intCol("id"), textCol("name"), fk(intCol("team_id"), "teams", "id"))
	tags := simpleModel(schemaName, "tags", intCol("id"), textCol("label"))
	itemTags := simpleModel(schemaName, "item_tags", intCol("id"), fk(intCol("item_id"), "items", "id"), fk(intCol("tag_id"), "tags", "id"))
	return schema.New([]*schema.Model{itemTags, items, tags, teams, users})
}

// parse parses a raw query string for m with the fixture's schema.
func (f *fixture) parse(t *testing.T, m *schema.Model, raw string) (*Query, error) {
	t.Helper()
	params, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatalf("bad test query %q: %v", raw, err)
	}
	return ParseWith(m, f.d.Dialect, params, Options{Schema: f.s})
}

// ids runs the list query and returns the primary keys in result order.
func (f *fixture) ids(t *testing.T, q *Query) []int64 {
	t.Helper()
	query, args := q.SelectSQL(-1, 0)
	return queryIDs(t, f.d, query, args)
}

func queryIDs(t *testing.T, d *db.DB, query string, args []any) []int64 {
	t.Helper()
	rows, err := d.SQL.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("%v\n%s %v", err, query, args)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []int64
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		n, ok := toInt64(vals[0])
		if !ok {
			t.Fatalf("id %T %v", vals[0], vals[0])
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func sorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
