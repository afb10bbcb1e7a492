package server

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/query"
	"github.com/jetbridge/jetbridge/internal/record"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// Pagination limits of spec §9.1 (query.Page reads them).
const (
	defaultPerPage = query.DefaultPerPage
	maxPerPage     = query.MaxPerPage
	estimateFloor  = 10000 // unfiltered tables estimated at or above this are not counted exactly
)

// GET /api/models/{model}/ (spec §9.1). The rows are encoded straight into
// a pooled buffer; on PostgreSQL the data and count statements share one
// connection and are encoded from the wire values (record.Read).
func (s *Server) list(c echo.Context, cn *conn, m *schema.Model) error {
	ctx := c.Request().Context()
	params := c.QueryParams()
	q, err := s.parseFor(c, cn, m, params)
	if err != nil {
		return err
	}
	enc := cn.read(m).enc
	buf := s.bufs.get()
	defer s.bufs.put(buf)

	pg := q.Page()
	if pg.All {
		stmt, args := q.SelectSQL(maxPerPage, 0)
		err := record.Read(ctx, cn.db, func(r record.Reader) error {
			b, _, err := r.AppendRows(ctx, enc, (*buf)[:0], stmt, args...)
			*buf = b
			return err
		})
		if err != nil {
			return readError(err, m)
		}
		return writeRaw(c, http.StatusOK, *buf)
	}

	page, perPage := pg.Number, pg.PerPage
	offset := math.MaxInt32 // a page beyond any table: empty (no overflow)
	if page-1 <= math.MaxInt32/perPage {
		offset = (page - 1) * perPage
	}
	stmt, args := q.SelectSQL(perPage, offset)
	rowsBuf := s.bufs.get()
	defer s.bufs.put(rowsBuf)
	var (
		n                   int
		count               int64
		dataTime, countTime time.Duration
	)
	err = record.Read(ctx, cn.db, func(r record.Reader) error {
		var err error
		*rowsBuf, n, count, dataTime, countTime, err = s.readPage(ctx, cn, r, q, enc, (*rowsBuf)[:0], stmt, args, page, perPage)
		return err
	})
	if err != nil {
		return readError(err, m)
	}

	numPages := int64(0)
	if count > 0 {
		numPages = (count + int64(perPage) - 1) / int64(perPage)
	}
	hasNext := int64(page) < numPages
	hasMore := hasNext || n == perPage

	out := append((*buf)[:0], `{"count":`...)
	out = strconv.AppendInt(out, count, 10)
	out = append(out, `,"next":`...)
	if hasMore {
		out = record.AppendString(out, pageURL(c, s.publicBase(c), page+1))
	} else {
		out = append(out, "null"...)
	}
	out = append(out, `,"previous":`...)
	if page > 1 {
		out = record.AppendString(out, pageURL(c, s.publicBase(c), page-1))
	} else {
		out = append(out, "null"...)
	}
	out = append(out, `,"results":`...)
	out = append(out, *rowsBuf...)
	out = append(out, `,"num_pages":`...)
	out = strconv.AppendInt(out, numPages, 10)
	out = append(out, `,"per_page":`...)
	out = strconv.AppendInt(out, int64(perPage), 10)
	out = append(out, `,"has_more":`...)
	out = strconv.AppendBool(out, hasMore)
	out = append(out, `,"data_query_time":`...)
	out = strconv.AppendFloat(out, math.Round(dataTime.Seconds()*1000)/1000, 'f', -1, 64)
	out = append(out, `,"count_query_time":`...)
	out = strconv.AppendFloat(out, math.Round(countTime.Seconds()*1000)/1000, 'f', -1, 64)
	out = append(out, '}')
	*buf = out
	return writeRaw(c, http.StatusOK, out)
}

// readPage appends the rows of one page to b and returns them with the
// list's count. Where a reader can pipeline (PostgreSQL), the statement the
// count needs goes out with the page, in one round trip: the table's
// estimate when the list is unfiltered, the exact count on a later page.
// A filtered first page counts only when it is full (its count is the
// number of rows otherwise), so its count waits for the page.
func (s *Server) readPage(ctx context.Context, cn *conn, r record.Reader, q *query.Query, enc *record.Encoder, b []byte,
	stmt string, args []any, page, perPage int) (out []byte, n int, count int64, dataTime, countTime time.Duration, err error) {
	t0 := time.Now()
	pr, canPipeline := r.(record.RowsIntReader)
	var (
		second     string // the statement sent with the page
		secondArgs []any
		estimate   bool
	)
	if canPipeline {
		if second, secondArgs, estimate = q.EstimateSQL(); !estimate && page > 1 {
			second, secondArgs = q.CountSQL()
		}
	}
	if second == "" {
		if b, n, err = r.AppendRows(ctx, enc, b, stmt, args...); err != nil {
			return b, n, 0, 0, 0, err
		}
		dataTime = time.Since(t0)
		t1 := time.Now()
		if page == 1 && n < perPage {
			count = int64(n)
		} else if count, err = s.count(ctx, cn, r, q); err != nil {
			return b, n, 0, 0, 0, err
		}
		return b, n, count, dataTime, time.Since(t1), nil
	}

	v, found := int64(0), false
	if b, n, v, found, err = pr.AppendRowsInt(ctx, enc, b, stmt, args, second, secondArgs); err != nil {
		return b, n, 0, 0, 0, err
	}
	dataTime = time.Since(t0)
	t1 := time.Now()
	switch {
	case page == 1 && n < perPage:
		count = int64(n)
	case found && (!estimate || v >= estimateFloor):
		count = v
	default:
		// a small or never analysed table; or the count failed in the
		// pipeline, and running it alone reports why
		stmt, args := q.CountSQL()
		if count, _, err = r.Int(ctx, stmt, args...); err != nil {
			return b, n, 0, 0, 0, err
		}
	}
	return b, n, count, dataTime, time.Since(t1), nil
}

// count is exact for filtered queries and small tables; an unfiltered large
// PostgreSQL or MySQL table uses the catalog's estimate (spec §9.1, Q10).
func (s *Server) count(ctx context.Context, cn *conn, r record.Reader, q *query.Query) (int64, error) {
	if cn.db.Dialect.Has(feature.PgxFastPath) {
		// the estimate is one bigint column: read it on the request's
		// connection. (Folding it and the exact count into one CASE
		// statement saves a round trip but costs PostgreSQL more: such a
		// statement is re-planned on every execution.)
		if stmt, args, ok := q.EstimateSQL(); ok {
			if est, ok, err := r.Int(ctx, stmt, args...); err == nil && ok && est >= estimateFloor {
				return est, nil
			}
		}
	} else if dq, ok := r.(query.Querier); ok {
		// the database/sql reader: the estimate runs in the request's turn
		if est, ok, err := query.Estimate(ctx, dq, q); err == nil && ok && est >= estimateFloor {
			return est, nil
		}
	}
	stmt, args := q.CountSQL()
	n, _, err := r.Int(ctx, stmt, args...)
	return n, err
}

// pageURL is this request's full URL with page set (page 1: removed), its
// parameters re-encoded and sorted by name (spec §9.1).
func pageURL(c echo.Context, base string, page int) string {
	req := c.Request()
	q := c.QueryParams() // parsed once per request; read, not changed
	keys := make([]string, 0, len(q)+1)
	for k := range q {
		if k != "page" {
			keys = append(keys, k)
		}
	}
	var pageValue [1]string
	if page > 1 {
		keys = append(keys, "page")
		pageValue[0] = strconv.Itoa(page)
	}
	slices.Sort(keys)
	var sb strings.Builder
	sb.Grow(len(base) + len(req.URL.Path) + len(req.URL.RawQuery) + 16)
	sb.WriteString(base)
	sb.WriteString(req.URL.Path)
	sep := byte('?')
	for _, k := range keys {
		vals := q[k]
		if k == "page" {
			vals = pageValue[:]
		}
		for _, v := range vals {
			sb.WriteByte(sep)
			sep = '&'
			sb.WriteString(url.QueryEscape(k))
			sb.WriteByte('=')
			sb.WriteString(url.QueryEscape(v))
		}
	}
	return sb.String()
}
