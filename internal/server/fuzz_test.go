package server

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// The fuzz targets drive the whole HTTP handler (routing, middleware, auth,
// query parsing, SQL, encoding) over a SQLite copy of the shared fixture.
// Invariants for every input: no 5xx (a panic is recovered as a 500), JSON
// bodies are valid JSON, and X-Content-Type-Options: nosniff is set.
//
// Run briefly with, e.g.:
//
//	go test -run='^$' -fuzz='^FuzzRequest$' -fuzztime=15s ./internal/server/
//	go test -run='^$' -fuzz='^FuzzModelQuery$' -fuzztime=15s ./internal/server/
//	go test -run='^$' -fuzz='^FuzzJSONBody$' -fuzztime=15s ./internal/server/
//
// A plain `go test` runs the seeds (f.Add and testdata/fuzz/<Target>/).

// fuzzHandler builds one handler per fuzzing process.
func fuzzHandler(f *testing.F) (http.Handler, *strings.Builder) {
	f.Helper()
	dbcfg := testdb.Config(f, config.EngineSQLite)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := db.Open(ctx, dbcfg)
	if err != nil {
		f.Fatal(err)
	}
	testdb.LoadTypes(f, d)
	d.Close()
	s := config.Defaults()
	s.Database = dbcfg
	s.BearerAuthKey = testKey
	s.SQLTimeout = 2 * time.Second
	logs := &strings.Builder{}
	srv, err := New(Options{Settings: s, Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		f.Fatal(err)
	}
	if err := srv.Connect(ctx); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(srv.Close)
	return srv.Handler(), logs
}

// checkAnswer applies the invariants to one answer.
func checkAnswer(t *testing.T, req *http.Request, rec *httptest.ResponseRecorder, logs *strings.Builder) {
	t.Helper()
	what := req.Method + " " + clip(req.URL.String())
	if rec.Code >= 500 {
		t.Fatalf("%s: status %d\n%s\nlog:\n%s", what, rec.Code, clip(rec.Body.String()), clip(logs.String()))
	}
	if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("%s: no X-Content-Type-Options: nosniff (status %d)", what, rec.Code)
	}
	if ct, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type")); ct == "application/json" && req.Method != http.MethodHead {
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s: status %d with a body that is not JSON: %s", what, rec.Code, clip(rec.Body.String()))
		}
	}
	if strings.Contains(logs.String(), "panic") {
		t.Fatalf("%s: a handler panicked:\n%s", what, clip(logs.String()))
	}
}

// injections are the SQL-injection classics the seeds put everywhere.
var injections = []string{
	`' OR '1'='1`,
	`' OR 1=1 --`,
	`1; DROP TABLE items; --`,
	`1' UNION SELECT sqlite_version(), 2, 3 --`,
	`" OR ""="`,
	`') OR ('a'='a`,
	`1) OR (1=1`,
	"`; DELETE FROM items; --",
	`admin'--`,
	`1 AND (SELECT COUNT(*) FROM sqlite_master) > 0`,
	`'; SELECT pg_sleep(10); --`,
	`1 OR SLEEP(5)#`,
	`%' AND '%'='`,
	`items"; DROP TABLE "items`,
	`\'; --`,
	"x\x00y",
	`title" = '' OR 1=1 --`,
	`-id, (SELECT 1)`,
	`__jet__token`,
	`../../etc/passwd`,
}

// FuzzRequest: arbitrary request lines, one arbitrary header and a body,
// parsed by net/http's own request parser as a real server would.
func FuzzRequest(f *testing.F) {
	h, logs := fuzzHandler(f)
	f.Add("GET", "/api/models/items/?title=x", "Accept", "application/json", []byte(nil))
	f.Add("POST", "/api/models/items/", "Content-Type", "application/json", []byte(`{"title":"t","quantity":1}`))
	f.Add("PATCH", "/api/models/items/1/", "X-HTTP-Method-Override", "DELETE", []byte(`{"quantity":2}`))
	f.Add("DELETE", "/api/models/OrderItems/1/", "Authorization", "Token abc", []byte(nil))
	f.Add("OPTIONS", "/api/models/items/", "Origin", "https://app.jetadmin.io", []byte(nil))
	f.Add("GET", "/api/models/items/1/get_siblings/?_order_by=-price", "Accept-Encoding", "gzip", []byte(nil))
	f.Add("GET", "/api/models/items/aggregate/?_y_func=sum&_y_column=price", "X-Bridge-Settings", "{}", []byte(nil))
	f.Add("GET", "/api/models/items/group/?_x_column=active&_y_func=count", "Range", "bytes=0-1", []byte(nil))
	f.Add("POST", "/api/models/items/bulk_create/", "Content-Type", "application/json", []byte(`[{"title":"a"},{"title":"b"}]`))
	f.Add("POST", "/api/models/items/reorder/", "Content-Type", "application/json", []byte(`{"ordering_field":"order","forward":true,"segment_from":1,"segment_to":3,"item":2}`))
	f.Add("POST", "/api/sql/", "Content-Type", "application/json", []byte(`{"query":"SELECT id FROM items WHERE title = {{t}}","params":{"t":"x"}}`))
	f.Add("GET", "/api/models/%22items%22/", "Cookie", "a=b", []byte(nil))
	f.Add("HEAD", "/api/model_descriptions/", "Connection", "close", []byte(nil))
	f.Add("PUT", "/api/models/items/1/?title=1", "Content-Type", "text/plain", []byte("\xff\xfe"))
	for _, inj := range injections {
		q := url.QueryEscape(inj)
		f.Add("GET", "/api/models/items/?title="+q+"&_search="+q+"&_order_by="+q, "X-Forwarded-For", inj, []byte(nil))
		f.Add("GET", "/api/models/"+url.PathEscape(inj)+"/"+url.PathEscape(inj)+"/", "Authorization", "Bearer "+inj, []byte(nil))
		f.Add("POST", "/api/models/items/", "Content-Type", "application/json", []byte(`{"title":`+strconv.Quote(inj)+`,`+strconv.Quote(inj)+`:1}`))
	}
	f.Fuzz(func(t *testing.T, method, target, hname, hvalue string, body []byte) {
		var sb strings.Builder
		sb.WriteString(method + " " + target + " HTTP/1.1\r\nHost: bridge.test\r\n")
		if !strings.EqualFold(hname, "Authorization") {
			sb.WriteString("Authorization: Bearer " + testKey + "\r\n")
		}
		if !strings.EqualFold(hname, "Content-Length") && !strings.EqualFold(hname, "Transfer-Encoding") {
			sb.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n")
		}
		sb.WriteString(hname + ": " + hvalue + "\r\n\r\n")
		sb.Write(body)
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(sb.String())))
		if err != nil {
			return // net/http would answer 400 itself: not the handler's input
		}
		req.RemoteAddr = "127.0.0.1:1234"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		checkAnswer(t, req, rec, logs)
	})
}

// modelRoutes are the read routes FuzzModelQuery picks from.
var modelRoutes = []string{"", "aggregate/", "group/", "{pk}/", "{pk}/get_siblings/"}

// FuzzModelQuery: model names, pk values and query strings of the read
// routes (list, aggregate, group, retrieve, siblings).
func FuzzModelQuery(f *testing.F) {
	h, logs := fuzzHandler(f)
	f.Add(uint8(0), "items", "1", "title__icontains=lamp&_order_by=-price,title&page=2&_per_page=3")
	f.Add(uint8(0), "items", "", "id__in=1,2,3&exclude__active=true&price__gte=1.5&released_on__lte=2024-02-01")
	f.Add(uint8(0), "items", "", "created_at__gte=2024-01-01T00:00:00Z&tz=Europe/Paris&_search=Zo")
	f.Add(uint8(0), "items", "", "meta__json_icontains=x&title__isnull=true&order__exact=3")
	f.Add(uint8(0), "OrderItems", "", "_relation=order_id.id&select=x")
	f.Add(uint8(0), "orders", "", "Order Date__gt=2020-01-01&customer_id=1")
	f.Add(uint8(0), "items", "", "_no_pagination=1&_per_page=100000")
	f.Add(uint8(1), "items", "", "_y_func=sum&_y_column=price&active=true")
	f.Add(uint8(2), "items", "", "_x_column=released_on&_x_lookup=date_trunc_month&_y_func=count")
	f.Add(uint8(3), "items", "1", "")
	f.Add(uint8(3), "OrderItems", "1", "")
	f.Add(uint8(4), "items", "5", "_order_by=title")
	f.Add(uint8(0), "event_log", "", "code__isnull=1")
	f.Add(uint8(0), "active_items", "", "_order_by=-id")
	for i, inj := range injections {
		q := url.QueryEscape(inj)
		route := uint8(i % len(modelRoutes))
		f.Add(route, "items", inj, "title="+q)
		f.Add(route, "items", "1", "_order_by="+q)
		f.Add(route, "items", "1", "_search="+q)
		f.Add(route, "items", "1", q+"=1&"+q+"__in=1,2&exclude__"+q+"=x")
		f.Add(route, inj, inj, "id__in="+q+","+q)
		f.Add(route, "items", "1", "_y_func="+q+"&_y_column="+q+"&_x_column="+q+"&_x_lookup="+q)
		f.Add(route, "items", "1", "_relation="+q+"&_m2m="+q)
	}
	f.Fuzz(func(t *testing.T, route uint8, model, pk, rawQuery string) {
		p := "/api/models/" + url.PathEscape(model) + "/" +
			strings.ReplaceAll(modelRoutes[int(route)%len(modelRoutes)], "{pk}", url.PathEscape(pk))
		u := &url.URL{Path: p, RawQuery: rawQuery}
		req, err := http.NewRequest(http.MethodGet, "http://bridge.test"+u.EscapedPath()+"?"+rawQuery, nil)
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer "+testKey)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		checkAnswer(t, req, rec, logs)
	})
}

// FuzzJSONBody: arbitrary bodies for create, PUT, PATCH and bulk_create.
func FuzzJSONBody(f *testing.F) {
	h, logs := fuzzHandler(f)
	f.Add(uint8(0), "items", "", []byte(`{"title":"Nouveau 東京","quantity":3,"price":"2.50","active":true,"released_on":"2024-06-01"}`))
	f.Add(uint8(0), "items", "", []byte(`{"title":"t","meta":{"a":[1,{"b":null}]},"payload":"00ff","created_at":"2024-01-01T10:00:00+02:00"}`))
	f.Add(uint8(1), "items", "1", []byte(`{"title":"x","quantity":1e400}`))
	f.Add(uint8(2), "items", "2", []byte(`{"quantity":-9223372036854775809}`))
	f.Add(uint8(2), "items", "2", []byte(`{"price":"NaN","ratio":"Infinity","active":"maybe"}`))
	f.Add(uint8(2), "items", "3", []byte(`{"id":4}`))
	f.Add(uint8(0), "OrderItems", "", []byte(`{"order_id":1,"item_id":1,"select":"x"}`))
	f.Add(uint8(0), "orders", "", []byte(`{"customer_id":999,"Order Date":"2024-13-45"}`))
	f.Add(uint8(3), "items", "", []byte(`[{"title":"a"},{"title":null},{"quantity":"x"}]`))
	f.Add(uint8(0), "items", "", []byte(`[`))
	f.Add(uint8(0), "items", "", []byte(`{"title":"a"} trailing`))
	f.Add(uint8(0), "items", "", []byte("{\"title\":\"\xff\"}"))
	f.Add(uint8(0), "items", "", []byte(nested(300)))
	f.Add(uint8(0), "active_items", "", []byte(`{"title":"view"}`))
	f.Add(uint8(2), "event_log", "x", []byte(`{"level":1}`))
	for _, inj := range injections {
		v := strconv.Quote(inj)
		f.Add(uint8(0), "items", "", []byte(`{"title":`+v+`,"description":`+v+`}`))
		f.Add(uint8(2), "items", inj, []byte(`{`+v+`:`+v+`}`))
		f.Add(uint8(1), inj, "1", []byte(`{"title":`+v+`,"quantity":`+v+`,"released_on":`+v+`}`))
	}
	methods := []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodPost}
	f.Fuzz(func(t *testing.T, op uint8, model, pk string, body []byte) {
		i := int(op) % len(methods)
		p := "/api/models/" + url.PathEscape(model) + "/"
		switch i {
		case 1, 2:
			p += url.PathEscape(pk) + "/"
		case 3:
			p += "bulk_create/"
		}
		req := httptest.NewRequest(methods[i], "http://bridge.test"+p, strings.NewReader(string(body)))
		req.Header.Set("Authorization", "Bearer "+testKey)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		checkAnswer(t, req, rec, logs)
	})
}
