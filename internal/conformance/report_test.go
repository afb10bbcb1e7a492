package conformance

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

// report counts matches per set, engine and category.
type report struct {
	mu     sync.Mutex
	counts map[string]map[string]*tally // "set/engine" -> category -> tally
}

type tally struct{ ok, all int }

func newReport() *report { return &report{counts: map[string]map[string]*tally{}} }

func (r *report) add(set string, e config.Engine, category string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := set + "/" + string(e)
	if r.counts[key] == nil {
		r.counts[key] = map[string]*tally{}
	}
	c := r.counts[key][category]
	if c == nil {
		c = &tally{}
		r.counts[key][category] = c
	}
	c.all++
	if ok {
		c.ok++
	}
}

// String renders one line per set and engine: the total, then each category.
func (r *report) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	runs := make([]string, 0, len(r.counts))
	for k := range r.counts {
		runs = append(runs, k)
	}
	sort.Strings(runs)
	for _, run := range runs {
		cats := r.counts[run]
		names := make([]string, 0, len(cats))
		var total tally
		for c, t := range cats {
			names = append(names, c)
			total.ok += t.ok
			total.all += t.all
		}
		sort.Strings(names)
		fmt.Fprintf(&b, "conformance %-22s %4d/%-4d %5.1f%%  ", run, total.ok, total.all, 100*float64(total.ok)/float64(max(total.all, 1)))
		for _, c := range names {
			fmt.Fprintf(&b, " %s %d/%d", c, cats[c].ok, cats[c].all)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// write logs the summary and, when JETBRIDGE_CONFORMANCE_REPORT names a
// file, writes it there (CI prints it).
func (r *report) write(t *testing.T) {
	s := r.String()
	t.Logf("\n%s", s)
	if path := os.Getenv("JETBRIDGE_CONFORMANCE_REPORT"); path != "" {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Errorf("write conformance report: %v", err)
		}
	}
}
