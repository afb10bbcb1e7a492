// Package server is the HTTP layer: echo routes, middleware and handlers of
// the Jet Bridge API. Every echo type stays inside this package.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/auth"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/media"
	"github.com/jetbridge/jetbridge/internal/sqlapi"
)

// BodyLimit is the largest request body accepted (413 beyond).
const BodyLimit = 10 << 20

// Authorizer decides whether a request's Authorization header grants a permission.
type Authorizer interface {
	Authorize(ctx context.Context, header string, need auth.Permission) (*auth.User, *auth.Denied)
}

// Options configure a Server.
type Options struct {
	Settings config.Settings
	Logger   *slog.Logger
	// Auth decides every request's permissions; nil builds one from Settings.
	Auth Authorizer
	// Ready, when set, is closed once the first connect attempt finished.
	Ready chan struct{}
	// DescribeDBError, when set, explains a failed database connection in
	// plain words for the log (slog attributes); nil logs the driver's error.
	DescribeDBError func(error) []any
	// ReadHeaderTimeout bounds how long a client may take to send the
	// request headers (slow-loris); zero means DefaultReadHeaderTimeout.
	ReadHeaderTimeout time.Duration
}

// DefaultReadHeaderTimeout is the read-header timeout of Serve.
const DefaultReadHeaderTimeout = 10 * time.Second

// Server is the Jet Bridge API over one database.
type Server struct {
	settings  config.Settings
	log       *slog.Logger
	echo      *echo.Echo
	backend   *backend
	auth      atomic.Value // authHolder
	fixedAuth bool
	// projectToken is the Project Token found in the database when TOKEN is unset.
	projectToken atomic.Value
	started      time.Time
	bufs         *bufPool
	bodies       *bodyBudget
	ready        chan struct{}
	headerWait   time.Duration
	media        *media.Store
	// ddlMu serialises schema changes (§11) with the reflection after each.
	ddlMu sync.Mutex
	// gql: relation override store and GraphQL schemas (graphql.go)
	gql gqlState
}

// New builds the server; it does not connect or listen yet (see Start, Serve).
func New(opt Options) (*Server, error) {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		settings: opt.Settings,
		log:      log,
		backend: newBackend(withStatementTimeout(opt.Settings), sqlapi.Options{
			Timeout: opt.Settings.SQLTimeout, ReadOnly: opt.Settings.ReadOnly,
			MaxResponseBytes: int64(opt.Settings.SQLMaxResponseBytes), MaxValueBytes: int64(opt.Settings.SQLMaxValueBytes)}, log),
		started: time.Now(),
		bufs:    newBufPool(),
		bodies:  newBodyBudget(opt.Settings.BodyBufferBytes),
		ready:   opt.Ready,
	}
	s.backend.describe = opt.DescribeDBError
	s.headerWait = opt.ReadHeaderTimeout
	if s.headerWait <= 0 {
		s.headerWait = DefaultReadHeaderTimeout
	}
	store, err := media.New(opt.Settings.MediaDir(), int64(opt.Settings.MediaMaxUploadMB)<<20)
	if err != nil {
		return nil, err
	}
	s.media = store
	if opt.Auth != nil {
		s.auth.Store(authHolder{opt.Auth})
		s.fixedAuth = true
	} else {
		a, err := newAuthorizer(opt.Settings, log)
		if err != nil {
			return nil, err
		}
		s.auth.Store(authHolder{a})
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.writeError
	e.Use(s.front)
	s.echo = e
	s.routes()
	return s, nil
}

// Handler is the HTTP handler (for tests and embedding).
func (s *Server) Handler() http.Handler { return s.echo }

// Start connects to the database in the background: a database that is down
// at start-up does not stop the server, which keeps retrying.
func (s *Server) Start(ctx context.Context) {
	go func() {
		first := make(chan struct{})
		go func() {
			cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
			err := s.backend.connect(cctx)
			cancel()
			close(first)
			if err != nil {
				attrs := s.backend.problem(err)
				s.log.Warn("database unreachable at start-up; data routes answer 503 until it is back", attrs...)
				s.backend.connectLoop(ctx, problemKey(attrs))
			}
		}()
		<-first
		if s.ready != nil {
			close(s.ready)
		}
	}()
}

// Connect connects synchronously (for tests and commands that need the schema).
func (s *Server) Connect(ctx context.Context) error { return s.backend.connect(ctx) }

// Close releases the database pool.
func (s *Server) Close() {
	s.gql.mu.Lock()
	if s.gql.store != nil {
		_ = s.gql.store.Close()
	}
	s.gql.mu.Unlock()
	s.backend.close()
}

// Serve listens on ln until ctx is done, then shuts down gracefully: the
// listener closes, in-flight requests finish (up to 25 s), the pool closes.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: s.headerWait,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       75 * time.Second,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	tlsOn := s.settings.SSLCert != "" || s.settings.SSLKey != ""
	if tlsOn {
		cert, err := tls.LoadX509KeyPair(s.settings.SSLCert, s.settings.SSLKey)
		if err != nil {
			return fmt.Errorf("SSL_CERT/SSL_KEY: %w", err)
		}
		hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}}
	}
	errc := make(chan error, 1)
	go func() {
		var err error
		if tlsOn {
			err = hs.ServeTLS(ln, "", "")
		} else {
			err = hs.Serve(ln)
		}
		errc <- err
	}()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	<-errc
	s.Close()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

type authHolder struct{ Authorizer }

func (s *Server) authorizer() Authorizer { return s.auth.Load().(authHolder).Authorizer }

// useProjectToken rebuilds the authorizer around a Project Token found in
// (or just stored into) the database, when TOKEN is not set.
func (s *Server) useProjectToken(token string) {
	if s.settings.Token != "" || token == "" {
		return
	}
	s.projectToken.Store(token)
	if s.fixedAuth {
		return
	}
	st := s.settings
	st.Token = token
	a, err := newAuthorizer(st, s.log)
	if err != nil {
		s.log.Warn("cannot use the stored Project Token for authentication", "err", err)
		return
	}
	s.auth.Store(authHolder{a})
}

// withStatementTimeout is the database configuration with SQL_TIMEOUT
// enforced by the database on every pooled connection.
func withStatementTimeout(st config.Settings) config.Database {
	d := st.Database
	d.StatementTimeout = st.SQLTimeout
	return d
}
