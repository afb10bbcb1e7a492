package record

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// Inserts go through GORM's INSERT/VALUES/RETURNING clauses with the
// dialect's quoting: names holding dots, quotes, backticks and spaces reach
// the right table and columns on every engine, and the new key comes back
// (RETURNING where the engine has it, the last insert id otherwise).
func TestInsertOddNames(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		q := d.Dialect.QuoteIdent
		table, key, dotted, quoted := "s.t `x` \"q\"", "id.k y", "a.b c", "c`\"d"
		auto := map[config.Engine]string{
			config.EnginePostgres: "SERIAL PRIMARY KEY",
			config.EngineMySQL:    "INTEGER AUTO_INCREMENT PRIMARY KEY",
			config.EngineSQLite:   "INTEGER PRIMARY KEY AUTOINCREMENT",
		}[d.Dialect.Engine]
		if auto == "" {
			auto = "INTEGER PRIMARY KEY AUTO_INCREMENT"
		}
		testdb.Exec(t, d, "CREATE TABLE "+q(table)+" ("+q(key)+" "+auto+", "+q(dotted)+" VARCHAR(20), "+q(quoted)+" VARCHAR(20) DEFAULT 'dflt');\n"+
			"INSERT INTO "+q(table)+" ("+q(dotted)+") VALUES ('zero')")
		k := &schema.Column{Name: key, Kind: schema.KindInteger, PrimaryKey: true, AutoIncrement: true, Position: 1}
		a := &schema.Column{Name: dotted, Kind: schema.KindText, Nullable: true, Position: 2}
		dflt := "dflt"
		c := &schema.Column{Name: quoted, Kind: schema.KindText, Nullable: true, Default: &dflt, Position: 3}
		m := &schema.Model{Name: table, Schema: d.Dialect.TableSchema(d.Schema), Table: table, Columns: []*schema.Column{k, a, c}, PrimaryKey: []*schema.Column{k}}
		w := &Writer{DB: d, Dec: Decoder{Engine: d.Dialect.Engine}}
		ctx := context.Background()
		read := func(id any) (x, y string) {
			t.Helper()
			if err := d.SQL.QueryRowContext(ctx, "SELECT COALESCE("+q(dotted)+", '-'), "+q(quoted)+" FROM "+q(table)+" WHERE "+q(key)+" = "+d.Dialect.Placeholder(1), id).Scan(&x, &y); err != nil {
				t.Fatalf("read row %v: %v", id, err)
			}
			return x, y
		}
		next := "11"
		if d.Dialect.Engine == config.EnginePostgres {
			next = "3" // an explicit key leaves a serial sequence where it is
		}
		for _, tc := range []struct {
			body       map[string]any
			wantID     string
			wantA, wnt string
		}{
			{map[string]any{dotted: "one", quoted: "uno"}, "2", "one", "uno"},
			{map[string]any{key: json.Number("10"), dotted: "ten"}, "10", "ten", "dflt"},
			{map[string]any{}, next, "-", "dflt"},
		} {
			id, err := w.Insert(ctx, m, tc.body)
			if err != nil {
				t.Fatalf("insert %v: %v", tc.body, err)
			}
			if fmt.Sprint(id) != tc.wantID {
				t.Fatalf("insert %v: key %v (%T), want %s", tc.body, id, id, tc.wantID)
			}
			if x, y := read(id); x != tc.wantA || y != tc.wnt {
				t.Fatalf("row %v: %q %q, want %q %q", id, x, y, tc.wantA, tc.wnt)
			}
		}
		var n int
		if err := d.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+q(table)).Scan(&n); err != nil || n != 4 {
			t.Fatalf("%d rows, %v; want 4", n, err)
		}
		// a duplicate key is the database's refusal, classified
		if _, err := w.Insert(ctx, m, map[string]any{key: json.Number("10")}); err == nil {
			t.Fatal("duplicate key accepted")
		}
	})
}
