package server

import (
	"sync"

	"github.com/jetbridge/jetbridge/internal/record"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// modelCache holds what reading a model's rows needs and does not change
// while the schema does not: its row encoder and its select-by-key
// statement, made on first use. It lives in a conn, so a reload (a new
// schema, a new conn) starts afresh; it holds at most one entry per model.
type modelCache struct {
	m sync.Map // *schema.Model -> *modelRead
}

type modelRead struct {
	enc  *record.Encoder
	byPK string // "" when the model has no key column
}

// read returns m's entry, making it on first use.
func (cn *conn) read(m *schema.Model) *modelRead {
	if v, ok := cn.cache.m.Load(m); ok {
		return v.(*modelRead)
	}
	r := &modelRead{enc: record.NewEncoder(m.Columns, cn.out)}
	if m.PK() != nil {
		r.byPK = record.SelectByPK(cn.db.Dialect, m)
	}
	v, _ := cn.cache.m.LoadOrStore(m, r)
	return v.(*modelRead)
}
