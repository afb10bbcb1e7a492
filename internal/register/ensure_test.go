package register

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

func newClient(api *jetadmintest.Server) *jetadmin.Client {
	return jetadmin.New(api.URL, jetadmin.WithHTTPClient(api.Client()), jetadmin.WithRetryBackoff(0), jetadmin.WithTimeout(2*time.Second))
}

// browser records what EnsureRegistered asked to open.
type browser struct {
	opened []string
	err    error
}

func (b *browser) open(url string) error {
	b.opened = append(b.opened, url)
	return b.err
}

func testSettings(api *jetadmintest.Server, d *db.DB) config.Settings {
	s := config.Defaults()
	s.APIBaseURL = api.URL
	s.Database.Engine = d.Dialect.Engine
	return s
}

func TestEnsureRegisteredLegacyFlow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		api := jetadmintest.New(t)
		st := NewStore(d)
		s := testSettings(api, d)
		var logs bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logs, nil))
		b := &browser{}

		// First start: a token is registered and stored, not yet activated.
		if err := EnsureRegistered(ctx, s, st, newClient(api), log, b.open); err != nil {
			t.Fatal(err)
		}
		issued := api.IssuedTokens()
		if len(issued) != 1 || api.Calls("/project_tokens/") != 1 {
			t.Fatalf("issued %v after %d create calls, want one", issued, api.Calls("/project_tokens/"))
		}
		want := strings.ReplaceAll(issued[0], "-", "")
		if got := rows(t, d); len(got) != 1 || got[0][1] != want {
			t.Fatalf("rows = %v, want one row with %s", got, want)
		}
		if api.Calls("/project_tokens/"+want+"/") != 1 {
			t.Errorf("activation was not checked with GET /project_tokens/%s/", want)
		}
		wantURL := "http://app.jetadmin.io/projects/register/" + want +
			"?referrer=http%3A%2F%2Flocalhost%3A8888%2Fapi%2Fregister%2F%3Ftoken%3D" + want
		if len(b.opened) != 1 || b.opened[0] != wantURL {
			t.Errorf("browser opened %v, want [%s]", b.opened, wantURL)
		}
		out := logs.String()
		if strings.Contains(out, want) || strings.Contains(out, issued[0]) {
			t.Errorf("the full token is in the log:\n%s", out)
		}
		for _, w := range []string{"not activated", "Activation page was opened", Mask(want), "projects/register/" + Mask(want)} {
			if !strings.Contains(out, w) {
				t.Errorf("log lacks %q:\n%s", w, out)
			}
		}

		// Second start: the stored token is reused; once activated, no browser.
		api.SetActivated(want, true)
		logs.Reset()
		if err := EnsureRegistered(ctx, s, st, newClient(api), log, b.open); err != nil {
			t.Fatal(err)
		}
		if api.Calls("/project_tokens/") != 1 {
			t.Errorf("a second token was registered")
		}
		if got := rows(t, d); len(got) != 1 || got[0][1] != want {
			t.Fatalf("rows = %v, want the first token still", got)
		}
		if len(b.opened) != 1 {
			t.Errorf("browser opened again for an activated token: %v", b.opened)
		}
		if !strings.Contains(logs.String(), "is activated") {
			t.Errorf("log lacks the activated line:\n%s", logs.String())
		}
	})
}

func TestEnsureRegisteredCurrentFlow(t *testing.T) {
	d := testdb.New(t, config.EngineSQLite)
	ctx := context.Background()
	api := jetadmintest.New(t)
	s := testSettings(api, d)
	s.Project = "acme"
	s.Token = "0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0"
	api.SetActivated(s.Token, false)
	var logs bytes.Buffer
	b := &browser{err: ErrNoDesktop}
	if err := EnsureRegistered(ctx, s, NewStore(d), newClient(api), slog.New(slog.NewTextHandler(&logs, nil)), b.open); err != nil {
		t.Fatal(err)
	}
	if api.Calls("/project_tokens/") != 0 {
		t.Error("a token was registered although TOKEN is set")
	}
	if d.Gorm.Migrator().HasTable(TableName) {
		t.Error("the token table was created although TOKEN is set")
	}
	req, ok := api.LastRequest("/check_resource_token/")
	if !ok || req.Form.Get("project") != "acme" || req.Form.Get("token") != s.Token {
		t.Fatalf("check_resource_token request = %+v, %v", req, ok)
	}
	if len(b.opened) != 1 || !strings.HasPrefix(b.opened[0], "http://app.jetadmin.io/builder/acme/resources/database/create/#engine=sqlite&referrer=") ||
		!strings.HasSuffix(b.opened[0], "&token="+s.Token) {
		t.Errorf("browser asked to open %v", b.opened)
	}
	out := logs.String()
	if strings.Contains(out, s.Token) {
		t.Errorf("the full token is in the log:\n%s", out)
	}
	if !strings.Contains(out, "Go to the activation page") || !strings.Contains(out, "/builder/acme/") {
		t.Errorf("log lacks the activation URL:\n%s", out)
	}

	// AUTO_OPEN_REGISTER=false: no browser.
	s.AutoOpenRegister = false
	b.opened = nil
	if err := EnsureRegistered(ctx, s, NewStore(d), newClient(api), nil, b.open); err != nil {
		t.Fatal(err)
	}
	if len(b.opened) != 0 {
		t.Errorf("browser opened with AUTO_OPEN_REGISTER=false: %v", b.opened)
	}
}

// An API that is down or answers garbage is a warning: nothing is stored,
// nothing fails, nothing blocks for long.
func TestEnsureRegisteredAPIProblems(t *testing.T) {
	cases := []struct {
		name  string
		setup func(*jetadmintest.Server)
		warn  string
	}{
		{"down", func(a *jetadmintest.Server) { a.SetDown(true) }, "503"},
		{"garbage", func(a *jetadmintest.Server) { a.SetGarbage(true) }, "not the expected JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := testdb.New(t, config.EngineSQLite)
			api := jetadmintest.New(t)
			tc.setup(api)
			var logs bytes.Buffer
			b := &browser{}
			err := EnsureRegistered(context.Background(), testSettings(api, d), NewStore(d), newClient(api),
				slog.New(slog.NewTextHandler(&logs, nil)), b.open)
			if err != nil {
				t.Fatalf("err = %v, want nil (a warning)", err)
			}
			if _, found, _ := NewStore(d).Get(context.Background()); found {
				t.Error("a token was stored")
			}
			out := logs.String()
			if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "Can't connect to Jet Admin API") || !strings.Contains(out, tc.warn) {
				t.Errorf("log lacks the warning:\n%s", out)
			}
			if len(b.opened) != 0 {
				t.Errorf("browser opened: %v", b.opened)
			}
		})
	}
	// Stored token, API down at the activation check: warning, nil.
	d := testdb.New(t, config.EngineSQLite)
	if err := NewStore(d).Save(context.Background(), Token{Token: tokA}); err != nil {
		t.Fatal(err)
	}
	api := jetadmintest.New(t)
	api.SetDown(true)
	var logs bytes.Buffer
	if err := EnsureRegistered(context.Background(), testSettings(api, d), NewStore(d), newClient(api),
		slog.New(slog.NewTextHandler(&logs, nil)), nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "token verification failed") {
		t.Errorf("log lacks the verification warning:\n%s", logs.String())
	}
}

// A cancelled context (serve stopping) ends EnsureRegistered promptly.
func TestEnsureRegisteredCancelled(t *testing.T) {
	d := testdb.New(t, config.EngineSQLite)
	api := jetadmintest.New(t)
	api.SetDelay(10 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := EnsureRegistered(ctx, testSettings(api, d), NewStore(d), newClient(api), nil, nil); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("took %v after the context ended", el)
	}
}

// A database error is returned for the caller to log, and no token is
// registered when the stored one cannot be read.
func TestEnsureRegisteredDatabaseError(t *testing.T) {
	d := testdb.New(t, config.EngineSQLite)
	api := jetadmintest.New(t)
	_ = d.Close() // every statement now fails
	err := EnsureRegistered(context.Background(), testSettings(api, d), NewStore(d), newClient(api), nil, nil)
	if err == nil {
		t.Fatal("want the database error")
	}
	if errors.Is(err, ErrNoToken) {
		t.Fatalf("got %v", err)
	}
	if n := api.TotalCalls(); n != 0 {
		t.Errorf("the API was called %d times although the stored token could not be read", n)
	}
}
