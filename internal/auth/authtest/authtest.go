// Package authtest mints Jet Admin style JWTs for tests of any package: RSA
// keys generated once per test binary, the permissions claim packed as Jet
// Admin packs it (base64 of gzip of JSON), RS256 signatures.
package authtest

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

	"github.com/golang-jwt/jwt/v5"
)

// keys are generated once per test binary (RSA 2048): generating them is
// the slowest part of a JWT test.
var keys = sync.OnceValue(func() [2]*rsa.PrivateKey {
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

// BridgeKey signs tokens the bridge under test accepts (its public half is
// the JWT_VERIFY_KEY); OtherKey is "a different key" whose tokens it refuses.
func BridgeKey() *rsa.PrivateKey { return keys()[0] }
func OtherKey() *rsa.PrivateKey  { return keys()[1] }

// PublicPEM is the JWT_VERIFY_KEY value for k.
func PublicPEM(t testing.TB, k *rsa.PrivateKey) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// Perm is one item of the permissions claim (spec §4.3).
type Perm struct {
	Type    string `json:"permission_type"`
	Object  string `json:"permission_object"`
	Actions string `json:"permission_actions"`
	Hash    string `json:"resource_token_hash,omitempty"`
}

// PackPerms encodes items as Jet Admin does: base64(gzip(JSON array)).
func PackPerms(t testing.TB, items ...Perm) string {
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

// Mint signs claims with key (RS256).
func Mint(t testing.TB, key *rsa.PrivateKey, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
