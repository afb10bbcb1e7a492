package graphql

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jetbridge/jetbridge/internal/db"
)

// Request is the body of POST /api/graphql/.
type Request struct {
	Query         string
	Variables     map[string]any
	OperationName string
	Validate      bool
}

// Env is what execution needs from the server.
type Env struct {
	DB *db.DB
	// Loc is the connection's zone: filter values with an offset are
	// converted to it (PostgreSQL).
	Loc *time.Location
	// Out is the zone rows are written in (record.NaiveZone on SQLite);
	// nil: Loc.
	Out *time.Location
	// Timeout bounds every statement (the SQL timeout).
	Timeout time.Duration
	// Allow reports whether the caller may read the model (its raw name).
	Allow func(ctx context.Context, model string) bool
}

// Result is the answer: Body is the JSON to send with status 200 unless
// Forbidden names a model the caller may not read (403).
type Result struct {
	Body      []byte
	Forbidden string
	// Queries is how many statements ran.
	Queries int
}

type forbidden struct{ model string }

func (f *forbidden) Error() string { return "permission denied for model " + f.model }

// execError is an error the client sees as one string of "errors".
type execError struct{ msg string }

func (e *execError) Error() string { return e.msg }

func errorsBody(msgs ...string) []byte {
	b, _ := json.Marshal(map[string][]string{"errors": msgs})
	return b
}

// Execute runs one GraphQL request.
func (s *Schema) Execute(ctx context.Context, env Env, req Request) Result {
	if len(s.src.Models) == 0 {
		return Result{Body: errorsBody("Failed to get table schema: No tables found")}
	}
	key := memoKey{query: req.Query, op: req.OperationName}
	memo, known := s.memo.get(key)
	doc := memo.doc
	if !known {
		var err error
		if doc, err = Parse(req.Query); err != nil {
			return Result{Body: errorsBody(err.Error())}
		}
	}
	// operationName picks among several operations; with one it is not
	// checked (upstream ignores it altogether)
	var op *Operation
	switch {
	case len(doc.Ops) == 1:
		op = doc.Ops[0]
	case len(doc.Ops) == 0:
		return Result{Body: errorsBody("Must provide an operation.")}
	case req.OperationName == "":
		return Result{Body: errorsBody("Must provide operation name if query contains multiple operations.")}
	default:
		for _, o := range doc.Ops {
			if o.Name == req.OperationName {
				op = o
			}
		}
		if op == nil {
			return Result{Body: errorsBody(`Unknown operation named "` + req.OperationName + `".`)}
		}
	}
	if op.Kind != "query" {
		return Result{Body: errorsBody("Schema is not configured for " + op.Kind + "s")}
	}
	vars := map[string]*Value{}
	for _, vd := range op.Vars {
		if x, ok := req.Variables[vd.Name]; ok {
			vars[vd.Name] = jsonToValue(x)
		} else if vd.Default != nil {
			vars[vd.Name] = vd.Default
		}
	}
	x := &exec{s: s, env: env, doc: doc, vars: vars, validate: req.Validate}
	fields := x.collect(op.Sel, "Query")
	roots := 0
	for _, f := range fields {
		if f.Name != "__typename" && f.Name != "__type" && f.Name != "__schema" {
			roots++
		}
	}
	if roots > MaxRootFields {
		return Result{Body: errorsBody(fmt.Sprintf("The query reads %d tables; at most %d root fields are allowed in one request", roots, MaxRootFields))}
	}
	noVars := len(req.Variables) == 0
	if req.Validate && !(noVars && memo.valid) {
		var errs []string
		x.validateQuery(fields, &errs)
		if len(errs) > 0 {
			return Result{Body: errorsBody(errs...)}
		}
		s.memo.put(key, doc, noVars)
	} else if !known {
		s.memo.put(key, doc, false)
	}
	body, err := x.run(ctx, fields)
	if err != nil {
		var fb *forbidden
		if errors.As(err, &fb) {
			return Result{Forbidden: fb.model, Queries: x.queries}
		}
		return Result{Body: errorsBody(clientMessage(err)), Queries: x.queries}
	}
	return Result{Body: body, Queries: x.queries}
}

// exec is the state of one request.
type exec struct {
	s         *Schema
	env       Env
	doc       *Document
	vars      map[string]*Value
	validate  bool
	queries   int
	dataTime  time.Duration
	countTime time.Duration
	// collected memoises collect (a selection is read several times)
	collected map[collectKey][]*Field
}

type collectKey struct {
	first *Selection
	n     int
	typ   string
}

// collect flattens fragments and merges fields of the same response key.
// The result is shared: callers do not modify it.
func (x *exec) collect(sel []*Selection, typeName string) []*Field {
	if len(sel) == 0 {
		return nil
	}
	key := collectKey{sel[0], len(sel), typeName}
	if out, ok := x.collected[key]; ok {
		return out
	}
	out := x.collectFields(sel, typeName)
	if x.collected == nil {
		x.collected = map[collectKey][]*Field{}
	}
	x.collected[key] = out
	return out
}

func (x *exec) collectFields(sel []*Selection, typeName string) []*Field {
	var out []*Field
	var byKey map[string]*Field // once out is long; before, a scan of out
	find := func(key string) *Field {
		if byKey != nil {
			return byKey[key]
		}
		for _, o := range out {
			if o.Key() == key {
				return o
			}
		}
		return nil
	}
	var walk func(sel []*Selection, depth int)
	walk = func(sel []*Selection, depth int) {
		if depth > MaxDepth {
			return
		}
		for _, s := range sel {
			switch {
			case s.Field != nil:
				f := s.Field
				if prev := find(f.Key()); prev != nil && prev != f {
					merged := *prev
					merged.Sel = append(append([]*Selection(nil), prev.Sel...), f.Sel...)
					merged.HasSel = prev.HasSel || f.HasSel
					*prev = merged
					continue
				}
				cp := *f
				out = append(out, &cp)
				switch {
				case byKey != nil:
					byKey[f.Key()] = &cp
				case len(out) > 8:
					byKey = make(map[string]*Field, 2*len(out))
					for _, o := range out {
						byKey[o.Key()] = o
					}
				}
			case s.Spread != "":
				if fr := x.doc.Frags[s.Spread]; fr != nil && (fr.On == typeName || typeName == "") {
					walk(fr.Sel, depth+1)
				}
			default:
				if s.On == "" || s.On == typeName || typeName == "" {
					walk(s.Inline, depth+1)
				}
			}
		}
	}
	walk(sel, 0)
	return out
}

func (x *exec) argValue(f *Field, name string) *Value {
	for _, a := range f.Args {
		if a.Name == name {
			return substitute(a.Value, x.vars)
		}
	}
	return nil
}

// clientMessage is the text an execution error shows: never SQL.
func clientMessage(err error) string {
	var ee *execError
	if errors.As(err, &ee) {
		return ee.msg
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "The query took too long (statement timeout)"
	}
	if errors.Is(err, context.Canceled) {
		return "The request was cancelled"
	}
	if errors.Is(err, sql.ErrConnDone) {
		return "The database connection was lost"
	}
	return dbMessage(err)
}
