package query

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/record"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// testReadPage: counts and statements of ReadPage on big (10,001 rows,
// analysed). PostgreSQL sends the count's statement with the page when it
// is known beforehand; the others run one statement after the other.
func testReadPage(t *testing.T, f *fixture, big *schema.Model) {
	ctx := context.Background()
	pipelines := f.d.Dialect.Has(feature.PgxFastPath)
	estimates := f.d.Dialect.Has(feature.RowEstimates)
	for _, tc := range []struct {
		name          string
		filter        url.Values
		page, perPage int
		noCount       bool
		rows          int
		count         int64 // 0: the estimate, checked for its range
		statements    int   // where the reader pipelines
		sequential    int   // elsewhere (0: not checked, it depends on the estimate)
	}{
		{"unfiltered: the estimate", nil, 1, 25, false, 25, 0, 2, 0},
		{"unfiltered, a later page", nil, 3, 25, false, 25, 0, 2, 0},
		{"filtered first page, full", url.Values{"id__lte": {"30"}}, 1, 25, false, 25, 30, 2, 2},
		{"filtered first page, short", url.Values{"id__lte": {"10"}}, 1, 25, false, 10, 10, 1, 1},
		{"filtered later page", url.Values{"id__lte": {"30"}}, 2, 25, false, 5, 30, 2, 2},
		{"filtered, past the end", url.Values{"id__lte": {"30"}}, 9, 25, false, 0, 30, 2, 2},
		{"no count", nil, 1, 25, true, 25, 0, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Parse(big, f.d.Dialect, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			stmt, args := q.SelectSQL(tc.perPage, (tc.page-1)*tc.perPage)
			var got PageRows
			err = record.Read(ctx, f.d, func(r record.Reader) error {
				var err error
				got, err = ReadPage(ctx, r, record.NewEncoder(big.Columns, time.UTC), nil, PageRead{
					Stmt: stmt, Args: args, Count: q, Estimate: q, NoCount: tc.noCount,
					Short: func(n int) bool { return tc.page == 1 && n < tc.perPage },
				})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if got.N != tc.rows {
				t.Errorf("%d rows, want %d", got.N, tc.rows)
			}
			switch {
			case tc.noCount:
				if got.Count != 0 {
					t.Errorf("count %d without counting", got.Count)
				}
			case tc.count != 0:
				if got.Count != tc.count {
					t.Errorf("count %d, want %d", got.Count, tc.count)
				}
			case estimates:
				if got.Count < 5000 || got.Count > 20000 {
					t.Errorf("estimate %d, want about 10001", got.Count)
				}
			default:
				if got.Count != 10001 {
					t.Errorf("count %d, want 10001", got.Count)
				}
			}
			want := tc.sequential
			if pipelines {
				want = tc.statements
			}
			if want != 0 && got.Statements != want {
				t.Errorf("%d statements, want %d", got.Statements, want)
			}
		})
	}
}
