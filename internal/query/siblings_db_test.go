package query

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/jetbridge/jetbridge/internal/apierr"
)

// testSiblingsKeyset checks the keyset neighbours against the list order
// itself, for every record, under orderings with NULLs, ties, both
// directions and filters (issue 17 H3: siblings no longer number rows).
func testSiblingsKeyset(t *testing.T, f *fixture) {
	ctx := context.Background()
	for _, qs := range []string{
		"", "_order_by=qty", "_order_by=-qty", "_order_by=active,-qty", "_order_by=-active,name", "_order_by=name", "_order_by=-born,qty", "_order_by=created", "_order_by=status,-ratio",
		"_order_by=price,-id", "_order_by=note", "_order_by=-note,qty", "active=true&_order_by=price",
		"_order_by=id", "_order_by=-price,-active",
	} {
		q, err := f.parse(t, f.items, qs)
		if err != nil {
			t.Fatal(err)
		}
		stmt, args := q.SelectSQL(100, 0)
		rows, err := f.d.SQL.QueryContext(ctx, stmt, args...)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var order []int64
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			id, _ := toInt64(vals[0])
			order = append(order, id)
		}
		rows.Close()
		for pk := int64(1); pk <= 8; pk++ {
			want := map[string]any{}
			for i, id := range order {
				if id != pk {
					continue
				}
				want["prev"], want["next"] = nil, nil
				if i > 0 {
					want["prev"] = map[string]any{"id": order[i-1]}
				}
				if i+1 < len(order) {
					want["next"] = map[string]any{"id": order[i+1]}
				}
			}
			got, err := Siblings(ctx, f.d.SQL, q, fmt.Sprint(pk))
			if len(want) == 0 { // not among the listed rows: 404, as upstream
				if ae, ok := apierr.As(err); !ok || ae.Status != 404 {
					t.Errorf("%s pk %d: %v %v, want 404", qs, pk, got, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s pk %d: %v", qs, pk, err)
			}
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if string(g) != string(w) {
				t.Errorf("%s pk %d: %s, want %s (list order %v)", qs, pk, g, w, order)
			}
		}
	}
}
