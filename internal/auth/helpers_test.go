package auth

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

// testKeys are generated once per test binary (RSA 2048).
var testKeys = sync.OnceValue(func() [2]*rsa.PrivateKey {
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

// bridgeKey signs valid tokens; otherKey is "a different key".
func bridgeKey() *rsa.PrivateKey { return testKeys()[0] }
func otherKey() *rsa.PrivateKey  { return testKeys()[1] }

func publicPEM(t testing.TB, k *rsa.PrivateKey) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// perm is one permission item of a JWT.
type perm struct {
	Type    string `json:"permission_type"`
	Object  string `json:"permission_object"`
	Actions string `json:"permission_actions"`
	Hash    string `json:"resource_token_hash,omitempty"`
}

// packPerms encodes items as Jet Admin does: base64(gzip(JSON)).
func packPerms(t testing.TB, items ...perm) string {
	t.Helper()
	js, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(js)
	zw.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// mint signs claims with key (RS256).
func mint(t testing.TB, key *rsa.PrivateKey, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
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
