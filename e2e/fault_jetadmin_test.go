package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// sqliteFixture is a SQLite file with the shared types fixture.
func sqliteFixture(t *testing.T) config.Database {
	t.Helper()
	cfg := testdb.Config(t, config.EngineSQLite)
	d := openDB(t, cfg)
	testdb.LoadTypes(t, d)
	_ = d.Close()
	return cfg
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// checkTimeout is the bridges' PROJECT_AUTH_TIMEOUT: a token check gives up
// after it (the fake API answers in 10 s when slow).
const checkTimeout = time.Second

// jetAdminBridge starts a bridge that checks Token credentials with the fake
// Jet Admin API.
func jetAdminBridge(t *testing.T, fake *jetadmintest.Server, projectToken string) *bridge {
	env := dbEnv(sqliteFixture(t))
	env["TOKEN"] = projectToken
	env["PROJECT"] = "acme"
	env["API_BASE_URL"] = fake.URL
	env["PROJECT_AUTH_TIMEOUT"] = checkTimeout.String()
	b := startBridge(t, env)
	b.waitConnected()
	return b
}

// denied403 checks a 403 with a JSON reason.
func denied403(t *testing.T, a answer, mention string) {
	t.Helper()
	var body struct {
		Detail string `json:"detail"`
	}
	if a.Status != 403 || json.Unmarshal([]byte(a.Body), &body) != nil || !strings.Contains(body.Detail, mention) {
		t.Errorf("want 403 with a reason mentioning %q, got %d %s", mention, a.Status, a.Body)
	}
}

// TestJetAdminSlowOrDown: with the Jet Admin API slow (10 s) or down, data
// requests whose decision is cached keep working at full speed, new Token
// checks fail within the check timeout with 403 and a reason, and nothing
// else waits for the API.
func TestJetAdminSlowOrDown(t *testing.T) {
	t.Parallel()
	fake := jetadmintest.New(t)
	projectToken := randomHex(16)
	fake.SetActivated(projectToken, true)
	users := map[string]string{"a": randomHex(16), "b": randomHex(16), "c": randomHex(16)}
	for _, u := range users {
		fake.AllowUserToken(u)
	}
	b := jetAdminBridge(t, fake, projectToken)
	c := newClient(20 * time.Second)
	list := b.URL + "/api/models/items/?_per_page=2"

	// healthy API: user a's decision is cached
	if a := request(t, c, "GET", list, "Token "+users["a"], ""); a.Status != 200 || !strings.Contains(a.Body, `"count":30`) {
		t.Fatalf("healthy API: %d %s", a.Status, a.Body)
	}
	calls := fake.Calls("/project_auth/")

	t.Run("slow", func(t *testing.T) {
		fake.SetDelay(10 * time.Second)
		defer fake.SetDelay(0)
		var wg sync.WaitGroup
		wg.Add(1)
		var (
			pending    answer
			pendingErr error
		)
		go func() { // a new token's check waits on the slow API...
			defer wg.Done()
			pending, pendingErr = tryRequest(context.Background(), c, "GET", list, "Token "+users["b"], "")
		}()
		time.Sleep(300 * time.Millisecond)
		// ...while cached decisions and the open routes answer at once
		for range 5 {
			a := request(t, c, "GET", list, "Token "+users["a"], "")
			if a.Status != 200 || a.Took > time.Second {
				t.Errorf("cached user with a slow API: %d in %v: %s", a.Status, a.Took, clip(a.Body))
			}
		}
		if a := request(t, c, "GET", b.URL+"/api/", "", ""); a.Status != 200 || a.Took > time.Second {
			t.Errorf("GET /api/ with a slow API: %d in %v", a.Status, a.Took)
		}
		wg.Wait()
		if pendingErr != nil {
			t.Fatalf("new token with a slow API: %v", pendingErr)
		}
		denied403(t, pending, "Jet Admin API")
		if pending.Took > checkTimeout+2*time.Second {
			t.Errorf("a new token check took %v with the API answering in 10 s: not failing fast", pending.Took)
		}
		t.Logf("slow API: new token refused in %v; cached token served", pending.Took.Round(10*time.Millisecond))
	})

	t.Run("down", func(t *testing.T) {
		fake.SetDown(true)
		defer fake.SetDown(false)
		a := request(t, c, "GET", list, "Token "+users["c"], "")
		denied403(t, a, "Jet Admin API")
		if a.Took > checkTimeout+2*time.Second {
			t.Errorf("a new token check took %v with the API down", a.Took)
		}
		t.Logf("API down: new token refused in %v: %s", a.Took.Round(10*time.Millisecond), a.Body)
		if a := request(t, c, "GET", list, "Token "+users["a"], ""); a.Status != 200 || a.Took > time.Second {
			t.Errorf("cached user with the API down: %d in %v", a.Status, a.Took)
		}
	})
	if fake.Calls("/project_auth/") <= calls {
		t.Error("the new tokens were never checked with the API: the test proves nothing")
	}

	t.Run("recovered", func(t *testing.T) {
		// failed checks are remembered briefly (auth.ErrorTTL), then retried
		deadline := time.Now().Add(10 * time.Second)
		for {
			a := request(t, c, "GET", list, "Token "+users["c"], "")
			if a.Status == 200 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("token still refused 10 s after the API came back: %d %s", a.Status, a.Body)
			}
			time.Sleep(250 * time.Millisecond)
		}
	})
}

// TestJetAdminSlowAtStartup: serve starts and answers at once with the Jet
// Admin API answering in 10 s, and a SIGTERM is not held up by it.
func TestJetAdminSlowAtStartup(t *testing.T) {
	t.Parallel()
	fake := jetadmintest.New(t)
	fake.SetDelay(10 * time.Second)
	projectToken := randomHex(16)
	user := randomHex(16)
	fake.AllowUserToken(user)
	start := time.Now()
	b := jetAdminBridge(t, fake, projectToken)
	c := newClient(20 * time.Second)
	if a := request(t, c, "GET", b.URL+"/api/", "", ""); a.Status != 200 || a.Header.Get("X-Jetbridge-Database") != "connected" {
		t.Errorf("GET /api/: %d %s (X-Jetbridge-Database %q)", a.Status, a.Body, a.Header.Get("X-Jetbridge-Database"))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("serve took %v to answer with a slow Jet Admin API", d)
	}
	a := request(t, c, "GET", b.URL+"/api/models/items/", "Token "+user, "")
	denied403(t, a, "Jet Admin API")
	stopAt := time.Now()
	if code := b.stop(syscall.SIGTERM, 15*time.Second); code != 0 {
		t.Errorf("exit status %d after SIGTERM\n%s", code, b.stderr)
	}
	if d := time.Since(stopAt); d > 5*time.Second {
		t.Errorf("SIGTERM took %v with the Jet Admin API slow", d)
	}
	if fake.TotalCalls() == 0 {
		t.Error("the bridge never called the Jet Admin API: the test proves nothing")
	}
}
