package graphql

import (
	"context"

	"github.com/jetbridge/jetbridge/internal/query"
	"github.com/jetbridge/jetbridge/internal/record"
)

// The common list read of the frontend, a page of allAttrs with count and
// hasMore, reads through record.Read as the REST list does: rows are encoded
// straight into the answer, and on PostgreSQL the page and its count share
// one connection and rows are encoded from the wire.

// fastEligible: data selects allAttrs once and nothing else, no lookups,
// and every column name is its own GraphQL name.
func (x *exec) fastEligible(t *Table, d dataSel, f *Field) bool {
	if d.data == nil || d.lookups || len(t.Cols) != len(t.M.Columns) {
		return false
	}
	fields := x.known(outType{kind: oModel, t: t}, x.collect(d.data.Sel, "Model"+t.Name+"ModelType"))
	if len(fields) != 1 || fields[0].Name != "allAttrs" {
		return false
	}
	for i, c := range t.Cols {
		if c.Name != c.C.Name || t.M.Columns[i] != c.C {
			return false
		}
	}
	n := 0
	for _, g := range x.collect(f.Sel, "") {
		if g.Name == "data" {
			n++
		}
	}
	return n == 1
}

// fastPage reads the page (every column) and, when asked, its count.
// q is the page's query (its Spec.Columns every column of the model, in
// table order), limit and offset the page's window.
func (x *exec) fastPage(ctx context.Context, q *query.Query, limit, offset int, needCount bool, short func(int) bool, prefix []byte) ([]byte, int, int64, error) {
	m := q.Model
	// each row is written inside its {"<allAttrs key>": ...} object
	enc := record.NewEncoder(m.Columns, x.out()).Wrapped(prefix, "}")
	ctx, cancel := x.stmtCtx(ctx)
	defer cancel()
	var (
		arr   = x.pageBuf(min(64+limit*64*len(m.Columns), 1<<20))
		n     int
		count int64
	)
	stmt, args := q.SelectSQL(limit, offset)
	read := query.PageRead{Stmt: stmt, Args: args, Count: q, Short: short, NoCount: !needCount}
	if !q.HasWhere() {
		// the table's estimate (the page's query may read from a source)
		if eq, err := query.Compile(m, x.env.DB.Dialect, &query.Spec{}, query.Options{}); err == nil {
			read.Estimate = eq
		}
	}
	err := record.Read(ctx, x.env.DB, func(r record.Reader) error {
		p, err := query.ReadPage(ctx, r, enc, arr[:0], read)
		arr, n, count = p.Rows, p.N, p.Count
		x.queries += p.Statements
		x.dataTime += p.DataTime
		x.countTime += p.CountTime
		return err
	})
	return arr, n, count, err
}

// maxPooledPage is the largest row buffer kept for reuse.
const maxPooledPage = 1 << 20

// pageBuf returns an empty buffer of at least size bytes, recycled when
// one is free; putPageBuf hands it back.
func (x *exec) pageBuf(size int) []byte {
	if p, ok := x.s.pageBufs.Get().(*[]byte); ok && cap(*p) >= size {
		return (*p)[:0]
	}
	return make([]byte, 0, size)
}

func (x *exec) putPageBuf(b []byte) {
	if cap(b) == 0 || cap(b) > maxPooledPage {
		return
	}
	b = b[:0]
	x.s.pageBufs.Put(&b)
}

func (x *exec) fastPrefix(t *Table, data *Field) []byte {
	for _, g := range x.known(outType{kind: oModel, t: t}, x.collect(data.Sel, "Model"+t.Name+"ModelType")) {
		p := append([]byte{'{'}, record.AppendString(nil, g.Key())...)
		return append(p, ':')
	}
	return []byte("{")
}
