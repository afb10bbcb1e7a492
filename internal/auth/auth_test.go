package auth

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/jetbridge/jetbridge/internal/jetadmin"
	"github.com/jetbridge/jetbridge/internal/jetadmin/jetadmintest"
)

const (
	testProject      = "shop"
	testProjectToken = "1C9D5E2A-7B3F-4E8A-9D1C-0A2B3C4D5E6F"
	testBearer       = "bearer-secret-0123456789"
	userToken        = "user-token-abcdef0123456789"
)

type env struct {
	fake  *jetadmintest.Server
	clock *clock
	cfg   Config
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c := newClock()
	return &env{
		fake:  jetadmintest.New(t),
		clock: c,
		cfg: Config{
			Project:            testProject,
			ProjectToken:       testProjectToken,
			BearerAuthKey:      testBearer,
			JWTVerifyKey:       publicPEM(t, bridgeKey()),
			ProjectAuthTimeout: 2 * time.Second,
			Now:                c.Now,
		},
	}
}

func (e *env) auth(t *testing.T) *Authenticator {
	t.Helper()
	client := jetadmin.New(e.fake.URL, jetadmin.WithRetryBackoff(time.Millisecond))
	a, err := New(e.cfg, client)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAuthorizeMatrix(t *testing.T) {
	now := time.Now() // tokens are minted relative to the env clock, which starts at about now
	hash := TokenHash(testProjectToken)
	orders := ModelRead("orders")
	write := ModelWrite("orders")

	owner := func(t *testing.T) string {
		return mint(t, bridgeKey(), userClaims(now, testProject, map[string]any{"owner": true}))
	}
	withPerms := func(t *testing.T, pc map[string]any) string {
		return mint(t, bridgeKey(), userClaims(now, testProject, pc))
	}
	member := func(t *testing.T, items ...perm) string {
		return withPerms(t, map[string]any{"permissions": packPerms(t, items...)})
	}

	type row struct {
		name   string
		setup  func(t *testing.T, e *env) // optional
		header func(t *testing.T) string
		need   Permission
		kind   string // allowed with this User.Kind, or "" when denied
		reason string // substring of the denial
	}
	fixed := func(h string) func(*testing.T) string { return func(*testing.T) string { return h } }
	jwtH := func(f func(t *testing.T) string) func(*testing.T) string {
		return func(t *testing.T) string { return "JWT " + f(t) }
	}
	rows := []row{
		{name: "no header", header: fixed(""), need: orders, reason: "no credentials"},
		{name: "blank header", header: fixed("   "), need: orders, reason: "no credentials"},
		{name: "garbage", header: fixed("garbage"), need: orders, reason: "malformed Authorization header"},
		{name: "type without value", header: fixed("JWT "), need: orders, reason: "malformed Authorization header"},
		{name: "unknown type", header: fixed("Basic dXNlcjpwYXNz"), need: orders, reason: `unknown authorization type "Basic"`},
		{name: "lower-case type", header: fixed("bearer " + testBearer), need: orders, reason: `unknown authorization type "bearer"`},

		{name: "Bearer right", header: fixed("Bearer " + testBearer), need: write, kind: "bearer"},
		{name: "Bearer wrong", header: fixed("Bearer " + testBearer + "x"), need: orders, reason: "does not match BEARER_AUTH_KEY"},
		{name: "Bearer not configured", setup: func(t *testing.T, e *env) { e.cfg.BearerAuthKey = "" },
			header: fixed("Bearer " + testBearer), need: orders, reason: "BEARER_AUTH_KEY is not set"},

		{name: "JWT owner on a write", header: jwtH(owner), need: ModelDelete("orders"), kind: "jwt"},
		{name: "JWT super_group on discover", header: jwtH(func(t *testing.T) string {
			return withPerms(t, map[string]any{"super_group": true})
		}), need: DiscoverPermission(), kind: "jwt"},
		{name: "read_only on a write", header: jwtH(func(t *testing.T) string {
			return withPerms(t, map[string]any{"read_only": true, "permissions": packPerms(t, perm{"model", "r1.orders", "rwd", ""})})
		}), need: write, reason: `read-only user: not permitted: write (w) on model "orders"`},
		{name: "read_only on a read", header: jwtH(func(t *testing.T) string {
			return withPerms(t, map[string]any{"read_only": true})
		}), need: orders, kind: "jwt"},
		{name: "read_only on reload", header: jwtH(func(t *testing.T) string {
			return withPerms(t, map[string]any{"read_only": true})
		}), need: ReloadPermission(), kind: "jwt"},
		{name: "read_only on discover", header: jwtH(func(t *testing.T) string {
			return withPerms(t, map[string]any{"read_only": true})
		}), need: DiscoverPermission(), reason: `read-only user: not permitted: project permission "project_customization"`},
		{name: "read_only on DDL (Q5 fix)", header: jwtH(func(t *testing.T) string {
			return withPerms(t, map[string]any{"read_only": true})
		}), need: AnyMemberWrite(), reason: "read-only user: this request changes data"},
		{name: "read_only on sql (any member)", header: jwtH(func(t *testing.T) string {
			return withPerms(t, map[string]any{"read_only": true})
		}), need: AnyMember(), kind: "jwt"},
		{name: "expired", header: jwtH(func(t *testing.T) string {
			c := userClaims(now, testProject, map[string]any{"owner": true})
			c["exp"] = now.Add(-time.Minute).Unix()
			return mint(t, bridgeKey(), c)
		}), need: orders, reason: "JWT expired"},
		{name: "expired within the leeway", header: jwtH(func(t *testing.T) string {
			c := userClaims(now, testProject, map[string]any{"owner": true})
			c["exp"] = now.Add(-10 * time.Second).Unix()
			return mint(t, bridgeKey(), c)
		}), need: orders, kind: "jwt"},
		{name: "not valid yet", header: jwtH(func(t *testing.T) string {
			c := userClaims(now, testProject, map[string]any{"owner": true})
			c["nbf"] = now.Add(time.Hour).Unix()
			return mint(t, bridgeKey(), c)
		}), need: orders, reason: "JWT is not valid yet"},
		{name: "signed by another key", header: jwtH(func(t *testing.T) string {
			return mint(t, otherKey(), userClaims(now, testProject, map[string]any{"owner": true}))
		}), need: orders, reason: "JWT is signed by a different key: set JWT_VERIFY_KEY to your Jet Admin public key"},
		{name: "alg none forgery", header: jwtH(func(t *testing.T) string {
			s, err := jwt.NewWithClaims(jwt.SigningMethodNone, userClaims(now, testProject, map[string]any{"owner": true})).
				SignedString(jwt.UnsafeAllowNoneSignatureType)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}), need: orders, reason: `JWT algorithm "none" is not accepted: only RS256`},
		{name: "HS256 forgery with the public key as secret", header: jwtH(func(t *testing.T) string {
			s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, userClaims(now, testProject, map[string]any{"owner": true})).
				SignedString([]byte(publicPEM(t, bridgeKey())))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}), need: orders, reason: `JWT algorithm "HS256" is not accepted: only RS256`},
		{name: "RS512 is refused too", header: jwtH(func(t *testing.T) string {
			s, err := jwt.NewWithClaims(jwt.SigningMethodRS512, userClaims(now, testProject, map[string]any{"owner": true})).
				SignedString(bridgeKey())
			if err != nil {
				t.Fatal(err)
			}
			return s
		}), need: orders, reason: `JWT algorithm "RS512" is not accepted`},
		{name: "malformed JWT", header: fixed("JWT abc.def"), need: orders, reason: "malformed JWT"},
		{name: "JWT for another project", header: jwtH(func(t *testing.T) string {
			return mint(t, bridgeKey(), userClaims(now, "other", map[string]any{"owner": true}))
		}), need: AnyMember(), reason: `this JWT does not grant access to project "shop"`},
		{name: "JWT when PROJECT is not set", setup: func(t *testing.T, e *env) { e.cfg.Project = "" },
			header: jwtH(owner), need: orders, reason: "PROJECT is not set"},
		{name: "member on model_descriptions", header: jwtH(func(t *testing.T) string { return member(t) }),
			need: AnyMember(), kind: "jwt"},
		{name: "permission r on a read", header: jwtH(func(t *testing.T) string {
			return member(t, perm{"model", "res1.orders", "r", hash})
		}), need: orders, kind: "jwt"},
		{name: "permission r only on a write", header: jwtH(func(t *testing.T) string {
			return member(t, perm{"model", "res1.orders", "r", hash})
		}), need: write, reason: `not permitted: write (w) on model "orders"`},
		{name: "permission rwd on a delete", header: jwtH(func(t *testing.T) string {
			return member(t, perm{"model", "res1.orders", "rwd", ""})
		}), need: ModelDelete("orders"), kind: "jwt"},
		{name: "permission on another model", header: jwtH(func(t *testing.T) string {
			return member(t, perm{"model", "res1.customers", "rwd", hash})
		}), need: orders, reason: `not permitted: read (r) on model "orders"`},
		{name: "model name after the first dot only", header: jwtH(func(t *testing.T) string {
			return member(t, perm{"model", "res1.public.orders", "r", ""})
		}), need: ModelRead("public.orders"), kind: "jwt"},
		{name: "resource_token_hash mismatch", header: jwtH(func(t *testing.T) string {
			return member(t, perm{"model", "res1.orders", "rwd", TokenHash("another-token")})
		}), need: orders, reason: `not permitted: read (r) on model "orders"`},
		{name: "resource_token_hash of the token with dashes removed, lower-cased", header: jwtH(func(t *testing.T) string {
			return member(t, perm{"model", "res1.orders", "r", TokenHash(strings.ToLower(strings.ReplaceAll(testProjectToken, "-", "")))})
		}), need: orders, kind: "jwt"},
		{name: "project permission granted", header: jwtH(func(t *testing.T) string {
			return member(t, perm{"project", "project_customization", "", ""})
		}), need: DiscoverPermission(), kind: "jwt"},
		{name: "project permission missing", header: jwtH(func(t *testing.T) string {
			return member(t, perm{"project", "project_settings", "", ""})
		}), need: DiscoverPermission(), reason: `not permitted: project permission "project_customization"`},
		{name: "JWT permissions without TOKEN", setup: func(t *testing.T, e *env) { e.cfg.ProjectToken = "" },
			header: jwtH(func(t *testing.T) string { return member(t, perm{"model", "r.orders", "r", ""}) }),
			need:   orders, reason: "TOKEN is not set"},
		{name: "undecodable permissions claim", header: jwtH(func(t *testing.T) string {
			return withPerms(t, map[string]any{"permissions": "!!not base64!!"})
		}), need: orders, reason: "permissions claim could not be decoded"},
		{name: "JWT wins over Token, space after comma (Q33)", header: func(t *testing.T) string {
			return "Token nobody-knows-this-token, JWT " + owner(t)
		}, need: write, kind: "jwt"},

		{name: "Token allowed", setup: func(t *testing.T, e *env) { e.fake.AllowUserToken(userToken, "model:orders:r") },
			header: fixed("Token " + userToken), need: orders, kind: "token"},
		{name: "ProjectToken allowed", setup: func(t *testing.T, e *env) { e.fake.AllowUserToken(userToken) },
			header: fixed("ProjectToken " + userToken), need: write, kind: "token"},
		{name: "Token denied", setup: func(t *testing.T, e *env) { e.fake.AllowUserToken(userToken, "model:orders:r") },
			header: fixed("Token " + userToken), need: write, reason: `Jet Admin API refused this token for write (w) on model "orders" (it answered 403)`},
		{name: "Token unknown", header: fixed("Token " + userToken), need: orders, reason: "Jet Admin API refused this token"},
		{name: "Token access_disabled", setup: func(t *testing.T, e *env) { e.fake.DisableUserToken(userToken) },
			header: fixed("Token " + userToken), need: orders, reason: "access disabled by Jet Admin"},
		{name: "Token with the wrong project token", setup: func(t *testing.T, e *env) {
			e.fake.AllowUserToken(userToken)
			e.fake.RequireProjectToken("ffffffff-0000-0000-0000-000000000000")
		}, header: fixed("Token " + userToken), need: orders, reason: "Jet Admin API refused this token"},
		{name: "Token without TOKEN set", setup: func(t *testing.T, e *env) { e.cfg.ProjectToken = "" },
			header: fixed("Token " + userToken), need: orders, reason: "TOKEN is not set"},
		{name: "API down", setup: func(t *testing.T, e *env) { e.fake.AllowUserToken(userToken); e.fake.SetDown(true) },
			header: fixed("Token " + userToken), need: orders, reason: "the token could not be checked: Jet Admin API: project auth: server answered 503 Service Unavailable (3 tries)"},
		{name: "API answers garbage", setup: func(t *testing.T, e *env) { e.fake.SetGarbage(true) },
			header: fixed("Token " + userToken), need: orders, reason: "not the expected JSON"},
		{name: "API slow", setup: func(t *testing.T, e *env) {
			e.fake.AllowUserToken(userToken)
			e.fake.SetDelay(3 * time.Second)
			e.cfg.ProjectAuthTimeout = 150 * time.Millisecond
		}, header: fixed("Token " + userToken), need: orders, reason: "Jet Admin API did not answer in 150ms"},

		{name: "READ_ONLY refuses a write", setup: func(t *testing.T, e *env) { e.cfg.ReadOnly = true },
			header: jwtH(owner), need: AnyMemberWrite(), reason: "READ_ONLY=true"},
		{name: "READ_ONLY allows a read", setup: func(t *testing.T, e *env) { e.cfg.ReadOnly = true },
			header: jwtH(owner), need: orders, kind: "jwt"},
		{name: "DISABLE_AUTH allows anything", setup: func(t *testing.T, e *env) { e.cfg.DisableAuth = true },
			header: fixed(""), need: ModelDelete("orders"), kind: "disabled"},
		{name: "DISABLE_AUTH keeps READ_ONLY (Q4 fix)", setup: func(t *testing.T, e *env) { e.cfg.DisableAuth = true; e.cfg.ReadOnly = true },
			header: fixed(""), need: ModelDelete("orders"), reason: "READ_ONLY=true"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			if r.setup != nil {
				r.setup(t, e)
			}
			a := e.auth(t)
			h := r.header(t)
			start := time.Now()
			u, d := a.Authorize(context.Background(), h, r.need)
			if time.Since(start) > time.Second {
				t.Errorf("took %v", time.Since(start))
			}
			if (u == nil) == (d == nil) {
				t.Fatalf("got user %v and denial %v: want exactly one", u, d)
			}
			if r.kind != "" {
				if d != nil {
					t.Fatalf("denied (%s), want allowed", d.Reason)
				}
				if u.Kind != r.kind {
					t.Errorf("kind %q, want %q", u.Kind, r.kind)
				}
				return
			}
			if u != nil {
				t.Fatalf("allowed as %+v, want denied with %q", u, r.reason)
			}
			if !strings.Contains(d.Reason, r.reason) {
				t.Errorf("reason %q, want it to contain %q", d.Reason, r.reason)
			}
			if _, cred, ok := strings.Cut(h, " "); ok && len(cred) > 8 && strings.Contains(d.Reason, cred) {
				t.Errorf("reason echoes the credential: %q", d.Reason)
			}
			for _, secret := range []string{testProjectToken, testBearer, userToken} {
				if strings.Contains(d.Reason, secret) {
					t.Errorf("reason contains a secret: %q", d.Reason)
				}
			}
		})
	}
}

func TestJWTUserClaims(t *testing.T) {
	e := newEnv(t)
	a := e.auth(t)
	c := userClaims(e.clock.Now(), testProject, map[string]any{"read_only": 1, "owner": false})
	c["admin"] = true
	c["sso_shared_data"] = map[string]any{"okta": map[string]any{"user_id": "u7"}}
	u, d := a.Authorize(context.Background(), "JWT "+mint(t, bridgeKey(), c), ModelRead("orders"))
	if d != nil {
		t.Fatal(d.Reason)
	}
	if !u.ReadOnly || u.Owner || !u.Admin || u.Project != testProject || u.Environment != "prod" || u.CanWrite() {
		t.Errorf("user %+v", u)
	}
	if sso, _ := u.SSOSharedData["okta"].(map[string]any); sso["user_id"] != "u7" {
		t.Errorf("sso_shared_data %v", u.SSOSharedData)
	}
}

func TestProjectChildForwarded(t *testing.T) {
	e := newEnv(t)
	e.fake.AllowUserToken(userToken)
	a := e.auth(t)
	_, d := a.Authorize(context.Background(), "Token "+userToken+";project_child=kid;x=a=b", ModelWrite("orders"))
	if d != nil {
		t.Fatal(d.Reason)
	}
	r, _ := e.fake.LastRequest("/project_auth/")
	want := map[string]string{"project_token": testProjectToken, "token": userToken, "permission_type": "model",
		"permission_object": "orders", "permission_actions": "w", "project_child": "kid"}
	for k, v := range want {
		if r.Form.Get(k) != v {
			t.Errorf("form %s = %q, want %q", k, r.Form.Get(k), v)
		}
	}
	// The zero permission sends no permission fields.
	if _, d := a.Authorize(context.Background(), "Token "+userToken, AnyMember()); d != nil {
		t.Fatal(d.Reason)
	}
	r, _ = e.fake.LastRequest("/project_auth/")
	if r.Form.Has("permission_type") || r.Form.Has("project_child") {
		t.Errorf("form %v", r.Form)
	}
}

func TestDefaultKeyRefusesOtherKeys(t *testing.T) {
	a, err := New(Config{Project: testProject, ProjectToken: testProjectToken}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.key.N.BitLen() != 4096 {
		t.Errorf("default key is %d bits, want Jet Admin's 4096", a.key.N.BitLen())
	}
	tok := mint(t, bridgeKey(), userClaims(time.Now(), testProject, map[string]any{"owner": true}))
	_, d := a.Authorize(context.Background(), "JWT "+tok, AnyMember())
	if d == nil || !strings.Contains(d.Reason, "set JWT_VERIFY_KEY to your Jet Admin public key") {
		t.Fatalf("denial %v, want the JWT_VERIFY_KEY hint", d)
	}
	if _, d := a.Authorize(context.Background(), "Token x", AnyMember()); d == nil || !strings.Contains(d.Reason, "no Jet Admin API client") {
		t.Errorf("Token without a client: %v", d)
	}
}

func TestAdminKey(t *testing.T) {
	e := newEnv(t)
	a := e.auth(t)
	now := e.clock.Now()
	admin := userClaims(now, "elsewhere", nil)
	admin["admin"] = true
	notAdmin := userClaims(now, testProject, map[string]any{"owner": true})
	for _, tc := range []struct {
		key  string
		want bool
	}{
		{testBearer, true},
		{testBearer + "x", false},
		{"", false},
		{mint(t, bridgeKey(), admin), true},
		{mint(t, bridgeKey(), notAdmin), false},
		{mint(t, otherKey(), admin), false},
	} {
		if got := a.AdminKey(tc.key); got != tc.want {
			t.Errorf("AdminKey(%.20s…) = %v, want %v", tc.key, got, tc.want)
		}
	}
}

func TestNewKeyErrors(t *testing.T) {
	pemKey := publicPEM(t, bridgeKey())
	escaped := strings.ReplaceAll(strings.TrimSpace(pemKey), "\n", `\n`)
	indented := strings.ReplaceAll(pemKey, "\n", "\n    ")
	body := strings.Join(strings.Split(strings.TrimSpace(pemKey), "\n")[1:len(strings.Split(strings.TrimSpace(pemKey), "\n"))-1], "")
	for _, tc := range []struct {
		name, key, err string
	}{
		{"real newlines", pemKey, ""},
		{"literal \\n", escaped, ""},
		{"literal \\n with indentation", strings.ReplaceAll(escaped, `\n`, `\n  `), ""},
		{"indented lines", indented, ""},
		{"bare base64", body, ""},
		{"private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----", "JWT_VERIFY_KEY holds a private key"},
		{"garbage", "not a key at all", "JWT_VERIFY_KEY"},
		{"broken PEM", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "JWT_VERIFY_KEY is not a valid RSA public key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := New(Config{JWTVerifyKey: tc.key}, nil)
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if !a.key.Equal(&bridgeKey().PublicKey) {
					t.Error("parsed another key")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("err %v, want %q", err, tc.err)
			}
		})
	}
}

func TestModelAction(t *testing.T) {
	for action, want := range map[string]Permission{
		"list":           {PermModel, "o", "r", false},
		"retrieve":       {PermModel, "o", "r", false},
		"aggregate":      {PermModel, "o", "r", false},
		"group":          {PermModel, "o", "r", false},
		"get_siblings":   {PermModel, "o", "r", false},
		"create":         {PermModel, "o", "w", true},
		"update":         {PermModel, "o", "w", true},
		"partial_update": {PermModel, "o", "w", true},
		"bulk_create":    {PermModel, "o", "w", true},
		"reorder":        {PermModel, "o", "w", true},
		"reset_order":    {PermModel, "o", "w", true},
		"whatever":       {PermModel, "o", "w", true},
		"destroy":        {PermModel, "o", "d", true},
	} {
		if got := ModelAction("o", action); got != want {
			t.Errorf("%s: %+v, want %+v", action, got, want)
		}
	}
}

// TestJWTWithoutExpLoggedAtDebug (issue 17): a JWT without exp is accepted,
// as upstream, and logged at debug level (without the token).
func TestJWTWithoutExpLoggedAtDebug(t *testing.T) {
	e := newEnv(t)
	var logs strings.Builder
	e.cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a := e.auth(t)
	c := userClaims(e.clock.Now(), testProject, map[string]any{"owner": true})
	delete(c, "exp")
	token := mint(t, bridgeKey(), c)
	if _, d := a.Authorize(context.Background(), "JWT "+token, ModelRead("orders")); d != nil {
		t.Fatal(d.Reason)
	}
	out := logs.String()
	if !strings.Contains(out, "level=DEBUG") || !strings.Contains(out, "without an expiry") {
		t.Errorf("no debug line for a JWT without exp:\n%s", out)
	}
	if strings.Contains(out, token) || strings.Contains(out, token[len(token)-20:]) {
		t.Errorf("the token is in the log:\n%s", out)
	}
}

// TestTokenChecksBounded (issue 17 L5): a burst of random Token credentials
// makes at most MaxConcurrentChecks project_auth calls at once, and a
// refused token is not asked about again while its refusal is cached.
func TestTokenChecksBounded(t *testing.T) {
	e := newEnv(t)
	e.cfg.MaxConcurrentChecks = 4
	e.cfg.Now = time.Now
	var mu sync.Mutex
	inFlight, peak := 0, 0
	e.fake.SetProjectAuthFunc(func(url.Values) (int, any) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		mu.Unlock()
		time.Sleep(100 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
		return 403, map[string]any{"detail": "unknown token"}
	})
	a := e.auth(t)
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, d := a.Authorize(context.Background(), fmt.Sprintf("Token random-token-%04d", i), ModelRead("orders")); d == nil {
				t.Errorf("random token %d allowed", i)
			}
		}()
	}
	wg.Wait()
	if peak > 4 {
		t.Errorf("%d project_auth calls at once, want at most 4", peak)
	}
	calls := e.fake.Calls("/project_auth/")
	if _, d := a.Authorize(context.Background(), "Token random-token-0001", ModelRead("orders")); d == nil {
		t.Error("refused token allowed on the second try")
	}
	if e.fake.Calls("/project_auth/") != calls {
		t.Error("a refused token was checked again while its refusal is cached")
	}
}
