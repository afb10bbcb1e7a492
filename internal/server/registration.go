package server

import (
	"context"

	"github.com/jetbridge/jetbridge/internal/jetadmin"
	"github.com/jetbridge/jetbridge/internal/register"
)

// RegisterInBackground obtains and stores the Project Token once the
// database is connected, and reports its activation state. It never delays
// or stops serving: failures are warnings.
func (s *Server) RegisterInBackground(ctx context.Context, ready <-chan struct{}) {
	go func() {
		select {
		case <-ctx.Done():
			return
		case <-ready:
		}
		cn, err := s.backend.get()
		if err != nil {
			s.log.Warn("Project Token check skipped: the database is not connected yet")
			return
		}
		store := register.NewStore(cn.db)
		client := jetadmin.New(s.settings.APIBaseURL)
		if err := register.EnsureRegistered(ctx, s.settings, store, client, s.log, register.OpenBrowser); err != nil {
			s.log.Warn("Project Token registration failed; serving goes on", "err", err)
		}
		if token, _, err := register.Resolve(ctx, s.settings, store); err == nil {
			s.useProjectToken(token)
		}
	}()
}
