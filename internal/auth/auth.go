// Package auth decides whether a request may use the bridge (spec §4): it
// reads the Authorization header, verifies Jet Admin JWTs, asks the Jet
// Admin API about `Token` / `ProjectToken` credentials, checks the Bearer key,
// and evaluates the route's required Permission. It knows nothing of HTTP
// frameworks; internal/server wraps it in middleware and answers a *Denied
// with 403 {"detail": Reason}.
//
// Verified JWTs and project_auth answers are cached (bounded), so a warm
// request costs a map lookup and a few comparisons.
package auth

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/sync/semaphore"
	"golang.org/x/sync/singleflight"

	"github.com/jetbridge/jetbridge/internal/jetadmin"
)

// Tunables of the caches.
const (
	DefaultProjectAuthTimeout = 5 * time.Second
	// DefaultMaxConcurrentChecks is MaxConcurrentChecks' default.
	DefaultMaxConcurrentChecks = 8
	// JWTLeeway is the clock skew tolerated on exp and nbf.
	JWTLeeway = 30 * time.Second
	// CacheSize bounds each cache (verified JWTs, project_auth answers).
	CacheSize = 10000
	// AllowTTL, DenyTTL and ErrorTTL are how long a project_auth allow, a
	// deny, and a failed call (API down or slow) are remembered.
	AllowTTL = 60 * time.Second
	DenyTTL  = 10 * time.Second
	ErrorTTL = 2 * time.Second
	// noExpTTL is how long a JWT without exp stays cached.
	noExpTTL = 10 * time.Minute
)

// Config holds the settings auth needs (§14.2 names in comments).
type Config struct {
	Project       string // PROJECT
	ProjectToken  string // TOKEN: the bridge's project token (secret)
	BearerAuthKey string // BEARER_AUTH_KEY (secret); empty disables Bearer
	JWTVerifyKey  string // JWT_VERIFY_KEY; empty = Jet Admin's key
	DisableAuth   bool   // DISABLE_AUTH: every request is allowed (except READ_ONLY writes)
	ReadOnly      bool   // READ_ONLY: every Permission with Write is refused
	// ProjectAuthTimeout bounds a project_auth check (default 5 s).
	ProjectAuthTimeout time.Duration
	// MaxConcurrentChecks bounds the project_auth calls in flight at once
	// (default DefaultMaxConcurrentChecks): a flood of random Token
	// credentials cannot turn into a flood of outbound calls.
	MaxConcurrentChecks int
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives warnings about the Jet Admin API (default: discarded).
	// Tokens are never logged.
	Logger *slog.Logger
}

// ProjectAuthorizer asks Jet Admin about a user token; *jetadmin.Client
// satisfies it.
type ProjectAuthorizer interface {
	ProjectAuth(ctx context.Context, r jetadmin.ProjectAuthRequest) (jetadmin.ProjectAuthResult, error)
}

// User is who made an allowed request.
type User struct {
	// Kind is "jwt", "token" (Token and ProjectToken), "bearer" or "disabled".
	Kind string
	// Owner, SuperGroup, ReadOnly and Admin are the JWT's claims for the
	// project (Bearer users are Owner).
	Owner, SuperGroup, ReadOnly, Admin bool
	// Project and Environment are the JWT's claims; for other kinds Project
	// is the PROJECT setting.
	Project, Environment string
	// SSOSharedData is the JWT's sso_shared_data claim (shared between
	// requests: do not modify).
	SSOSharedData map[string]any
}

// CanWrite reports whether the user may change data (false for read-only
// JWT users; SQL of such users should run in a read-only transaction).
func (u *User) CanWrite() bool { return u != nil && !u.ReadOnly }

// Denied is a refused request; Reason is for {"detail": Reason} and never
// contains a credential.
type Denied struct {
	Reason string
}

func (d *Denied) Error() string { return "forbidden: " + d.Reason }

// Denial reasons.
const (
	reasonNoHeader      = "no credentials: send an Authorization header (JWT, Token, ProjectToken or Bearer)"
	reasonMalformed     = `malformed Authorization header: expected "<type> <credential>", e.g. "JWT eyJ..."`
	reasonBadSignature  = "JWT is signed by a different key: set JWT_VERIFY_KEY to your Jet Admin public key"
	reasonMalformedJWT  = "malformed JWT: not a valid signed token"
	reasonNoProject     = "PROJECT is not set: the bridge cannot tell which project a JWT must grant"
	reasonNoTokenForJWT = "TOKEN is not set: the bridge cannot check a JWT's permissions without its project token"
	reasonNoTokenForAPI = "Token authentication needs the bridge's project token: TOKEN is not set"
	reasonBearerOff     = "Bearer authentication is disabled: BEARER_AUTH_KEY is not set"
	reasonBearerWrong   = "Bearer key does not match BEARER_AUTH_KEY"
	reasonReadOnlyMode  = "this bridge is read-only (READ_ONLY=true): changes are refused"
	reasonCancelled     = "the request was cancelled while checking its token with the Jet Admin API"
)

// Authenticator authorizes requests. It is safe for concurrent use.
type Authenticator struct {
	cfg       Config
	pa        ProjectAuthorizer
	key       *rsa.PublicKey
	parser    *jwt.Parser
	tokenHash string   // sha256 hex of the normalized project token
	bearer    [32]byte // sha256 of BEARER_AUTH_KEY
	log       *slog.Logger

	jwts   *ttlCache[string, *jwtEntry]
	tokens *ttlCache[tokenKey, tokenResult]
	flight singleflight.Group
	// outbound admits project_auth calls (MaxConcurrentChecks at a time).
	outbound *semaphore.Weighted
}

// New checks cfg and parses the JWT key once. pa may be nil when no Jet
// Admin API is used (Token credentials are then refused).
func New(cfg Config, pa ProjectAuthorizer) (*Authenticator, error) {
	if cfg.ProjectAuthTimeout <= 0 {
		cfg.ProjectAuthTimeout = DefaultProjectAuthTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxConcurrentChecks <= 0 {
		cfg.MaxConcurrentChecks = DefaultMaxConcurrentChecks
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	key, err := ParseVerifyKey(cfg.JWTVerifyKey)
	if err != nil {
		return nil, err
	}
	a := &Authenticator{
		cfg: cfg,
		pa:  pa,
		key: key,
		parser: jwt.NewParser(
			jwt.WithLeeway(JWTLeeway),
			jwt.WithTimeFunc(cfg.Now),
		),
		log:      log,
		jwts:     newTTLCache[string, *jwtEntry](CacheSize),
		tokens:   newTTLCache[tokenKey, tokenResult](CacheSize),
		outbound: semaphore.NewWeighted(int64(cfg.MaxConcurrentChecks)),
	}
	if cfg.ProjectToken != "" {
		a.tokenHash = TokenHash(cfg.ProjectToken)
	}
	if cfg.BearerAuthKey != "" {
		a.bearer = sha256.Sum256([]byte(cfg.BearerAuthKey))
	}
	return a, nil
}

// TokenHash is the resource_token_hash of a project token: lower-case hex
// SHA-256 of the token with dashes removed, lower-cased (§4.3).
func TokenHash(projectToken string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.ReplaceAll(projectToken, "-", ""))))
	return hex.EncodeToString(sum[:])
}

// Authorize decides a request from its Authorization header and the route's
// required permission. Exactly one of the results is non-nil.
func (a *Authenticator) Authorize(ctx context.Context, authorizationHeader string, need Permission) (*User, *Denied) {
	if need.Write && a.cfg.ReadOnly {
		return nil, &Denied{Reason: reasonReadOnlyMode}
	}
	if a.cfg.DisableAuth {
		return &User{Kind: "disabled", Project: a.cfg.Project}, nil
	}
	if strings.TrimSpace(authorizationHeader) == "" {
		return nil, &Denied{Reason: reasonNoHeader}
	}
	c, ok := parseHeader(authorizationHeader)
	if !ok {
		return nil, &Denied{Reason: reasonMalformed}
	}
	switch c.typ {
	case TypeJWT:
		return a.authorizeJWT(c.value, need)
	case TypeToken, TypeProjectToken:
		return a.authorizeToken(ctx, c, need)
	case TypeBearer:
		return a.authorizeBearer(c.value)
	}
	return nil, &Denied{Reason: fmt.Sprintf("unknown authorization type %q: use JWT, Token, ProjectToken or Bearer", clip(c.typ, 24))}
}

// AdminKey reports whether key (the ?key= of the admin endpoints status and
// trigger_exception) is BEARER_AUTH_KEY or a valid JWT with the admin claim.
func (a *Authenticator) AdminKey(key string) bool {
	if key == "" {
		return false
	}
	if a.bearerMatches(key) {
		return true
	}
	e, _ := a.verifyJWT(key)
	return e != nil && e.user.Admin
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

var errAlgorithm = errors.New("algorithm not accepted")
