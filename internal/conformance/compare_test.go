package conformance

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif" // image facts of binary answers
	_ "image/jpeg"
	_ "image/png"
	"math/big"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
)

// answer is what our bridge said.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// judge compares one answer with the golden one under the recording's
// normalisations and policy; it returns the differences (none: a match).
type judge struct {
	engine   config.Engine
	category string
	req      request
}

func (j judge) compare(want golden, got answer) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }

	// Policy: upstream crashed (5xx); any 2xx, or a 4xx with a JSON body, is better.
	if want.Status >= 500 {
		switch {
		case got.status >= 200 && got.status < 300:
		case got.status >= 400 && got.status < 500 && isJSON(got.header):
		default:
			add("status %d (upstream crashed with %d: want a 2xx or a 4xx JSON error)", got.status, want.Status)
		}
		return diffs
	}
	if got.status != want.Status {
		add("status %d, want %d; body %s", got.status, want.Status, clip(got.body))
		return diffs
	}
	diffs = append(diffs, j.compareHeaders(want, got)...)

	// Policy: an HTML error page or a redirect: status (and Location) must
	// match; our JSON body is welcome.
	if want.BodyKind == "text" || (want.BodyKind == "empty" && want.Status >= 300 && want.Status < 400) {
		return diffs
	}
	switch want.BodyKind {
	case "empty":
		if len(bytes.TrimSpace(got.body)) != 0 {
			add("body %s, want none", clip(got.body))
		}
	case "binary":
		diffs = append(diffs, j.compareBinary(want.Body, got.body)...)
	case "json":
		wantV, err := decodeJSON(want.Body)
		if err != nil {
			add("golden body: %v", err)
			return diffs
		}
		gotV, err := decodeJSON(got.body)
		if err != nil {
			add("body is not JSON (%v): %s", err, clip(got.body))
			return diffs
		}
		if want.Status >= 400 || graphQLErrors(wantV) {
			diffs = append(diffs, errorKeys(wantV, gotV)...)
		} else {
			diffs = append(diffs, j.value("$", wantV, gotV)...)
		}
	default:
		add("golden body kind %q unknown", want.BodyKind)
	}
	return diffs
}

// comparedHeaders are the headers the recording's README compares. The
// list-valued CORS headers compare as sets that must hold upstream's items.
var comparedHeaders = []string{
	"Content-Type", "Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
	"Access-Control-Allow-Headers", "Access-Control-Expose-Headers",
	"Access-Control-Allow-Credentials", "Location", "Cache-Control",
}

func (j judge) compareHeaders(want golden, got answer) []string {
	var diffs []string
	wantH := make(http.Header, len(want.Headers))
	for k, v := range want.Headers {
		wantH.Set(k, v)
	}
	for _, name := range comparedHeaders {
		w, g := wantH.Get(name), got.header.Get(name)
		if w == "" {
			continue // our extra headers are fine
		}
		switch name {
		case "Content-Type":
			if want.BodyKind == "text" {
				continue // an HTML page: our JSON is welcome
			}
			wm, _, _ := mime.ParseMediaType(w)
			gm, _, _ := mime.ParseMediaType(g)
			if wm != gm {
				diffs = append(diffs, fmt.Sprintf("Content-Type %q, want %q", g, w))
			}
		case "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Expose-Headers":
			if missing := missingTokens(w, g); len(missing) > 0 {
				diffs = append(diffs, fmt.Sprintf("%s %q lacks %v", name, g, missing))
			}
		case "Location":
			if stripOrigin(w) != stripOrigin(g) {
				diffs = append(diffs, fmt.Sprintf("Location %q, want %q", g, w))
			}
		default:
			if w != g {
				diffs = append(diffs, fmt.Sprintf("%s %q, want %q", name, g, w))
			}
		}
	}
	return diffs
}

func missingTokens(want, got string) []string {
	have := map[string]bool{}
	for _, t := range strings.Split(got, ",") {
		have[strings.ToLower(strings.TrimSpace(t))] = true
	}
	var missing []string
	for _, t := range strings.Split(want, ",") {
		if t = strings.TrimSpace(t); t != "" && !have[strings.ToLower(t)] {
			missing = append(missing, t)
		}
	}
	return missing
}

// errorKeys: ours must hold every key of upstream's error object; texts and
// extra keys are ours.
func errorKeys(want, got any) []string {
	wm, ok := want.(map[string]any)
	if !ok {
		return nil
	}
	gm, ok := got.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("error body %s, want an object with keys %v", short(got), keys(wm))}
	}
	var missing []string
	for k := range wm {
		if _, ok := gm[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return []string{fmt.Sprintf("error body %s lacks keys %v (upstream: %s)", short(got), missing, short(want))}
}

// value compares JSON values structurally under the normalisations.
func (j judge) value(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return j.mismatch(path, want, got)
		}
		return j.object(path, w, g)
	case []any:
		g, ok := got.([]any)
		if !ok {
			return j.mismatch(path, want, got)
		}
		w = j.dropInternalModels(path, w)
		if len(w) != len(g) {
			return []string{fmt.Sprintf("%s: %d items, want %d: %s", path, len(g), len(w), short(got))}
		}
		var diffs []string
		for i := range w {
			diffs = append(diffs, j.value(fmt.Sprintf("%s[%d]", path, i), w[i], g[i])...)
			if len(diffs) > 8 {
				break
			}
		}
		return diffs
	case json.Number:
		if j.numberEqual(w, got) {
			return nil
		}
		return j.mismatch(path, want, got)
	case string:
		if j.mysqlJSONText(want, got) || j.stringEqual(path, w, got) {
			return nil
		}
		return j.mismatch(path, want, got)
	case bool:
		if g, ok := got.(bool); ok && g == w {
			return nil
		}
		if j.engine == config.EngineMySQL { // MySQL: true/false equal 1/0
			if n, ok := got.(json.Number); ok && ((w && n == "1") || (!w && n == "0")) {
				return nil
			}
		}
		return j.mismatch(path, want, got)
	case nil:
		if got == nil {
			return nil
		}
		return j.mismatch(path, want, got)
	}
	return j.mismatch(path, want, got)
}

func (j judge) object(path string, w, g map[string]any) []string {
	var diffs []string
	for k := range g {
		if _, ok := w[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: unexpected key %q", path, k))
		}
	}
	for _, k := range keys(w) {
		gv, ok := g[k]
		p := path + "." + k
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s: missing", p))
			continue
		}
		switch {
		case k == "data_query_time" || k == "count_query_time":
			if _, isNum := gv.(json.Number); !isNum {
				diffs = append(diffs, fmt.Sprintf("%s: %s, want a number", p, short(gv)))
			}
			continue
		case k == "id" && j.category == "write":
			continue // policy: ids may differ in the write sequence
		case k == "row_count" && j.engine == config.EngineSQLite && j.category == "sql":
			if _, isNum := gv.(json.Number); isNum { // policy: the real count where upstream says -1
				continue
			}
		case k == "required" && j.category == "model_descriptions" && w[k] == false && gv == true:
			continue // policy: NOT NULL without default may be required
		case k == "errors" && w["success"] == false:
			// a bulk_create item's error object: the error-object rule
			diffs = append(diffs, errorKeys(w[k], gv)...)
			continue
		}
		diffs = append(diffs, j.value(p, w[k], gv)...)
	}
	return diffs
}

// dropInternalModels: SQLite's sqlite_sequence is not a model (policy).
func (j judge) dropInternalModels(path string, w []any) []any {
	if j.engine != config.EngineSQLite || path != "$" {
		return w
	}
	out := w[:0:0]
	for _, item := range w {
		if m, ok := item.(map[string]any); ok && m["model"] == "sqlite_sequence" {
			continue
		}
		out = append(out, item)
	}
	return out
}

// mysqlJSONText: a MariaDB JSON column upstream returns as text may come back
// parsed (policy).
func (j judge) mysqlJSONText(want, got any) bool {
	if j.engine != config.EngineMySQL {
		return false
	}
	ws, ok := want.(string)
	if !ok {
		return false
	}
	parsed, err := decodeJSON([]byte(ws))
	if err != nil {
		return false
	}
	switch parsed.(type) {
	case map[string]any, []any, string: // JSON text of an object, array or string
	default:
		return false
	}
	return len(j.value("", parsed, got)) == 0
}

func (j judge) numberEqual(w json.Number, got any) bool {
	switch g := got.(type) {
	case json.Number:
		return numEq(string(w), string(g))
	case string:
		// Outside group/ and aggregate/, a number equals a numeric string.
		return !j.strictTypes() && numEq(string(w), g)
	case bool:
		return j.engine == config.EngineMySQL && ((g && numEq(string(w), "1")) || (!g && numEq(string(w), "0")))
	}
	return false
}

func (j judge) strictTypes() bool {
	return j.category == "aggregate" || j.category == "group" || strings.Contains(j.req.Path, "/aggregate/") || strings.Contains(j.req.Path, "/group/")
}

func numEq(a, b string) bool {
	x, ok1 := new(big.Rat).SetString(strings.TrimSpace(a))
	y, ok2 := new(big.Rat).SetString(strings.TrimSpace(b))
	if !ok1 || !ok2 {
		return false
	}
	return x.Cmp(y) == 0
}

var (
	dateTimeRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$`)
	offsetRe   = regexp.MustCompile(`(Z|[+-]\d{2}(:?\d{2})?)$`)
)

func (j judge) stringEqual(path, w string, got any) bool {
	switch g := got.(type) {
	case string:
		if w == g {
			return true
		}
		if dateTimeRe.MatchString(w) && dateTimeRe.MatchString(g) {
			return sameDateTime(w, g)
		}
		if isAbsURL(w) && isAbsURL(g) {
			return stripOrigin(w) == stripOrigin(g)
		}
		return false
	case json.Number:
		return !j.strictTypes() && numEq(w, string(g))
	}
	return false
}

// sameDateTime: the same instant when both carry offsets, the same wall time
// when both are naive; an offset never equals none.
func sameDateTime(a, b string) bool {
	ao, bo := hasOffset(a), hasOffset(b)
	if ao != bo {
		return false
	}
	ta, err1 := parseDateTime(a, ao)
	tb, err2 := parseDateTime(b, bo)
	if err1 != nil || err2 != nil {
		return false
	}
	return ta.Equal(tb)
}

func hasOffset(s string) bool {
	// The date part has '-' too: look only after the time.
	if len(s) <= 10 {
		return false
	}
	return offsetRe.MatchString(s[10:]) && (strings.HasSuffix(s, "Z") || strings.ContainsAny(s[11:], "+-"))
}

func parseDateTime(s string, offset bool) (time.Time, error) {
	s = strings.Replace(s, " ", "T", 1)
	if offset {
		if strings.HasSuffix(s, "Z") {
			s = strings.TrimSuffix(s, "Z") + "+00:00"
		}
		if m := regexp.MustCompile(`([+-]\d{2})(\d{2})?$`).FindStringSubmatchIndex(s); m != nil && !strings.Contains(s[m[0]:], ":") {
			tail := s[m[0]:]
			if len(tail) == 3 {
				tail += ":00"
			} else {
				tail = tail[:3] + ":" + tail[3:]
			}
			s = s[:m[0]] + tail
		}
		for _, layout := range []string{"2006-01-02T15:04:05.999999999-07:00", "2006-01-02T15:04-07:00"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("bad date-time %q", s)
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date-time %q", s)
}

func isAbsURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// stripOrigin drops scheme://host:port of an absolute URL.
func stripOrigin(s string) string {
	if !isAbsURL(s) {
		return s
	}
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	u.Scheme, u.Host, u.User = "", "", nil
	return u.String()
}

// compareBinary compares a binary answer by length and sha256, or, for a
// request marked "binary": "image", by the image facts only.
func (j judge) compareBinary(wantRaw json.RawMessage, got []byte) []string {
	var want struct {
		Length int    `json:"length"`
		SHA256 string `json:"sha256"`
		Image  *struct {
			Format string `json:"format"`
			Width  int    `json:"width"`
			Height int    `json:"height"`
		} `json:"image"`
	}
	if err := json.Unmarshal(wantRaw, &want); err != nil {
		return []string{fmt.Sprintf("golden binary body: %v", err)}
	}
	var diffs []string
	if j.req.Binary != "image" {
		sum := sha256.Sum256(got)
		if len(got) != want.Length || hex.EncodeToString(sum[:]) != want.SHA256 {
			diffs = append(diffs, fmt.Sprintf("binary body of %d bytes (sha256 %x), want %d bytes (%s)", len(got), sum[:6], want.Length, want.SHA256[:12]))
		}
	}
	if want.Image != nil {
		cfg, format, err := image.DecodeConfig(bytes.NewReader(got))
		switch {
		case err != nil:
			diffs = append(diffs, fmt.Sprintf("body is not an image: %v", err))
		case !strings.EqualFold(format, want.Image.Format) || cfg.Width != want.Image.Width || cfg.Height != want.Image.Height:
			diffs = append(diffs, fmt.Sprintf("image %s %dx%d, want %s %dx%d", format, cfg.Width, cfg.Height, want.Image.Format, want.Image.Width, want.Image.Height))
		}
	}
	return diffs
}

func (j judge) mismatch(path string, want, got any) []string {
	return []string{fmt.Sprintf("%s: %s, want %s", path, short(got), short(want))}
}

func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func isJSON(h http.Header) bool {
	m, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return m == "application/json"
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func short(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return clip(b)
}

func clip(b []byte) string {
	const n = 240
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}
