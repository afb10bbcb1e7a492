package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// seedVersion changes whenever the seeded data changes; a database seeded
// with another version (or not at all) is seeded again.
const seedVersion = 3

// Sizes of the seeded data (issue 8).
const (
	itemRows       = 1_000_000
	categoryRows   = 10_000
	reflectTables  = 2_000
	reflectColumns = 20
	reflectSchema  = "bench_reflect"
)

// pgDSN returns dsn with its database replaced by name.
func pgDSN(dsn, name string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("PostgreSQL DSN: %w", err)
	}
	u.Path = "/" + name
	q := u.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

// seedPostgres creates database name (when missing) and fills it with
// Chinook, bench_categories/bench_items and the bench_reflect schema, unless
// it already holds this seed version. It reports whether it seeded.
func seedPostgres(ctx context.Context, adminDSN, name string, force bool, logf func(string, ...any)) (bool, error) {
	admin, err := pgx.Connect(ctx, adminDSN)
	if err != nil {
		return false, fmt.Errorf("connect to PostgreSQL (%s): %w", redactDSN(adminDSN), err)
	}
	defer admin.Close(context.Background())
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return false, fmt.Errorf("look for database %s: %w", name, err)
	}
	dsn, err := pgDSN(adminDSN, name)
	if err != nil {
		return false, err
	}
	if exists && !force {
		if v, err := pgSeedVersion(ctx, dsn); err == nil && v == seedVersion {
			return false, nil
		}
	}
	quoted := pgx.Identifier{name}.Sanitize()
	if exists {
		if _, err := admin.Exec(ctx, "DROP DATABASE "+quoted+" WITH (FORCE)"); err != nil {
			return false, fmt.Errorf("drop database %s: %w", name, err)
		}
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+quoted); err != nil {
		return false, fmt.Errorf("create database %s: %w", name, err)
	}
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return false, fmt.Errorf("connect to %s: %w", name, err)
	}
	defer c.Close(context.Background())

	steps := []struct {
		what   string
		script string
	}{
		{"Chinook", testdb.LoadChinookSQL(config.EnginePostgres)},
		{fmt.Sprintf("bench_items (%d rows) and bench_categories (%d rows)", itemRows, categoryRows), pgItemsSQL},
	}
	for _, s := range steps {
		t0 := time.Now()
		if _, err := c.Exec(ctx, s.script); err != nil {
			return false, fmt.Errorf("seed %s: %w", s.what, pgErr(err))
		}
		logf("seeded %s in %s", s.what, time.Since(t0).Round(time.Millisecond))
	}
	t0 := time.Now()
	// 100 tables per transaction: one transaction for all would exceed
	// max_locks_per_transaction.
	batches := reflectDDL(config.EnginePostgres, 100)
	for i, b := range batches {
		if _, err := c.Exec(ctx, "BEGIN;\n"+b+"\nCOMMIT;"); err != nil {
			return false, fmt.Errorf("seed %s (batch %d): %w", reflectSchema, i+1, pgErr(err))
		}
	}
	logf("seeded schema %s (%d tables x %d columns) in %s", reflectSchema, reflectTables, reflectColumns, time.Since(t0).Round(time.Millisecond))
	if _, err := c.Exec(ctx, fmt.Sprintf("CREATE TABLE bench_reflect_meta (version integer NOT NULL); INSERT INTO bench_reflect_meta VALUES (%d); ANALYZE;", seedVersion)); err != nil {
		return false, fmt.Errorf("seed marker: %w", err)
	}
	return true, nil
}

func pgSeedVersion(ctx context.Context, dsn string) (int, error) {
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer c.Close(context.Background())
	var v int
	err = c.QueryRow(ctx, "SELECT max(version) FROM bench_reflect_meta").Scan(&v)
	return v, err
}

func pgErr(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s (SQLSTATE %s) %s", pe.Message, pe.Code, pe.Detail)
	}
	return err
}

// pgItemsSQL seeds the two benchmark tables. Rows are generated in SQL, the
// key, foreign key and indexes are added afterwards (one bulk check instead
// of a million trigger calls), and both tables are analysed so the
// catalog's row estimate is known.
var pgItemsSQL = fmt.Sprintf(`
CREATE TABLE bench_categories (
  id integer PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL
);
INSERT INTO bench_categories
SELECT g, 'Category ' || g, timestamptz '2020-01-01 00:00:00+00' + g * interval '1 hour'
FROM generate_series(1, %[2]d) g;
CREATE TABLE bench_items (
  id bigint NOT NULL,
  category_id integer NOT NULL,
  name text NOT NULL,
  description text,
  price numeric(12,2) NOT NULL,
  quantity integer NOT NULL,
  created_at timestamptz NOT NULL,
  active boolean NOT NULL,
  attrs jsonb
);
INSERT INTO bench_items
SELECT g, 1 + (g * 7919) %% %[2]d,
       'Item ' || g,
       CASE WHEN g %% 5 = 0 THEN NULL ELSE 'Description of item ' || g || ' with some text' END,
       ((g * 37) %% 100000) / 100.0,
       (g * 13) %% 1000,
       timestamptz '2020-01-01 00:00:00+00' + g * interval '37 seconds' + (g %% 1000) * interval '1 millisecond',
       g %% 3 <> 0,
       ('{"color": "' || (ARRAY['red','green','blue'])[1 + g %% 3] || '", "size": ' || (g %% 50) || ', "tags": ["a", ' || (g %% 7) || ']}')::jsonb
FROM generate_series(1::bigint, %[1]d) g;
ALTER TABLE bench_items ADD PRIMARY KEY (id);
CREATE SEQUENCE bench_items_id_seq OWNED BY bench_items.id;
SELECT setval('bench_items_id_seq', %[1]d);
ALTER TABLE bench_items ALTER COLUMN id SET DEFAULT nextval('bench_items_id_seq');
ALTER TABLE bench_items ADD CONSTRAINT bench_items_category_fk FOREIGN KEY (category_id) REFERENCES bench_categories(id);
CREATE INDEX bench_items_category_idx ON bench_items (category_id);
CREATE INDEX bench_items_created_idx ON bench_items (created_at);
`, itemRows, categoryRows)

// reflectDDL returns the statements creating the reflection schema, grouped
// perBatch tables to a string. Each table has a key, a foreign key to the
// previous table, an index and ~20 columns of assorted types.
func reflectDDL(e config.Engine, perBatch int) []string {
	pgKinds := []string{"text", "integer NOT NULL DEFAULT 0", "numeric(12,2)", "timestamptz", "boolean", "jsonb", "varchar(100)", "date", "double precision", "uuid"}
	myKinds := []string{"text", "integer NOT NULL DEFAULT 0", "decimal(12,2)", "datetime(6)", "boolean", "json", "varchar(100)", "date", "double", "char(36)"}
	var out []string
	var sb strings.Builder
	for i := 1; i <= reflectTables; i++ {
		t := fmt.Sprintf("t%04d", i)
		var cols []string
		switch e {
		case config.EnginePostgres:
			cols = append(cols, "id bigserial PRIMARY KEY")
			if i > 1 {
				cols = append(cols, fmt.Sprintf("parent_id bigint REFERENCES %s.t%04d(id)", reflectSchema, i-1))
			}
		default:
			cols = append(cols, "id bigint AUTO_INCREMENT PRIMARY KEY")
			if i > 1 {
				cols = append(cols, "parent_id bigint", fmt.Sprintf("FOREIGN KEY (parent_id) REFERENCES t%04d(id)", i-1))
			}
		}
		kinds := pgKinds
		if e != config.EnginePostgres {
			kinds = myKinds
		}
		n := 1
		if i > 1 {
			n = 2
		}
		for j := n; j < reflectColumns; j++ {
			cols = append(cols, fmt.Sprintf("c%02d %s", j, kinds[j%len(kinds)]))
		}
		if e == config.EnginePostgres {
			fmt.Fprintf(&sb, "CREATE TABLE %s.%s (%s);\nCREATE INDEX ON %s.%s (c03);\n", reflectSchema, t, strings.Join(cols, ", "), reflectSchema, t)
		} else {
			cols = append(cols, "KEY (c03)")
			fmt.Fprintf(&sb, "CREATE TABLE %s (%s);\n", t, strings.Join(cols, ", "))
		}
		if i%perBatch == 0 || i == reflectTables {
			out = append(out, sb.String())
			sb.Reset()
		}
	}
	if e == config.EnginePostgres {
		out[0] = "DROP SCHEMA IF EXISTS " + reflectSchema + " CASCADE;\nCREATE SCHEMA " + reflectSchema + ";\n" + out[0]
	}
	return out
}

// redactDSN hides a password in a URL-style DSN.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
