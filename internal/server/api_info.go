package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/version"
)

// upstreamAPIVersion is the upstream Jet Bridge release whose API this
// bridge implements; the Jet Admin frontend reads "version" to pick features.
const upstreamAPIVersion = "1.13.1"

// apiInfo is upstream's answer, key for key (the frontend's recording has
// exactly these four keys); jetbridge's own version and the database state
// travel in headers, and the body names the database only when it is down.
type apiInfo struct {
	Version          string `json:"version"`
	Type             string `json:"type"`
	StoreAvailable   bool   `json:"store_available"`
	MediaURLTemplate string `json:"media_url_template"`
	Database         string `json:"database,omitempty"`
	DatabaseError    string `json:"database_error,omitempty"`
}

// Headers of GET /api/.
const (
	headerVersion  = "X-Jetbridge-Version"
	headerDatabase = "X-Jetbridge-Database"
	headerWarning  = "X-Application-Warning" // upstream's CORS-exposed warning header
)

// GET /api/ (spec §6.1): open to everyone, answers even without a database.
// store_available says whether the relationship override store works
// (graphql.go), as upstream's local store.
func (s *Server) apiInfo(c echo.Context) error {
	media := s.settings.MediaBaseURL
	if media != "" {
		media += "{}"
	} else {
		media = s.publicBase(c) + "/media/{}"
	}
	info := apiInfo{
		Version:          upstreamAPIVersion,
		Type:             "jet_bridge",
		StoreAvailable:   false,
		MediaURLTemplate: media,
	}
	if cn, err := s.backend.get(); err == nil {
		st := s.overrideStore(c.Request().Context(), cn)
		info.StoreAvailable = st != nil && st.Available()
	}
	h := c.Response().Header()
	h.Set(headerVersion, version.Get().Version)
	h.Set(headerDatabase, "connected")
	if ok, _ := s.backend.status(); !ok {
		// GET /api/ is open to anyone: say that the database is down, not
		// where it is or who connects to it (authenticated data routes and
		// the server log carry the driver's message).
		h.Set(headerDatabase, "unreachable")
		info.Database = "unreachable"
		info.DatabaseError = "the bridge cannot reach its database and keeps retrying; the server log says why"
	}
	if s.settings.DisableAuth {
		w := "DISABLE_AUTH is on: anyone who can reach this bridge can read and change the database"
		if s.settings.ReadOnly {
			w = "DISABLE_AUTH is on: anyone who can reach this bridge can read the database (READ_ONLY=true refuses changes)"
		}
		h.Set(headerWarning, w)
	}
	return writeJSON(c, http.StatusOK, info)
}
