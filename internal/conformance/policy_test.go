package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/jetbridge/jetbridge/internal/config"
)

// deviation is an answer the recording's policy accepts in place of
// upstream's for one request: a deliberate improvement, with its reason.
type deviation struct {
	reason string
	status int // our status; 0 accepts any 4xx with a JSON body
	// check, when set, must find our JSON body right (it shows the change
	// upstream failed to make); it returns the differences.
	check func(e config.Engine, r request, body any) []string
	// body, when set, decides instead of status and check: our answer
	// against upstream's (see policy_graphql_test.go).
	body func(want golden, got answer) bool
}

// acceptsAnswer is accepts, or body when the deviation has one.
func (d deviation) acceptsAnswer(e config.Engine, r request, want golden, got answer) bool {
	if d.body != nil {
		return d.body(want, got)
	}
	return d.accepts(e, r, got)
}

func (d deviation) accepts(e config.Engine, r request, got answer) bool {
	ok := got.status == d.status
	if d.status == 0 {
		ok = got.status >= 400 && got.status < 500 && isJSON(got.header)
	}
	if !ok || d.check == nil {
		return ok
	}
	var body any
	if len(bytes.TrimSpace(got.body)) > 0 {
		v, err := decodeJSON(got.body)
		if err != nil {
			return false
		}
		body = v
	}
	return len(d.check(e, r, body)) == 0
}

// acceptedDeviation is a deviation for some engines (none listed: all).
type acceptedDeviation struct {
	engines []config.Engine
	deviation
}

// accepted lists, per set, the requests whose upstream answer the policy
// lets us improve on; engines empty means every engine.
var acceptedDeviations = map[string]map[string]acceptedDeviation{
	"main":      {},
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
