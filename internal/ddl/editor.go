package ddl

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// MinTimeout is the shortest deadline a schema change gets (a table rewrite
// may take longer than an ordinary statement).
const MinTimeout = 30 * time.Second

// Editor applies schema changes to one database, addressing existing tables
// and columns through the reflected schema.
type Editor struct {
	DB     *db.DB
	Schema *schema.Schema
	// Timeout bounds each change (at least MinTimeout).
	Timeout time.Duration
	// Touched reports that a change reached the database (successfully or
	// not): the schema must be reflected again.
	Touched bool
}

func (ed *Editor) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, max(ed.Timeout, MinTimeout))
}

// errColumnExists is upstream's message for a duplicate column.
var errColumnExists = apierr.NonField("Column with such name already exists")

// dbError turns a database error into a 400 with the database's message.
func dbError(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := apierr.As(err); ok {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &apierr.Error{Status: 400, Body: map[string][]string{"non_field_errors": {"the schema change took too long and was rolled back"}}, Cause: err}
	}
	msg := err.Error()
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		msg = pe.Message
		if pe.Detail != "" {
			msg += ": " + pe.Detail
		}
		if pe.Code == "42701" {
			return errColumnExists
		}
	}
	return &apierr.Error{Status: 400, Body: map[string][]string{"non_field_errors": {msg}}, Cause: err}
}

// hasColumn reports whether m has a column of that name (case-insensitive
// where the engine's names are).
func hasColumn(d db.Dialect, m *schema.Model, name string) bool {
	for _, c := range m.Columns {
		if c.Name == name || (!d.Has(feature.CaseSensitiveIdents) && strings.EqualFold(c.Name, name)) {
			return true
		}
	}
	return false
}

// table quotes a model's table.
func (ed *Editor) table(m *schema.Model) string {
	d := ed.DB.Dialect
	return d.QuoteTable(d.TableSchema(m.Schema), m.Table)
}

// schemaName is the schema new tables go into.
func (ed *Editor) schemaName() string {
	return ed.DB.Dialect.TableSchema(ed.DB.Schema)
}

// columnType reads a column's exact SQL type from the catalog.
func (ed *Editor) columnType(ctx context.Context, m *schema.Model, col string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	q, args := ed.DB.Dialect.ColumnTypeSQL(m.Schema, m.Table, col)
	var t string
	if err := ed.DB.QueryRow(ctx, q, args, &t); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil
		}
		return "", fmt.Errorf("read the type of %s.%s: %w", m.Table, col, err)
	}
	return t, nil
}

// inTx runs fn in one transaction (PostgreSQL, SQLite); MySQL commits DDL
// implicitly, so there each change is a single statement. Either way on one
// connection of the data-access layer (db.DB.Run), which fn must not call
// again.
func (ed *Editor) inTx(ctx context.Context, fn func(ctx context.Context, x execer) error) error {
	ctx, cancel := ed.deadline(ctx)
	defer cancel()
	ed.Touched = true
	lock, unlock := ed.DB.Dialect.DDLLock()
	if !ed.DB.Dialect.Has(feature.TransactionalDDL) {
		// one connection with a bounded wait for the table's lock
		return dbError(ed.DB.Run(ctx, func(ctx context.Context, conn *sql.Conn) error {
			if lock != "" {
				if _, err := conn.ExecContext(ctx, lock); err != nil {
					return err
				}
			}
			if unlock != "" {
				defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), unlock) }()
			}
			return fn(ctx, conn)
		}))
	}
	return dbError(ed.DB.Tx(ctx, func(tx *sql.Tx) error {
		if lock != "" {
			if _, err := tx.ExecContext(ctx, lock); err != nil {
				return err
			}
		}
		return fn(ctx, tx)
	}))
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func execAll(ctx context.Context, x execer, stmts ...string) error {
	for _, s := range stmts {
		if s == "" {
			continue
		}
		if _, err := x.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// CreateTable creates t (§11.2) in one transaction.
func (ed *Editor) CreateTable(ctx context.Context, t *Table) error {
	d := ed.DB.Dialect
	if m := ed.Schema.Model(t.Name); m != nil && (!d.Has(feature.Schemas) || m.Schema == ed.schemaName()) {
		return apierr.NonField("Table " + t.Name + " already exists")
	}
	npk := 0
	for _, c := range t.Columns {
		if c.PrimaryKey {
			npk++
		}
	}
	var defs, tail, post []string
	var pkCols []string
	for i := range t.Columns {
		s, err := ed.resolveNew(ctx, &t.Columns[i], t.Name, npk > 1)
		if err != nil {
			return err
		}
		defs = append(defs, definition(d, s, npk == 1))
		if s.PK {
			pkCols = append(pkCols, d.QuoteIdent(s.Name))
		}
		if s.FK != nil {
			tail = append(tail, fkConstraint(d, s.Name, s.FK))
		}
		if d.Has(feature.CommentOn) && s.Comment != "" {
			post = append(post, fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", ed.newTable(t.Name), d.QuoteIdent(s.Name), literal(d, s.Comment, "")))
		}
	}
	if npk > 1 {
		defs = append(defs, "PRIMARY KEY ("+strings.Join(pkCols, ", ")+")")
	}
	stmt := "CREATE TABLE " + ed.newTable(t.Name) + " (\n  " + strings.Join(append(defs, tail...), ",\n  ") + "\n)"
	if t.Comment != "" {
		switch {
		case d.Has(feature.InlineComments):
			stmt += " COMMENT=" + literal(d, t.Comment, "")
		case d.Has(feature.CommentOn):
			post = append(post, "COMMENT ON TABLE "+ed.newTable(t.Name)+" IS "+literal(d, t.Comment, ""))
		}
	}
	return ed.inTx(ctx, func(ctx context.Context, x execer) error {
		return execAll(ctx, x, append([]string{stmt}, post...)...)
	})
}

func (ed *Editor) newTable(name string) string {
	d := ed.DB.Dialect
	if d.Has(feature.Schemas) && ed.schemaName() != "" {
		return d.QuoteTable(ed.schemaName(), name)
	}
	return d.QuoteIdent(name)
}

// DropTable drops m (§11.2); views are refused.
func (ed *Editor) DropTable(ctx context.Context, m *schema.Model) error {
	if m.IsView {
		return apierr.NonField(m.Name + " is a view, not a table")
	}
	return ed.inTx(ctx, func(ctx context.Context, x execer) error {
		return execAll(ctx, x, "DROP TABLE "+ed.table(m))
	})
}

// AddColumn adds c to m (§11.2).
func (ed *Editor) AddColumn(ctx context.Context, m *schema.Model, c *Column) error {
	d := ed.DB.Dialect
	if m.IsView {
		return apierr.NonField(m.Name + " is a view, not a table")
	}
	if hasColumn(d, m, c.Name) {
		return errColumnExists
	}
	s, err := ed.resolveNew(ctx, c, m.Table, true)
	if err != nil {
		return err
	}
	rebuild := d.Has(feature.AlterByRebuild)
	def := definition(d, s, !rebuild)
	if s.PK && rebuild {
		return apierr.NonField("SQLite cannot add a primary-key column to an existing table")
	}
	t := ed.table(m)
	var stmts []string
	switch {
	case rebuild:
		return ed.addColumnSQLite(ctx, m, s)
	case !d.Has(feature.TransactionalDDL): // one statement: each commits
		stmt := "ALTER TABLE " + t + " ADD COLUMN " + def
		if s.FK != nil {
			stmt += ", ADD " + fkConstraint(d, s.Name, s.FK)
		}
		stmts = append(stmts, stmt)
	default:
		stmts = append(stmts, "ALTER TABLE "+t+" ADD COLUMN "+def)
		if s.FK != nil {
			stmts = append(stmts, "ALTER TABLE "+t+" ADD "+fkConstraint(d, s.Name, s.FK))
		}
		if s.Comment != "" {
			stmts = append(stmts, fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", t, d.QuoteIdent(s.Name), literal(d, s.Comment, "")))
		}
	}
	return ed.inTx(ctx, func(ctx context.Context, x execer) error { return execAll(ctx, x, stmts...) })
}

// DropColumn drops col from m (§11.2) with its foreign keys and indexes.
func (ed *Editor) DropColumn(ctx context.Context, m *schema.Model, col *schema.Column) error {
	d := ed.DB.Dialect
	if m.IsView {
		return apierr.NonField(m.Name + " is a view, not a table")
	}
	if len(m.Columns) == 1 {
		return apierr.NonField("the last column of a table cannot be dropped; drop the table instead")
	}
	switch {
	case d.Has(feature.AlterByRebuild):
		return ed.rebuildSQLite(ctx, m, rebuildOp{drop: col})
	case !d.Has(feature.TransactionalDDL): // one statement: each commits
		fks, err := ed.mysqlForeignKeys(ctx, m, col.Name)
		if err != nil {
			return dbError(err)
		}
		var parts []string
		for _, n := range fks {
			parts = append(parts, "DROP FOREIGN KEY "+d.QuoteIdent(n))
		}
		parts = append(parts, "DROP COLUMN "+d.QuoteIdent(col.Name))
		return ed.inTx(ctx, func(ctx context.Context, x execer) error {
			return execAll(ctx, x, "ALTER TABLE "+ed.table(m)+" "+strings.Join(parts, ", "))
		})
	}
	return ed.inTx(ctx, func(ctx context.Context, x execer) error {
		return execAll(ctx, x, "ALTER TABLE "+ed.table(m)+" DROP COLUMN "+d.QuoteIdent(col.Name))
	})
}

// mysqlForeignKeys lists the foreign-key constraints a MySQL column is part of.
func (ed *Editor) mysqlForeignKeys(ctx context.Context, m *schema.Model, col string) ([]string, error) {
	var out []string
	err := ed.DB.Query(ctx, `SELECT DISTINCT CONSTRAINT_NAME FROM information_schema.KEY_COLUMN_USAGE
		WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL`,
		[]any{m.Schema, m.Table, col}, func(rows *sql.Rows) error {
			var n string
			if err := rows.Scan(&n); err != nil {
				return err
			}
			out = append(out, n)
			return nil
		})
	return out, err
}
