package auth

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// jwtEntry is a verified JWT as evaluated for this bridge's project, kept in
// the cache until the token expires.
type jwtEntry struct {
	user        User       // template copied into each request's User
	member      bool       // projects[PROJECT] exists
	perms       []permItem // decoded, filtered by resource_token_hash
	permsBroken bool       // the permissions claim could not be decoded
}

// claims are the JWT claims the bridge reads (§4.3).
type claims struct {
	jwt.RegisteredClaims
	Projects      map[string]json.RawMessage `json:"projects"`
	Project       flexString                 `json:"project"`
	Environment   flexString                 `json:"environment"`
	Admin         flexBool                   `json:"admin"`
	SSOSharedData map[string]any             `json:"sso_shared_data"`
}

// projectClaim is projects[PROJECT].
type projectClaim struct {
	Owner       flexBool        `json:"owner"`
	SuperGroup  flexBool        `json:"super_group"`
	ReadOnly    flexBool        `json:"read_only"`
	Permissions json.RawMessage `json:"permissions"`
}

// rawPermItem is one element of the decoded permissions array.
type rawPermItem struct {
	Type              flexString `json:"permission_type"`
	Object            flexString `json:"permission_object"`
	Actions           flexString `json:"permission_actions"`
	ResourceTokenHash flexString `json:"resource_token_hash"`
}

func (a *Authenticator) authorizeJWT(token string, need Permission) (*User, *Denied) {
	e, d := a.verifyJWT(token)
	if d != nil {
		return nil, d
	}
	if !e.member {
		if a.cfg.Project == "" {
			return nil, &Denied{Reason: reasonNoProject}
		}
		return nil, &Denied{Reason: fmt.Sprintf("this JWT does not grant access to project %q (PROJECT): sign in to that project in Jet Admin", a.cfg.Project)}
	}
	if d := a.evaluate(e, need); d != nil {
		return nil, d
	}
	u := new(User)
	*u = e.user
	return u, nil
}

// evaluate is §4.6 for a JWT user, with the Write tightening for read-only
// users.
func (a *Authenticator) evaluate(e *jwtEntry, need Permission) *Denied {
	u := &e.user
	if u.Owner || u.SuperGroup {
		return nil
	}
	if need.Type == "" {
		if need.Write && u.ReadOnly {
			return &Denied{Reason: "read-only user: this request changes data or settings"}
		}
		return nil
	}
	if u.ReadOnly {
		if readOnlyMay(need) {
			return nil
		}
		return &Denied{Reason: "read-only user: not permitted: " + need.String()}
	}
	if a.cfg.ProjectToken == "" {
		return &Denied{Reason: reasonNoTokenForJWT}
	}
	if allowedByItems(e.perms, need) {
		return nil
	}
	reason := "not permitted: " + need.String()
	if e.permsBroken {
		reason += " (the JWT's permissions claim could not be decoded)"
	}
	return &Denied{Reason: reason}
}

// verifyJWT returns the cached or freshly verified entry of token.
func (a *Authenticator) verifyJWT(token string) (*jwtEntry, *Denied) {
	now := a.cfg.Now()
	if e, ok := a.jwts.get(token, now); ok {
		return e, nil
	}
	e, exp, d := a.verifyUncached(token, now)
	if d != nil {
		return nil, d
	}
	a.jwts.set(strings.Clone(token), e, exp, now)
	return e, nil
}

// verifyUncached checks the signature and claims of token and evaluates them
// for this bridge; exp is when the result stops being valid.
func (a *Authenticator) verifyUncached(token string, now time.Time) (*jwtEntry, time.Time, *Denied) {
	var c claims
	_, err := a.parser.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		if t.Method == nil || t.Method.Alg() != jwt.SigningMethodRS256.Alg() {
			return nil, errAlgorithm
		}
		return a.key, nil
	})
	if err != nil {
		return nil, time.Time{}, jwtDenial(err, token)
	}
	exp := now.Add(noExpTTL)
	if c.ExpiresAt != nil {
		exp = c.ExpiresAt.Add(JWTLeeway)
	} else {
		// accepted, as upstream does; said once per token (it is cached)
		a.log.Debug("accepted a JWT without an expiry (exp claim): it stays valid until the key changes",
			"subject", c.Subject, "project", string(c.Project))
	}
	return a.fill(&c), exp, nil
}

// jwtDenial turns a verification error into a reason.
func jwtDenial(err error, token string) *Denied {
	switch {
	case errors.Is(err, errAlgorithm):
		return &Denied{Reason: fmt.Sprintf("JWT algorithm %q is not accepted: only RS256", clip(headerAlg(token), 16))}
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return &Denied{Reason: reasonBadSignature}
	case errors.Is(err, jwt.ErrTokenExpired):
		return &Denied{Reason: "JWT expired: sign in to Jet Admin again"}
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return &Denied{Reason: "JWT is not valid yet (nbf in the future): check the clock of this machine"}
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return &Denied{Reason: fmt.Sprintf("JWT algorithm %q is not accepted: only RS256", clip(headerAlg(token), 16))}
	case errors.Is(err, jwt.ErrTokenMalformed):
		return &Denied{Reason: reasonMalformedJWT}
	}
	return &Denied{Reason: "invalid JWT: " + plainJWTError(err)}
}

// plainJWTError keeps the library's words, which never hold the token.
func plainJWTError(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "token has invalid claims: ")
	return s
}

// headerAlg reads the alg of an unverified token header, for the reason only.
func headerAlg(token string) string {
	h, _, _ := strings.Cut(token, ".")
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(h, "="))
	if err != nil {
		return "?"
	}
	var v struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(b, &v) != nil {
		return "?"
	}
	return v.Alg
}

// fill evaluates verified claims for this bridge once: the project's claim,
// its permissions decoded and filtered by resource_token_hash.
func (a *Authenticator) fill(c *claims) *jwtEntry {
	e := &jwtEntry{user: User{
		Kind:          "jwt",
		Admin:         bool(c.Admin),
		Project:       string(c.Project),
		Environment:   string(c.Environment),
		SSOSharedData: c.SSOSharedData,
	}}
	raw, ok := c.Projects[a.cfg.Project]
	if !ok || a.cfg.Project == "" {
		return e
	}
	var pc projectClaim
	e.member = true
	if err := json.Unmarshal(raw, &pc); err != nil { // null is a member without flags
		a.log.Warn("JWT project claim could not be decoded", "err", err)
		e.permsBroken = true
		return e
	}
	e.user.Owner = bool(pc.Owner)
	e.user.SuperGroup = bool(pc.SuperGroup)
	e.user.ReadOnly = bool(pc.ReadOnly)
	items, err := decodePermissions(pc.Permissions)
	if err != nil {
		a.log.Warn("JWT permissions claim could not be decoded", "err", err)
		e.permsBroken = true
		return e
	}
	for _, it := range items {
		typ := string(it.Type)
		obj := string(it.Object)
		if typ == PermModel {
			if h := string(it.ResourceTokenHash); h != "" && h != a.tokenHash {
				continue
			}
			if _, after, ok := strings.Cut(obj, "."); ok {
				obj = after
			}
		}
		e.perms = append(e.perms, permItem{typ: typ, object: obj, actions: string(it.Actions)})
	}
	return e
}

// maxPermissions bounds the decompressed permissions claim.
const maxPermissions = 16 << 20

// decodePermissions reads the permissions claim: a string holding base64 of
// gzip (zlib accepted) of a JSON array; an array as such is accepted too;
// null, absent or "" mean none.
func decodePermissions(raw json.RawMessage) ([]rawPermItem, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var items []rawPermItem
	if raw[0] == '[' {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("permissions array: %w", err)
		}
		return items, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("permissions is neither a string nor an array")
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	b, err := decodeBase64(s)
	if err != nil {
		return nil, fmt.Errorf("permissions base64: %w", err)
	}
	var zr io.ReadCloser
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err = gzip.NewReader(bytes.NewReader(b))
	} else {
		zr, err = zlib.NewReader(bytes.NewReader(b))
	}
	if err != nil {
		return nil, fmt.Errorf("permissions compression: %w", err)
	}
	defer zr.Close()
	js, err := io.ReadAll(io.LimitReader(zr, maxPermissions))
	if err != nil {
		return nil, fmt.Errorf("permissions compression: %w", err)
	}
	if err := json.Unmarshal(js, &items); err != nil {
		return nil, fmt.Errorf("permissions JSON: %w", err)
	}
	return items, nil
}

func decodeBase64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "-_") {
		return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}

// flexBool reads JSON booleans the way Python truthiness would: true, non-zero
// numbers and non-empty strings are true; false, 0, "", null are false.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case bool:
		*b = flexBool(x)
	case float64:
		*b = x != 0
	case string:
		*b = x != ""
	case nil:
		*b = false
	default:
		*b = true
	}
	return nil
}

// flexString reads a JSON string, a number (as its text) or null ("").
type flexString string

func (s *flexString) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case len(data) == 0 || string(data) == "null":
		*s = ""
	case data[0] == '"':
		var v string
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case data[0] == '{' || data[0] == '[':
		return fmt.Errorf("expected a string")
	default:
		*s = flexString(data)
	}
	return nil
}
