package jetadmin_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/jetadmin"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
	"github.com/jetbridge/jetbridge/internal/version"
)

func newClient(fake *jetadmintest.Server, opts ...jetadmin.Option) *jetadmin.Client {
	opts = append([]jetadmin.Option{jetadmin.WithRetryBackoff(time.Millisecond)}, opts...)
	return jetadmin.New(fake.URL, opts...)
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestCreateProjectTokenAndActivation(t *testing.T) {
	fake := jetadmintest.New(t)
	c := newClient(fake)
	ctx := context.Background()

	before := time.Now()
	pt, err := c.CreateProjectToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !uuidRE.MatchString(pt.Token) {
		t.Errorf("token %q is not a UUID with dashes", pt.Token)
	}
	if got := fake.IssuedTokens(); len(got) != 1 || got[0] != pt.Token {
		t.Errorf("issued %v, client returned %q", got, pt.Token)
	}
	if pt.DateAdd.Before(before.Add(-time.Second)) || pt.DateAdd.After(time.Now().Add(time.Second)) {
		t.Errorf("date_add %v not around now", pt.DateAdd)
	}
	if _, off := pt.DateAdd.Zone(); off != 3*3600 {
		t.Errorf("date_add offset %d, want +03:00 kept", off)
	}
	if r, _ := fake.LastRequest("/project_tokens/"); r.Header.Get("User-Agent") != version.UserAgent() {
		t.Errorf("User-Agent %q, want %q", r.Header.Get("User-Agent"), version.UserAgent())
	}

	// Stored without dashes, upper-cased: the API compares normalized tokens.
	stored := strings.ToUpper(strings.ReplaceAll(pt.Token, "-", ""))
	for _, tc := range []struct {
		name      string
		token     string
		activate  *bool
		wantState bool
	}{
		{"new token", pt.Token, nil, false},
		{"activated, asked without dashes", stored, ptr(true), true},
		{"deactivated", pt.Token, ptr(false), false},
		{"unknown token (404)", "00000000000000000000000000000000", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.activate != nil {
				fake.SetActivated(pt.Token, *tc.activate)
			}
			got, err := c.ProjectTokenActivated(ctx, tc.token)
			if err != nil || got != tc.wantState {
				t.Errorf("ProjectTokenActivated = %v, %v; want %v", got, err, tc.wantState)
			}
			got, err = c.CheckResourceToken(ctx, "myproject", tc.token)
			if err != nil || got != tc.wantState {
				t.Errorf("CheckResourceToken = %v, %v; want %v", got, err, tc.wantState)
			}
		})
	}
	r, ok := fake.LastRequest("/check_resource_token/")
	if !ok || r.Form.Get("project") != "myproject" || r.Method != http.MethodPost {
		t.Errorf("check_resource_token request %+v", r)
	}
}

func ptr[T any](v T) *T { return &v }

func TestProjectAuth(t *testing.T) {
	fake := jetadmintest.New(t)
	fake.AllowUserToken("alice", "model:orders:r", "project:project_settings")
	fake.AllowUserToken("root")
	fake.DisableUserToken("bob")
	fake.RequireProjectToken("PT-1")
	fake.SetWarning("plan expires soon")
	c := newClient(fake)

	for _, tc := range []struct {
		name        string
		req         jetadmin.ProjectAuthRequest
		want        bool
		wantStatus  int
		wantWarning string
	}{
		{"read granted", jetadmin.ProjectAuthRequest{ProjectToken: "pt1", Token: "alice", PermissionType: "model", PermissionObject: "orders", PermissionActions: "r"}, true, 200, "plan expires soon"},
		{"write not granted", jetadmin.ProjectAuthRequest{ProjectToken: "pt1", Token: "alice", PermissionType: "model", PermissionObject: "orders", PermissionActions: "w"}, false, 403, ""},
		{"other model", jetadmin.ProjectAuthRequest{ProjectToken: "pt1", Token: "alice", PermissionType: "model", PermissionObject: "users", PermissionActions: "r"}, false, 403, ""},
		{"empty actions", jetadmin.ProjectAuthRequest{ProjectToken: "pt1", Token: "alice", PermissionType: "project", PermissionObject: "project_settings"}, true, 200, "plan expires soon"},
		{"no permission needed", jetadmin.ProjectAuthRequest{ProjectToken: "pt1", Token: "alice"}, true, 200, "plan expires soon"},
		{"all-access token", jetadmin.ProjectAuthRequest{ProjectToken: "pt1", Token: "root", PermissionType: "model", PermissionObject: "x", PermissionActions: "d"}, true, 200, "plan expires soon"},
		{"access_disabled", jetadmin.ProjectAuthRequest{ProjectToken: "pt1", Token: "bob"}, false, 200, ""},
		{"unknown token", jetadmin.ProjectAuthRequest{ProjectToken: "pt1", Token: "mallory"}, false, 403, ""},
		{"wrong project token", jetadmin.ProjectAuthRequest{ProjectToken: "pt2", Token: "root"}, false, 403, ""},
		{"missing project token field (400)", jetadmin.ProjectAuthRequest{Token: "root"}, false, 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := fake.Calls("/project_auth/")
			res, err := c.ProjectAuth(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if res.Allowed != tc.want || res.Status != tc.wantStatus || res.Warning != tc.wantWarning {
				t.Errorf("got %+v, want allowed=%v status=%d warning=%q", res, tc.want, tc.wantStatus, tc.wantWarning)
			}
			if n := fake.Calls("/project_auth/") - before; n != 1 {
				t.Errorf("%d calls, want 1 (no retry on 4xx)", n)
			}
		})
	}
}

func TestProjectAuthForm(t *testing.T) {
	fake := jetadmintest.New(t)
	fake.AllowUserToken("tok")
	c := newClient(fake)
	ctx := context.Background()

	if _, err := c.ProjectAuth(ctx, jetadmin.ProjectAuthRequest{ProjectToken: "pt", Token: "tok"}); err != nil {
		t.Fatal(err)
	}
	r, _ := fake.LastRequest("/project_auth/")
	if got := r.Form.Encode(); got != "project_token=pt&token=tok" {
		t.Errorf("form without permission = %q", got)
	}
	if _, err := c.ProjectAuth(ctx, jetadmin.ProjectAuthRequest{ProjectToken: "pt", Token: "tok",
		PermissionType: "project", PermissionObject: "project_settings", ProjectChild: "kid"}); err != nil {
		t.Fatal(err)
	}
	r, _ = fake.LastRequest("/project_auth/")
	want := "permission_actions=&permission_object=project_settings&permission_type=project&project_child=kid&project_token=pt&token=tok"
	if got := r.Form.Encode(); got != want {
		t.Errorf("form = %q, want %q", got, want)
	}
	if ua := r.Header.Get("User-Agent"); ua != version.UserAgent() || !strings.HasPrefix(ua, "jetbridge/") {
		t.Errorf("User-Agent %q", ua)
	}
}

func TestRetries(t *testing.T) {
	t.Run("503 three times then error", func(t *testing.T) {
		fake := jetadmintest.New(t)
		fake.SetDown(true)
		_, err := newClient(fake).CreateProjectToken(context.Background())
		want := "Jet Admin API: create project token: server answered 503 Service Unavailable (3 tries)"
		if err == nil || err.Error() != want {
			t.Fatalf("err = %v, want %q", err, want)
		}
		var je *jetadmin.Error
		if !errors.As(err, &je) || !je.Unavailable() || je.Status != 503 || je.Tries != 3 {
			t.Errorf("error fields %+v", je)
		}
		if n := fake.Calls("/project_tokens/"); n != 3 {
			t.Errorf("%d calls, want 3", n)
		}
	})
	t.Run("transient 503 recovers", func(t *testing.T) {
		fake := jetadmintest.New(t)
		fake.AllowUserToken("tok")
		fake.FailNext(2)
		res, err := newClient(fake).ProjectAuth(context.Background(), jetadmin.ProjectAuthRequest{ProjectToken: "p", Token: "tok"})
		if err != nil || !res.Allowed {
			t.Fatalf("got %+v, %v", res, err)
		}
		if n := fake.Calls("/project_auth/"); n != 3 {
			t.Errorf("%d calls, want 3", n)
		}
	})
	t.Run("400 is not retried", func(t *testing.T) {
		var calls int
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls++
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"detail": "registration is closed"}`))
		}))
		defer srv.Close()
		_, err := jetadmin.New(srv.URL, jetadmin.WithRetryBackoff(time.Millisecond)).CreateProjectToken(context.Background())
		want := "Jet Admin API: create project token: server answered 400 Bad Request: registration is closed"
		if err == nil || err.Error() != want {
			t.Errorf("err = %v, want %q", err, want)
		}
		if calls != 1 {
			t.Errorf("%d calls, want 1", calls)
		}
	})
	t.Run("backoff grows", func(t *testing.T) {
		fake := jetadmintest.New(t)
		fake.SetDown(true)
		start := time.Now()
		_, err := jetadmin.New(fake.URL, jetadmin.WithRetryBackoff(40*time.Millisecond)).CreateProjectToken(context.Background())
		if err == nil {
			t.Fatal("no error")
		}
		if d := time.Since(start); d < 120*time.Millisecond { // 40 ms + 80 ms
			t.Errorf("3 tries took %v, want >= 120ms of backoff", d)
		}
	})
}

func TestGarbage(t *testing.T) {
	fake := jetadmintest.New(t)
	fake.SetGarbage(true)
	c := newClient(fake)
	ctx := context.Background()
	checks := map[string]func() error{
		"create project token": func() error { _, err := c.CreateProjectToken(ctx); return err },
		"check project token activation": func() error {
			_, err := c.ProjectTokenActivated(ctx, "abc")
			return err
		},
		"check resource token": func() error { _, err := c.CheckResourceToken(ctx, "p", "abc"); return err },
		"project auth": func() error {
			_, err := c.ProjectAuth(ctx, jetadmin.ProjectAuthRequest{ProjectToken: "p", Token: "abc"})
			return err
		},
	}
	for call, f := range checks {
		err := f()
		want := "Jet Admin API: " + call + ": server answered 200 with a body that is not the expected JSON"
		if err == nil || err.Error() != want {
			t.Errorf("%s: err = %v, want %q", call, err, want)
		}
	}
	if n := fake.TotalCalls(); n != 4 {
		t.Errorf("%d calls, want 4 (garbage is not retried)", n)
	}
}

func TestTimeout(t *testing.T) {
	fake := jetadmintest.New(t)
	fake.SetDelay(2 * time.Second)
	c := newClient(fake, jetadmin.WithTimeout(50*time.Millisecond))

	start := time.Now()
	_, err := c.CheckResourceToken(context.Background(), "p", "tok")
	want := "Jet Admin API: check resource token: no answer within 50ms (3 tries)"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout not detectable with errors.Is: %v", err)
	}

	// The caller's own deadline stops the tries at once.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	c = newClient(fake)
	_, err = c.ProjectAuth(ctx, jetadmin.ProjectAuthRequest{ProjectToken: "p", Token: "tok"})
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "gave up") {
		t.Errorf("err = %v", err)
	}
}

func TestErrorsNeverContainTokens(t *testing.T) {
	const tok = "5ecret-t0ken/with?odd chars"
	const pt = "pr0ject-t0ken-5ecret"
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	fake := jetadmintest.New(t)
	fake.SetDown(true)
	for _, base := range []string{closed.URL + "/api", fake.URL} {
		c := jetadmin.New(base, jetadmin.WithRetryBackoff(0))
		ctx := context.Background()
		var errs []error
		_, err := c.ProjectTokenActivated(ctx, tok)
		errs = append(errs, err)
		_, err = c.CheckResourceToken(ctx, "p", tok)
		errs = append(errs, err)
		_, err = c.ProjectAuth(ctx, jetadmin.ProjectAuthRequest{ProjectToken: pt, Token: tok})
		errs = append(errs, err)
		for _, err := range errs {
			if err == nil {
				t.Fatalf("%s: no error", base)
			}
			msg := err.Error()
			for _, secret := range []string{"5ecret", "t0ken", "with%3Fodd"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error leaks %q: %s", secret, msg)
				}
			}
			if !strings.HasPrefix(msg, "Jet Admin API: ") {
				t.Errorf("error %q does not say which API", msg)
			}
			for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
				if strings.Contains(e.Error(), "5ecret") {
					t.Errorf("wrapped error leaks the token: %s", e)
				}
			}
		}
		if base == closed.URL+"/api" && !strings.Contains(errs[0].Error(), "cannot reach 127.0.0.1") {
			t.Errorf("network error not in plain words: %v", errs[0])
		}
	}
}

func TestDefaults(t *testing.T) {
	if got := jetadmin.New("").BaseURL(); got != "https://api.jetadmin.io/api" {
		t.Errorf("default base %q", got)
	}
	if got := jetadmin.New("http://x/api/").BaseURL(); got != "http://x/api" {
		t.Errorf("trailing slash kept: %q", got)
	}
}

func TestFakeValidatesRequests(t *testing.T) {
	fake := jetadmintest.New(t)
	for _, tc := range []struct {
		method, path, body string
		want               int
	}{
		{"GET", "/project_auth/", "", 405},
		{"POST", "/project_auth/", "token=x", 400},
		{"POST", "/check_resource_token/", "token=x", 400},
		{"GET", "/project_tokens/", "", 405},
		{"POST", "/nope/", "", 404},
		{"POST", "/project_tokens/abc/", "", 405},
	} {
		req, _ := http.NewRequest(tc.method, fake.URL+tc.path, strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := fake.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, resp.StatusCode, tc.want)
		}
	}
	if fake.Calls("/project_auth/") != 2 {
		t.Errorf("calls %d", fake.Calls("/project_auth/"))
	}
}
