package schema

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
)

// One query for every table's columns: the pragma table-valued functions
// joined to the catalog. table_xinfo also lists generated columns (hidden 2
// and 3); hidden 1 are the hidden columns of virtual tables.
const liteColumnsQuery = `SELECT m.type, m.name, COALESCE(m.sql, ''), p.name, COALESCE(p.type, ''), p."notnull",
  p.dflt_value, p.pk, p.hidden
FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p
WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY m.name, p.cid`

const liteForeignKeysQuery = `SELECT m.name, f.id, f."table", f."from", f."to"
FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY m.name, f.id, f.seq`

var reWithoutRowID = regexp.MustCompile(`(?i)\bWITHOUT\s+ROWID\b`)

func loadSQLite(ctx context.Context, q querier) ([]*rawTable, error) {
	byName := map[string]*rawTable{}
	var tables []*rawTable
	type pkCol struct {
		name string
		pos  int
	}
	pks := map[*rawTable][]pkCol{}

	rows, err := q.QueryContext(ctx, liteColumnsQuery)
	if err != nil {
		return nil, fmt.Errorf("reflect sqlite tables: %w", err)
	}
	for rows.Next() {
		var (
			typ, table, ddl string
			c               Column
			notNull         bool
			def             sql.NullString
			pk, hidden      int
		)
		if err := rows.Scan(&typ, &table, &ddl, &c.Name, &c.DataType, &notNull, &def, &pk, &hidden); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reflect sqlite tables: %w", err)
		}
		t := byName[table]
		if t == nil {
			t = &rawTable{name: table, view: typ == "view"}
			if i := strings.LastIndexByte(ddl, ')'); i >= 0 && !t.view {
				t.withoutRowID = reWithoutRowID.MatchString(ddl[i:])
			}
			byName[table] = t
			tables = append(tables, t)
		}
		if hidden == 1 {
			continue
		}
		c.Nullable = !notNull
		mapSQLite(&c, c.DataType)
		c.DataType = strings.ToLower(c.DataType)
		c.Generated = hidden == 2 || hidden == 3
		if def.Valid && !strings.EqualFold(strings.TrimSpace(def.String), "NULL") {
			d := def.String
			c.Default = &d
		}
		fillDefault(&c)
		c.Position = len(t.cols) + 1
		t.cols = append(t.cols, &c)
		if pk > 0 {
			pks[t] = append(pks[t], pkCol{c.Name, pk})
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("reflect sqlite tables: %w", err)
	}
	for t, cols := range pks {
		t.pk = make([]string, len(cols))
		for _, pc := range cols {
			if pc.pos >= 1 && pc.pos <= len(cols) {
				t.pk[pc.pos-1] = pc.name
			}
		}
	}

	rows, err = q.QueryContext(ctx, liteForeignKeysQuery)
	if err != nil {
		return nil, fmt.Errorf("reflect sqlite foreign keys: %w", err)
	}
	for rows.Next() {
		var (
			table, refTable, from string
			id                    int
			to                    sql.NullString
		)
		if err := rows.Scan(&table, &id, &refTable, &from, &to); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reflect sqlite foreign keys: %w", err)
		}
		t := byName[table]
		if t == nil {
			continue
		}
		name := fmt.Sprintf("fk_%s_%03d", table, id)
		if n := len(t.fks); n > 0 && t.fks[n-1].name == name {
			fk := &t.fks[n-1]
			fk.cols = append(fk.cols, from)
			if to.Valid && fk.refCols != nil {
				fk.refCols = append(fk.refCols, to.String)
			} else {
				fk.refCols = nil
			}
			continue
		}
		fk := rawFK{name: name, cols: []string{from}, refTable: refTable}
		if to.Valid {
			fk.refCols = []string{to.String}
		}
		t.fks = append(t.fks, fk)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("reflect sqlite foreign keys: %w", err)
	}
	return tables, nil
}
