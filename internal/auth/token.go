package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/jetadmin"
)

// tokenKey identifies a project_auth question.
type tokenKey struct {
	token        string
	perm         Permission
	projectToken string
	projectChild string
}

// tokenResult is a remembered project_auth answer; denied is nil when allowed.
type tokenResult struct {
	denied *Denied
}

// authorizeToken checks a Token / ProjectToken credential with the Jet Admin
// API (§4.4), through the cache and one shared call per identical question.
func (a *Authenticator) authorizeToken(ctx context.Context, c credential, need Permission) (*User, *Denied) {
	if a.cfg.ProjectToken == "" {
		return nil, &Denied{Reason: reasonNoTokenForAPI}
	}
	if a.pa == nil {
		return nil, &Denied{Reason: "Token authentication is not available: no Jet Admin API client is configured"}
	}
	key := tokenKey{token: c.value, perm: need, projectToken: a.cfg.ProjectToken, projectChild: c.projectChild}
	key.perm.Write = false // not part of the question to Jet Admin
	if r, ok := a.tokens.get(key, a.cfg.Now()); ok {
		return a.tokenUser(r)
	}
	key.token = strings.Clone(key.token)
	key.projectChild = strings.Clone(key.projectChild)
	ch := a.flight.DoChan(flightKey(key), func() (any, error) {
		if r, ok := a.tokens.get(key, a.cfg.Now()); ok { // answered meanwhile
			return r, nil
		}
		return a.askJetAdmin(ctx, key), nil
	})
	select {
	case res := <-ch:
		return a.tokenUser(res.Val.(tokenResult))
	case <-ctx.Done():
		return nil, &Denied{Reason: reasonCancelled}
	}
}

func (a *Authenticator) tokenUser(r tokenResult) (*User, *Denied) {
	if r.denied != nil {
		return nil, r.denied
	}
	return &User{Kind: "token", Project: a.cfg.Project}, nil
}

// askJetAdmin makes the project_auth call, bounded by ProjectAuthTimeout and
// independent of the cancellation of the request that started it (others may
// share it), and caches the answer.
func (a *Authenticator) askJetAdmin(ctx context.Context, key tokenKey) tokenResult {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ProjectAuthTimeout)
	defer cancel()
	// at most MaxConcurrentChecks calls at once; waiting counts against the
	// check's own timeout (issue 17 L5)
	if err := a.outbound.Acquire(cctx, 1); err != nil {
		a.log.Warn("too many token checks waiting for the Jet Admin API", "max_concurrent", a.cfg.MaxConcurrentChecks)
		r := tokenResult{denied: &Denied{Reason: "the bridge is checking too many tokens with the Jet Admin API at once: try again shortly"}}
		a.tokens.set(key, r, a.cfg.Now().Add(ErrorTTL), a.cfg.Now())
		return r
	}
	defer a.outbound.Release(1)
	res, err := a.pa.ProjectAuth(cctx, jetadmin.ProjectAuthRequest{
		ProjectToken:      key.projectToken,
		Token:             key.token,
		PermissionType:    key.perm.Type,
		PermissionObject:  key.perm.Object,
		PermissionActions: key.perm.Actions,
		ProjectChild:      key.projectChild,
	})
	now := a.cfg.Now()
	var (
		r   tokenResult
		ttl time.Duration
		msg string
	)
	if err != nil {
		msg = err.Error()
		for _, secret := range []string{key.token, key.projectToken} {
			if len(secret) >= 8 {
				msg = strings.ReplaceAll(msg, secret, "[redacted]")
			}
		}
	}
	switch {
	case err != nil && (cctx.Err() != nil || errors.Is(err, context.DeadlineExceeded)):
		a.log.Warn("Jet Admin API did not answer a token check in time", "timeout", a.cfg.ProjectAuthTimeout)
		r.denied = &Denied{Reason: fmt.Sprintf("Jet Admin API did not answer in %s: the token could not be checked, try again later", a.cfg.ProjectAuthTimeout)}
		ttl = ErrorTTL
	case err != nil:
		a.log.Warn("Jet Admin API could not check a token", "err", msg)
		r.denied = &Denied{Reason: "the token could not be checked: " + msg}
		ttl = ErrorTTL
	case res.Allowed:
		if res.Warning != "" {
			a.log.Warn("Jet Admin API warning on a token check", "warning", res.Warning)
		}
		ttl = AllowTTL
	case res.Status >= 200 && res.Status < 300:
		r.denied = &Denied{Reason: "access disabled by Jet Admin for this token"}
		ttl = DenyTTL
	default:
		r.denied = &Denied{Reason: fmt.Sprintf("Jet Admin API refused this token for %s (it answered %d)", key.perm.String(), res.Status)}
		ttl = DenyTTL
	}
	a.tokens.set(key, r, now.Add(ttl), now)
	return r
}

// flightKey joins the question into one string for singleflight.
func flightKey(k tokenKey) string {
	return strings.Join([]string{k.token, k.perm.Type, k.perm.Object, k.perm.Actions, k.projectToken, k.projectChild}, "\x00")
}

// authorizeBearer checks a Bearer credential against BEARER_AUTH_KEY (§4.5)
// in constant time.
func (a *Authenticator) authorizeBearer(value string) (*User, *Denied) {
	if a.cfg.BearerAuthKey == "" {
		return nil, &Denied{Reason: reasonBearerOff}
	}
	if !a.bearerMatches(value) {
		return nil, &Denied{Reason: reasonBearerWrong}
	}
	return &User{Kind: "bearer", Owner: true, Project: a.cfg.Project}, nil
}

func (a *Authenticator) bearerMatches(value string) bool {
	if a.cfg.BearerAuthKey == "" {
		return false
	}
	sum := sha256.Sum256([]byte(value))
	return subtle.ConstantTimeCompare(sum[:], a.bearer[:]) == 1
}
