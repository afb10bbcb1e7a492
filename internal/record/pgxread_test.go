package record

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// edgeValuesPG adds values the types fixture does not have: infinite and
// pre-epoch datetimes, special floats, types without a fast path.
const edgeValuesPG = `
CREATE TABLE edge (
  id integer PRIMARY KEY,
  ts timestamp, tstz timestamptz, d date,
  f4 real, f8 double precision,
  n numeric, n2 numeric(6,2),
  iv interval, ip inet, x xml, m money,
  flag boolean, t text, j json, jb jsonb,
  i2 smallint, i8 bigint, oid_col oid,
  arr_ts timestamptz[]
);
INSERT INTO edge VALUES
  (1, 'infinity', '-infinity', 'infinity', 'NaN', 'Infinity', 'NaN', 1.5, '1 day 02:03:04', '10.0.0.1/8', '<a>1</a>', 12.34,
   true, E'tab\there "q" \\ \u2028', '{"a" : 1}', '{"b": [1, 2]}', -32768, -9223372036854775808, 4294967295, '{"2024-01-01 00:00:00+00"}'),
  (2, '1900-01-01 00:00:00.000001', '1969-12-31 23:59:59.999999+00', '0001-01-01', 0.1, -0.0, 123456789012345678901234567890.123, -0.05, '-3 mons', '::1', NULL, -1,
   false, '', '  [] ', 'null', 32767, 9223372036854775807, 0, NULL),
  (3, '2024-06-30 23:59:60', '2024-03-31 01:30:00+01', '2024-02-29', 3.4028235e38, 1e-300, 0, 0, '0', NULL, NULL, 0,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, '{}');
`

// TestPgxReaderMatchesDatabaseSQL encodes every table of the types fixture
// (and the edge values above) through database/sql and through the pgx path
// of Read, in two default zones, and requires the same bytes.
func TestPgxReaderMatchesDatabaseSQL(t *testing.T) {
	d := testdb.New(t, config.EnginePostgres)
	testdb.LoadTypes(t, d)
	testdb.Exec(t, d, edgeValuesPG)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := schema.Reflect(ctx, d, schema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, m := range s.Models {
		stmt := selectAll(d, m)
		for _, loc := range []*time.Location{time.UTC, berlin} {
			e := NewEncoder(m.Columns, loc)
			want, wn, err := sqlReader{d.SQL}.AppendRows(ctx, e, nil, stmt)
			if err != nil {
				t.Fatalf("%s via database/sql: %v", m.Name, err)
			}
			var got []byte
			var gn int
			calls := 0
			err = Read(ctx, d, func(r Reader) error {
				calls++
				if _, ok := r.(*pgxReader); !ok {
					t.Fatalf("Read on PostgreSQL gave a %T, want the pgx reader", r)
				}
				got, gn, err = r.AppendRows(ctx, e, nil, stmt)
				return err
			})
			if err != nil {
				t.Fatalf("%s via pgx: %v", m.Name, err)
			}
			if calls != 1 || gn != wn || string(got) != string(want) {
				t.Fatalf("%s (%s): pgx path differs (%d rows, %d calls)\n got: %s\nwant: %s", m.Name, loc, gn, calls, got, want)
			}
			// wrapped in {"k": ...} (GraphQL's rows), on the pgx path
			var wrapped []byte
			if err := Read(ctx, d, func(r Reader) error {
				var err error
				wrapped, _, err = r.AppendRows(ctx, e.Wrapped([]byte(`{"k":`), "}"), nil, stmt)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			var objs []map[string]json.RawMessage
			var plain []json.RawMessage
			if err := json.Unmarshal(wrapped, &objs); err != nil {
				t.Fatalf("%s wrapped: %v\n%s", m.Name, err, wrapped)
			}
			if err := json.Unmarshal(want, &plain); err != nil {
				t.Fatal(err)
			}
			for i := range plain {
				if i >= len(objs) || len(objs[i]) != 1 || string(objs[i]["k"]) != string(plain[i]) {
					t.Fatalf("%s wrapped row %d differs:\n%s\n%s", m.Name, i, wrapped, want)
				}
			}
			// the same rows with a count in one pipeline
			count := "SELECT COUNT(*) FROM " + d.Dialect.QuoteTable(m.Schema, m.Table)
			err = Read(ctx, d, func(r Reader) error {
				var v int64
				var ok bool
				got, gn, v, ok, err = r.(RowsIntReader).AppendRowsInt(ctx, e, nil, stmt, nil, count, nil)
				if err == nil && (!ok || v != int64(wn)) {
					t.Errorf("%s: pipelined count %d (%v), want %d", m.Name, v, ok, wn)
				}
				return err
			})
			if err != nil {
				t.Fatalf("%s via the pipeline: %v", m.Name, err)
			}
			if gn != wn || string(got) != string(want) {
				t.Fatalf("%s (%s): pipeline differs (%d rows)\n got: %s\nwant: %s", m.Name, loc, gn, got, want)
			}
			checked += wn
			if m.PK() != nil && wn > 0 {
				// one row by key, the retrieve path
				one := SelectByPK(d.Dialect, m)
				var pk any
				if err := d.SQL.QueryRowContext(ctx, "SELECT "+d.Dialect.QuoteIdent(m.PK().Name)+" FROM "+d.Dialect.QuoteTable(m.Schema, m.Table)+" LIMIT 1").Scan(&pk); err != nil {
					t.Fatal(err)
				}
				want, wok, err := sqlReader{d.SQL}.AppendOne(ctx, e, nil, one, pk)
				if err != nil {
					t.Fatal(err)
				}
				var got []byte
				var gok bool
				if err := Read(ctx, d, func(r Reader) error {
					got, gok, err = r.AppendOne(ctx, e, nil, one, pk)
					return err
				}); err != nil {
					t.Fatal(err)
				}
				if gok != wok || string(got) != string(want) {
					t.Fatalf("%s one row: got %s (%v), want %s (%v)", m.Name, got, gok, want, wok)
				}
			}
		}
	}
	if checked < 40 {
		t.Fatalf("only %d rows compared", checked)
	}
}

func selectAll(d *db.DB, m *schema.Model) string {
	cols := make([]string, len(m.Columns))
	for i, c := range m.Columns {
		cols[i] = d.Dialect.QuoteIdent(c.Name)
	}
	q := "SELECT " + strings.Join(cols, ", ") + " FROM " + d.Dialect.QuoteTable(m.Schema, m.Table)
	if len(cols) > 0 {
		q += " ORDER BY 1"
	}
	return q
}

// TestReadInt covers counts, NULL and no row on both readers.
func TestReadInt(t *testing.T) {
	d := testdb.New(t, config.EnginePostgres)
	ctx := context.Background()
	for _, tc := range []struct {
		stmt   string
		args   []any
		want   int64
		wantOK bool
	}{
		{"SELECT COUNT(*) FROM generate_series(1, $1::int)", []any{7}, 7, true},
		{"SELECT NULL::bigint", nil, 0, false},
		{"SELECT 1 WHERE false", nil, 0, false},
		{"SELECT CAST(-1 AS bigint)", nil, -1, true},
	} {
		err := Read(ctx, d, func(r Reader) error {
			n, ok, err := r.Int(ctx, tc.stmt, tc.args...)
			if err != nil || n != tc.want || ok != tc.wantOK {
				t.Errorf("%s: pgx %d %v %v, want %d %v", tc.stmt, n, ok, err, tc.want, tc.wantOK)
			}
			n, ok, err = sqlReader{d.SQL}.Int(ctx, tc.stmt, tc.args...)
			if err != nil || n != tc.want || ok != tc.wantOK {
				t.Errorf("%s: database/sql %d %v %v, want %d %v", tc.stmt, n, ok, err, tc.want, tc.wantOK)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// a failing statement leaves the pooled connection usable
	for i := 0; i < 3; i++ {
		err := Read(ctx, d, func(r Reader) error {
			_, _, err := r.Int(ctx, "SELECT 1/0")
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "division by zero") {
			t.Fatalf("want a division by zero error, got %v", err)
		}
	}
	if err := Read(ctx, d, func(r Reader) error {
		n, _, err := r.Int(ctx, "SELECT 42")
		if n != 42 {
			t.Errorf("got %d", n)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestReadSQLite: other engines read through database/sql.
func TestReadSQLite(t *testing.T) {
	d := testdb.New(t, config.EngineSQLite)
	testdb.Exec(t, d, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b\"');")
	cols := []*schema.Column{{Name: "id", Kind: schema.KindInteger}, {Name: "name", Kind: schema.KindText}}
	ctx := context.Background()
	err := Read(ctx, d, func(r Reader) error {
		if _, ok := r.(sqlReader); !ok {
			t.Errorf("got %T", r)
		}
		b, n, err := r.AppendRows(ctx, NewEncoder(cols, nil), []byte("x"), "SELECT id, name FROM t ORDER BY id")
		if want := `x[{"id":1,"name":"a"},{"id":2,"name":"b\""}]`; string(b) != want || n != 2 {
			t.Errorf("got %s (%d), want %s", b, n, want)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkReadRows: 25 rows of the types fixture's items table encoded
// through the pgx path (Read) and through database/sql (the path of the
// other engines); compare ns/op and allocs/op of the two.
func BenchmarkReadRows(b *testing.B) {
	d := testdb.New(b, config.EnginePostgres)
	testdb.LoadTypes(b, d)
	ctx := context.Background()
	s, err := schema.Reflect(ctx, d, schema.Options{})
	if err != nil {
		b.Fatal(err)
	}
	m := s.Model("items")
	stmt := selectAll(d, m) + " LIMIT 25"
	buf := make([]byte, 0, 64<<10)
	b.Run("pgx", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e := NewEncoder(m.Columns, nil)
			if err := Read(ctx, d, func(r Reader) error {
				var err error
				buf, _, err = r.AppendRows(ctx, e, buf[:0], stmt)
				return err
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("database_sql", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e := NewEncoder(m.Columns, nil)
			var err error
			if buf, _, err = e.AppendRows(ctx, d.SQL, buf[:0], stmt); err != nil {
				b.Fatal(err)
			}
		}
	})
}
