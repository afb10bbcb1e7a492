package server

import (
	"time"

	"github.com/jetbridge/jetbridge/internal/auth"
	"github.com/jetbridge/jetbridge/internal/jetadmin"
)

// slowAuthTimeout bounds the token checks of the slow-API case: the API
// answers in 3 s, so any bound well below fails the same way, and each
// route of that case costs one bound.
const slowAuthTimeout = 300 * time.Millisecond

// withAuthTimeout swaps in an authorizer like the injected one with check
// timeout d and returns the function that puts the previous one back.
func (e *authEnv) withAuthTimeout(d time.Duration) func() {
	s := e.srv.settings
	a, err := auth.New(auth.Config{
		Logger: e.srv.log, Project: s.Project, ProjectToken: s.Token, BearerAuthKey: s.BearerAuthKey,
		JWTVerifyKey: s.JWTVerifyKey, DisableAuth: s.DisableAuth, ReadOnly: s.ReadOnly, ProjectAuthTimeout: d,
	}, jetadmin.New(e.fake.URL, jetadmin.WithRetryBackoff(5*time.Millisecond)))
	if err != nil {
		e.t.Fatal(err)
	}
	prev := e.srv.auth.Load()
	e.srv.auth.Store(authHolder{a})
	return func() { e.srv.auth.Store(prev) }
}
