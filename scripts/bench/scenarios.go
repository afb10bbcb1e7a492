package main

import (
	"fmt"
	"net/http"
	"strconv"
)

// scenario is one kind of request, sent identically to the bridge and the
// baseline. The request of worker w's i-th iteration is deterministic, so
// both targets see the same sequence.
type scenario struct {
	Name   string // short id (-scenarios filters on it)
	Title  string // report label
	Method string
	Status int  // expected status
	Read   bool // a list/retrieve scenario: the 0.8x throughput / 1.5x p99 target applies
	Write  bool // changes rows: compared with ids masked
	Path   func(w, i int) string
	Body   func(w, i int) []byte
	// Engines lists where the scenario runs ("" = everywhere).
	PostgresOnly bool
}

// itemPK spreads the workers' keys over the 1M-row table.
func itemPK(w, i int) int { return 1 + (i*7919+w*104729)%itemRows }

func fixed(p string) func(w, i int) string { return func(int, int) string { return p } }

// scenarios returns the scenarios of issue 8 for a database whose Chinook
// track table is named track (PostgreSQL) or Track (MariaDB).
func scenarios(track, genreID string) []scenario {
	base := "/api/models/"
	return []scenario{
		{Name: "list-track", Title: "list 25 rows, Chinook " + track, Method: "GET", Status: 200, Read: true,
			Path: fixed(base + track + "/")},
		{Name: "list-1m", Title: "list 25 rows, 1M-row table", Method: "GET", Status: 200, Read: true,
			Path: fixed(base + "bench_items/")},
		{Name: "list-filter", Title: "list, filter FK + order by indexed col", Method: "GET", Status: 200, Read: true,
			Path: func(w, i int) string {
				return fmt.Sprintf("%sbench_items/?category_id=%d&_order_by=-created_at", base, 1+(i*31+w*977)%categoryRows)
			}},
		{Name: "list-search", Title: "list with _search, Chinook " + track, Method: "GET", Status: 200, Read: true,
			Path: fixed(base + track + "/?_search=love")},
		{Name: "retrieve", Title: "retrieve by pk, 1M-row table", Method: "GET", Status: 200, Read: true,
			Path: func(w, i int) string { return base + "bench_items/" + strconv.Itoa(itemPK(w, i)) + "/" }},
		{Name: "descriptions", Title: "model_descriptions", Method: "GET", Status: 200,
			Path: fixed("/api/model_descriptions/")},
		{Name: "group", Title: "group by FK with count (" + track + "." + genreID + ")", Method: "GET", Status: 200,
			Path: fixed(base + track + "/group/?_x_column=" + genreID + "&_y_func=count")},
		{Name: "create", Title: "POST create (bench_items)", Method: "POST", Status: http.StatusCreated, Write: true,
			Path: fixed(base + "bench_items/"),
			Body: func(w, i int) []byte {
				return []byte(fmt.Sprintf(`{"category_id":%d,"name":"New item %d-%d","description":"created by the benchmark","price":"19.99","quantity":%d,"created_at":"2024-05-06T07:08:09.123000+00:00","active":true,"attrs":{"color":"red","n":%d}}`,
					1+(i+w)%categoryRows, w, i, i%1000, i))
			}},
		{Name: "update", Title: "PATCH update (bench_items)", Method: "PATCH", Status: 200, Write: true,
			Path: func(w, i int) string { return base + "bench_items/" + strconv.Itoa(1+(w*100003+i*7)%itemRows) + "/" },
			Body: func(w, i int) []byte {
				return []byte(fmt.Sprintf(`{"quantity":%d,"active":%t}`, i%1000, i%2 == 0))
			}},
	}
}

// rawRequest renders the scenario's request as HTTP/1.1 bytes.
func (s scenario) rawRequest(host, key string) request {
	return func(w, i int) []byte {
		var body []byte
		if s.Body != nil {
			body = s.Body(w, i)
		}
		b := make([]byte, 0, 256+len(body))
		b = append(b, s.Method...)
		b = append(b, ' ')
		b = append(b, s.Path(w, i)...)
		b = append(b, " HTTP/1.1\r\nHost: "...)
		b = append(b, host...)
		b = append(b, "\r\nAuthorization: Bearer "...)
		b = append(b, key...)
		b = append(b, "\r\nUser-Agent: jetbridge-bench\r\n"...)
		if body != nil {
			b = append(b, "Content-Type: application/json\r\nContent-Length: "...)
			b = strconv.AppendInt(b, int64(len(body)), 10)
			b = append(b, "\r\n"...)
		}
		b = append(b, "\r\n"...)
		return append(b, body...)
	}
}
