package register

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

const (
	tokA = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
	tokB = "FFEEDDCCBBAA99887766554433221100"
)

// rows returns every (project, token) of __jet__token, read with plain SQL.
func rows(t *testing.T, d *db.DB) [][2]string {
	t.Helper()
	r, err := d.SQL.QueryContext(context.Background(), "SELECT project, token FROM "+d.Dialect.QuoteIdent(TableName)+" ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out [][2]string
	for r.Next() {
		var p, tok string
		if err := r.Scan(&p, &tok); err != nil {
			t.Fatal(err)
		}
		out = append(out, [2]string{p, tok})
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := NewStore(d)

		// Nothing stored, no table: Get does not create it.
		if _, found, err := st.Get(ctx); err != nil || found {
			t.Fatalf("Get on an empty database = found %v, err %v", found, err)
		}
		if d.Gorm.Migrator().HasTable(TableName) {
			t.Fatal("Get created the table")
		}

		issued := time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("", 3*3600))
		if err := st.Save(ctx, Token{Project: "acme", Token: tokA, DateAdd: issued}); err != nil {
			t.Fatal(err)
		}
		if got, want := rows(t, d), [][2]string{{"acme", "0b1c2d3e4f5061728394a5b6c7d8e9f0"}}; !equalRows(got, want) {
			t.Fatalf("rows after Save = %v, want %v", got, want)
		}
		got, found, err := st.Get(ctx)
		if err != nil || !found {
			t.Fatalf("Get = found %v, err %v", found, err)
		}
		if got.Token != "0b1c2d3e4f5061728394a5b6c7d8e9f0" || got.Project != "acme" || !got.DateAdd.Equal(issued) {
			t.Fatalf("Get = %+v, want the saved token issued at %v", got, issued)
		}

		// Save again: replaced, still one row.
		if err := st.Save(ctx, Token{Token: tokB}); err != nil {
			t.Fatal(err)
		}
		if got, want := rows(t, d), [][2]string{{"", "ffeeddccbbaa99887766554433221100"}}; !equalRows(got, want) {
			t.Fatalf("rows after the second Save = %v, want %v", got, want)
		}
		got, _, _ = st.Get(ctx)
		if time.Since(got.DateAdd) > time.Minute || time.Since(got.DateAdd) < -time.Minute {
			t.Errorf("a zero DateAdd is stored as now, got %v", got.DateAdd)
		}

		// Invalid tokens are refused and leave the row alone.
		for _, bad := range []string{"", "short", strings.Repeat("g", 32), tokA + "00"} {
			if err := st.Save(ctx, Token{Token: bad}); err == nil {
				t.Errorf("Save(%q) succeeded", bad)
			}
		}
		if got := rows(t, d); len(got) != 1 || got[0][1] != "ffeeddccbbaa99887766554433221100" {
			t.Fatalf("rows after refused saves = %v", got)
		}
	})
}

// A table left with several rows (e.g. by hand) ends with exactly one after
// a save.
func TestStoreCollapsesExtraRows(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := NewStore(d)
		if err := st.EnsureTable(ctx); err != nil {
			t.Fatal(err)
		}
		if err := st.EnsureTable(ctx); err != nil {
			t.Fatalf("EnsureTable on an existing table: %v", err)
		}
		q := d.Dialect.QuoteIdent(TableName)
		for i, tok := range []string{strings.Repeat("1", 32), strings.Repeat("2", 32), strings.Repeat("3", 32)} {
			testdb.MustExec(t, d, "INSERT INTO "+q+" (id, project, token, date_add) VALUES ("+
				d.Dialect.Placeholder(1)+", '', "+d.Dialect.Placeholder(2)+", "+d.Dialect.Placeholder(3)+")", 5+i, tok, time.Now().UTC())
		}
		got, found, err := st.Get(ctx)
		if err != nil || !found || got.Token != strings.Repeat("1", 32) {
			t.Fatalf("Get = %+v %v %v, want the first row", got, found, err)
		}
		if err := st.Save(ctx, Token{Token: tokB}); err != nil {
			t.Fatal(err)
		}
		if got, want := rows(t, d), [][2]string{{"", "ffeeddccbbaa99887766554433221100"}}; !equalRows(got, want) {
			t.Fatalf("rows = %v, want %v", got, want)
		}
	})
}

// Concurrent saves still leave one row.
func TestStoreConcurrentSaves(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := NewStore(d)
		if err := st.EnsureTable(ctx); err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 8)
		for i := range 8 {
			go func() {
				errs <- st.Save(ctx, Token{Token: strings.Repeat(string("01234567"[i]), 32)})
			}()
		}
		for range 8 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		if got := rows(t, d); len(got) != 1 {
			t.Fatalf("rows after concurrent saves = %v, want one", got)
		}
	})
}

func equalRows(a, b [][2]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// noCreateRole returns settings reaching a fresh PostgreSQL database as a
// new role that may connect but not create tables.
func noCreateRole(t *testing.T) config.Database {
	t.Helper()
	cfg := testdb.Config(t, config.EnginePostgres)
	ctx := context.Background()
	admin, err := db.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	role := "jbt_nocreate_" + strings.TrimPrefix(cfg.Name, "jbt_")
	testdb.Exec(t, admin, `
CREATE ROLE `+role+` LOGIN;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
`)
	t.Cleanup(func() {
		if _, err := admin.SQL.ExecContext(ctx, "DROP ROLE IF EXISTS "+role); err != nil {
			t.Errorf("drop role: %v", err)
		}
		_ = admin.Close()
	})
	limited := cfg
	limited.User, limited.Password = role, ""
	return limited
}

// A PostgreSQL role that may not create tables gets a message that says so
// and points to TOKEN; serve start-up asks the API for nothing then.
func TestPostgresNoCreatePermission(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, noCreateRole(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	st := NewStore(d)
	if _, found, err := st.Get(ctx); err != nil || found {
		t.Fatalf("Get without the table = %v, %v", found, err)
	}

	check := func(err error) {
		t.Helper()
		if err == nil {
			t.Fatal("no error as a role without CREATE")
		}
		var pe *PermissionError
		if !errors.As(err, &pe) || !errors.Is(err, ErrPermissionDenied) {
			t.Fatalf("error is not a PermissionError: %T %v", err, err)
		}
		for _, want := range []string{"cannot create table __jet__token", "not allowed", "CREATE on the schema", "TOKEN=<token> in jet.conf", "environment variable TOKEN"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not contain %q", err, want)
			}
		}
		if strings.Contains(err.Error(), "0b1c2d3e") {
			t.Errorf("error contains the token: %v", err)
		}
	}
	check(st.Save(ctx, Token{Token: tokA}))

	api := jetadmintest.New(t)
	s := config.Defaults()
	s.APIBaseURL = api.URL
	check(EnsureRegistered(ctx, s, st, newClient(api), nil, nil))
	if n := api.TotalCalls(); n != 0 {
		t.Errorf("the API was asked for a token that could not be stored (%d calls)", n)
	}
}
