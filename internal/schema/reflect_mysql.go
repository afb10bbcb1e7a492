package schema

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

const myTablesQuery = `SELECT TABLE_NAME, TABLE_TYPE, COALESCE(TABLE_COMMENT, ''), COALESCE(TABLE_COLLATION, '')
FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`

const myColumnsQuery = `SELECT c.TABLE_NAME, c.COLUMN_NAME, c.IS_NULLABLE, LOWER(c.DATA_TYPE), c.COLUMN_TYPE,
  COALESCE(c.CHARACTER_MAXIMUM_LENGTH, 0), COALESCE(c.NUMERIC_PRECISION, 0), COALESCE(c.NUMERIC_SCALE, 0),
  c.COLUMN_DEFAULT, COALESCE(c.EXTRA, ''), COALESCE(c.GENERATION_EXPRESSION, ''), COALESCE(c.COLUMN_COMMENT, ''),
  COALESCE(c.COLLATION_NAME, '')
FROM information_schema.COLUMNS c
WHERE c.TABLE_SCHEMA = ?
ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`

// Key columns of primary and foreign keys; MySQL always names the primary key
// PRIMARY. Unique constraints are read and ignored.
const myKeysQuery = `SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME,
  COALESCE(REFERENCED_TABLE_SCHEMA, ''), COALESCE(REFERENCED_TABLE_NAME, ''), COALESCE(REFERENCED_COLUMN_NAME, '')
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = ? AND (CONSTRAINT_NAME = 'PRIMARY' OR REFERENCED_TABLE_NAME IS NOT NULL)
ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`

// MariaDB's JSON is LONGTEXT with a json_valid(`col`) check named after the column.
const mariaJSONQuery = `SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`

func loadMySQL(ctx context.Context, q querier, schema, version string) ([]*rawTable, error) {
	maria := strings.Contains(strings.ToLower(version), "mariadb")
	byName := map[string]*rawTable{}
	// each table's default collation, read with the tables: joining
	// information_schema.TABLES to COLUMNS costs MariaDB seconds on a few
	// thousand tables
	collations := map[string]string{}
	var tables []*rawTable

	rows, err := q.QueryContext(ctx, myTablesQuery, schema)
	if err != nil {
		return nil, fmt.Errorf("reflect mysql tables of database %q: %w", schema, err)
	}
	for rows.Next() {
		t := &rawTable{schema: schema}
		var typ, collation string
		if err := rows.Scan(&t.name, &typ, &t.comment, &collation); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reflect mysql tables: %w", err)
		}
		t.view = strings.Contains(strings.ToUpper(typ), "VIEW")
		if t.view {
			t.comment = "" // always "VIEW"
		}
		byName[t.name] = t
		collations[t.name] = collation
		tables = append(tables, t)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("reflect mysql tables: %w", err)
	}

	jsonCols := map[[2]string]bool{}
	if maria {
		rows, err := q.QueryContext(ctx, mariaJSONQuery, schema)
		if err != nil {
			return nil, fmt.Errorf("reflect mariadb check constraints: %w", err)
		}
		for rows.Next() {
			var table, name, clause string
			if err := rows.Scan(&table, &name, &clause); err != nil {
				rows.Close()
				return nil, fmt.Errorf("reflect mariadb check constraints: %w", err)
			}
			if strings.EqualFold(strings.Join(strings.Fields(clause), ""), "json_valid(`"+strings.ReplaceAll(name, "`", "``")+"`)") {
				jsonCols[[2]string{table, name}] = true
			}
		}
		if err := closeRows(rows); err != nil {
			return nil, fmt.Errorf("reflect mariadb check constraints: %w", err)
		}
	}

	rows, err = q.QueryContext(ctx, myColumnsQuery, schema)
	if err != nil {
		return nil, fmt.Errorf("reflect mysql columns: %w", err)
	}
	for rows.Next() {
		var (
			table, nullable, dataType, columnType, extra, generated string
			collation                                               string
			charLen, precision, scale                               int64
			def                                                     sql.NullString
			c                                                       Column
		)
		if err := rows.Scan(&table, &c.Name, &nullable, &dataType, &columnType, &charLen, &precision, &scale,
			&def, &extra, &generated, &c.Comment, &collation); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reflect mysql columns: %w", err)
		}
		t := byName[table]
		if t == nil {
			continue
		}
		c.Nullable = nullable == "YES"
		mapMySQL(&c, dataType, columnType, int(charLen), int(precision), int(scale), jsonCols[[2]string{table, c.Name}])
		if c.StringType && collation != "" && !strings.EqualFold(collation, collations[table]) {
			// a collation of its own, named as upstream's type string does
			c.InternalType += ` COLLATE "` + collation + `"`
		}
		c.DataType = dataType
		if c.Unsigned {
			c.DataType += " unsigned"
		}
		lowExtra := strings.ToLower(extra)
		c.AutoIncrement = strings.Contains(lowExtra, "auto_increment")
		if generated != "" {
			c.Generated = true
			c.Default = &generated
		} else if d, ok := mysqlDefault(def, maria, lowExtra, c.Kind); ok {
			c.Default = &d
		}
		fillDefault(&c)
		c.Position = len(t.cols) + 1
		t.cols = append(t.cols, &c)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("reflect mysql columns: %w", err)
	}

	rows, err = q.QueryContext(ctx, myKeysQuery, schema)
	if err != nil {
		return nil, fmt.Errorf("reflect mysql keys: %w", err)
	}
	for rows.Next() {
		var table, name, col, refSchema, refTable, refCol string
		if err := rows.Scan(&table, &name, &col, &refSchema, &refTable, &refCol); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reflect mysql keys: %w", err)
		}
		t := byName[table]
		if t == nil {
			continue
		}
		if name == "PRIMARY" && refTable == "" {
			t.pk = append(t.pk, col)
			continue
		}
		if n := len(t.fks); n > 0 && t.fks[n-1].name == name {
			t.fks[n-1].cols = append(t.fks[n-1].cols, col)
			t.fks[n-1].refCols = append(t.fks[n-1].refCols, refCol)
			continue
		}
		t.fks = append(t.fks, rawFK{name: name, cols: []string{col}, refSchema: refSchema, refTable: refTable,
			refCols: []string{refCol}})
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("reflect mysql keys: %w", err)
	}
	return tables, nil
}

// mysqlDefault turns COLUMN_DEFAULT into an SQL expression with string
// literals quoted. MariaDB already reports literals quoted and a NULL default
// as the word NULL; MySQL reports literals bare and marks expressions with
// DEFAULT_GENERATED (CURRENT_TIMESTAMP is bare in 5.7).
func mysqlDefault(def sql.NullString, maria bool, extra string, kind Kind) (string, bool) {
	if !def.Valid {
		return "", false
	}
	v := def.String
	if maria {
		if strings.EqualFold(v, "NULL") {
			return "", false
		}
		return v, true
	}
	if strings.Contains(extra, "default_generated") || reCurrentStamp.MatchString(strings.ToLower(v)) {
		return v, true
	}
	switch kind {
	case KindInteger, KindFloat, KindDecimal, KindBoolean:
		if reNumber.MatchString(v) {
			return v, true
		}
	}
	return quoteLiteral(v), true
}
