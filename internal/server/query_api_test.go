package server

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

// ids returns the sorted ids of a list answer.
func ids(t *testing.T, body string) []int {
	t.Helper()
	var page struct {
		Results []struct {
			ID int `json:"id"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		t.Fatalf("%v\n%s", err, clip(body))
	}
	out := make([]int, len(page.Results))
	for i, r := range page.Results {
		out[i] = r.ID
	}
	sort.Ints(out)
	return out
}

// The query language through HTTP: the rows a filter selects, on every engine.
func TestQueryThroughHTTP(t *testing.T) {
	engines(t, func(t *testing.T, engine config.Engine) {
		e := newEnv(t, engine, nil)
		for _, tc := range []struct {
			query string
			want  []int
		}{
			{"quantity__gte=28", []int{28, 29, 30}},
			{"quantity__gte=28&exclude__id=29", []int{28, 30}},
			{"id__in=1,3,5", []int{1, 3, 5}},
			{"id__in=1&id__in=2", []int{1, 2}},
			{"title__icontains=ŁÓDŹ", []int{2}},
			{"title__istartswith=item%202", []int{20, 21, 22, 23, 24, 25, 26, 27, 28, 29}},
			{"code__isnull=true&id__lte=6", []int{6}},
			{"_search=Zoë", []int{1}},
			{"_search=100%25", nil}, // a literal %, no row has it
			{"released_on__lt=2024-01-10&released_on__gte=2024-01-08", []int{7, 8}},
			{"unknown_param=1&id=4", []int{4}},
		} {
			status, _, body := e.do("GET", "/api/models/items/?_per_page=100&"+tc.query, "")
			if status != 200 {
				t.Errorf("%s: %d %s", tc.query, status, clip(body))
				continue
			}
			if got := ids(t, body); !equalInts(got, tc.want) {
				t.Errorf("%s: ids %v, want %v", tc.query, got, tc.want)
			}
		}
		for _, bad := range []string{"quantity=abc", "released_on=yesterday", "_order_by=nope", "_segment=x"} {
			if status, _, body := e.do("GET", "/api/models/items/?"+bad, ""); status != 400 {
				t.Errorf("%s: %d, want 400 %s", bad, status, clip(body))
			}
		}
		status, _, body := e.do("GET", "/api/models/items/aggregate/?_y_func=sum&_y_column=quantity&id__lte=3", "")
		if status != 200 || !strings.Contains(body, `"y_func":`) {
			t.Fatalf("aggregate: %d %s", status, body)
		}
		if status, _, body = e.do("GET", "/api/models/items/aggregate/?_y_func=count", ""); status != 200 || body != `{"y_func":30}` {
			t.Fatalf("count: %d %s", status, body)
		}
		if status, _, body = e.do("GET", "/api/models/items/aggregate/", ""); status != 400 || !strings.Contains(body, "Missing argument _y_func") {
			t.Fatalf("aggregate without _y_func: %d %s", status, body)
		}
		status, _, body = e.do("GET", "/api/models/items/group/?_x_column=active&_y_func=count", "")
		if status != 200 || !strings.Contains(body, `"group":false`) || !strings.Contains(body, `"y_func":`) {
			t.Fatalf("group: %d %s", status, body)
		}
		status, _, body = e.do("GET", "/api/models/items/group/?_x_column=released_on&_x_lookup=date_month&_y_func=count&id__gte=7", "")
		// as upstream: a date bucket is a date on MySQL and SQLite, an aware
		// UTC midnight for a PostgreSQL DATE column
		if status != 200 || !(strings.Contains(body, `{"group":"2024-01-01","y_func":24}`) || (engine == config.EnginePostgres && strings.Contains(body, `{"group":"2024-01-01T00:00:00Z","y_func":24}`))) {
			t.Fatalf("group by month: %d %s", status, body)
		}
		status, _, body = e.do("GET", "/api/models/items/5/get_siblings/", "")
		if status != 200 || !strings.Contains(body, `"prev":{"id":6}`) || !strings.Contains(body, `"next":{"id":4}`) {
			t.Fatalf("siblings: %d %s", status, body)
		}
		status, _, body = e.do("POST", "/api/models/items/reset_order/?id__gte=7", `{"ordering_field": "order", "ordering": "-quantity"}`)
		if status != 200 || !strings.Contains(body, `"ordering_field":"order"`) {
			t.Fatalf("reset_order: %d %s", status, body)
		}
		if status, _, body = e.do("GET", "/api/models/items/30/", ""); !strings.Contains(body, `"order":1`) {
			t.Fatalf("after reset_order item 30 should be first: %d %s", status, body)
		}
		status, _, body = e.do("POST", "/api/models/items/bulk_create/", `[{"title": "bulk one"}, {"quantity": 1}]`)
		if status != 200 || !strings.HasPrefix(body, `[{"success":true},{"success":false,"errors":{"non_field_errors":["title: this field is required"],"title":["this field is required"]}}]`) {
			t.Fatalf("bulk_create: %d %s", status, body)
		}
		if status, _, body = e.do("POST", "/api/models/items/bulk_create/", `{"title": "x"}`); status != 400 || !strings.Contains(body, "Request body should be an array") {
			t.Fatalf("bulk_create object: %d %s", status, body)
		}
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
