package schema

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// pgScope selects the relations reflected: the tables, partitioned tables,
// views, materialized views and foreign tables of schema $1 (partitions
// excluded), plus the tables of other schemas their foreign keys reference.
const pgScope = `WITH s AS (SELECT oid FROM pg_namespace WHERE nspname = $1),
scope AS (
  SELECT c.oid FROM pg_class c
   WHERE c.relnamespace = (SELECT oid FROM s) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') %s
  UNION
  SELECT k.confrelid FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
   WHERE k.contype = 'f' AND c.relnamespace = (SELECT oid FROM s)
)
`

const pgTablesQuery = `SELECT c.oid::int8, n.nspname, c.relname, c.relkind::text, COALESCE(d.description, '')
FROM scope JOIN pg_class c ON c.oid = scope.oid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0`

const pgColumnsQuery = `SELECT a.attrelid::int8, a.attname, a.attnotnull,
  format_type(bt.oid, NULL), bt.typname, bn.nspname = 'pg_catalog', bt.typtype::text, bt.typcategory::text,
  COALESCE(et.typname, ''), COALESCE(en.nspname = 'pg_catalog', false), COALESCE(et.typtype::text, ''),
  CASE WHEN ty.typtype = 'd' THEN ty.typtypmod ELSE a.atttypmod END,
  pg_get_expr(ad.adbin, ad.adrelid), %s, %s, COALESCE(d.description, ''),
  CASE WHEN bt.typtype = 'e' THEN
    (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder)::text FROM pg_enum e WHERE e.enumtypid = bt.oid) END
FROM scope JOIN pg_attribute a ON a.attrelid = scope.oid
JOIN pg_type ty ON ty.oid = a.atttypid
JOIN pg_type bt ON bt.oid = CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.oid END
JOIN pg_namespace bn ON bn.oid = bt.typnamespace
LEFT JOIN pg_type et ON et.oid = bt.typelem AND bt.typcategory = 'A'
LEFT JOIN pg_namespace en ON en.oid = et.typnamespace
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_description d ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`

const pgConstraintsQuery = `SELECT k.conrelid::int8, k.conname, k.contype::text,
  (SELECT json_agg(a.attname ORDER BY u.i) FROM unnest(k.conkey) WITH ORDINALITY u(n, i)
     JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n)::text,
  COALESCE(fn.nspname, ''), COALESCE(fc.relname, ''),
  COALESCE((SELECT json_agg(a.attname ORDER BY u.i) FROM unnest(k.confkey) WITH ORDINALITY u(n, i)
     JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n)::text, '[]')
FROM scope JOIN pg_constraint k ON k.conrelid = scope.oid AND k.contype IN ('p', 'f')
LEFT JOIN pg_class fc ON fc.oid = k.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
ORDER BY k.conrelid, k.contype, k.conname`

// pgMajor returns the major version from "15.4 (Debian ...)"; 0 if unknown.
func pgMajor(version string) int {
	v := strings.TrimSpace(version)
	if i := strings.IndexAny(v, ". ("); i >= 0 {
		v = v[:i]
	}
	n, _ := strconv.Atoi(v)
	return n
}

// pgQueries returns the three catalog queries for the server version.
func pgQueries(version string) (tables, columns, constraints string) {
	major := pgMajor(version)
	newer := func(min int) bool { return major == 0 || major >= min }
	partitions, identity, generated := "", "''", "''"
	if newer(10) {
		partitions = "AND NOT c.relispartition"
		identity = "a.attidentity::text"
	}
	if newer(12) {
		generated = "a.attgenerated::text"
	}
	scope := fmt.Sprintf(pgScope, partitions)
	return scope + pgTablesQuery,
		scope + fmt.Sprintf(pgColumnsQuery, identity, generated),
		scope + pgConstraintsQuery
}

func loadPostgres(ctx context.Context, q querier, schema, version string) ([]*rawTable, error) {
	tq, cq, kq := pgQueries(version)
	byOID := map[int64]*rawTable{}
	var tables []*rawTable

	rows, err := q.QueryContext(ctx, tq, schema)
	if err != nil {
		return nil, fmt.Errorf("reflect postgresql tables of schema %q: %w", schema, err)
	}
	for rows.Next() {
		var (
			oid  int64
			kind string
			t    rawTable
		)
		if err := rows.Scan(&oid, &t.schema, &t.name, &kind, &t.comment); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reflect postgresql tables: %w", err)
		}
		t.view = kind == "v" || kind == "m"
		byOID[oid] = &t
		tables = append(tables, &t)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("reflect postgresql tables: %w", err)
	}

	rows, err = q.QueryContext(ctx, cq, schema)
	if err != nil {
		return nil, fmt.Errorf("reflect postgresql columns: %w", err)
	}
	for rows.Next() {
		var (
			oid                 int64
			c                   Column
			notNull             bool
			ti                  pgTypeInfo
			def, labels         sql.NullString
			identity, generated string
		)
		if err := rows.Scan(&oid, &c.Name, &notNull, &c.DataType, &ti.typname, &ti.builtin, &ti.typtype,
			&ti.category, &ti.elem, &ti.elemBuilt, &ti.elemType, &ti.typmod, &def, &identity, &generated,
			&c.Comment, &labels); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reflect postgresql columns: %w", err)
		}
		t := byOID[oid]
		if t == nil {
			continue
		}
		if labels.Valid {
			if err := json.Unmarshal([]byte(labels.String), &ti.labels); err != nil {
				rows.Close()
				return nil, fmt.Errorf("reflect postgresql enum labels of %s.%s: %w", t.name, c.Name, err)
			}
		}
		c.Nullable = !notNull
		mapPostgres(&c, ti)
		if def.Valid {
			d := def.String
			c.Default = &d
			if strings.HasPrefix(strings.ToLower(d), "nextval(") {
				c.AutoIncrement = true
			}
		}
		if identity == "a" || identity == "d" {
			c.AutoIncrement = true
		}
		c.Generated = generated != ""
		fillDefault(&c)
		c.Position = len(t.cols) + 1
		t.cols = append(t.cols, &c)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("reflect postgresql columns: %w", err)
	}

	rows, err = q.QueryContext(ctx, kq, schema)
	if err != nil {
		return nil, fmt.Errorf("reflect postgresql constraints: %w", err)
	}
	for rows.Next() {
		var (
			oid                  int64
			name, typ, cols      string
			refSchema, refTable  string
			refCols              string
			colNames, refColList []string
		)
		if err := rows.Scan(&oid, &name, &typ, &cols, &refSchema, &refTable, &refCols); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reflect postgresql constraints: %w", err)
		}
		t := byOID[oid]
		if t == nil {
			continue
		}
		if err := json.Unmarshal([]byte(cols), &colNames); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reflect postgresql constraint %s: %w", name, err)
		}
		if err := json.Unmarshal([]byte(refCols), &refColList); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reflect postgresql constraint %s: %w", name, err)
		}
		if typ == "p" {
			t.pk = colNames
		} else {
			t.fks = append(t.fks, rawFK{name: name, cols: colNames, refSchema: refSchema, refTable: refTable,
				refCols: refColList})
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("reflect postgresql constraints: %w", err)
	}
	return tables, nil
}

func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}
