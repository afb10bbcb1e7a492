package ddl

import (
	"testing"

	"github.com/jetbridge/jetbridge/internal/apierr"
)

// FuzzParseTable: any body is a table or a 400, never a panic, and an
// accepted table has checked names and a primary key.
func FuzzParseTable(f *testing.F) {
	f.Add(`{"name": "t", "columns": [{"name": "id", "field": "IntegerField", "primary_key": true}]}`)
	f.Add(`{"name": "t", "columns": [{"name": "a", "field": "CharField", "params": {"length": "9", "related_model": {"model": "x"}}, "default_value": [1]}]}`)
	f.Add(`{"name": "", "columns": null}`)
	f.Add(`[1, 2]`)
	f.Fuzz(func(t *testing.T, body string) {
		m, err := ParseObject([]byte(body))
		if err != nil {
			if ae, ok := apierr.As(err); !ok || ae.Status != 400 {
				t.Fatalf("%q: %v", body, err)
			}
			return
		}
		tb, _, err := ParseTable(m)
		if err != nil {
			if ae, ok := apierr.As(err); !ok || ae.Status != 400 {
				t.Fatalf("%q: %v", body, err)
			}
			return
		}
		if checkName(tb.Name) != nil {
			t.Fatalf("accepted table name %q", tb.Name)
		}
		pk := false
		for _, c := range tb.Columns {
			if checkName(c.Name) != nil {
				t.Fatalf("accepted column name %q", c.Name)
			}
			pk = pk || c.PrimaryKey
		}
		if !pk {
			t.Fatal("accepted a table without a primary key")
		}
	})
}
