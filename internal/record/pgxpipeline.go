package record

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// RowsIntReader runs a rows statement and a one-integer statement in one
// round trip (PostgreSQL's pipeline). A list page and its row estimate are
// independent, so they need not wait for each other.
type RowsIntReader interface {
	// AppendRowsInt is AppendRows(stmt, args) followed by Int(intStmt,
	// intArgs), sent together. An error of the integer statement is not
	// returned: ok is false then, as when it has no row.
	AppendRowsInt(ctx context.Context, e *Encoder, b []byte, stmt string, args []any, intStmt string, intArgs []any) (out []byte, n int, v int64, ok bool, err error)
}

// pipelineStatements bounds the statements a connection keeps prepared for
// pipelines; the oldest is deallocated when a new one would pass it.
const pipelineStatements = 64

// pipeKey holds a connection's pipeState in pgconn's CustomData.
const pipeKey = "jetbridge.pipeline"

// pipeState is what one connection keeps between pipelines: the statements
// prepared for them (oldest first) and reusable argument encoders.
type pipeState struct {
	prepared []string
	known    map[string]struct{}
	eqb      [2]pgx.ExtendedQueryBuilder
	formats  []int16
}

func (r *pgxReader) pipeState() *pipeState {
	cd := r.conn.PgConn().CustomData()
	if st, ok := cd[pipeKey].(*pipeState); ok {
		return st
	}
	st := &pipeState{known: map[string]struct{}{}}
	cd[pipeKey] = st
	return st
}

// prepare returns stmt's description, preparing it on first use (one round
// trip) and keeping at most pipelineStatements of them.
func (r *pgxReader) prepare(ctx context.Context, st *pipeState, stmt string) (*pgconn.StatementDescription, error) {
	// named by its text: pgx answers from its map without a round trip
	// once prepared, and Query of the same text uses the same statement
	sd, err := r.conn.Prepare(ctx, stmt, stmt)
	if err != nil {
		return nil, err
	}
	if _, ok := st.known[stmt]; !ok {
		st.prepared = append(st.prepared, stmt)
		st.known[stmt] = struct{}{}
		if len(st.prepared) > pipelineStatements {
			oldest := st.prepared[0]
			st.prepared = st.prepared[1:]
			delete(st.known, oldest)
			if err := r.conn.Deallocate(ctx, oldest); err != nil {
				return nil, fmt.Errorf("deallocate a pipelined statement: %w", err)
			}
		}
	}
	return sd, nil
}

// forget deallocates the given statements (after the server said their plan
// is stale or that they no longer exist), so the next use prepares afresh.
func (r *pgxReader) forget(ctx context.Context, st *pipeState, stmts ...string) {
	for _, s := range stmts {
		if _, ok := st.known[s]; !ok {
			continue
		}
		delete(st.known, s)
		for i, p := range st.prepared {
			if p == s {
				st.prepared = append(st.prepared[:i], st.prepared[i+1:]...)
				break
			}
		}
		_ = r.conn.Deallocate(ctx, s)
	}
}

// staleStatement reports the errors after which a prepared statement must
// be prepared again: its result type changed (DDL since it was prepared),
// or it no longer exists (DEALLOCATE or DISCARD on the connection).
func staleStatement(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "0A000" || pe.Code == "26000")
}

func (r *pgxReader) AppendRowsInt(ctx context.Context, e *Encoder, b []byte, stmt string, args []any, intStmt string, intArgs []any) ([]byte, int, int64, bool, error) {
	st := r.pipeState()
	out, n, v, ok, err := r.pipeline(ctx, st, e, b, stmt, args, intStmt, intArgs)
	if err == nil || !staleStatement(err) || r.conn.IsClosed() {
		return out, n, v, ok, err
	}
	// prepare both again, once
	r.forget(ctx, st, stmt, intStmt)
	return r.pipeline(ctx, st, e, b, stmt, args, intStmt, intArgs)
}

func (r *pgxReader) pipeline(ctx context.Context, st *pipeState, e *Encoder, b []byte, stmt string, args []any, intStmt string, intArgs []any) ([]byte, int, int64, bool, error) {
	sd, err := r.prepare(ctx, st, stmt)
	if err != nil {
		return b, 0, 0, false, err
	}
	isd, err := r.prepare(ctx, st, intStmt)
	if err != nil {
		return b, 0, 0, false, err
	}
	m := r.conn.TypeMap()
	rows, ints := &st.eqb[0], &st.eqb[1]
	if err := rows.Build(m, sd, args); err != nil {
		return b, 0, 0, false, fmt.Errorf("encode arguments: %w", err)
	}
	if err := ints.Build(m, isd, intArgs); err != nil {
		return b, 0, 0, false, fmt.Errorf("encode arguments: %w", err)
	}
	// the result formats of the database/sql driver (see sqlResultFormats)
	st.formats = st.formats[:0]
	for _, f := range sd.Fields {
		st.formats = append(st.formats, sqlResultFormats[f.DataTypeOID])
	}

	p := r.conn.PgConn().StartPipeline(ctx)
	p.SendQueryStatement(sd, rows.ParamValues, rows.ParamFormats, st.formats)
	p.SendQueryStatement(isd, ints.ParamValues, ints.ParamFormats, ints.ResultFormats)
	if err := p.Sync(); err != nil {
		_ = p.Close()
		return b, 0, 0, false, err
	}
	b, n, err := r.pipelineRows(p, e, b)
	if err != nil {
		_ = p.Close()
		return b, n, 0, false, err
	}
	v, ok := pipelineInt(p, m)
	if err := p.Close(); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			// the integer statement failed; the rows stand
			if staleStatement(err) {
				r.forget(ctx, st, intStmt)
			}
			return b, n, 0, false, nil
		}
		return b, n, 0, false, err
	}
	return b, n, v, ok, nil
}

// pipelineRows reads the first result of p as rows encoded by e.
func (r *pgxReader) pipelineRows(p *pgconn.Pipeline, e *Encoder, b []byte) ([]byte, int, error) {
	res, err := p.GetResults()
	if err != nil {
		return b, 0, err
	}
	rr, ok := res.(*pgconn.ResultReader)
	if !ok {
		return b, 0, fmt.Errorf("pipeline: expected rows, got %T", res)
	}
	b = append(b, '[')
	n := 0
	var d *pgxRowDecoder
	for rr.NextRow() {
		if d == nil {
			if d, err = e.pgxDecoder(r.conn.TypeMap(), rr.FieldDescriptions()); err != nil {
				_, _ = rr.Close()
				return b, n, err
			}
		}
		if n > 0 {
			b = append(b, ',')
		}
		if b, err = d.appendRow(b, rr.Values()); err != nil {
			_, _ = rr.Close()
			return b, n, err
		}
		n++
	}
	if _, err := rr.Close(); err != nil {
		return b, n, err
	}
	return append(b, ']'), n, nil
}

// pipelineInt reads the next result of p as one integer (ok false when it
// has no row, is NULL or failed).
func pipelineInt(p *pgconn.Pipeline, m *pgtype.Map) (int64, bool) {
	res, err := p.GetResults()
	if err != nil {
		return 0, false
	}
	rr, isRows := res.(*pgconn.ResultReader)
	if !isRows {
		return 0, false
	}
	var v pgtype.Int8
	if rr.NextRow() {
		fds := rr.FieldDescriptions()
		vals := rr.Values()
		if len(fds) == 0 || m.Scan(fds[0].DataTypeOID, fds[0].Format, vals[0], &v) != nil {
			v = pgtype.Int8{}
		}
	}
	if _, err := rr.Close(); err != nil {
		return 0, false
	}
	return v.Int64, v.Valid
}
