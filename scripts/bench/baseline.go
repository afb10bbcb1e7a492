package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

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
	if s, err := need("create", 2, "insert", "select"); err != nil {
		return nil, err
	} else if s != nil {
		ins, sel := s[0], newStmt(s[1])
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
