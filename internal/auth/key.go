package auth

import (
	"crypto/rsa"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// defaultKeyPEM is Jet Admin's public key for user JWTs (RSA 4096), used when
// JWT_VERIFY_KEY is not set (§4.3).
//
//go:embed jetadmin-jwt-public-key.pem
var defaultKeyPEM string

// DefaultJWTVerifyKey returns Jet Admin's public key in PEM form, the
// default of JWT_VERIFY_KEY.
func DefaultJWTVerifyKey() string { return defaultKeyPEM }

// ParseVerifyKey reads a JWT_VERIFY_KEY value: an RSA public key (PKIX,
// PKCS#1 or a certificate) in PEM form, with real newlines or literal "\n"
// sequences and any indentation; bare base64 DER is accepted too. Empty means
// Jet Admin's key. Errors name JWT_VERIFY_KEY.
func ParseVerifyKey(s string) (*rsa.PublicKey, error) {
	if strings.TrimSpace(s) == "" {
		s = defaultKeyPEM
	}
	s = strings.ReplaceAll(s, `\r`, "")
	s = strings.ReplaceAll(s, `\n`, "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	s = strings.TrimSpace(strings.Join(lines, "\n"))
	if strings.Contains(s, "PRIVATE KEY") {
		return nil, fmt.Errorf("JWT_VERIFY_KEY holds a private key: give the public key (-----BEGIN PUBLIC KEY-----)")
	}
	if !strings.Contains(s, "-----BEGIN") {
		der := strings.Join(strings.Fields(s), "")
		if _, err := base64.StdEncoding.DecodeString(der); err != nil {
			return nil, fmt.Errorf("JWT_VERIFY_KEY is not a PEM public key (no -----BEGIN PUBLIC KEY----- line)")
		}
		s = "-----BEGIN PUBLIC KEY-----\n" + der + "\n-----END PUBLIC KEY-----\n"
	}
	key, err := jwt.ParseRSAPublicKeyFromPEM([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("JWT_VERIFY_KEY is not a valid RSA public key in PEM form: %w", err)
	}
	return key, nil
}
