package testdb

import (
	"context"
	"testing"

	"github.com/jetbridge/jetbridge/internal/db"
)

func TestEachOpensAFreshDatabase(t *testing.T) {
	Each(t, func(t *testing.T, d *db.DB) {
		Exec(t, d, "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(20));\nINSERT INTO t (id, name) VALUES (1, 'a;b');\n")
		var n int
		if err := d.SQL.QueryRowContext(context.Background(), "SELECT count(*) FROM t").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("rows = %d, want 1", n)
		}
		if d.Version == "" || d.Schema == "" {
			t.Fatalf("version %q schema %q", d.Version, d.Schema)
		}
	})
}

func TestSplitStatements(t *testing.T) {
	got := SplitStatements("-- c\nCREATE TABLE a (x int);\n\nINSERT INTO a VALUES (1),\n (2);\nSELECT 1")
	if len(got) != 3 || got[1] != "INSERT INTO a VALUES (1),\n (2)" {
		t.Fatalf("%q", got)
	}
}
