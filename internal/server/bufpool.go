package server

import "sync"

// bufPool recycles response buffers so a list or retrieve encodes its rows
// without allocating a new buffer per request.
type bufPool struct{ p sync.Pool }

func newBufPool() *bufPool {
	return &bufPool{p: sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}}
}

func (bp *bufPool) get() *[]byte { return bp.p.Get().(*[]byte) }

func (bp *bufPool) put(b *[]byte) {
	if cap(*b) > 1<<20 {
		return // let large buffers go
	}
	*b = (*b)[:0]
	bp.p.Put(b)
}
