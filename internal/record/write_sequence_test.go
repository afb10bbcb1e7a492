package record

import (
	"context"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// TestExplicitMaxKeyKeepsSequence (issue 17 L4): creating a row with id
// 2147483647 does not move the serial sequence to its end; later inserts
// still get ids. (An explicit key leaves the sequence where it is, as
// upstream.)
func TestExplicitMaxKeyKeepsSequence(t *testing.T) {
	d := testdb.New(t, config.EnginePostgres)
	testdb.Exec(t, d, "CREATE TABLE seqt (id serial PRIMARY KEY, v text);")
	id := &schema.Column{Name: "id", Kind: schema.KindInteger, PrimaryKey: true, AutoIncrement: true, Position: 1, DataType: "integer"}
	v := &schema.Column{Name: "v", Kind: schema.KindText, Nullable: true, Position: 2, DataType: "text"}
	m := &schema.Model{Name: "seqt", Schema: d.Schema, Table: "seqt", Columns: []*schema.Column{id, v}, PrimaryKey: []*schema.Column{id}}
	w := &Writer{DB: d, Dec: Decoder{Engine: d.Dialect.Engine}}
	ctx := context.Background()
	body := func(js string) map[string]any {
		b, err := DecodeBody([]byte(js))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if _, err := w.Insert(ctx, m, body(`{"id": 2147483647, "v": "max"}`)); err != nil {
		t.Fatal(err)
	}
	got, err := w.Insert(ctx, m, body(`{"v": "next"}`))
	if err != nil {
		t.Fatalf("insert after id 2147483647: %v", err)
	}
	if _, err := w.Insert(ctx, m, body(`{"id": 100, "v": "explicit"}`)); err != nil {
		t.Fatal(err)
	}
	after, err := w.Insert(ctx, m, body(`{"v": "after"}`))
	if err != nil {
		t.Fatal(err)
	}
	if n1, _ := got.(int64); n1 != 1 {
		t.Errorf("first generated id %v, want 1", got)
	}
	if n2, _ := after.(int64); n2 != 2 {
		t.Errorf("generated id after an explicit 100: %v, want 2 (the sequence stays)", after)
	}
}
