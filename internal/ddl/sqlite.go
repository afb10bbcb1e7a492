package ddl

import (
	"context"
	"database/sql"
	"database/sql/driver"

	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// SQLite changes a column through the documented table rebuild
// (https://www.sqlite.org/lang_altertable.html#otheralter): with foreign keys
// off, in one transaction, create the new table, copy the rows, drop the old
// table, rename the new one, recreate indexes and triggers, check foreign
// keys, commit. Column renames go first through ALTER TABLE RENAME COLUMN,
// which also rewrites indexes, triggers and referencing foreign keys.

// rebuildOp is what a rebuild changes: one column altered (ch), dropped
// (drop) or added (add).
type rebuildOp struct {
	ch   *change
	drop *schema.Column
	add  *spec
}

var (
	reUnsafeTable = regexp.MustCompile(`(?i)\b(check\s*\(|collate\b|generated\s+always\b|without\s+rowid\b|\)\s*strict\b|as\s*\()`)
	reAutoinc     = regexp.MustCompile(`(?i)\bautoincrement\b`)
)

func (ed *Editor) alterSQLite(ctx context.Context, m *schema.Model, ch *change) error {
	return ed.rebuildSQLite(ctx, m, rebuildOp{ch: ch})
}

// addColumnSQLite adds a column natively when SQLite can, else by rebuild
// (NOT NULL columns, expression defaults).
func (ed *Editor) addColumnSQLite(ctx context.Context, m *schema.Model, s *spec) error {
	if s.Null && !strings.HasPrefix(s.Default, "CURRENT_") {
		d := ed.DB.Dialect
		def := definition(d, s, false)
		if s.FK != nil {
			def += " CONSTRAINT " + d.QuoteIdent(s.FK.Name) + " " + references(d, s.FK)
		}
		return ed.inTx(ctx, func(ctx context.Context, x execer) error {
			return execAll(ctx, x, "ALTER TABLE "+ed.table(m)+" ADD COLUMN "+def)
		})
	}
	return ed.rebuildSQLite(ctx, m, rebuildOp{add: s})
}

func (ed *Editor) rebuildSQLite(ctx context.Context, m *schema.Model, op rebuildOp) error {
	ctx, cancel := ed.deadline(ctx)
	defer cancel()
	ed.Touched = true
	// foreign keys off, the rebuild and foreign keys on again: all on one
	// connection (the pragma is the connection's)
	return dbError(ed.DB.Run(ctx, func(ctx context.Context, conn *sql.Conn) error {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer func() {
			if _, ferr := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON"); ferr != nil {
				// never hand a connection without foreign keys back to the pool
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := rebuild(ctx, tx, ed, m, op); err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	}))
}

type sqliteCol struct {
	name, typ string
	notNull   bool
	dflt      sql.NullString
	pk        int
	hidden    int
}

type sqliteFK struct {
	table              string
	from, to           []string
	onUpdate, onDelete string
}

func rebuild(ctx context.Context, tx *sql.Tx, ed *Editor, m *schema.Model, op rebuildOp) error {
	d := ed.DB.Dialect
	name := m.Table
	var tableSQL string
	if err := tx.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", name).Scan(&tableSQL); err != nil {
		return fmt.Errorf("read the definition of %s: %w", name, err)
	}
	if reUnsafeTable.MatchString(tableSQL) {
		return apierr.NonField("table " + name + " has CHECK constraints, collations, generated columns or table options that rebuilding it would lose; jetbridge does not change its columns")
	}
	target := ""
	switch {
	case op.ch != nil:
		target = op.ch.old.Name
		if op.ch.rename {
			if _, err := tx.ExecContext(ctx, "ALTER TABLE "+d.QuoteIdent(name)+" RENAME COLUMN "+d.QuoteIdent(target)+" TO "+d.QuoteIdent(op.ch.new.Name)); err != nil {
				return err
			}
			target = op.ch.new.Name
		}
	case op.drop != nil:
		target = op.drop.Name
	}
	cols, err := sqliteColumns(ctx, tx, name)
	if err != nil {
		return err
	}
	fks, err := sqliteFKs(ctx, tx, name)
	if err != nil {
		return err
	}
	uniques, indexes, err := sqliteIndexes(ctx, tx, name, func(c string) bool { return op.drop != nil && c == target })
	if err != nil {
		return err
	}
	triggers, err := sqliteStrings(ctx, tx, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND sql IS NOT NULL", name)
	if err != nil {
		return err
	}
	var pks []sqliteCol
	for _, c := range cols {
		if c.pk > 0 && !(op.drop != nil && c.name == target) {
			pks = append(pks, c)
		}
	}
	sort.Slice(pks, func(i, j int) bool { return pks[i].pk < pks[j].pk })
	var defs, copyCols []string
	for _, c := range cols {
		if c.hidden != 0 {
			return apierr.NonField("table " + name + " has generated columns; jetbridge does not rebuild it")
		}
		if op.drop != nil && c.name == target {
			continue
		}
		copyCols = append(copyCols, d.QuoteIdent(c.name))
		var def string
		if op.ch != nil && c.name == target {
			s := *op.ch.new
			s.Auto, s.PK = false, false
			def = definition(d, &s, false)
		} else {
			def = d.QuoteIdent(c.name) + " " + c.typ
			if c.notNull {
				def += " NOT NULL"
			}
			if c.dflt.Valid {
				def += " DEFAULT " + sqliteDefault(c.dflt.String)
			}
		}
		if len(pks) == 1 && pks[0].name == c.name {
			def += " PRIMARY KEY"
			if reAutoinc.MatchString(tableSQL) {
				def += " AUTOINCREMENT"
			}
		}
		defs = append(defs, def)
	}
	if op.add != nil {
		s := *op.add
		def := definition(d, &s, false)
		if s.FK != nil {
			def += " CONSTRAINT " + d.QuoteIdent(s.FK.Name) + " " + references(d, s.FK)
		}
		defs = append(defs, def)
	}
	if len(pks) > 1 {
		var q []string
		for _, c := range pks {
			q = append(q, d.QuoteIdent(c.name))
		}
		defs = append(defs, "PRIMARY KEY ("+strings.Join(q, ", ")+")")
	}
	for _, k := range fks {
		if containsName(k.from, target) && (op.drop != nil || (op.ch != nil && !op.ch.keepFK)) {
			continue
		}
		defs = append(defs, renderSQLiteFK(d.QuoteIdent, k))
	}
	if op.ch != nil && op.ch.new.FK != nil {
		defs = append(defs, fkConstraint(d, target, op.ch.new.FK))
	}
	for _, u := range uniques {
		var q []string
		for _, c := range u {
			q = append(q, d.QuoteIdent(c))
		}
		defs = append(defs, "UNIQUE ("+strings.Join(q, ", ")+")")
	}
	tmp := d.QuoteIdent("_jet_rebuild_" + name)
	stmts := []string{
		"CREATE TABLE " + tmp + " (\n  " + strings.Join(defs, ",\n  ") + "\n)",
		"INSERT INTO " + tmp + " (" + strings.Join(copyCols, ", ") + ") SELECT " + strings.Join(copyCols, ", ") + " FROM " + d.QuoteIdent(name),
	}
	if err := execAll(ctx, tx, stmts...); err != nil {
		return err
	}
	if op.ch != nil && op.ch.retype && numericAffinity(op.ch.new.Type) {
		var bad int
		q := "SELECT count(*) FROM " + tmp + " WHERE typeof(" + d.QuoteIdent(target) + ") IN ('text', 'blob')"
		if err := tx.QueryRowContext(ctx, q).Scan(&bad); err != nil {
			return err
		}
		if bad > 0 {
			return apierr.NonField(fmt.Sprintf("%d rows of %s hold values that are not numbers of type %s; nothing was changed", bad, target, op.ch.new.Type))
		}
	}
	stmts = []string{
		"DROP TABLE " + d.QuoteIdent(name),
		"PRAGMA legacy_alter_table = ON",
		"ALTER TABLE " + tmp + " RENAME TO " + d.QuoteIdent(name),
		"PRAGMA legacy_alter_table = OFF",
	}
	stmts = append(stmts, indexes...)
	stmts = append(stmts, triggers...)
	if err := execAll(ctx, tx, stmts...); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM pragma_foreign_key_check(?)", name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return apierr.NonField(fmt.Sprintf("the change would leave %d rows of %s pointing at rows that do not exist; nothing was changed", n, name))
	}
	return nil
}

// numericAffinity reports SQLite's INTEGER, REAL or NUMERIC affinity for a declared type.
func numericAffinity(t string) bool {
	u := strings.ToUpper(t)
	if strings.Contains(u, "INT") {
		return true
	}
	if strings.Contains(u, "CHAR") || strings.Contains(u, "CLOB") || strings.Contains(u, "TEXT") || strings.Contains(u, "BLOB") {
		return false
	}
	return strings.Contains(u, "REAL") || strings.Contains(u, "FLOA") || strings.Contains(u, "DOUB") ||
		strings.Contains(u, "NUMERIC") || strings.Contains(u, "DECIMAL")
}

func containsName(list []string, n string) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

func renderSQLiteFK(q func(string) string, k sqliteFK) string {
	var from, to []string
	for _, c := range k.from {
		from = append(from, q(c))
	}
	s := "FOREIGN KEY (" + strings.Join(from, ", ") + ") REFERENCES " + q(k.table)
	hasTo := false
	for _, c := range k.to {
		if c != "" {
			hasTo = true
		}
		to = append(to, q(c))
	}
	if hasTo {
		s += " (" + strings.Join(to, ", ") + ")"
	}
	for _, a := range []struct{ on, act string }{{"UPDATE", k.onUpdate}, {"DELETE", k.onDelete}} {
		if a.act != "" && !strings.EqualFold(a.act, "NO ACTION") {
			s += " ON " + a.on + " " + a.act
		}
	}
	return s
}

func sqliteColumns(ctx context.Context, tx *sql.Tx, table string) ([]sqliteCol, error) {
	rows, err := tx.QueryContext(ctx, "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sqliteCol
	for rows.Next() {
		var c sqliteCol
		if err := rows.Scan(&c.name, &c.typ, &c.notNull, &c.dflt, &c.pk, &c.hidden); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func sqliteFKs(ctx context.Context, tx *sql.Tx, table string) ([]sqliteFK, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sqliteFK
	last := -1
	for rows.Next() {
		var id int
		var t, from string
		var to sql.NullString
		var onU, onD string
		if err := rows.Scan(&id, &t, &from, &to, &onU, &onD); err != nil {
			return nil, err
		}
		if id != last {
			out = append(out, sqliteFK{table: t, onUpdate: onU, onDelete: onD})
			last = id
		}
		k := &out[len(out)-1]
		k.from = append(k.from, from)
		k.to = append(k.to, to.String)
	}
	return out, rows.Err()
}

// sqliteIndexes returns the UNIQUE constraints (as column lists) and the
// CREATE INDEX statements of a table, leaving out those on a dropped column.
func sqliteIndexes(ctx context.Context, tx *sql.Tx, table string, dropped func(string) bool) ([][]string, []string, error) {
	type idx struct {
		name, origin string
	}
	rows, err := tx.QueryContext(ctx, "SELECT name, origin FROM pragma_index_list(?)", table)
	if err != nil {
		return nil, nil, err
	}
	var list []idx
	for rows.Next() {
		var i idx
		if err := rows.Scan(&i.name, &i.origin); err != nil {
			rows.Close()
			return nil, nil, err
		}
		list = append(list, i)
	}
	if err := rows.Close(); err != nil {
		return nil, nil, err
	}
	var uniques [][]string
	var stmts []string
	for _, i := range list {
		if i.origin == "pk" {
			continue
		}
		cols, err := sqliteStrings(ctx, tx, "SELECT coalesce(name, '') FROM pragma_index_info(?) ORDER BY seqno", i.name)
		if err != nil {
			return nil, nil, err
		}
		skip := false
		for _, c := range cols {
			skip = skip || dropped(c)
		}
		if skip {
			continue
		}
		if i.origin == "u" {
			uniques = append(uniques, cols)
			continue
		}
		s, err := sqliteStrings(ctx, tx, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ? AND sql IS NOT NULL", i.name)
		if err != nil {
			return nil, nil, err
		}
		stmts = append(stmts, s...)
	}
	return uniques, stmts, nil
}

func sqliteStrings(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

var reSQLiteLiteral = regexp.MustCompile(`(?i)^([-+]?[0-9.]+([eE][-+]?[0-9]+)?|'([^']|'')*'|x'[0-9a-f]*'|null|true|false|current_time|current_date|current_timestamp)$`)

// sqliteDefault renders a default as SQLite takes it: literals as they are,
// any other expression in parentheses (once).
func sqliteDefault(e string) string {
	e = strings.TrimSpace(e)
	if reSQLiteLiteral.MatchString(e) || (strings.HasPrefix(e, "(") && strings.HasSuffix(e, ")") && balancedParens(e[1:len(e)-1])) {
		return e
	}
	return "(" + e + ")"
}

// balancedParens reports whether the parentheses of s (outside string
// literals) pair up.
func balancedParens(s string) bool {
	depth, inStr := 0, false
	for _, ch := range s {
		switch {
		case ch == '\'':
			inStr = !inStr
		case inStr:
		case ch == '(':
			depth++
		case ch == ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0 && !inStr
}
