// Package jetadmintest is a fake Jet Admin API (spec §13) for tests of every
// package: it issues and activates project tokens, answers project_auth from
// knobs, counts calls per path, and can be made down, slow or nonsensical.
//
// It validates requests as the real API would: method, path, form encoding
// and required form fields; a wrong method is a 405, an unknown path a 404,
// a missing field a 400.
package jetadmintest

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Prefix is the path of the API below the fake server's root, as in
// https://api.jetadmin.io/api.
const Prefix = "/api"

// Request is one request the fake received.
type Request struct {
	Method string
	Path   string // below URL, e.g. "/project_auth/"
	Header http.Header
	Form   url.Values
}

// ProjectAuthFunc decides a project_auth call from its form fields; it
// returns the HTTP status and a body that is JSON-encoded.
type ProjectAuthFunc func(form url.Values) (status int, body any)

// Server is a running fake. Use URL as API_BASE_URL.
type Server struct {
	// URL is the API base URL (ends with /api, no trailing slash).
	URL string

	srv    *httptest.Server
	closed chan struct{}

	mu           sync.Mutex
	calls        map[string]int
	total        int
	last         map[string]Request
	tokens       map[string]*projectToken // normalized project token -> state
	issued       []string
	users        map[string]*userToken // normalized user token -> grants
	projectToken string                // normalized; "" = any project token accepted
	hook         ProjectAuthFunc
	down         bool
	failNext     int
	garbage      bool
	delay        time.Duration
	warning      string
	zone         *time.Location
}

type projectToken struct {
	activated bool
}

type userToken struct {
	all      bool
	grants   []grant
	disabled bool
}

type grant struct{ typ, object, actions string }

// New starts a fake Jet Admin API, closed when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		closed: make(chan struct{}),
		calls:  map[string]int{},
		last:   map[string]Request{},
		tokens: map[string]*projectToken{},
		users:  map[string]*userToken{},
		zone:   time.FixedZone("", 3*60*60),
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL + Prefix
	t.Cleanup(func() {
		close(s.closed)
		s.srv.Close()
	})
	return s
}

// Client is an *http.Client that reaches the fake.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Calls is how many requests reached path (below URL, e.g. "/project_auth/"
// or "/project_tokens/<token>/"), counted even when the fake is down.
func (s *Server) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[path]
}

// TotalCalls is how many requests reached the fake.
func (s *Server) TotalCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// LastRequest is the last request to path.
func (s *Server) LastRequest(path string) (Request, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.last[path]
	return r, ok
}

// IssuedTokens lists the project tokens CreateProjectToken handed out, as
// sent (with dashes), oldest first.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

// SetActivated makes token a known project token, activated or not.
func (s *Server) SetActivated(token string, activated bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[Normalize(token)] = &projectToken{activated: activated}
}

// AllowUserToken makes project_auth accept a user token. With no
// permissions it is allowed everything; otherwise each permission is
// "type:object:actions" (e.g. "model:orders:rw", "project:project_settings")
// and a request is allowed when type and object match and the requested
// actions are a substring of the granted ones. Calling it again replaces the
// grants.
func (s *Server) AllowUserToken(token string, permissions ...string) {
	u := &userToken{all: len(permissions) == 0}
	for _, p := range permissions {
		parts := strings.SplitN(p, ":", 3)
		g := grant{typ: parts[0]}
		if len(parts) > 1 {
			g.object = parts[1]
		}
		if len(parts) > 2 {
			g.actions = parts[2]
		}
		u.grants = append(u.grants, g)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[Normalize(token)] = u
}

// DisableUserToken makes project_auth answer 200 {"access_disabled": true}
// for token.
func (s *Server) DisableUserToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[Normalize(token)] = &userToken{disabled: true}
}

// RequireProjectToken makes project_auth deny (403) calls whose
// project_token is not token. By default any project token is accepted.
func (s *Server) RequireProjectToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.projectToken = Normalize(token)
}

// SetProjectAuthFunc makes f decide every valid project_auth call (nil
// restores the token knobs).
func (s *Server) SetProjectAuthFunc(f ProjectAuthFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook = f
}

// SetWarning makes allowed project_auth answers carry a warning.
func (s *Server) SetWarning(w string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.warning = w
}

// SetDown makes every call answer 503.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// FailNext makes the next n calls answer 503.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = n
}

// SetDelay makes every answer wait d (cut short when the client goes away).
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetGarbage makes every call answer 200 with a body that is not JSON.
func (s *Server) SetGarbage(garbage bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.garbage = garbage
}

// Normalize is how the API compares tokens: dashes removed, lower-case.
func Normalize(token string) string {
	return strings.ToLower(strings.ReplaceAll(token, "-", ""))
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path, ok := strings.CutPrefix(r.URL.Path, Prefix)
	if !ok {
		writeJSON(w, http.StatusNotFound, detail("Not found."))
		return
	}
	var form url.Values
	if r.Method == http.MethodPost {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct == "application/x-www-form-urlencoded" {
			if err := r.ParseForm(); err != nil {
				writeJSON(w, http.StatusBadRequest, detail("Malformed form."))
				return
			}
			form = r.PostForm
		}
	}
	s.mu.Lock()
	s.calls[path]++
	s.total++
	s.last[path] = Request{Method: r.Method, Path: path, Header: r.Header.Clone(), Form: form}
	delay, down, garbage := s.delay, s.down, s.garbage
	if s.failNext > 0 {
		s.failNext--
		down = true
	}
	s.mu.Unlock()

	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.closed:
			t.Stop()
			return
		}
	}
	if down {
		writeJSON(w, http.StatusServiceUnavailable, detail("Service temporarily unavailable."))
		return
	}
	if garbage {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusOK)
		fmt.Fprint(w, "<html><body>502 Bad Gateway? no: garbage</body></html>")
		return
	}

	switch {
	case path == "/project_tokens/":
		if !method(w, r, http.MethodPost) {
			return
		}
		s.createToken(w)
	case strings.HasPrefix(path, "/project_tokens/") && strings.Count(path, "/") == 3 && strings.HasSuffix(path, "/"):
		if !method(w, r, http.MethodGet) {
			return
		}
		s.tokenState(w, strings.TrimSuffix(strings.TrimPrefix(path, "/project_tokens/"), "/"))
	case path == "/check_resource_token/":
		if !method(w, r, http.MethodPost) || !required(w, form, "project", "token") {
			return
		}
		s.checkResourceToken(w, form)
	case path == "/project_auth/":
		if !method(w, r, http.MethodPost) || !required(w, form, "project_token", "token") {
			return
		}
		if form.Has("permission_type") && !form.Has("permission_object") {
			writeJSON(w, http.StatusBadRequest, map[string][]string{"permission_object": {"This field is required."}})
			return
		}
		s.projectAuth(w, form)
	default:
		writeJSON(w, http.StatusNotFound, detail("Not found."))
	}
}

func (s *Server) createToken(w http.ResponseWriter) {
	tok := newUUID()
	s.mu.Lock()
	s.tokens[Normalize(tok)] = &projectToken{}
	s.issued = append(s.issued, tok)
	zone := s.zone
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]string{
		"token":    tok,
		"date_add": time.Now().In(zone).Format("2006-01-02T15:04:05.000000-07:00"),
	})
}

func (s *Server) tokenState(w http.ResponseWriter, token string) {
	s.mu.Lock()
	st, ok := s.tokens[Normalize(token)]
	activated := ok && st.activated
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, detail("Not found."))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": token, "activated": activated})
}

func (s *Server) checkResourceToken(w http.ResponseWriter, form url.Values) {
	s.mu.Lock()
	st, ok := s.tokens[Normalize(form.Get("token"))]
	activated := ok && st.activated
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, detail("Not found."))
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"activated": activated})
}

func (s *Server) projectAuth(w http.ResponseWriter, form url.Values) {
	s.mu.Lock()
	hook := s.hook
	requiredPT := s.projectToken
	u := s.users[Normalize(form.Get("token"))]
	warning := s.warning
	s.mu.Unlock()

	if hook != nil {
		status, body := hook(form)
		writeJSON(w, status, body)
		return
	}
	if requiredPT != "" && Normalize(form.Get("project_token")) != requiredPT {
		writeJSON(w, http.StatusForbidden, detail("Invalid project token."))
		return
	}
	if u == nil {
		writeJSON(w, http.StatusForbidden, detail("Invalid token."))
		return
	}
	if u.disabled {
		writeJSON(w, http.StatusOK, map[string]bool{"access_disabled": true})
		return
	}
	if !u.allows(form) {
		writeJSON(w, http.StatusForbidden, detail("You do not have permission to perform this action."))
		return
	}
	body := map[string]any{}
	if warning != "" {
		body["warning"] = warning
	}
	writeJSON(w, http.StatusOK, body)
}

func (u *userToken) allows(form url.Values) bool {
	if u.all || !form.Has("permission_type") {
		return true
	}
	typ, obj, act := form.Get("permission_type"), form.Get("permission_object"), form.Get("permission_actions")
	for _, g := range u.grants {
		if g.typ == typ && g.object == obj && strings.Contains(g.actions, act) {
			return true
		}
	}
	return false
}

func method(w http.ResponseWriter, r *http.Request, want string) bool {
	if r.Method == want {
		return true
	}
	w.Header().Set("Allow", want)
	writeJSON(w, http.StatusMethodNotAllowed, detail(fmt.Sprintf("Method \"%s\" not allowed.", r.Method)))
	return false
}

func required(w http.ResponseWriter, form url.Values, fields ...string) bool {
	missing := map[string][]string{}
	for _, f := range fields {
		if form.Get(f) == "" {
			missing[f] = []string{"This field is required."}
		}
	}
	if len(missing) == 0 {
		return true
	}
	writeJSON(w, http.StatusBadRequest, missing)
	return false
}

func detail(msg string) map[string]string { return map[string]string{"detail": msg} }

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if body != nil {
		_ = json.NewEncoder(w).Encode(body)
	}
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
