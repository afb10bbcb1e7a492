package record

import (
	"context"
	"testing"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// TestCompositeKeyRace (issue 17 L1): when a row with the same first key
// column appears between the check and the change, the change touches two
// rows and is rolled back with a 400, on every engine.
func TestCompositeKeyRace(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		testdb.Exec(t, d, "CREATE TABLE pairs (a INTEGER NOT NULL, b INTEGER NOT NULL, v VARCHAR(20), PRIMARY KEY (a, b));\nINSERT INTO pairs VALUES (1, 1, 'x');")
		a := &schema.Column{Name: "a", Kind: schema.KindInteger, PrimaryKey: true, Position: 1}
		b := &schema.Column{Name: "b", Kind: schema.KindInteger, PrimaryKey: true, Position: 2}
		v := &schema.Column{Name: "v", Kind: schema.KindText, Nullable: true, Position: 3}
		m := &schema.Model{Name: "pairs", Schema: d.Dialect.TableSchema(d.Schema), Table: "pairs", Columns: []*schema.Column{a, b, v}, PrimaryKey: []*schema.Column{a, b}}
		ctx := context.Background()
		for _, op := range []string{"update", "delete"} {
			testdb.Exec(t, d, "DELETE FROM pairs WHERE b <> 1;")
			w := &Writer{DB: d, Dec: Decoder{Engine: d.Dialect.Engine}}
			w.afterCheck = func() { testdb.MustExec(t, d, "INSERT INTO pairs VALUES (1, 2, 'y')") }
			var err error
			if op == "update" {
				err = w.Update(ctx, m, int64(1), map[string]any{"v": "changed"}, true)
			} else {
				err = w.Delete(ctx, m, int64(1))
			}
			if err == nil {
				t.Errorf("%s: no error although two rows matched", op)
			}
			var n, changed int
			if err := d.SQL.QueryRowContext(ctx, "SELECT count(*), sum(CASE WHEN v = 'changed' THEN 1 ELSE 0 END) FROM pairs").Scan(&n, &changed); err != nil {
				t.Fatal(err)
			}
			if n != 2 || changed != 0 {
				t.Errorf("%s: %d rows left, %d changed; want 2 rows, none changed (%v)", op, n, changed, err)
			}
		}
	})
}
