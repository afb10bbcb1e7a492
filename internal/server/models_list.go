package server

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/query"
	"github.com/jetbridge/jetbridge/internal/record"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// Pagination limits of spec §9.1 (query.Page reads them).
const (
	defaultPerPage = query.DefaultPerPage
	maxPerPage     = query.MaxPerPage
	estimateFloor  = query.EstimateFloor
)

// GET /api/models/{model}/ (spec §9.1). The rows are encoded straight into
// a pooled buffer; on PostgreSQL the data and count statements share one
// connection, are encoded from the wire values (record.Read) and go out in
// one pipeline where the count's statement is known beforehand
// (query.ReadPage).
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
		p, err := query.ReadPage(ctx, r, enc, (*rowsBuf)[:0], query.PageRead{
			Stmt: stmt, Args: args, Count: q, Estimate: q,
			Short: func(n int) bool { return page == 1 && n < perPage },
		})
		*rowsBuf, n, count, dataTime, countTime = p.Rows, p.N, p.Count, p.DataTime, p.CountTime
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
