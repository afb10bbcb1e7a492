package server

import (
	"crypto/rsa"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/jetbridge/jetbridge/internal/auth/authtest"
)

func bridgeJWTKey() *rsa.PrivateKey { return authtest.BridgeKey() }
func otherJWTKey() *rsa.PrivateKey  { return authtest.OtherKey() }

func publicKeyPEM(t testing.TB, k *rsa.PrivateKey) string { return authtest.PublicPEM(t, k) }

// jwtPerm is one item of the permissions claim (spec §4.3).
type jwtPerm struct{ Type, Object, Actions, Hash string }

func packJWTPerms(t testing.TB, items ...jwtPerm) string {
	out := make([]authtest.Perm, len(items))
	for i, it := range items {
		out[i] = authtest.Perm{Type: it.Type, Object: it.Object, Actions: it.Actions, Hash: it.Hash}
	}
	return authtest.PackPerms(t, out...)
}

// jwtUser describes the token to mint.
type jwtUser struct {
	project  string        // key of the projects claim
	owner    bool          // projects[project].owner
	readOnly bool          // projects[project].read_only
	admin    bool          // top-level admin claim
	perms    []jwtPerm     // projects[project].permissions
	expireIn time.Duration // relative to now; negative = already expired
	key      *rsa.PrivateKey
}

// mintJWT signs u's claims with RS256.
func mintJWT(t testing.TB, u jwtUser) string {
	t.Helper()
	now := time.Now()
	if u.expireIn == 0 {
		u.expireIn = time.Hour
	}
	if u.key == nil {
		u.key = bridgeJWTKey()
	}
	pc := map[string]any{"owner": u.owner, "super_group": false, "read_only": u.readOnly}
	if len(u.perms) > 0 {
		pc["permissions"] = packJWTPerms(t, u.perms...)
	}
	claims := jwt.MapClaims{
		"exp":         now.Add(u.expireIn).Unix(),
		"iat":         now.Add(u.expireIn - 2*time.Hour).Unix(),
		"user":        "u-42",
		"project":     u.project,
		"environment": "prod",
		"admin":       u.admin,
		"projects":    map[string]any{u.project: pc},
	}
	return authtest.Mint(t, u.key, claims)
}
