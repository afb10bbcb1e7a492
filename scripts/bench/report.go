package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"
)

// Targets of issue 8.
const (
	targetReadRatio   = 0.8
	targetP99Ratio    = 1.5
	upstreamRPS       = 250
	targetUpstreamX   = 10
	targetRSS         = 40 << 20
	targetReflect     = time.Second
	targetStartup     = 300 * time.Millisecond
	targetList1MP50   = 5 * time.Millisecond
	list1MScenario    = "list-1m"
	rssConnsCondition = 32
)

// side aggregates one target's runs of one row.
type side struct {
	RPS      []float64
	Hist     *histogram
	Requests int64
	Errors   int64
	FirstErr string
	CPU      time.Duration
}

func (s *side) add(r loadResult) {
	if s.Hist == nil {
		s.Hist = newHistogram()
	}
	s.RPS = append(s.RPS, r.RPS())
	s.Hist.merge(r.Hist)
	s.Requests += r.Requests
	s.Errors += r.Errors
	s.CPU += r.CPU
	if s.FirstErr == "" {
		s.FirstErr = r.FirstErr
	}
}

// rps is the mean over the runs.
func (s *side) rps() float64 {
	if len(s.RPS) == 0 {
		return 0
	}
	var t float64
	for _, v := range s.RPS {
		t += v
	}
	return t / float64(len(s.RPS))
}

// cpuPerReq is the server's CPU time per answered request.
func (s *side) cpuPerReq() time.Duration {
	if s.Requests == 0 {
		return 0
	}
	return s.CPU / time.Duration(s.Requests)
}

func fmtCPU(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0fus", float64(d)/float64(time.Microsecond))
}

func (s *side) q(p float64) time.Duration {
	if s.Hist == nil {
		return 0
	}
	return s.Hist.quantile(p)
}

type row struct {
	Engine   string
	Scenario scenario
	Conns    int
	Bridge   side
	Base     side
	RSS      int64 // bridge VmRSS after its runs of this row
}

func (r *row) hasBase() bool { return len(r.Base.RPS) > 0 }

type sqlOf struct {
	Scenario string
	SQL      []string
}

type timing struct {
	Engine string
	What   string
	Median time.Duration
	Max    time.Duration
	N      int
}

type report struct {
	// LoadStart and LoadEnd are /proc/loadavg's 1-minute load at the start
	// and the end: other work on the machine skews the numbers.
	LoadStart, LoadEnd string
	Started            time.Time
	Total              time.Duration
	Opts               *options
	Pool               int
	Rows               []*row
	SQL                []sqlOf
	PeakRSS            int64
	Reflect            []timing
	Startup            []timing
	GraphQL            graphqlResult
	Failed             string
}

func (r *report) row(engine string, s scenario, conns int) *row {
	x := &row{Engine: engine, Scenario: s, Conns: conns}
	r.Rows = append(r.Rows, x)
	return x
}

func (r *report) fail(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	logf("FAIL %s", msg)
	if r.Failed == "" {
		r.Failed = msg
	} else {
		r.Failed += "; " + msg
	}
}

// loadAvg returns the 1-minute load average ("?" when unknown).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
}

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}

// table renders the results; md selects Markdown.
func (r *report) table(md bool) string {
	head := []string{"scenario", "conns", "bridge req/s", "p50", "p99", "CPU/req", "baseline req/s", "p50", "p99", "CPU/req", "req/s ratio", "p99 ratio", "bridge RSS"}
	var rows [][]string
	for _, x := range r.Rows {
		b, s := &x.Bridge, &x.Base
		cells := []string{x.Scenario.Title, fmt.Sprint(x.Conns), fmt.Sprintf("%.0f", b.rps()), fmtDur(b.q(0.5)), fmtDur(b.q(0.99)), fmtCPU(b.cpuPerReq())}
		if x.hasBase() {
			cells = append(cells, fmt.Sprintf("%.0f", s.rps()), fmtDur(s.q(0.5)), fmtDur(s.q(0.99)), fmtCPU(s.cpuPerReq()),
				ratio(b.rps(), s.rps()), ratio(float64(b.q(0.99)), float64(s.q(0.99))))
		} else {
			cells = append(cells, "-", "-", "-", "-", "-", "-")
		}
		cells = append(cells, mb(x.RSS))
		if x.Engine != "postgresql" {
			cells[0] = x.Engine + ": " + cells[0]
		}
		if b.Errors+s.Errors > 0 {
			cells[0] += fmt.Sprintf(" (%d errors)", b.Errors+s.Errors)
		}
		rows = append(rows, cells)
	}
	return renderTable(head, rows, md)
}

// renderTable lays out a table: plain text with aligned columns (the first
// left-aligned), or Markdown.
func renderTable(head []string, rows [][]string, md bool) string {
	var sb strings.Builder
	if md {
		sb.WriteString("| " + strings.Join(head, " | ") + " |\n|")
		for i := range head {
			if i < 2 {
				sb.WriteString("---|")
			} else {
				sb.WriteString("--:|")
			}
		}
		sb.WriteString("\n")
		for _, c := range rows {
			sb.WriteString("| " + strings.Join(c, " | ") + " |\n")
		}
		return sb.String()
	}
	w := make([]int, len(head))
	for i, h := range head {
		w[i] = len(h)
	}
	for _, c := range rows {
		for i, v := range c {
			w[i] = max(w[i], len(v))
		}
	}
	line := func(c []string) {
		for i, v := range c {
			if i < 1 {
				fmt.Fprintf(&sb, "%-*s  ", w[i], v)
			} else {
				fmt.Fprintf(&sb, "%*s  ", w[i], v)
			}
		}
		sb.WriteString("\n")
	}
	line(head)
	for _, c := range rows {
		line(c)
	}
	return sb.String()
}

// Targets of issue 13 (the dialect and query-core foundation), at
// rssConnsCondition connections.
const (
	targetListRatio     = 1.0
	targetRetrieveRatio = 0.85
)

// foundationChecks evaluates issue 13's throughput targets: every list
// scenario >= 1.0x and retrieve >= 0.85x the baseline at 32 connections.
func (r *report) foundationChecks() []string {
	var out []string
	mark := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	check := func(what string, target float64, match func(name string) bool) {
		var worst *row
		for _, x := range r.Rows {
			if x.Conns != rssConnsCondition || !x.hasBase() || !match(x.Scenario.Name) {
				continue
			}
			if worst == nil || x.Bridge.rps()/x.Base.rps() < worst.Bridge.rps()/worst.Base.rps() {
				worst = x
			}
		}
		if worst == nil {
			return
		}
		t := worst.Bridge.rps() / worst.Base.rps()
		out = append(out, fmt.Sprintf("%s throughput >= %.2fx baseline: %s (lowest %.3fx: %s %s)",
			what, target, mark(t >= target), t, worst.Engine, worst.Scenario.Title))
	}
	check("list", targetListRatio, func(n string) bool { return strings.HasPrefix(n, "list-") })
	check("retrieve", targetRetrieveRatio, func(n string) bool { return n == "retrieve" })
	return out
}

// checks evaluates the targets of issue 8.
func (r *report) checks() []string {
	var out []string
	mark := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	// 1. list and retrieve against the baseline
	var worstT, worstP *row
	for _, x := range r.Rows {
		if !x.Scenario.Read || !x.hasBase() {
			continue
		}
		t := x.Bridge.rps() / x.Base.rps()
		p := float64(x.Bridge.q(0.99)) / float64(x.Base.q(0.99))
		if worstT == nil || t < worstT.Bridge.rps()/worstT.Base.rps() {
			worstT = x
		}
		if worstP == nil || p > float64(worstP.Bridge.q(0.99))/float64(worstP.Base.q(0.99)) {
			worstP = x
		}
	}
	if worstT != nil {
		t := worstT.Bridge.rps() / worstT.Base.rps()
		out = append(out, fmt.Sprintf("list/retrieve throughput >= %.1fx baseline: %s (lowest %.3fx: %s, %d conns)",
			targetReadRatio, mark(t >= targetReadRatio), t, worstT.Scenario.Title, worstT.Conns))
		p := float64(worstP.Bridge.q(0.99)) / float64(worstP.Base.q(0.99))
		out = append(out, fmt.Sprintf("list/retrieve p99 <= %.1fx baseline: %s (highest %.3fx: %s, %d conns)",
			targetP99Ratio, mark(p <= targetP99Ratio), p, worstP.Scenario.Title, worstP.Conns))
	}
	// 2. every scenario >= 10x upstream's 250 req/s, at its best connection count
	best := map[string]*row{}
	var names []string
	for _, x := range r.Rows {
		k := x.Engine + "/" + x.Scenario.Name
		if b, ok := best[k]; !ok || x.Bridge.rps() > b.Bridge.rps() {
			if !ok {
				names = append(names, k)
			}
			best[k] = x
		}
	}
	var low []string
	for _, k := range names {
		if x := best[k]; x.Bridge.rps() < upstreamRPS*targetUpstreamX {
			low = append(low, fmt.Sprintf("%s %.0f req/s", k, x.Bridge.rps()))
		}
	}
	if len(names) > 0 {
		s := fmt.Sprintf("every scenario >= %d req/s (10x upstream's %d): %s", upstreamRPS*targetUpstreamX, upstreamRPS, mark(len(low) == 0))
		if len(low) > 0 {
			s += " (below: " + strings.Join(low, ", ") + ")"
		}
		out = append(out, s)
	}
	// 3. RSS under 32 connections
	var rss int64
	for _, x := range r.Rows {
		if x.Conns == rssConnsCondition && x.Engine == "postgresql" {
			rss = max(rss, x.RSS)
		}
	}
	if rss > 0 {
		out = append(out, fmt.Sprintf("bridge RSS <= 40 MB under %d connections: %s (max VmRSS %s; peak VmHWM over the whole run %s)",
			rssConnsCondition, mark(rss <= targetRSS), mb(rss), mb(r.PeakRSS)))
	}
	for _, t := range r.Reflect {
		if t.What == "reflect" {
			out = append(out, fmt.Sprintf("reflection of %d tables <= 1 s on %s: %s (median %s, max %s of %d)",
				reflectTables, t.Engine, mark(t.Median <= targetReflect), fmtDur(t.Median), fmtDur(t.Max), t.N))
		}
	}
	for _, t := range r.Startup {
		if t.What == "warm" {
			out = append(out, fmt.Sprintf("serve --demo answers <= 300 ms after start: %s (median %s, max %s of %d)",
				mark(t.Median <= targetStartup), fmtDur(t.Median), fmtDur(t.Max), t.N))
		}
	}
	for _, x := range r.Rows {
		if x.Scenario.Name == list1MScenario && x.Conns == 1 {
			out = append(out, fmt.Sprintf("%s list on the 1M-row table, no filter, p50 <= 5 ms (1 connection): %s (p50 %s)",
				x.Engine, mark(x.Bridge.q(0.5) <= targetList1MP50), fmtDur(x.Bridge.q(0.5))))
		}
	}
	return out
}

func (r *report) conditions() string {
	o := r.Opts
	return fmt.Sprintf("%s, %d CPUs, %s; runs of %s, %d alternating round(s), warm-up %s; pool %d connections for both servers; load average %s at the start, %s at the end; total %s",
		runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU(), runtime.Version(), o.duration, o.rounds, o.warmup, r.Pool, r.LoadStart, r.LoadEnd, r.Total.Round(time.Second))
}

func (r *report) extras() []string {
	var out []string
	sort.SliceStable(r.Reflect, func(i, j int) bool { return r.Reflect[i].Engine < r.Reflect[j].Engine })
	for _, t := range r.Reflect {
		what := "schema.Reflect (catalog queries)"
		if t.What == "reload" {
			what = "POST /api/reload/ (reflect + render model descriptions)"
		}
		out = append(out, fmt.Sprintf("reflection, %d tables x %d columns, %s, %s: median %s, max %s (%d runs)",
			reflectTables, reflectColumns, t.Engine, what, fmtDur(t.Median), fmtDur(t.Max), t.N))
	}
	for _, t := range r.Startup {
		what := "existing demo database"
		if t.What == "cold" {
			what = "first start, creates the demo database"
		}
		out = append(out, fmt.Sprintf("serve --demo, process start to first 200 of a list (%s): median %s, max %s (%d runs)",
			what, fmtDur(t.Median), fmtDur(t.Max), t.N))
	}
	return out
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "\njetbridge benchmark - %s\n\n", r.conditions())
	fmt.Fprint(w, r.table(false))
	fmt.Fprintln(w)
	for _, s := range r.extras() {
		fmt.Fprintln(w, s)
	}
	fmt.Fprintln(w, "\nTargets (issue 8):")
	for _, s := range r.checks() {
		fmt.Fprintln(w, "  "+s)
	}
	if c := r.foundationChecks(); len(c) > 0 {
		fmt.Fprintln(w, "\nTargets (issue 13, at 32 connections, same run):")
		for _, s := range c {
			fmt.Fprintln(w, "  "+s)
		}
	}
	if t := r.graphqlTable(false); t != "" {
		fmt.Fprintln(w, "\nGraphQL track page vs REST list of the same page, same bridge, alternating (issue 14):")
		fmt.Fprint(w, t)
	}
	if c := r.graphqlChecks(); len(c) > 0 {
		fmt.Fprintln(w, "\nTargets (issue 14, GraphQL):")
		for _, s := range c {
			fmt.Fprintln(w, "  "+s)
		}
	}
	if r.Failed != "" {
		fmt.Fprintln(w, "\nFAILED: "+r.Failed)
	}
}

func (r *report) markdown() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "Measured %s (%s).\n\n", r.Started.UTC().Format("2006-01-02"), r.conditions())
	sb.WriteString(r.table(true))
	sb.WriteString("\n")
	for _, s := range r.extras() {
		sb.WriteString("- " + s + "\n")
	}
	sb.WriteString("\nTargets:\n\n")
	for _, s := range r.checks() {
		sb.WriteString("- " + s + "\n")
	}
	if c := r.foundationChecks(); len(c) > 0 {
		sb.WriteString("\nTargets of issue 13 (at 32 connections, same run):\n\n")
		for _, s := range c {
			sb.WriteString("- " + s + "\n")
		}
	}
	if t := r.graphqlTable(true); t != "" {
		sb.WriteString("\nGraphQL track page vs REST list of the same page (issue 14):\n\n" + t)
	}
	if c := r.graphqlChecks(); len(c) > 0 {
		sb.WriteString("\nGraphQL targets:\n\n")
		for _, s := range c {
			sb.WriteString("- " + s + "\n")
		}
	}
	return sb.String()
}
