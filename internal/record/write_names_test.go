package record

import (
	"context"
	"testing"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// Update and delete go through GORM's API with the dialect's quoting:
// names holding dots, quotes and backticks reach the right table and
// column on every engine.
func TestWriteOddNames(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		q := d.Dialect.QuoteIdent
		table, key, dotted, quoted := `t.x "q"`, "id.k", "a.b", "c`\"d"
		testdb.Exec(t, d, "CREATE TABLE "+q(table)+" ("+q(key)+" INTEGER PRIMARY KEY, "+q(dotted)+" VARCHAR(20), "+q(quoted)+" VARCHAR(20));\n"+
			"INSERT INTO "+q(table)+" VALUES (1, 'one', 'uno');\nINSERT INTO "+q(table)+" VALUES (2, 'two', 'dos');")
		k := &schema.Column{Name: key, Kind: schema.KindInteger, PrimaryKey: true, Position: 1}
		a := &schema.Column{Name: dotted, Kind: schema.KindText, Nullable: true, Position: 2}
		c := &schema.Column{Name: quoted, Kind: schema.KindText, Nullable: true, Position: 3}
		m := &schema.Model{Name: table, Schema: d.Dialect.TableSchema(d.Schema), Table: table, Columns: []*schema.Column{k, a, c}, PrimaryKey: []*schema.Column{k}}
		w := &Writer{DB: d, Dec: Decoder{Engine: d.Dialect.Engine}}
		ctx := context.Background()
		if err := w.Update(ctx, m, int64(1), map[string]any{dotted: "ONE", quoted: "UNO"}, true); err != nil {
			t.Fatalf("update: %v", err)
		}
		var x, y string
		if err := d.SQL.QueryRowContext(ctx, "SELECT "+q(dotted)+", "+q(quoted)+" FROM "+q(table)+" WHERE "+q(key)+" = 1").Scan(&x, &y); err != nil || x != "ONE" || y != "UNO" {
			t.Fatalf("after update: %q %q %v", x, y, err)
		}
		if err := d.SQL.QueryRowContext(ctx, "SELECT "+q(dotted)+" FROM "+q(table)+" WHERE "+q(key)+" = 2").Scan(&x); err != nil || x != "two" {
			t.Fatalf("the other row changed: %q %v", x, err)
		}
		if err := w.Delete(ctx, m, int64(2)); err != nil {
			t.Fatalf("delete: %v", err)
		}
		var n int
		if err := d.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+q(table)).Scan(&n); err != nil || n != 1 {
			t.Fatalf("after delete: %d rows, %v", n, err)
		}
		if err := w.Delete(ctx, m, int64(2)); err != ErrNotFound {
			t.Fatalf("delete again: %v, want ErrNotFound", err)
		}
	})
}
