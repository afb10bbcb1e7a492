package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

func rel(name string) []schema.Relation {
	return []schema.Relation{{Name: name, Direction: "MANYTOONE", LocalField: "a", RelatedModel: "t", RelatedField: "b"}}
}

func exercise(t *testing.T, st *Store) {
	t.Helper()
	ctx := context.Background()
	got, err := st.Overrides(ctx, false)
	if err != nil || len(got) != 0 {
		t.Fatalf("before any write: %v %v", got, err)
	}
	if err := st.Replace(ctx, false, []string{"m1", "m2"}, [][]schema.Relation{rel("p1"), rel("p2")}); err != nil {
		t.Fatal(err)
	}
	if err := st.Replace(ctx, true, []string{"m1"}, [][]schema.Relation{rel("d1")}); err != nil {
		t.Fatal(err)
	}
	pub, _ := st.Overrides(ctx, false)
	draft, _ := st.Overrides(ctx, true)
	if pub["m1"][0].Name != "p1" || pub["m2"][0].Name != "p2" || draft["m1"][0].Name != "d1" || draft["m2"][0].Name != "p2" {
		t.Fatalf("published %v, draft %v", pub, draft)
	}
	if err := st.Replace(ctx, false, []string{"m2"}, [][]schema.Relation{nil}); err != nil {
		t.Fatal(err)
	}
	if pub, _ = st.Overrides(ctx, false); len(pub) != 1 || pub["m2"] != nil {
		t.Fatalf("after deleting m2: %v", pub)
	}
	if st.Version() != 3 || !st.Available() {
		t.Fatalf("version %d, available %v", st.Version(), st.Available())
	}
}

// Overrides live in the user's database; nothing is created before the
// first write.
func TestStoreInTheDatabase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		st, err := Open(context.Background(), d, filepath.Join(t.TempDir(), "s.sqlite3"), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		exercise(t, st)
		if st.Local() {
			t.Fatal("the store fell back to the local file")
		}
	})
}

// A role that may not create tables: the overrides go to STORE_PATH.
func TestStoreFallsBackToTheLocalFile(t *testing.T) {
	cfg := testdb.Config(t, config.EnginePostgres)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := db.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	role := fmt.Sprintf("jb_store_ro_%d", time.Now().UnixNano())
	testdb.MustExec(t, admin, "CREATE ROLE "+role+" LOGIN PASSWORD 'pw'")
	defer func() {
		testdb.MustExec(t, admin, "DROP OWNED BY "+role)
		testdb.MustExec(t, admin, "DROP ROLE "+role)
	}()
	testdb.MustExec(t, admin, "REVOKE CREATE ON SCHEMA public FROM PUBLIC")
	ro := cfg
	ro.User, ro.Password = role, "pw"
	user, err := db.Open(ctx, ro)
	if err != nil {
		t.Fatal(err)
	}
	defer user.Close()
	st, err := Open(ctx, user, filepath.Join(t.TempDir(), "s.sqlite3"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	exercise(t, st)
	if !st.Local() {
		t.Fatal("the store did not fall back to the local file")
	}
}
