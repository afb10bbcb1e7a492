package graphql

import "sync"

// The frontend sends the same few query texts again and again. A Schema
// remembers, for a bounded number of texts, the parsed document and
// whether the text validated without errors (with no request variables and
// the same operation name, validation only depends on the text and this
// schema). Documents are not modified after parsing, so one is shared by
// concurrent requests.
const (
	memoEntries  = 256
	memoMaxQuery = 16 << 10
)

type memoKey struct {
	query, op string
}

type memoEntry struct {
	doc   *Document
	valid bool // validated without errors (no variables)
}

type queryMemo struct {
	mu sync.Mutex
	m  map[memoKey]*memoEntry
}

func (q *queryMemo) get(k memoKey) (memoEntry, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	e, ok := q.m[k]
	if !ok {
		return memoEntry{}, false
	}
	return *e, true
}

// put records doc for k (and that it validated, when valid); a full memo
// keeps its entries.
func (q *queryMemo) put(k memoKey, doc *Document, valid bool) {
	if len(k.query) > memoMaxQuery {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if e, ok := q.m[k]; ok {
		e.valid = e.valid || valid
		return
	}
	if len(q.m) >= memoEntries {
		return
	}
	if q.m == nil {
		q.m = map[memoKey]*memoEntry{}
	}
	q.m[k] = &memoEntry{doc: doc, valid: valid}
}
