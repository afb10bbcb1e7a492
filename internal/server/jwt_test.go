package server

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// jwtKeys are two RSA 2048 keys generated once per test binary: the first
// is the bridge's (its public half is JWT_VERIFY_KEY), the second "another
// key" whose signatures must be refused.
var jwtKeys = sync.OnceValue(func() [2]*rsa.PrivateKey {
	var ks [2]*rsa.PrivateKey
	for i := range ks {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		ks[i] = k
	}
	return ks
})

func bridgeJWTKey() *rsa.PrivateKey { return jwtKeys()[0] }
func otherJWTKey() *rsa.PrivateKey  { return jwtKeys()[1] }

// publicKeyPEM is the JWT_VERIFY_KEY value of k.
func publicKeyPEM(t testing.TB, k *rsa.PrivateKey) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// jwtPerm is one item of the permissions claim (spec §4.3).
type jwtPerm struct {
	Type    string `json:"permission_type"`
	Object  string `json:"permission_object"`
	Actions string `json:"permission_actions"`
	Hash    string `json:"resource_token_hash,omitempty"`
}

// packJWTPerms encodes items as Jet Admin does: base64(gzip(JSON array)).
func packJWTPerms(t testing.TB, items ...jwtPerm) string {
	t.Helper()
	js, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(js); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
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
	s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(u.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
