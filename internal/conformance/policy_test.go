package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/config"
)

// deviation is an answer the recording's policy accepts in place of
// upstream's for one request: a deliberate improvement, with its reason.
//
// Without status and patch it accepts any 4xx with a JSON body. With status,
// our status must be that one, and every path of has must hold its value in
// our body (compared under the normal rules). With patch (same status as
// upstream), upstream's body with those paths set to the values given is what
// our body must match in full: the reads that follow an accepted write.
// check, when set, must also find our JSON body right (it shows the change
// upstream failed to make); it returns the differences.
type deviation struct {
	reason string
	status int            // our status; 0: any 4xx with a JSON body (or upstream's, with patch)
	has    map[string]any // JSON paths ("$.a[0].b") that our body must hold, with these values
	patch  map[string]any // JSON paths of upstream's body replaced (a nil value removes a key)
	check  func(e config.Engine, r request, body any) []string
	// body, when set, decides alone: our answer against upstream's (see
	// policy_graphql_test.go).
	body func(j judge, want golden, got answer) bool
}

func (d deviation) accepts(j judge, want golden, got answer) bool {
	if d.body != nil {
		return d.body(j, want, got)
	}
	if d.patch != nil {
		if got.status != want.Status {
			return false
		}
		w, err := decodeJSON(want.Body)
		if err != nil {
			return false
		}
		for path, v := range d.patch {
			if w, err = setPath(w, path, jsonValue(v)); err != nil {
				return false
			}
		}
		b, err := json.Marshal(w)
		if err != nil {
			return false
		}
		want.Body = b
		return len(j.compare(want, got)) == 0
	}
	ok := got.status == d.status
	if d.status == 0 {
		ok = got.status >= 400 && got.status < 500 && isJSON(got.header)
	}
	if !ok || (len(d.has) == 0 && d.check == nil) {
		return ok
	}
	var g any
	if len(bytes.TrimSpace(got.body)) > 0 {
		v, err := decodeJSON(got.body)
		if err != nil {
			return false
		}
		g = v
	}
	for path, v := range d.has {
		gv, ok := getPath(g, path)
		if !ok || len(j.value(path, jsonValue(v), gv)) > 0 {
			return false
		}
	}
	return d.check == nil || len(d.check(j.engine, j.req, g)) == 0
}

// jsonValue turns a Go literal into what decodeJSON would give for it.
func jsonValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	out, err := decodeJSON(b)
	if err != nil {
		return v
	}
	return out
}

var pathStep = regexp.MustCompile(`^(?:\.([A-Za-z0-9_]+)|\[(\d+)\])`)

// steps splits "$.a[0].b" into "a", 0, "b".
func steps(path string) ([]any, error) {
	if !strings.HasPrefix(path, "$") {
		return nil, fmt.Errorf("path %q does not start with $", path)
	}
	var out []any
	for rest := path[1:]; rest != ""; {
		m := pathStep.FindStringSubmatch(rest)
		if m == nil {
			return nil, fmt.Errorf("bad path %q at %q", path, rest)
		}
		if m[1] != "" {
			out = append(out, m[1])
		} else {
			n, _ := strconv.Atoi(m[2])
			out = append(out, n)
		}
		rest = rest[len(m[0]):]
	}
	return out, nil
}

func getPath(v any, path string) (any, bool) {
	st, err := steps(path)
	if err != nil {
		return nil, false
	}
	for _, s := range st {
		switch k := s.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[k]; !ok {
				return nil, false
			}
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil, false
			}
			v = a[k]
		}
	}
	return v, true
}

// setPath sets (or, for a nil value in a map, removes) the value at path.
func setPath(root any, path string, val any) (any, error) {
	st, err := steps(path)
	if err != nil {
		return nil, err
	}
	if len(st) == 0 {
		return val, nil
	}
	parent, ok := getPath(root, "$"+render(st[:len(st)-1]))
	if !ok {
		return nil, fmt.Errorf("path %q not in the golden body", path)
	}
	switch k := st[len(st)-1].(type) {
	case string:
		m, ok := parent.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("path %q: not an object", path)
		}
		if val == nil {
			delete(m, k)
		} else {
			m[k] = val
		}
	case int:
		a, ok := parent.([]any)
		if !ok || k >= len(a) {
			return nil, fmt.Errorf("path %q: not an array item", path)
		}
		a[k] = val
	}
	return root, nil
}

func render(st []any) string {
	var b strings.Builder
	for _, s := range st {
		switch k := s.(type) {
		case string:
			b.WriteString("." + k)
		case int:
			fmt.Fprintf(&b, "[%d]", k)
		}
	}
	return b.String()
}

// acceptedDeviation is a deviation for some engines (none listed: all).
type acceptedDeviation struct {
	engines []config.Engine
	deviation
}

// accepted lists, per set, the requests whose upstream answer the policy
// lets us improve on; engines empty means every engine.
var acceptedDeviations = map[string]map[string]acceptedDeviation{
	"main":      mainDeviations,
	"ddl":       ddlDeviations(),
	"graphql":   graphqlDeviations,
	"relations": relationsDeviations,
}

func accepted(set string, e config.Engine, id string) (deviation, bool) {
	d, ok := acceptedDeviations[set][id]
	if !ok {
		return deviation{}, false
	}
	if len(d.engines) == 0 {
		return d.deviation, true
	}
	for _, x := range d.engines {
		if x == e {
			return d.deviation, true
		}
	}
	return deviation{}, false
}

// knownGaps reads testdata/<set>/known_gaps_<engine>.txt: requests that do
// not match upstream yet, one "id<TAB>reason" a line. A listed request that
// starts matching fails the test until its line is removed, so the lists only
// shrink; JETBRIDGE_CONFORMANCE_WRITE_GAPS=1 rewrites them from a run (review
// the diff: a new line is a regression to fix, not to list).
func knownGaps(st set, e config.Engine) (map[string]string, error) {
	out := map[string]string{}
	b, err := os.ReadFile(st.path("known_gaps", e, ".txt"))
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, "\t")
		out[strings.TrimSpace(id)] = strings.TrimSpace(reason)
	}
	return out, nil
}

// writeGaps rewrites the set's gap list for the engine from this run.
func writeGaps(st set, e config.Engine, gaps [][2]string) error {
	path := st.path("known_gaps", e, ".txt")
	if len(gaps) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	var b strings.Builder
	b.WriteString("# Requests that do not match upstream yet (id, tab, first difference). Only ever shrinks.\n")
	for _, g := range gaps {
		reason := strings.ReplaceAll(g[1], "\n", " ")
		if len(reason) > 200 {
			reason = reason[:200] + "..."
		}
		fmt.Fprintf(&b, "%s\t%s\n", g[0], reason)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
