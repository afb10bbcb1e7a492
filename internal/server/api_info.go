package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/version"
)

// upstreamAPIVersion is the upstream Jet Bridge release whose API this
// bridge implements; the Jet Admin frontend reads "version" to pick features.
const upstreamAPIVersion = "1.13.1"

type apiInfo struct {
	Version          string `json:"version"`
	Type             string `json:"type"`
	StoreAvailable   bool   `json:"store_available"`
	MediaURLTemplate string `json:"media_url_template"`
	Jetbridge        string `json:"jetbridge_version"`
	Database         string `json:"database"`
	DatabaseError    string `json:"database_error,omitempty"`
	Warning          string `json:"warning,omitempty"`
}

// GET /api/ (spec §6.1): open to everyone, answers even without a database.
func (s *Server) apiInfo(c echo.Context) error {
	media := s.settings.MediaBaseURL
	if media != "" {
		media += "{}"
	} else {
		media = c.Scheme() + "://" + c.Request().Host + "/media/{}"
	}
	info := apiInfo{
		Version:          upstreamAPIVersion,
		Type:             "jet_bridge",
		StoreAvailable:   false,
		MediaURLTemplate: media,
		Jetbridge:        version.Get().Version,
		Database:         "connected",
	}
	if cn, err := s.backend.get(); err == nil {
		st := s.overrideStore(c.Request().Context(), cn)
		info.StoreAvailable = st != nil && st.Available()
	}
	if ok, _ := s.backend.status(); !ok {
		// GET /api/ is open to anyone: say that the database is down, not
		// where it is or who connects to it (authenticated data routes and
		// the server log carry the driver's message).
		info.Database = "unreachable"
		info.DatabaseError = "the bridge cannot reach its database and keeps retrying; the server log says why"
	}
	if s.settings.DisableAuth {
		info.Warning = "DISABLE_AUTH is on: anyone who can reach this bridge can read and change the database"
		if s.settings.ReadOnly {
			info.Warning = "DISABLE_AUTH is on: anyone who can reach this bridge can read the database (READ_ONLY=true refuses changes)"
		}
	}
	return writeJSON(c, http.StatusOK, info)
}
