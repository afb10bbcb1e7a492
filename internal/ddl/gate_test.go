package ddl_test

import (
	"context"
	"testing"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/ddl"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// TestChangesTakeOneTurn (issue 13): every schema change, with its catalog
// reads (column types, MySQL foreign keys) and the SQLite rebuild, runs
// through the data-access layer without taking a second turn at the gate
// while it holds one: with a gate of one turn none of them waits for itself.
func TestChangesTakeOneTurn(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		d.Gate = semaphore.NewWeighted(1)
		testdb.Exec(t, d, "CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(20))")
		ed := &ddl.Editor{DB: d}
		step := func(name string, fn func(ctx context.Context) error) {
			t.Helper()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			s, err := schema.Reflect(ctx, d, schema.Options{})
			if err != nil {
				t.Fatalf("reflect before %s: %v", name, err)
			}
			ed.Schema = s
			if err := fn(ctx); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		model := func(name string) *schema.Model {
			m := ed.Schema.Model(name)
			if m == nil {
				t.Fatalf("no model %s", name)
			}
			return m
		}
		column := func(body string) *ddl.Column {
			m, err := ddl.ParseObject([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			c, _, err := ddl.ParseColumn(m, true)
			if err != nil {
				t.Fatalf("%s: %v", body, err)
			}
			return c
		}
		step("create", func(ctx context.Context) error {
			m, err := ddl.ParseObject([]byte(`{"name": "g", "columns": [
				{"name": "id", "field": "IntegerField", "primary_key": true},
				{"name": "qty", "field": "IntegerField", "null": true},
				{"name": "item_id", "field": "ForeignKey", "null": true, "params": {"related_model": {"model": "items"}}}]}`))
			if err != nil {
				return err
			}
			tb, _, err := ddl.ParseTable(m)
			if err != nil {
				return err
			}
			return ed.CreateTable(ctx, tb)
		})
		step("add a foreign key", func(ctx context.Context) error {
			return ed.AddColumn(ctx, model("g"), column(`{"name": "other_id", "field": "ForeignKey", "null": true, "params": {"related_model": {"model": "items"}}}`))
		})
		step("alter", func(ctx context.Context) error {
			m := model("g")
			return ed.AlterColumn(ctx, m, m.Column("qty"), column(`{"field": "FloatField"}`), true)
		})
		step("drop a foreign key", func(ctx context.Context) error {
			m := model("g")
			return ed.DropColumn(ctx, m, m.Column("item_id"))
		})
		var n int
		if err := d.QueryRow(context.Background(), "SELECT count(*) FROM g", nil, &n); err != nil || n != 0 {
			t.Errorf("g after the changes: %d rows, %v", n, err)
		}
	})
}
