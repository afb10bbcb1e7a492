// Package sqlapi is the engine behind POST /api/sql/ (spec §10): it
// validates raw SQL requests (single and batch), binds their parameters
// with the driver, wraps them for filters, ordering, paging, count,
// aggregate and group, runs them under a statement timeout that also
// cancels them in the database, keeps non-admin and read-only requests to a
// single read statement inside a read-only transaction, and encodes the
// results as the spec's JSON.
package sqlapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// Options configure a Runner.
type Options struct {
	// Timeout is SQL_TIMEOUT: the longest a statement may run (default 30s).
	Timeout time.Duration
	// ReadOnly is the READ_ONLY setting: every statement runs read-only.
	ReadOnly bool
	// DefaultTimezone is attached to naive datetimes read from the database
	// (§14.5): an IANA name or a UTC offset ("+03:00"). Empty leaves them
	// without an offset.
	DefaultTimezone string
	// MaxResponseBytes is SQL_MAX_RESPONSE_BYTES: the largest response (a
	// batch: all its results together); 0 means DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// MaxValueBytes is SQL_MAX_VALUE_BYTES: the largest value (on
	// PostgreSQL: row) read; 0 means DefaultMaxValueBytes.
	MaxValueBytes int64
}

// Caller is what the request's authentication says about the user.
type Caller struct {
	Admin    bool // the JWT admin claim: may send "admin": true
	ReadOnly bool // a read_only user: every statement runs read-only
}

// DefaultTimeout is SQL_TIMEOUT's default.
const DefaultTimeout = 30 * time.Second

// Runner runs SQL requests against one database. It is safe for concurrent use.
type Runner struct {
	d          *db.DB
	opt        Options
	timeout    time.Duration
	defaultLoc *time.Location
	mariadb    bool
	locs       sync.Map // zone name -> *time.Location (nil: unknown)
}

// New returns a Runner for d.
func New(d *db.DB, opt Options) *Runner {
	r := &Runner{d: d, opt: opt, timeout: opt.Timeout}
	if r.timeout <= 0 {
		r.timeout = DefaultTimeout
	}
	if r.opt.MaxResponseBytes <= 0 {
		r.opt.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if r.opt.MaxValueBytes <= 0 {
		r.opt.MaxValueBytes = DefaultMaxValueBytes
	}
	if z, ok := r.parseZone(opt.DefaultTimezone); ok {
		r.defaultLoc = z.loc
	}
	r.mariadb = d.Dialect.Has(feature.UserVariables) && strings.Contains(strings.ToLower(d.Version), "mariadb")
	return r
}

// Response is one query's result (§10.3), encoded once: the keys before
// the rows, the rows (in memory or spooled to a temporary file) and the
// keys after them. It marshals to its JSON bytes as they are; WriteTo
// writes it without holding it in memory; Close releases it.
type Response struct {
	head []byte
	data *sink
	tail []byte
}

// Run executes a request body: a single request object, or {"queries": [...]}.
// The result is a *Response, or for the batch form a []any of *Response and
// map[string]string{"error": msg} per item. Client errors are *apierr.Error
// (400 with the spec's bodies); when ctx ends (the client went away) the
// error wraps ctx.Err().
func (r *Runner) Run(ctx context.Context, body []byte, caller Caller) (any, error) {
	var top any
	if err := decodeJSON(body, &top); err != nil {
		return nil, apierr.NonField("JSON parse error - " + err.Error())
	}
	obj, ok := top.(map[string]any)
	if !ok {
		return nil, apierr.NonField("Invalid data. Expected a dictionary, but got " + jsonKind(top) + ".")
	}
	if raw, ok := obj["queries"]; ok {
		return r.runBatch(ctx, raw, caller)
	}
	req, errs := parseRequest(obj)
	if errs != nil {
		return nil, apierr.Fields(errs)
	}
	if err := r.authorize(req, caller); err != nil {
		return nil, err
	}
	resp, err := r.execute(ctx, req, caller, &sink{max: r.opt.MaxResponseBytes, spool: true})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func (r *Runner) runBatch(ctx context.Context, raw any, caller Caller) (any, error) {
	items, ok := raw.([]any)
	if !ok {
		return nil, apierr.Field("queries", "not a valid array")
	}
	// Validation errors in any item fail the whole request (§10.4), as
	// readable lines rather than upstream's Python reprs (Q20).
	var lines []string
	reqs := make([]*request, len(items))
	for i, it := range items {
		prefix := "queries[" + strconv.Itoa(i) + "]."
		obj, ok := it.(map[string]any)
		if !ok {
			lines = append(lines, "queries["+strconv.Itoa(i)+"]: not an object")
			continue
		}
		req, errs := parseRequest(obj)
		if errs != nil {
			lines = append(lines, errs.flatten(prefix)...)
			continue
		}
		if err := r.authorize(req, caller); err != nil {
			lines = append(lines, bodyLines(err.Body, prefix)...)
			continue
		}
		reqs[i] = req
	}
	if len(lines) > 0 {
		return nil, apierr.Fields(map[string][]string{"queries": lines})
	}
	out := make([]any, len(reqs))
	left := r.opt.MaxResponseBytes // for all the results together, in memory
	// the whole batch runs within SQL_TIMEOUT (issue 17 L7): the queries
	// still waiting when it is over answer a timeout error each
	bctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	for i, req := range reqs {
		var resp *Response
		err := bctx.Err()
		if err == nil {
			resp, err = r.execute(bctx, req, caller, &sink{max: max(left, 1)})
		}
		if resp != nil {
			left -= resp.Len()
		}
		if err != nil && ctx.Err() == nil && errors.Is(bctx.Err(), context.DeadlineExceeded) {
			err = apierr.NonField("canceling statement due to statement timeout (SQL_TIMEOUT " + r.timeout.String() + " for the whole batch)")
		}
		if err != nil {
			var ae *apierr.Error
			if !errors.As(err, &ae) {
				return nil, err // the client went away
			}
			out[i] = map[string]string{"error": strings.Join(bodyLines(ae.Body, ""), "\n")}
			continue
		}
		out[i] = resp
	}
	return out, nil
}

// readOnly reports whether a request runs read-only: READ_ONLY, a read-only
// user, or any request not in admin mode (Q7: a read-only transaction is the
// real guard, the statement check comes on top).
func (r *Runner) readOnly(req *request, caller Caller) bool {
	return r.opt.ReadOnly || caller.ReadOnly || !req.admin
}

// authorize applies the admin flag and the statement guard.
func (r *Runner) authorize(req *request, caller Caller) *apierr.Error {
	if req.admin && !caller.Admin {
		return apierr.Field("query", "admin access missing")
	}
	req.info = analyze(req.query, r.d.Dialect.Lexing())
	if r.readOnly(req, caller) && !req.info.readOnlyStatement() {
		return apierr.Field("query", req.info.forbiddenReason())
	}
	if msg := r.refusal(req); msg != "" {
		return apierr.Field("query", msg)
	}
	return nil
}

// execute binds, plans and runs one authorized request.
func (r *Runner) execute(ctx context.Context, req *request, caller Caller, data *sink) (*Response, error) {
	d := r.d.Dialect.Dialect
	values := req.paramsObj
	if req.v < 2 {
		values = make(map[string]any, len(req.params))
		for i, p := range req.params {
			values["param_"+strconv.Itoa(i)] = p
		}
	}
	textScalars := d.Has(feature.TypedParams)
	for k, v := range values {
		values[k] = bindValue(v, textScalars)
	}
	bound := bindParams(req.query, d, req.v < 2, values)
	if len(bound.missing) > 0 {
		return nil, missingParams(req, bound.missing)
	}
	var tz *zone
	if req.hasTZ {
		if z, ok := r.parseZone(req.timezone); ok {
			tz = &z // an unknown zone is ignored, as upstream does
		}
	}
	loc := r.defaultLoc
	if tz != nil {
		loc = tz.loc
	}
	if loc == nil {
		loc = time.UTC
	}
	p, err := r.buildPlan(req, bound, req.info, loc)
	if err != nil {
		return nil, err
	}
	ro := r.readOnly(req, caller)
	o := sessionOptions{readOnly: ro, commit: !ro, timeout: r.timeout, tz: tz,
		userVars: r.d.Dialect.Has(feature.UserVariables) && usesUserVars(req.query)}
	if req.hasSchema && r.d.Dialect.Has(feature.Schemas) {
		o.schema = req.schema
	}
	grace := 250 * time.Millisecond // the database's own timeout fires first, with its message
	if r.d.Dialect.Has(feature.DriverTimeout) {
		grace = 0
	}
	runCtx, cancel := context.WithTimeout(ctx, r.timeout+grace)
	defer cancel()
	var resp *Response
	err = r.withSession(runCtx, o, func(s *session) error {
		var err error
		resp, err = r.run(runCtx, s, p, data)
		return err
	})
	if err != nil {
		data.close()
		if le := limitError(err, r.opt.MaxValueBytes); le != nil {
			return nil, le
		}
		return nil, r.queryError(ctx, runCtx, err)
	}
	return resp, nil
}

func missingParams(req *request, names []string) *apierr.Error {
	if req.v < 2 {
		n := 0
		for _, name := range names {
			if strings.HasPrefix(name, "param_") {
				n++
			}
		}
		if n == len(names) {
			return apierr.NonField(fmt.Sprintf("the query has more %%s placeholders than params (%d given)", len(req.params)))
		}
	}
	return apierr.NonField("missing value for query parameter(s): " + strings.Join(names, ", "))
}

// queryError turns a failure into the spec's 400 {"non_field_errors": [<the
// database's message>]}, or passes on the end of the client's context.
func (r *Runner) queryError(parent, runCtx context.Context, err error) error {
	if parent.Err() != nil {
		return fmt.Errorf("sql request: %w", parent.Err())
	}
	if ce := (connError{}); errors.As(err, &ce) && runCtx.Err() == nil {
		return &apierr.Error{Status: http.StatusBadRequest,
			Body: map[string][]string{"non_field_errors": {"could not connect to the database"}}, Cause: err}
	}
	if errors.Is(runCtx.Err(), context.DeadlineExceeded) {
		return &apierr.Error{Status: http.StatusBadRequest, Body: map[string][]string{"non_field_errors": {
			"canceling statement due to statement timeout (SQL_TIMEOUT " + r.timeout.String() + ")"}}, Cause: err}
	}
	var ae *apierr.Error
	if errors.As(err, &ae) {
		return ae
	}
	return &apierr.Error{Status: http.StatusBadRequest,
		Body: map[string][]string{"non_field_errors": {dbMessage(err)}}, Cause: err}
}

// bodyLines renders an error body as text lines ("field: message").
func bodyLines(body any, prefix string) []string {
	switch b := body.(type) {
	case map[string][]string:
		return fieldErrors(b).flatten(prefix)
	case fieldErrors:
		return b.flatten(prefix)
	case map[string]string:
		var out []string
		for k, v := range b {
			out = append(out, prefix+k+": "+v)
		}
		return out
	}
	return []string{prefix + fmt.Sprint(body)}
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "list"
	case string:
		return "str"
	case nil:
		return "null"
	case bool:
		return "bool"
	}
	return "number"
}
