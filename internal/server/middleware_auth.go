package server

import (
	"log/slog"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/auth"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/jetadmin"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// Model actions and the permission letters of spec §4.6.
const (
	actRead   = "r"
	actWrite  = "w"
	actDelete = "d"
)

var (
	permMember          = auth.AnyMember()
	permProjectSettings = auth.ReloadPermission()
)

const userKey = "jetbridge.user"

func newAuthorizer(s config.Settings, log *slog.Logger) (Authorizer, error) {
	client := jetadmin.New(s.APIBaseURL)
	return auth.New(auth.Config{
		Logger:        log,
		Project:       s.Project,
		ProjectToken:  s.Token,
		BearerAuthKey: s.BearerAuthKey,
		JWTVerifyKey:  s.JWTVerifyKey,
		DisableAuth:   s.DisableAuth,
		ReadOnly:      s.ReadOnly,
		// the configured bound of a project_auth check (auth's default when 0)
		ProjectAuthTimeout: s.ProjectAuthTimeout,
	}, client)
}

// authorize checks the request's credentials for need. The method the
// permission is derived from is always the real one: X-HTTP-Method-Override
// is ignored (fix of quirk Q3).
func (s *Server) authorize(c echo.Context, need auth.Permission, write bool) error {
	_, err := s.authorizeUser(c, need, write)
	return err
}

// authorizeUser is authorize returning the user the credentials name.
func (s *Server) authorizeUser(c echo.Context, need auth.Permission, write bool) (*auth.User, error) {
	if write && s.settings.ReadOnly {
		return nil, apierr.Forbidden("this bridge runs with READ_ONLY=true: writes are refused")
	}
	user, denied := s.authorizer().Authorize(c.Request().Context(), c.Request().Header.Get("Authorization"), need)
	if denied != nil {
		return nil, apierr.Forbidden(denied.Reason)
	}
	return user, nil
}

func currentUser(c echo.Context) *auth.User {
	u, _ := c.Get(userKey).(*auth.User)
	return u
}

// withPermission wraps a handler that needs a live database connection;
// the handler finds the user in currentUser.
func (s *Server) withPermission(need auth.Permission, write bool, h func(c echo.Context, cn *conn) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		user, err := s.authorizeUser(c, need, write)
		if err != nil {
			return err
		}
		c.Set(userKey, user)
		release, err := s.bufferBody(c)
		defer release()
		if err != nil {
			return err
		}
		cn, err := s.backend.get()
		if err != nil {
			return err
		}
		return h(c, cn)
	}
}

// member: any authenticated project member.
func (s *Server) member(h func(c echo.Context, cn *conn) error) echo.HandlerFunc {
	return s.withPermission(permMember, false, h)
}

// modelRoute resolves {model} after the permission check (so an unknown
// model is 403 for a denied user and 404 for an allowed one, as upstream).
func (s *Server) modelRoute(action string, h func(c echo.Context, cn *conn, m *schema.Model) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		name := pathParam(c, "model")
		need := auth.Permission{Type: auth.PermModel, Object: name, Actions: action, Write: action != actRead}
		if err := s.authorize(c, need, action != actRead); err != nil {
			return err
		}
		release, err := s.bufferBody(c)
		defer release()
		if err != nil {
			return err
		}
		cn, err := s.backend.get()
		if err != nil {
			return err
		}
		m := cn.schema.Model(name)
		if m == nil {
			return apierr.NotFound("Not found: no model named " + strconv.Quote(name) + " (see /api/model_descriptions/)")
		}
		return s.withDeadline(c, cn, m, h)
	}
}

func pathParam(c echo.Context, name string) string {
	v := c.Param(name)
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}
