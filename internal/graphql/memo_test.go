package graphql

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestQueryMemo(t *testing.T) {
	var q queryMemo
	doc := &Document{}
	k := memoKey{query: "{ a }"}
	if _, ok := q.get(k); ok {
		t.Fatal("empty memo has an entry")
	}
	q.put(k, doc, false)
	if e, ok := q.get(k); !ok || e.doc != doc || e.valid {
		t.Fatalf("after put: %+v %v", e, ok)
	}
	q.put(k, &Document{}, true) // the first document stays, validity is added
	if e, _ := q.get(k); e.doc != doc || !e.valid {
		t.Fatalf("after valid put: %+v", e)
	}
	if _, ok := q.get(memoKey{query: "{ a }", op: "X"}); ok {
		t.Fatal("another operation name shares the entry")
	}
	for i := 0; i < 2*memoEntries; i++ {
		q.put(memoKey{query: fmt.Sprint(i)}, doc, true)
	}
	if len(q.m) != memoEntries {
		t.Fatalf("%d entries, want at most %d", len(q.m), memoEntries)
	}
	big := memoKey{query: string(make([]byte, memoMaxQuery+1))}
	q.m = nil
	q.put(big, doc, true)
	if _, ok := q.get(big); ok {
		t.Fatal("an oversized query text was kept")
	}
}

// A text that validated without variables is not trusted with variables,
// and a memoised document answers as a fresh parse does.
func TestExecuteMemo(t *testing.T) {
	s := testSchema()
	q := `query Q($n: Int = 2) { artist(pagination: {limit: $n}) { data { attrs { name } } } }`
	exec := func(vars map[string]any) string {
		return string(s.Execute(context.Background(), Env{}, Request{Query: q, Validate: true, Variables: vars}).Body)
	}
	first := exec(nil)
	if !strings.Contains(first, "no database connection") {
		t.Fatalf("first run: %s", first)
	}
	if e, ok := s.memo.get(memoKey{query: q}); !ok || !e.valid {
		t.Fatalf("the valid text is not memoised: %+v %v", e, ok)
	}
	if again := exec(nil); again != first {
		t.Fatalf("second run %s, first %s", again, first)
	}
	if bad := exec(map[string]any{"n": "x"}); strings.Contains(bad, "no database connection") || !strings.Contains(bad, `"errors"`) {
		t.Fatalf("a bad variable passed validation: %s", bad)
	}
	bad := `{ artist { data { nope } } }`
	for i := 0; i < 2; i++ {
		if got := run(t, s, bad); !strings.Contains(got, `Cannot query field \"nope\"`) {
			t.Fatalf("run %d: %s", i, got)
		}
	}
	if _, ok := s.memo.get(memoKey{query: bad}); ok {
		t.Fatal("a text that failed validation was memoised")
	}
}

// collect merges fields of one response key, below and above the length
// at which it switches from scanning to a map.
func TestCollectMerges(t *testing.T) {
	for _, n := range []int{1, 8, 12} {
		q := "{ "
		for i := 0; i < n; i++ {
			q += fmt.Sprintf("f%d: a ", i)
		}
		q += "f0: a { x } ...F } fragment F on Query { f0: a { y } z }"
		doc, err := Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		x := &exec{doc: doc}
		fields := x.collect(doc.Ops[0].Sel, "Query")
		if len(fields) != n+1 {
			t.Fatalf("n=%d: %d fields, want %d", n, len(fields), n+1)
		}
		if f := fields[0]; f.Key() != "f0" || len(f.Sel) != 2 || !f.HasSel {
			t.Fatalf("n=%d: f0 merged to %+v", n, f)
		}
		if fields[n].Key() != "z" {
			t.Fatalf("n=%d: last field %q", n, fields[n].Key())
		}
	}
}
