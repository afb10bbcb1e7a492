package graphql

import (
	"math/big"
	"strings"
)

// cleanName is upstream's name cleaning (spec §2): _meta/Meta become __meta,
// every character outside [_a-zA-Z0-9] becomes _, a leading digit gets a _.
func cleanName(s string) string {
	if s == "_meta" || s == "Meta" {
		return "__meta"
	}
	var sb strings.Builder
	sb.Grow(len(s))
	for i, r := range s {
		if i == 0 && r >= '0' && r <= '9' {
			sb.WriteByte('_')
		}
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('_')
		}
	}
	return sb.String()
}

// isIdent reports whether s is a GraphQL name.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return false
	}
	return true
}

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62Name keeps GraphQL names (other than _meta/Meta) and encodes any
// other name as __BASE62__ + base62 of its UTF-8 bytes (spec §2).
func base62Name(s string) string {
	if s == "" {
		return ""
	}
	if isIdent(s) && s != "_meta" && s != "Meta" {
		return s
	}
	n := new(big.Int).SetBytes([]byte(s))
	if n.Sign() == 0 {
		return "__BASE62__0"
	}
	var out []byte
	base := big.NewInt(62)
	mod := new(big.Int)
	for n.Sign() > 0 {
		n.DivMod(n, base, mod)
		out = append(out, base62Alphabet[mod.Int64()])
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return "__BASE62__" + string(out)
}
