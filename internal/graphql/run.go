package graphql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/query"
	"github.com/jetbridge/jetbridge/internal/record"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// dbMessage is the database's own message, without the statement.
func dbMessage(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Message
	}
	var my *gomysql.MySQLError
	if errors.As(err, &my) {
		return my.Message
	}
	return err.Error()
}

// run executes the root fields in order and writes the response.
func (x *exec) run(ctx context.Context, fields []*Field) ([]byte, error) {
	b := make([]byte, 0, 1024)
	b = append(b, `{"data":{`...)
	n := 0
	for _, f := range fields {
		ft, ok := x.fieldType(outType{kind: oQuery}, f.Name)
		if !ok {
			continue // validate=false: unknown fields are ignored
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = record.AppendString(b, f.Key())
		b = append(b, ':')
		var err error
		switch {
		case f.Name == "__typename":
			b = record.AppendString(b, "Query")
		case ft.kind == oIntrospection:
			b, err = x.introspect(b, f)
		default:
			b, err = x.rootField(ctx, b, ft.t, f)
		}
		if err != nil {
			return nil, err
		}
	}
	b = append(b, `},"data_query_time":`...)
	b = strconv.AppendFloat(b, math.Round(x.dataTime.Seconds()*1000)/1000, 'f', -1, 64)
	b = append(b, `,"count_query_time":`...)
	b = strconv.AppendFloat(b, math.Round(x.countTime.Seconds()*1000)/1000, 'f', -1, 64)
	return append(b, '}'), nil
}

// row is one fetched row: raw values and their JSON encodings.
type row struct {
	vals []any
	enc  [][]byte
}

func (x *exec) stmtCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	if x.env.Timeout > 0 {
		return context.WithTimeout(ctx, x.env.Timeout)
	}
	return context.WithCancel(ctx)
}

// fetch runs a statement and encodes its rows; cols describe the columns
// after the first skip ones (which are kept raw only).
func (x *exec) fetch(ctx context.Context, stmt string, args []any, skip int, cols []*schema.Column, keep bool) ([]row, error) {
	ctx, cancel := x.stmtCtx(ctx)
	defer cancel()
	x.queries++
	var out []row
	// one gated connection, the statement interrupted when ctx ends (SQLite)
	err := x.env.DB.Conn(ctx, func(c *sql.Conn) error {
		rows, err := c.QueryContext(ctx, stmt, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		enc := record.NewEncoder(cols, x.out())
		n := skip + len(cols)
		sc := record.NewScanner(n)
		// one buffer for every row's encodings: a slice taken from it stays
		// valid when a later append moves the buffer (bytes are never rewritten)
		buf := make([]byte, 0, 4096)
		var encs [][]byte
		for rows.Next() {
			if err := sc.Scan(rows); err != nil {
				return err
			}
			if len(encs) < len(cols) {
				encs = make([][]byte, len(cols)*32)
			}
			r := row{enc: encs[:len(cols):len(cols)]}
			encs = encs[len(cols):]
			if keep {
				r.vals = append([]any(nil), sc.Values()...)
			}
			for i := range cols {
				start := len(buf)
				buf = enc.AppendColumn(buf, i, sc.Values()[skip+i])
				r.enc[i] = buf[start:len(buf):len(buf)]
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

func (x *exec) count(ctx context.Context, page *query.Query) (int64, error) {
	ctx, cancel := x.stmtCtx(ctx)
	defer cancel()
	d := x.env.DB.Dialect
	if !page.HasWhere() && d.Has(feature.RowEstimates) {
		if q, err := query.Compile(page.Model, d, &query.Spec{}, query.Options{}); err == nil {
			x.queries++
			var est int64
			var ok bool
			err := x.env.DB.Conn(ctx, func(c *sql.Conn) (err error) {
				est, ok, err = query.Estimate(ctx, c, q)
				return err
			})
			if err == nil && ok && est >= query.EstimateFloor {
				return est, nil
			}
		}
	}
	stmt, args := page.CountSQL()
	x.queries++
	var n int64
	err := x.env.DB.Conn(ctx, func(c *sql.Conn) error {
		return c.QueryRowContext(ctx, stmt, args...).Scan(&n)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// dataSel is what a root field selects below it.
type dataSel struct {
	data, pagination *Field
	dataFields       []*Field // ModelType fields
	allAttrs         bool
	attrCols         []*Col
	lookups          bool
	pageFields       []*Field
	needCount        bool
}

func (x *exec) analyse(t *Table, f *Field) dataSel {
	var d dataSel
	lt := outType{kind: oList, t: t}
	for _, g := range x.collect(f.Sel, lt.Name()) {
		switch g.Name {
		case "data":
			d.data = g
			d.dataFields = x.collect(g.Sel, "Model"+t.Name+"ModelType")
			for _, h := range d.dataFields {
				switch h.Name {
				case "allAttrs":
					d.allAttrs = true
				case "lookups":
					d.lookups = true
				case "attrs":
					for _, a := range x.collect(h.Sel, "Model"+t.Name+"RecordAttrsType") {
						if c := t.Col(a.Name); c != nil {
							d.attrCols = append(d.attrCols, c)
						}
					}
				}
			}
		case "pagination":
			d.pagination = g
			d.pageFields = x.collect(g.Sel, "PaginationResponseType")
			for _, h := range d.pageFields {
				if h.Name == "count" || h.Name == "hasMore" {
					d.needCount = true
				}
			}
		}
	}
	return d
}

// pageOptions compile a root field's page and count: the GraphQL API's
// statements, its table named t0.
var pageOptions = query.Options{Alias: "t0", Style: query.StyleGraphQL}

// rootField runs one table's query and writes its ModelListType object.
func (x *exec) rootField(ctx context.Context, b []byte, t *Table, f *Field) ([]byte, error) {
	if x.env.DB == nil {
		return nil, &execError{"no database connection"}
	}
	touched := map[string]bool{t.M.Name: true}
	spec := &query.Spec{}
	if err := x.filters(t, x.argValue(f, "filters"), nil, false, 0, &spec.Filters, touched); err != nil {
		return nil, err
	}
	spec.Order = x.sortTerms(t, x.argValue(f, "sort"))
	if sv := x.argValue(f, "search"); sv != nil && sv.Kind == ValObject {
		qv := sv.Field("query")
		if qv == nil {
			if !hasField(sv, "query") {
				return nil, &execError{"'query'"}
			}
		} else if qv.Kind != ValNull {
			spec.Search, spec.SearchEmpty = qv.Raw, true
		}
	}
	if len(spec.Filters) > MaxFilterConditions {
		return nil, &execError{fmt.Sprintf("The filters hold %d conditions; at most %d are allowed", len(spec.Filters), MaxFilterConditions)}
	}
	lks, err := x.parseLookups(t, x.argValue(f, "lookups"), touched)
	if err != nil {
		return nil, err
	}
	if n := len(lks.order) + len(lks.aggs); n > MaxLookupStatements {
		return nil, &execError{fmt.Sprintf("The lookups need %d statements; at most %d are allowed", n, MaxLookupStatements)}
	}
	for m := range touched {
		if x.env.Allow != nil && !x.env.Allow(ctx, m) {
			return nil, &forbidden{model: m}
		}
	}
	pg := pagination(x.argValue(f, "pagination"))
	limit, offset := pg.limit, pg.effectiveOffset()
	d := x.analyse(t, f)

	// columns: everything for allAttrs, else the selected ones, the primary
	// key and the columns lookups start from
	// (the fast path reads every column and needs no index)
	fast := x.fastEligible(t, d, f)
	var colIdx map[*schema.Column]int
	add := func(c *schema.Column) {
		if _, ok := colIdx[c]; !ok {
			colIdx[c] = len(spec.Columns)
			spec.Columns = append(spec.Columns, c)
		}
	}
	if fast {
		spec.Columns = t.M.Columns
	} else if colIdx = map[*schema.Column]int{}; d.allAttrs {
		for _, c := range t.M.Columns {
			add(c)
		}
	} else {
		if pk := t.M.PK(); pk != nil {
			add(pk)
		}
		for _, c := range d.attrCols {
			add(c.C)
		}
	}
	if d.lookups && !fast {
		for _, c := range lks.rootCols() {
			add(c)
		}
	}
	page, err := query.Compile(t.M, x.env.DB.Dialect, spec, pageOptions)
	if err != nil {
		return nil, fmt.Errorf("compile the page of %s: %w", t.M.Name, err)
	}
	var (
		rows     []row
		nrows    int
		count    int64
		fastData []byte
	)
	short := func(n int) bool {
		return n < pg.limit && ((pg.offset != nil && *pg.offset == 0) || (pg.page != nil && *pg.page == 1))
	}
	if fast {
		if fastData, nrows, count, err = x.fastPage(ctx, page, limit, offset, d.needCount, short, x.fastPrefix(t, d.data)); err != nil {
			return nil, err
		}
	} else if d.data != nil || d.needCount {
		stmt, args := page.SelectSQL(limit, offset)
		t0 := time.Now()
		rows, err = x.fetch(ctx, stmt, args, 0, spec.Columns, d.lookups)
		x.dataTime += time.Since(t0)
		if err != nil {
			return nil, err
		}
		nrows = len(rows)
	}
	var lres *lookupResults
	if d.lookups && len(rows) > 0 {
		if lres, err = x.runLookups(ctx, lks, rows, colIdx); err != nil {
			return nil, err
		}
	}
	if d.needCount && !fast {
		t0 := time.Now()
		if short(len(rows)) {
			count = int64(len(rows))
		} else if count, err = x.count(ctx, page); err != nil {
			return nil, err
		}
		x.countTime += time.Since(t0)
	}

	b = append(b, '{')
	n := 0
	lt := outType{kind: oList, t: t}
	for _, g := range x.known(lt, x.collect(f.Sel, lt.Name())) {
		if n > 0 {
			b = append(b, ',')
		}
		switch g.Name {
		case "__typename":
			b = record.AppendString(b, g.Key())
			b = append(b, ':')
			b = record.AppendString(b, lt.Name())
		case "data":
			b = record.AppendString(b, g.Key())
			b = append(b, ':')
			if fast {
				b = append(b, fastData...)
			} else {
				b = x.writeRows(b, t, g, rows, colIdx, lks, lres)
			}
		case "pagination":
			b = record.AppendString(b, g.Key())
			b = append(b, ':')
			b = writePagination(b, g, x.known(outType{kind: oPagination}, x.collect(g.Sel, "PaginationResponseType")), pg, count, nrows)
		default:
			if n > 0 {
				b = b[:len(b)-1]
			}
			continue
		}
		n++
	}
	if fast {
		x.putPageBuf(fastData)
	}
	return append(b, '}'), nil
}

func hasField(v *Value, name string) bool {
	for _, f := range v.Fields {
		if f.Name == name {
			return true
		}
	}
	return false
}

func writePagination(b []byte, f *Field, fields []*Field, pg pageArgs, count int64, rows int) []byte {
	b = append(b, '{')
	appendOpt := func(p *int) {
		if p == nil {
			b = append(b, "null"...)
		} else {
			b = strconv.AppendInt(b, int64(*p), 10)
		}
	}
	for i, g := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = record.AppendString(b, g.Key())
		b = append(b, ':')
		switch g.Name {
		case "__typename":
			b = record.AppendString(b, "PaginationResponseType")
		case "count":
			b = strconv.AppendInt(b, count, 10)
		case "limit":
			b = strconv.AppendInt(b, int64(pg.limit), 10)
		case "offset":
			appendOpt(pg.offset)
		case "page":
			appendOpt(pg.page)
		case "hasMore":
			switch {
			case pg.offset != nil:
				b = strconv.AppendBool(b, int64(*pg.offset+pg.limit) < count || rows == pg.limit)
			case pg.page != nil:
				b = strconv.AppendBool(b, int64(*pg.page)*int64(pg.limit) < count || rows == pg.limit)
			default:
				b = append(b, "null"...)
			}
		default:
			b = append(b, "null"...)
		}
	}
	return append(b, '}')
}

// piece is one part of a row's output: literal JSON, then the encoded
// value of a fetched column (col >= 0) or the row's lookups.
type piece struct {
	lit     []byte
	col     int
	lookups bool
}

// rowProgram compiles the data selection once per root field; every row
// then is literal bytes and encoded column values.
func (x *exec) rowProgram(t *Table, f *Field, colIdx map[*schema.Column]int) []piece {
	var prog []piece
	var lit []byte
	emit := func(col int, lookups bool) {
		prog = append(prog, piece{lit: lit, col: col, lookups: lookups})
		lit = nil
	}
	lit = append(lit, '{')
	for i, g := range x.known(outType{kind: oModel, t: t}, x.collect(f.Sel, "Model"+t.Name+"ModelType")) {
		if i > 0 {
			lit = append(lit, ',')
		}
		lit = record.AppendString(lit, g.Key())
		lit = append(lit, ':')
		switch g.Name {
		case "__typename":
			lit = record.AppendString(lit, "Model"+t.Name+"ModelType")
		case "allAttrs":
			lit = append(lit, '{')
			for j, c := range t.Cols {
				if j > 0 {
					lit = append(lit, ',')
				}
				lit = record.AppendString(lit, c.Name)
				lit = append(lit, ':')
				emit(colIdx[c.C], false)
			}
			lit = append(lit, '}')
		case "attrs":
			lit = append(lit, '{')
			for j, a := range x.known(outType{kind: oAttrs, t: t}, x.collect(g.Sel, "Model"+t.Name+"RecordAttrsType")) {
				if j > 0 {
					lit = append(lit, ',')
				}
				lit = record.AppendString(lit, a.Key())
				lit = append(lit, ':')
				if a.Name == "__typename" {
					lit = record.AppendString(lit, "Model"+t.Name+"RecordAttrsType")
					continue
				}
				emit(colIdx[t.Col(a.Name).C], false)
			}
			lit = append(lit, '}')
		case "lookups":
			emit(-1, true)
		}
	}
	lit = append(lit, '}')
	emit(-1, false)
	return prog
}

func (x *exec) writeRows(b []byte, t *Table, f *Field, rows []row, colIdx map[*schema.Column]int, lks lookupPlan, lres *lookupResults) []byte {
	prog := x.rowProgram(t, f, colIdx)
	if len(rows) > 0 {
		size := 2
		for _, p := range prog {
			size += len(p.lit)
		}
		for _, e := range rows[0].enc {
			size += len(e)
		}
		b = slices.Grow(b, len(rows)*size*5/4)
	}
	b = append(b, '[')
	for ri, r := range rows {
		if ri > 0 {
			b = append(b, ',')
		}
		for _, p := range prog {
			b = append(b, p.lit...)
			switch {
			case p.lookups:
				b = x.writeLookups(b, lks, lres, r, colIdx)
			case p.col >= 0:
				b = append(b, r.enc[p.col]...)
			}
		}
	}
	return append(b, ']')
}

// known drops fields the type does not have (with validate false they are
// ignored, as upstream).
func (x *exec) known(o outType, fields []*Field) []*Field {
	out := fields[:0:0]
	for _, f := range fields {
		if _, ok := x.fieldType(o, f.Name); ok {
			out = append(out, f)
		}
	}
	return out
}

// out is the zone rows are written in.
func (x *exec) out() *time.Location {
	if x.env.Out != nil {
		return x.env.Out
	}
	return x.env.Loc
}
