package auth

import (
	"crypto/rsa"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/jetbridge/jetbridge/internal/auth/authtest"
)

func bridgeKey() *rsa.PrivateKey { return authtest.BridgeKey() }
func otherKey() *rsa.PrivateKey  { return authtest.OtherKey() }

func publicPEM(t testing.TB, k *rsa.PrivateKey) string { return authtest.PublicPEM(t, k) }

// perm is one item of the permissions claim (spec §4.3).
type perm struct{ Type, Object, Actions, Hash string }

func packPerms(t testing.TB, items ...perm) string {
	out := make([]authtest.Perm, len(items))
	for i, it := range items {
		out[i] = authtest.Perm{Type: it.Type, Object: it.Object, Actions: it.Actions, Hash: it.Hash}
	}
	return authtest.PackPerms(t, out...)
}

func mint(t testing.TB, key *rsa.PrivateKey, claims jwt.MapClaims) string {
	return authtest.Mint(t, key, claims)
}

// userClaims are the claims of a user of project with the given flags,
// expiring in an hour from now.
func userClaims(now time.Time, project string, pc map[string]any) jwt.MapClaims {
	return jwt.MapClaims{
		"exp":         now.Add(time.Hour).Unix(),
		"iat":         now.Unix(),
		"user":        "u-1",
		"project":     project,
		"environment": "prod",
		"projects":    map[string]any{project: pc},
	}
}

// clock is an injectable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
