package query

import (
	"context"
	"time"

	"github.com/jetbridge/jetbridge/internal/record"
)

// EstimateFloor: an unfiltered table the catalog estimates at this many rows
// or more is not counted exactly (spec §9.1, Q10).
const EstimateFloor = 10000

// PageRead is one page of a list and how its count is found; the REST list
// and GraphQL's page read through it.
type PageRead struct {
	Stmt string // the page's statement
	Args []any
	// Count is the query counted: exactly, or by the catalog's estimate of
	// Estimate (nil: no estimate; a filtered query never has one).
	Count    *Query
	Estimate *Query
	// Short reports that a page of n rows is the whole list, so that n is
	// the count (the first page, not full). Short(0) is true only on a
	// first page, where a count waits for the page.
	Short func(n int) bool
	// NoCount skips the count.
	NoCount bool
}

// PageRows is what ReadPage read.
type PageRows struct {
	Rows                []byte // a JSON array of row objects
	N                   int
	Count               int64
	DataTime, CountTime time.Duration
	Statements          int
}

// ReadPage appends the page's rows to b and finds its count, on one reader.
//
// Where the reader can pipeline (PostgreSQL), the statement the count needs
// goes out with the page, in one round trip: the table's estimate when there
// is one, otherwise the exact count when it is certainly needed (a later
// page). A filtered first page counts only when it is full: its count is the
// number of rows otherwise, and counting it anyway would repeat the page's
// scan.
func ReadPage(ctx context.Context, r record.Reader, enc *record.Encoder, b []byte, p PageRead) (PageRows, error) {
	var out PageRows
	t0 := time.Now()
	var (
		second     string // the statement sent with the page
		secondArgs []any
		estimate   bool
	)
	pr, canPipeline := r.(record.RowsIntReader)
	if canPipeline && !p.NoCount {
		if p.Estimate != nil {
			second, secondArgs, estimate = p.Estimate.EstimateSQL()
		}
		if second == "" && !p.Short(0) {
			second, secondArgs = p.Count.CountSQL()
		}
	}
	var err error
	if second == "" {
		out.Statements++
		if out.Rows, out.N, err = r.AppendRows(ctx, enc, b, p.Stmt, p.Args...); err != nil {
			return out, err
		}
		out.DataTime = time.Since(t0)
		if p.NoCount {
			return out, nil
		}
		t1 := time.Now()
		if p.Short(out.N) {
			out.Count = int64(out.N)
		} else if out.Count, err = count(ctx, r, p, &out.Statements); err != nil {
			return out, err
		}
		out.CountTime = time.Since(t1)
		return out, nil
	}

	out.Statements += 2
	v, found := int64(0), false
	if out.Rows, out.N, v, found, err = pr.AppendRowsInt(ctx, enc, b, p.Stmt, p.Args, second, secondArgs); err != nil {
		return out, err
	}
	out.DataTime = time.Since(t0)
	t1 := time.Now()
	switch {
	case p.Short(out.N):
		out.Count = int64(out.N)
	case found && (!estimate || v >= EstimateFloor):
		out.Count = v
	default:
		// a small or never analysed table; or the count failed in the
		// pipeline, and running it alone reports why
		stmt, args := p.Count.CountSQL()
		out.Statements++
		if out.Count, _, err = r.Int(ctx, stmt, args...); err != nil {
			return out, err
		}
	}
	out.CountTime = time.Since(t1)
	return out, nil
}

// count is the estimate of an unfiltered large table, else the exact count,
// one statement after the other.
func count(ctx context.Context, r record.Reader, p PageRead, statements *int) (int64, error) {
	if p.Estimate != nil {
		if stmt, args, ok := p.Estimate.EstimateSQL(); ok {
			*statements++
			var (
				est   int64
				found bool
				err   error
			)
			if dq, isSQL := r.(Querier); isSQL {
				// the database/sql reader (MySQL's EXPLAIN has several columns)
				est, found, err = Estimate(ctx, dq, p.Estimate)
			} else {
				est, found, err = r.Int(ctx, stmt, args...)
			}
			if err == nil && found && est >= EstimateFloor {
				return est, nil
			}
		}
	}
	stmt, args := p.Count.CountSQL()
	*statements++
	n, _, err := r.Int(ctx, stmt, args...)
	return n, err
}
