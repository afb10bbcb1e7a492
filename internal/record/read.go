package record

import (
	"strings"

	"context"
	"database/sql"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// Querier runs a query; *sql.DB, *sql.Conn and *sql.Tx satisfy it.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// AppendRows runs the query and appends its rows as a JSON array.
func (e *Encoder) AppendRows(ctx context.Context, q Querier, b []byte, stmt string, args ...any) ([]byte, int, error) {
	rows, err := q.QueryContext(ctx, stmt, args...)
	if err != nil {
		return b, 0, err
	}
	defer rows.Close()
	sc := NewScanner(len(e.cols))
	b = append(b, '[')
	n := 0
	for rows.Next() {
		if err := sc.Scan(rows); err != nil {
			return b, n, err
		}
		if n > 0 {
			b = append(b, ',')
		}
		b = e.AppendRow(b, sc.Values())
		n++
	}
	if err := rows.Err(); err != nil {
		return b, n, err
	}
	return append(b, ']'), n, nil
}

// AppendOne runs the query and appends its first row as a JSON object.
func (e *Encoder) AppendOne(ctx context.Context, q Querier, b []byte, stmt string, args ...any) ([]byte, bool, error) {
	rows, err := q.QueryContext(ctx, stmt, args...)
	if err != nil {
		return b, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return b, false, rows.Err()
	}
	sc := NewScanner(len(e.cols))
	if err := sc.Scan(rows); err != nil {
		return b, false, err
	}
	return e.AppendRow(b, sc.Values()), true, rows.Err()
}

// SelectByPK is "SELECT <every column> FROM <table> WHERE <pk> = <param 1>".
func SelectByPK(d db.Dialect, m *schema.Model) string {
	var sb strings.Builder
	size := 64 + len(m.Schema) + len(m.Table)
	for _, c := range m.Columns {
		size += len(c.Name) + 4
	}
	sb.Grow(size)
	sb.WriteString("SELECT ")
	for i, c := range m.Columns {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(d.QuoteIdent(c.Name))
	}
	sb.WriteString(" FROM ")
	sb.WriteString(d.QuoteTable(m.Schema, m.Table))
	sb.WriteString(" WHERE ")
	sb.WriteString(d.QuoteIdent(m.PK().Name))
	sb.WriteString(" = ")
	sb.WriteString(d.Placeholder(1))
	return sb.String()
}
