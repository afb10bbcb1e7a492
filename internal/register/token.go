package register

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jetbridge/jetbridge/internal/config"
)

// Where a token came from, as Resolve reports it.
const (
	SourceSettings = "settings (TOKEN)"
	SourceDatabase = "database (table " + TableName + ")"
)

// ErrNoToken means there is no token in the settings nor in the database.
var ErrNoToken = errors.New("no project token: none in the settings (TOKEN) nor in the database (table " + TableName + ")")

// NormalizeToken removes dashes and surrounding space, lower-cases, and
// checks that 32 hex characters remain (a UUID, as Jet Admin issues them).
func NormalizeToken(s string) (string, error) {
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "-", ""))
	if len(t) != 32 {
		return "", fmt.Errorf("a project token is 32 hex characters (dashes allowed), got %d characters", len(t))
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", fmt.Errorf("a project token is 32 hex characters (dashes allowed), found %q", printable(c))
		}
	}
	return t, nil
}

func printable(c byte) string {
	if c < 0x20 || c >= 0x7f {
		return fmt.Sprintf("\\x%02x", c)
	}
	return string(c)
}

// Mask shows only the first and last 4 characters of a token, for logs and
// terminal output.
func Mask(token string) string {
	if len(token) <= 8 {
		return strings.Repeat("*", len(token))
	}
	return token[:4] + "…" + token[len(token)-4:]
}

// Resolve returns the token the bridge uses: TOKEN from the settings when set,
// otherwise the one stored in the database (st may be nil). With neither it
// returns ErrNoToken.
func Resolve(ctx context.Context, s config.Settings, st *Store) (token string, source string, err error) {
	if t := strings.TrimSpace(s.Token); t != "" {
		return t, SourceSettings, nil
	}
	if st == nil {
		return "", "", ErrNoToken
	}
	t, found, err := st.Get(ctx)
	if err != nil {
		return "", "", err
	}
	if !found || t.Token == "" {
		return "", "", ErrNoToken
	}
	return t.Token, SourceDatabase, nil
}
