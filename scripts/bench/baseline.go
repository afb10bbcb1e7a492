package main

import (
	"context"
	"crypto/subtle"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/jetbridge/jetbridge/internal/jsonw"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The baseline: the smallest reasonable Go server that answers the
// scenarios' requests - net/http, a pgx pool of the bridge's size, a bearer
// key check, the SQL the bridge itself sent (captured by the harness) and
// the same JSON, encoded straight from the wire values. It is the practical
// ceiling a bridge can approach on this machine.

// baselineConfig is what the harness hands the baseline process.
type baselineConfig struct {
	DSN          string
	Pool         int
	Key          string
	Descriptions []byte
	SQL          map[string][]string // scenario name -> statements, in order
}

type baseline struct {
	pool *pgxpool.Pool
	cfg  baselineConfig
	bufs sync.Pool
}

func baselineMain(args []string) error {
	fs := flag.NewFlagSet("baseline", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "configuration written by the harness")
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	raw, err := os.ReadFile(*cfgPath)
	if err != nil {
		return err
	}
	var cfg baselineConfig
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	pc, err := pgxpool.ParseConfig(cfg.DSN)
	if err != nil {
		return err
	}
	pc.MaxConns = int32(max(cfg.Pool, 1))
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return err
	}
	defer pool.Close()
	b := &baseline{pool: pool, cfg: cfg, bufs: sync.Pool{New: func() any { s := make([]byte, 0, 16<<10); return &s }}}
	mux, err := b.routes()
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// handler is one scenario's endpoint.
type handler func(w http.ResponseWriter, r *http.Request) error

func (b *baseline) routes() (http.Handler, error) {
	q := b.cfg.SQL
	need := func(name string, n int, shape ...string) ([]string, error) {
		s, ok := q[name]
		if !ok {
			return nil, nil
		}
		if n > 0 && len(s) != n {
			return nil, fmt.Errorf("%s: the bridge ran %d statements, the baseline expects %d: %q", name, len(s), n, s)
		}
		for i, prefix := range shape {
			if prefix != "" && !strings.HasPrefix(strings.ToLower(s[i]), prefix) {
				return nil, fmt.Errorf("%s: statement %d is %q, the baseline expects %q...", name, i+1, s[i], prefix)
			}
		}
		return s, nil
	}
	mux := http.NewServeMux()
	add := func(pattern string, h handler) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if !b.authorized(r) {
				http.Error(w, `{"detail":"forbidden"}`, http.StatusForbidden)
				return
			}
			if err := h(w, r); err != nil {
				writeBody(w, http.StatusInternalServerError, []byte(`{"detail":`+strconv.Quote(err.Error())+`}`))
			}
		})
	}
	mux.HandleFunc("GET /ready", func(w http.ResponseWriter, r *http.Request) {
		if err := b.pool.Ping(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	add("GET /api/model_descriptions/", func(w http.ResponseWriter, r *http.Request) error {
		writeBody(w, http.StatusOK, b.cfg.Descriptions)
		return nil
	})

	// lists: "track" with or without _search, "bench_items" with or without a filter
	listTrack, err := need("list-track", 0, "select")
	if err != nil {
		return nil, err
	}
	search, err := need("list-search", 0, "select")
	if err != nil {
		return nil, err
	}
	list1M, err := need("list-1m", 0, "select")
	if err != nil {
		return nil, err
	}
	filter, err := need("list-filter", 0, "select")
	if err != nil {
		return nil, err
	}
	lTrack := b.list(listTrack, "track", func(*http.Request, int) []any { return nil })
	lSearch := b.list(search, "track", func(r *http.Request, n int) []any {
		p := "%" + escapeLike(r.URL.Query().Get("_search")) + "%"
		args := make([]any, n)
		for i := range args {
			args[i] = p
		}
		return args
	})
	add("GET /api/models/track/{$}", func(w http.ResponseWriter, r *http.Request) error {
		if r.URL.Query().Has("_search") {
			return lSearch(w, r)
		}
		return lTrack(w, r)
	})
	l1M := b.list(list1M, "bench_items", func(*http.Request, int) []any { return nil })
	lFilter := b.list(filter, "bench_items", func(r *http.Request, n int) []any {
		c, _ := strconv.ParseInt(r.URL.Query().Get("category_id"), 10, 64)
		return []any{c}[:n]
	})
	add("GET /api/models/bench_items/{$}", func(w http.ResponseWriter, r *http.Request) error {
		if r.URL.Query().Has("category_id") {
			return lFilter(w, r)
		}
		return l1M(w, r)
	})

	if s, err := need("retrieve", 1, "select"); err != nil {
		return nil, err
	} else if s != nil {
		one := newStmt(s[0])
		add("GET /api/models/bench_items/{pk}/", func(w http.ResponseWriter, r *http.Request) error {
			pk, err := strconv.ParseInt(r.PathValue("pk"), 10, 64)
			if err != nil {
				writeBody(w, http.StatusNotFound, []byte(`{"detail":"Not found"}`))
				return nil
			}
			return b.one(w, r, one, http.StatusOK, pk)
		})
	}
	if s, err := need("group", 0, "select"); err != nil {
		return nil, err
	} else if s != nil {
		g := newStmt(s[0])
		add("GET /api/models/track/group/", func(w http.ResponseWriter, r *http.Request) error { return b.group(w, r, g) })
	}
	if s, err := need("create", 4, "begin", "insert", "commit", "select"); err != nil {
		return nil, err
	} else if s != nil {
		ins, sel := s[1], newStmt(s[3])
		add("POST /api/models/bench_items/{$}", func(w http.ResponseWriter, r *http.Request) error { return b.create(w, r, ins, sel) })
	}
	if s, err := need("update", 5, "begin", "select", "update", "commit", "select"); err != nil {
		return nil, err
	} else if s != nil {
		check, upd, sel := s[1], s[2], newStmt(s[4])
		add("PATCH /api/models/bench_items/{pk}/", func(w http.ResponseWriter, r *http.Request) error {
			return b.update(w, r, check, upd, sel)
		})
	}
	return mux, nil
}

func (b *baseline) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	const p = "Bearer "
	return len(h) > len(p) && strings.EqualFold(h[:len(p)], p) && subtle.ConstantTimeCompare([]byte(h[len(p):]), []byte(b.cfg.Key)) == 1
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (b *baseline) buf() *[]byte { return b.bufs.Get().(*[]byte) }
func (b *baseline) put(p *[]byte) {
	if cap(*p) <= 1<<20 {
		*p = (*p)[:0]
		b.bufs.Put(p)
	}
}

// stmt is one statement with its row encoder, built from the first result.
type stmt struct {
	sql string
	n   int // placeholders
	enc atomic.Pointer[rowEncoder]
}

var rePlaceholder = regexp.MustCompile(`\$([0-9]+)`)

func newStmt(sql string) *stmt {
	n := 0
	for _, m := range rePlaceholder.FindAllStringSubmatch(sql, -1) {
		if v, _ := strconv.Atoi(m[1]); v > n {
			n = v
		}
	}
	return &stmt{sql: sql, n: n}
}

// formats asks PostgreSQL for text values except timestamptz (binary, so
// the zone handling matches pgx's time.Time in the bridge).
var formats = pgx.QueryResultFormatsByOID{pgtype.TimestamptzOID: pgx.BinaryFormatCode}

func (s *stmt) encoder(fds []pgconn.FieldDescription) *rowEncoder {
	if e := s.enc.Load(); e != nil {
		return e
	}
	e := newRowEncoder(fds)
	s.enc.Store(e)
	return e
}

// list answers a paginated list (page 1, 25 rows) the way the bridge does:
// the data statement, then - when the page is full - the count statements
// the bridge ran (a catalog estimate, an exact COUNT(*) or both); the last
// one's value is the count.
func (b *baseline) list(stmts []string, table string, filter func(r *http.Request, n int) []any) handler {
	if len(stmts) == 0 {
		return func(w http.ResponseWriter, r *http.Request) error { return errors.New("scenario not captured") }
	}
	data := newStmt(stmts[0])
	var counts []*stmt
	for _, s := range stmts[1:] {
		counts = append(counts, newStmt(s))
	}
	const perPage = 25
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		bp := b.buf()
		defer b.put(bp)
		args := append(filter(r, data.n-1), perPage)
		t0 := time.Now()
		rows, err := b.pool.Query(ctx, data.sql, append([]any{formats}, args...)...)
		if err != nil {
			return err
		}
		out := append((*bp)[:0], `{"count":`...)
		mark := len(out)
		out = append(out, '[')
		enc := data.encoder(rows.FieldDescriptions())
		n := 0
		for rows.Next() {
			if n > 0 {
				out = append(out, ',')
			}
			out = enc.appendRow(out, rows.RawValues())
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		out = append(out, ']')
		dataTime := time.Since(t0)
		t1 := time.Now()
		count := int64(n)
		if n == perPage {
			for _, c := range counts {
				var cargs []any
				if strings.Contains(c.sql, "pg_class") {
					cargs = []any{"public", table}[2-c.n:]
				} else {
					cargs = filter(r, c.n)
				}
				if err := b.pool.QueryRow(ctx, c.sql, cargs...).Scan(&count); err != nil {
					return fmt.Errorf("count: %w", err)
				}
			}
		}
		countTime := time.Since(t1)
		numPages := (count + perPage - 1) / perPage
		hasMore := 1 < numPages || n == perPage
		// the rows were written after the "count" key; move them behind the header
		results := append([]byte(nil), out[mark:]...)
		out = strconv.AppendInt(out[:mark], count, 10)
		out = append(out, `,"next":`...)
		if hasMore {
			out = appendJSONString(out, nextURL(r, 2))
		} else {
			out = append(out, "null"...)
		}
		out = append(out, `,"previous":null,"results":`...)
		out = append(out, results...)
		out = append(out, `,"num_pages":`...)
		out = strconv.AppendInt(out, numPages, 10)
		out = append(out, `,"per_page":25,"has_more":`...)
		out = strconv.AppendBool(out, hasMore)
		out = append(out, `,"data_query_time":`...)
		out = strconv.AppendFloat(out, math.Round(dataTime.Seconds()*1000)/1000, 'f', -1, 64)
		out = append(out, `,"count_query_time":`...)
		out = strconv.AppendFloat(out, math.Round(countTime.Seconds()*1000)/1000, 'f', -1, 64)
		out = append(out, '}')
		*bp = out
		writeBody(w, http.StatusOK, out)
		return nil
	}
}

// nextURL is the request's URL with page set, parameters sorted by name.
func nextURL(r *http.Request, page int) string {
	q := r.URL.Query()
	q.Set("page", strconv.Itoa(page))
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var sb strings.Builder
	sb.WriteString("http://" + r.Host + r.URL.Path)
	sep := byte('?')
	for _, k := range keys {
		for _, v := range q[k] {
			sb.WriteByte(sep)
			sep = '&'
			sb.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
		}
	}
	return sb.String()
}

func escapeLike(s string) string {
	r := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")
	return r.Replace(s)
}

// one answers a single row (404 when there is none).
func (b *baseline) one(w http.ResponseWriter, r *http.Request, s *stmt, status int, args ...any) error {
	bp := b.buf()
	defer b.put(bp)
	rows, err := b.pool.Query(r.Context(), s.sql, append([]any{formats}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		writeBody(w, http.StatusNotFound, []byte(`{"detail":"Not found"}`))
		return nil
	}
	out := s.encoder(rows.FieldDescriptions()).appendRow((*bp)[:0], rows.RawValues())
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	*bp = out
	writeBody(w, status, out)
	return nil
}

// group answers [{"group": label, "y_func": value}, ...].
func (b *baseline) group(w http.ResponseWriter, r *http.Request, s *stmt) error {
	bp := b.buf()
	defer b.put(bp)
	args := []any{formats}
	if s.n > 0 {
		args = append(args, 10000) // the bridge's default group row limit
	}
	rows, err := b.pool.Query(r.Context(), s.sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	fds := rows.FieldDescriptions()
	if len(fds) != 2 {
		return fmt.Errorf("group: %d columns, want 2", len(fds))
	}
	out := append((*bp)[:0], '[')
	n := 0
	for rows.Next() {
		v := rows.RawValues()
		if n > 0 {
			out = append(out, ',')
		}
		out = append(out, `{"group":`...)
		out = appendValue(out, kindOf(fds[0].DataTypeOID), v[0])
		out = append(out, `,"y_func":`...)
		out = appendValue(out, kindOf(fds[1].DataTypeOID), v[1])
		out = append(out, '}')
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	out = append(out, ']')
	*bp = out
	writeBody(w, http.StatusOK, out)
	return nil
}

type itemIn struct {
	CategoryID  int64           `json:"category_id"`
	Name        string          `json:"name"`
	Description *string         `json:"description"`
	Price       string          `json:"price"`
	Quantity    int64           `json:"quantity"`
	CreatedAt   time.Time       `json:"created_at"`
	Active      bool            `json:"active"`
	Attrs       json.RawMessage `json:"attrs"`
}

// create inserts a bench_items row in a transaction and answers it.
func (b *baseline) create(w http.ResponseWriter, r *http.Request, ins string, sel *stmt) error {
	var in itemIn
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeBody(w, http.StatusBadRequest, []byte(`{"non_field_errors":["Incorrect JSON body"]}`))
		return nil
	}
	ctx := r.Context()
	tx, err := b.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	var id int64
	if err := tx.QueryRow(ctx, ins, in.CategoryID, in.Name, in.Description, in.Price, in.Quantity, in.CreatedAt, in.Active, string(in.Attrs)).Scan(&id); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	return b.one(w, r, sel, http.StatusCreated, id)
}

// update changes quantity and active of one bench_items row.
func (b *baseline) update(w http.ResponseWriter, r *http.Request, check, upd string, sel *stmt) error {
	pk, err := strconv.ParseInt(r.PathValue("pk"), 10, 64)
	if err != nil {
		writeBody(w, http.StatusNotFound, []byte(`{"detail":"Not found"}`))
		return nil
	}
	var in struct {
		Quantity int64 `json:"quantity"`
		Active   bool  `json:"active"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeBody(w, http.StatusBadRequest, []byte(`{"non_field_errors":["Incorrect JSON body"]}`))
		return nil
	}
	ctx := r.Context()
	tx, err := b.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	rows, err := tx.Query(ctx, check, pk)
	if err != nil {
		return err
	}
	n := 0
	for rows.Next() {
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if n != 1 {
		writeBody(w, http.StatusNotFound, []byte(`{"detail":"Not found"}`))
		return nil
	}
	if _, err := tx.Exec(ctx, upd, in.Quantity, in.Active, pk); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	return b.one(w, r, sel, http.StatusOK, pk)
}

// Row encoding from PostgreSQL's wire values.

type valueKind uint8

const (
	kindText valueKind = iota
	kindNumber
	kindQuoted // numeric, date: the text, as a JSON string
	kindBool
	kindJSON
	kindTimestamptz
)

func kindOf(oid uint32) valueKind {
	switch oid {
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID, pgtype.OIDOID:
		return kindNumber
	case pgtype.NumericOID, pgtype.DateOID:
		return kindQuoted
	case pgtype.BoolOID:
		return kindBool
	case pgtype.JSONOID, pgtype.JSONBOID:
		return kindJSON
	case pgtype.TimestamptzOID:
		return kindTimestamptz
	}
	return kindText
}

type rowEncoder struct {
	keys  [][]byte
	kinds []valueKind
}

func newRowEncoder(fds []pgconn.FieldDescription) *rowEncoder {
	e := &rowEncoder{keys: make([][]byte, len(fds)), kinds: make([]valueKind, len(fds))}
	for i, fd := range fds {
		k := []byte{','}
		if i == 0 {
			k[0] = '{'
		}
		k = appendJSONString(k, fd.Name)
		e.keys[i] = append(k, ':')
		e.kinds[i] = kindOf(fd.DataTypeOID)
	}
	return e
}

func (e *rowEncoder) appendRow(b []byte, vals [][]byte) []byte {
	for i, v := range vals {
		b = append(b, e.keys[i]...)
		b = appendValue(b, e.kinds[i], v)
	}
	return append(b, '}')
}

// pgEpochMicros is 2000-01-01 in Unix microseconds.
const pgEpochMicros = 946684800 * 1_000_000

func appendValue(b []byte, k valueKind, v []byte) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	switch k {
	case kindNumber:
		return append(b, v...)
	case kindQuoted:
		b = append(b, '"')
		b = append(b, v...)
		return append(b, '"')
	case kindBool:
		if len(v) > 0 && v[0] == 't' {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case kindJSON:
		return append(b, strings.TrimSpace(string(v))...)
	case kindTimestamptz:
		if len(v) != 8 {
			return append(b, "null"...)
		}
		t := time.UnixMicro(int64(binary.BigEndian.Uint64(v)) + pgEpochMicros)
		b = append(b, '"')
		if t.Nanosecond() != 0 {
			b = t.AppendFormat(b, "2006-01-02T15:04:05.000000-07:00")
		} else {
			b = t.AppendFormat(b, "2006-01-02T15:04:05-07:00")
		}
		return append(b, '"')
	}
	return appendJSONString(b, string(v))
}

// appendJSONString writes s as a JSON string. The baseline shares the
// bridge's string writer so that the two are compared on the same JSON.
func appendJSONString(b []byte, s string) []byte { return jsonw.AppendString(b, s) }
