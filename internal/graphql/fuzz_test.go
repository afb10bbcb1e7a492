package graphql

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/schema"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// FuzzGraphQLExecute: any document against Chinook on SQLite answers JSON with
// "data" or "errors", never a panic.
func FuzzGraphQLExecute(f *testing.F) {
	for _, s := range []string{
		`{ Track(pagination: {limit: 2, page: 1}, sort: [{Name: {descending: true}}]) { data { allAttrs } pagination { count hasMore } } }`,
		`{ Artist(filters: [{Album__ArtistId__to__ArtistId: {relation: [{Title: {containsI: "a"}}]}}, {_not_: [{ArtistId: {in: [1, "2"]}}]}]) { data { attrs { Name } } } }`,
		`{ Artist(lookups: [{Album__ArtistId__to__ArtistId: {aggregate: {func: Sum, attr: "AlbumId"}, relation: {Track__AlbumId__to__AlbumId: {aggregate: {func: Avg, attr: "Milliseconds"}}}}}]) { data { lookups } } }`,
		`{ Track(lookups: [{AlbumId: {return: true, returnList: true, relation: {ArtistId: {relation: {Name: {return: true}}}}}}], search: {query: "love"}) { data { lookups } } }`,
		`{ Invoice(filters: [{InvoiceDate: {gte: "2021-01-01", lt: "2021-02-01T00:00:00+02:00"}, Total: {gt: 1.5}}]) { pagination { count } } }`,
		`{ __type(name: "ModelTrackFiltersType") { inputFields { name type { name kind ofType { name } } } } }`,
	} {
		f.Add(s)
	}
	d := testdb.New(f, config.EngineSQLite)
	testdb.LoadChinook(f, d)
	src, err := schema.Reflect(context.Background(), d, schema.Options{})
	if err != nil {
		f.Fatal(err)
	}
	s := NewSchema(src, d.Dialect, false, nil)
	env := Env{DB: d, Timeout: 2 * time.Second}
	f.Fuzz(func(t *testing.T, q string) {
		res := s.Execute(context.Background(), env, Request{Query: q, Validate: len(q)%2 == 0})
		var out map[string]json.RawMessage
		if err := json.Unmarshal(res.Body, &out); err != nil {
			t.Fatalf("%q: not JSON: %s", q, res.Body)
		}
		if out["data"] == nil && out["errors"] == nil {
			t.Fatalf("%q: %s", q, res.Body)
		}
	})
}
