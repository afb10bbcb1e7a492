package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// batchRows is how many rows one INSERT statement carries.
const batchRows = 100

// insertRows inserts a table's rows with multi-row INSERT statements.
func insertRows(ctx context.Context, tx *sql.Tx, t table) error {
	var full *sql.Stmt
	defer func() {
		if full != nil {
			_ = full.Close()
		}
	}()
	for start := 0; start < len(t.rows); start += batchRows {
		if err := ctx.Err(); err != nil {
			return err
		}
		chunk := t.rows[start:min(start+batchRows, len(t.rows))]
		args := make([]any, 0, len(chunk)*len(t.cols))
		for _, r := range chunk {
			if len(r) != len(t.cols) {
				return fmt.Errorf("%s: row has %d values for %d columns", t.name, len(r), len(t.cols))
			}
			args = append(args, r...)
		}
		var err error
		if len(chunk) == batchRows {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, insertSQL(t, batchRows)); err != nil {
					return fmt.Errorf("%s: %w", t.name, err)
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insertSQL(t, len(chunk)), args...)
		}
		if err != nil {
			return fmt.Errorf("insert into %s: %w", t.name, err)
		}
	}
	return nil
}

// insertSQL renders INSERT INTO t (cols) VALUES (?,..),(?,..) for n rows.
// Table and column names are the generator's constants.
func insertSQL(t table, n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(t.cols)), ",") + ")"
	var b strings.Builder
	b.WriteString("INSERT INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}
