package register

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/jetadmin"
)

// EnsureRegistered is the serve start-up step of the Project Token. With no
// token in the settings nor in the database it obtains one from the Jet Admin
// API and stores it; then it asks the API whether the token is activated (the
// current flow's check_resource_token when PROJECT is set, the legacy
// project_tokens/{token}/ otherwise). When it is not, it logs the activation
// URL (token masked) and, when AUTO_OPEN_REGISTER is true and openBrowser is
// not nil, opens the full URL with openBrowser (OpenBrowser in production; it
// fails without a desktop).
//
// It may take as long as the API calls do: run it in a goroutine, never
// before serving. Every failure of the API (unreachable, 5xx, garbage) is
// logged as a warning and nil is returned; the error it returns is a failure
// of the database (e.g. a *PermissionError) or a token the API issued that
// cannot be stored; the caller logs it.
func EnsureRegistered(ctx context.Context, s config.Settings, st *Store, c *jetadmin.Client, log *slog.Logger, openBrowser func(url string) error) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	token, source, err := Resolve(ctx, s, st)
	switch {
	case errors.Is(err, ErrNoToken):
		if st == nil {
			return err
		}
		t, ok, err := registerNew(ctx, s, st, c, log)
		if err != nil || !ok {
			return err
		}
		token, source = t, SourceDatabase
	case err != nil:
		return err
	}

	activated, err := CheckActivated(ctx, s, c, token)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		log.Warn("[!] Can't connect to Jet Admin API: token verification failed", "err", err)
		return nil
	}
	if activated {
		log.Info("project token is activated", "token", Mask(token), "source", source)
		return nil
	}

	link, err := ActivationURL(s, token)
	if err != nil {
		log.Warn("[!] Your project token is not activated", "project", s.Project, "token", Mask(token), "err", err)
		return nil
	}
	masked := strings.ReplaceAll(link, token, Mask(token))
	log.Warn("[!] Your project token is not activated", "project", s.Project, "token", Mask(token), "source", source)
	if s.AutoOpenRegister && openBrowser != nil {
		if err := openBrowser(link); err == nil {
			log.Warn("[!] Activation page was opened in your browser", "url", masked)
			return nil
		} else if !errors.Is(err, ErrNoDesktop) {
			log.Warn("could not open a browser", "err", err)
		}
	}
	log.Warn("[!] Go to the activation page to activate it (run `jetbridge token show --reveal` for the full link)", "url", masked)
	return nil
}

// CheckActivated asks the Jet Admin API whether token is activated: with
// check_resource_token for PROJECT in the current flow, project_tokens/{token}/
// in the legacy flow (no PROJECT).
func CheckActivated(ctx context.Context, s config.Settings, c *jetadmin.Client, token string) (bool, error) {
	if CurrentFlow(s) {
		return c.CheckResourceToken(ctx, strings.TrimSpace(s.Project), token)
	}
	return c.ProjectTokenActivated(ctx, token)
}

// registerNew obtains a new token from the API and stores it. ok is false
// (with a nil error) when the API could not be used; that is logged.
func registerNew(ctx context.Context, s config.Settings, st *Store, c *jetadmin.Client, log *slog.Logger) (token string, ok bool, err error) {
	// Fail before the API issues a token that could not be kept.
	if err := st.EnsureTable(ctx); err != nil {
		return "", false, err
	}
	pt, err := c.CreateProjectToken(ctx)
	if err != nil {
		if ctx.Err() == nil {
			log.Warn("[!] Can't connect to Jet Admin API: no project token could be registered; "+
				"the bridge serves, but Jet Admin cannot use it until a token is set (jetbridge token rotate, or TOKEN in the config)",
				"err", err)
		}
		return "", false, nil
	}
	token, err = NormalizeToken(pt.Token)
	if err != nil {
		return "", false, fmt.Errorf("the Jet Admin API issued an unusable project token: %w", err)
	}
	if err := st.Save(ctx, Token{Project: strings.TrimSpace(s.Project), Token: token, DateAdd: pt.DateAdd}); err != nil {
		return "", false, err
	}
	log.Info("registered a new project token with Jet Admin", "token", Mask(token), "stored_in", TableName)
	return token, true, nil
}
