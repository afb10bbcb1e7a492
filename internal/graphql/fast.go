package graphql

import (
	"bytes"
	"context"
	"slices"

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
func (x *exec) fastPage(ctx context.Context, q *query.Query, limit, offset int, needCount bool, short func(int) bool) ([]byte, int, int64, error) {
	m := q.Model
	enc := record.NewEncoder(m.Columns, x.out())
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

// wrapRows writes the JSON array of row objects arr as a list of
// {<key>: row} objects (prefix is `{"<key>":`). Outside strings it looks at
// each byte; through a string it jumps with bytes.IndexByte to the next
// quote that no odd run of backslashes escapes.
func wrapRows(b, arr, prefix []byte) []byte {
	b = slices.Grow(b, len(arr)+len(arr)/16*(len(prefix)+1))
	b = append(b, '[')
	depth, start, k := 0, 0, 0
	end := len(arr) - 1
	for i := 1; i < end; i++ {
		switch arr[i] {
		case '"':
			i = stringEnd(arr[:end], i+1)
		case '{', '[':
			if depth == 0 {
				start = i
			}
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				if k > 0 {
					b = append(b, ',')
				}
				k++
				b = append(b, prefix...)
				b = append(b, arr[start:i+1]...)
				b = append(b, '}')
			}
		}
	}
	return append(b, ']')
}

// stringEnd returns the index of the quote closing the JSON string whose
// contents start at i (len(s) when it is not closed).
func stringEnd(s []byte, i int) int {
	for i < len(s) {
		q := bytes.IndexByte(s[i:], '"')
		if q < 0 {
			return len(s)
		}
		i += q
		bs := 0
		for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
			bs++
		}
		if bs%2 == 0 {
			return i
		}
		i++
	}
	return len(s)
}
