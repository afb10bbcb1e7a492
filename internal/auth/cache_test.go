package auth

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestConcurrentTokenChecksShareOneCall(t *testing.T) {
	e := newEnv(t)
	e.fake.AllowUserToken(userToken)
	e.fake.SetDelay(100 * time.Millisecond) // all 30 arrive while the first call is out
	a := e.auth(t)

	var wg sync.WaitGroup
	denied := make(chan string, 30)
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, d := a.Authorize(context.Background(), "Token "+userToken, ModelRead("orders")); d != nil {
				denied <- d.Reason
			}
		}()
	}
	wg.Wait()
	close(denied)
	for r := range denied {
		t.Errorf("denied: %s", r)
	}
	if n := e.fake.Calls("/project_auth/"); n < 1 || n > 2 {
		t.Errorf("%d project_auth calls for 30 identical checks, want 1-2", n)
	}
}

func TestTokenCacheExpiry(t *testing.T) {
	ctx := context.Background()
	t.Run("allow is remembered about 60s", func(t *testing.T) {
		e := newEnv(t)
		e.fake.AllowUserToken(userToken)
		a := e.auth(t)
		check := func(wantCalls int) {
			t.Helper()
			if _, d := a.Authorize(ctx, "Token "+userToken, ModelRead("orders")); d != nil {
				t.Fatalf("denied: %s", d.Reason)
			}
			if n := e.fake.Calls("/project_auth/"); n != wantCalls {
				t.Errorf("%d calls, want %d", n, wantCalls)
			}
		}
		check(1)
		e.clock.Advance(59 * time.Second)
		check(1)
		e.clock.Advance(2 * time.Second)
		check(2)
		// Another permission, project child or token is another question.
		if _, d := a.Authorize(ctx, "Token "+userToken, ModelWrite("orders")); d != nil {
			t.Fatal(d.Reason)
		}
		if _, d := a.Authorize(ctx, "Token "+userToken+";project_child=c", ModelRead("orders")); d != nil {
			t.Fatal(d.Reason)
		}
		if n := e.fake.Calls("/project_auth/"); n != 4 {
			t.Errorf("%d calls, want 4", n)
		}
	})
	t.Run("deny is remembered about 10s", func(t *testing.T) {
		e := newEnv(t)
		a := e.auth(t)
		deny := func(wantCalls int) {
			t.Helper()
			if _, d := a.Authorize(ctx, "Token "+userToken, ModelRead("orders")); d == nil {
				t.Fatal("allowed")
			}
			if n := e.fake.Calls("/project_auth/"); n != wantCalls {
				t.Errorf("%d calls, want %d", n, wantCalls)
			}
		}
		deny(1)
		e.clock.Advance(9 * time.Second)
		deny(1)
		e.fake.AllowUserToken(userToken)
		e.clock.Advance(2 * time.Second)
		if _, d := a.Authorize(ctx, "Token "+userToken, ModelRead("orders")); d != nil {
			t.Fatalf("still denied after the deny expired: %s", d.Reason)
		}
	})
	t.Run("API errors are remembered only briefly", func(t *testing.T) {
		e := newEnv(t)
		e.fake.SetDown(true)
		a := e.auth(t)
		if _, d := a.Authorize(ctx, "Token "+userToken, ModelRead("orders")); d == nil || !strings.Contains(d.Reason, "503") {
			t.Fatalf("denial %v", d)
		}
		calls := e.fake.Calls("/project_auth/")
		e.fake.SetDown(false)
		e.fake.AllowUserToken(userToken)
		if _, d := a.Authorize(ctx, "Token "+userToken, ModelRead("orders")); d == nil {
			t.Error("error not remembered for a moment (the API would be hammered)")
		}
		if n := e.fake.Calls("/project_auth/"); n != calls {
			t.Errorf("%d calls, want %d", n, calls)
		}
		e.clock.Advance(ErrorTTL + time.Millisecond)
		if _, d := a.Authorize(ctx, "Token "+userToken, ModelRead("orders")); d != nil {
			t.Errorf("still denied %v after the API came back", d.Reason)
		}
	})
}

func TestJWTCache(t *testing.T) {
	e := newEnv(t)
	a := e.auth(t)
	now := e.clock.Now()
	c := userClaims(now, testProject, map[string]any{"owner": true})
	c["exp"] = now.Add(10 * time.Minute).Unix()
	tok := mint(t, bridgeKey(), c)
	ctx := context.Background()

	if _, d := a.Authorize(ctx, "JWT "+tok, ModelRead("orders")); d != nil {
		t.Fatal(d.Reason)
	}
	if n := a.jwts.len(); n != 1 {
		t.Fatalf("%d cached JWTs, want 1", n)
	}
	// A cache hit does not verify again: with the key swapped, the cached
	// token still passes while a fresh one signed by the old key does not.
	a.key = &otherKey().PublicKey
	if _, d := a.Authorize(ctx, "JWT "+tok, ModelWrite("orders")); d != nil {
		t.Fatalf("cached token re-verified: %s", d.Reason)
	}
	c["user"] = "u-2"
	if _, d := a.Authorize(ctx, "JWT "+mint(t, bridgeKey(), c), ModelRead("orders")); d == nil {
		t.Fatal("uncached token accepted with the wrong key")
	}
	a.key = &bridgeKey().PublicKey
	// A token differing in one byte is not served from the cache.
	if _, d := a.Authorize(ctx, "JWT "+tok[:len(tok)-2]+"AA", ModelRead("orders")); d == nil {
		t.Fatal("tampered token accepted")
	}
	// Expiry: still valid within the leeway, refused after.
	e.clock.Advance(10*time.Minute + 20*time.Second)
	if _, d := a.Authorize(ctx, "JWT "+tok, ModelRead("orders")); d != nil {
		t.Fatalf("refused within the leeway: %s", d.Reason)
	}
	e.clock.Advance(15 * time.Second)
	if _, d := a.Authorize(ctx, "JWT "+tok, ModelRead("orders")); d == nil || !strings.Contains(d.Reason, "expired") {
		t.Fatalf("expired token: %v", d)
	}
}

func TestTTLCacheIsBounded(t *testing.T) {
	c := newTTLCache[string, int](100)
	now := time.Now()
	for i := range 1000 {
		c.set(fmt.Sprint(i), i, now.Add(time.Hour), now)
		if c.len() > 100 {
			t.Fatalf("cache grew to %d", c.len())
		}
	}
	if v, ok := c.get("999", now); !ok || v != 999 {
		t.Errorf("last entry lost: %v %v", v, ok)
	}
	if _, ok := c.get("999", now.Add(2*time.Hour)); ok {
		t.Error("expired entry returned")
	}
	// Expired entries are dropped first.
	c2 := newTTLCache[string, int](10)
	for i := range 10 {
		exp := now.Add(time.Hour)
		if i%2 == 0 {
			exp = now.Add(time.Second)
		}
		c2.set(fmt.Sprint(i), i, exp, now)
	}
	c2.set("new", 1, now.Add(time.Hour), now.Add(time.Minute))
	for i := 1; i < 10; i += 2 {
		if _, ok := c2.get(fmt.Sprint(i), now); !ok {
			t.Errorf("live entry %d evicted while expired ones existed", i)
		}
	}
}
