package server

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// front is the one middleware every request passes (found route, 404 and
// 405 alike), in this order: the nosniff header, the debug access log,
// panic recovery, CORS (which answers OPTIONS itself), the DISABLE_AUTH
// host check, the body limit and the URL checks. It is one function rather
// than a chain because echo composes its middleware chain anew on every
// request: each layer costs a closure per request.
func (s *Server) front(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header()["X-Content-Type-Options"] = nosniff
		if s.log.Enabled(c.Request().Context(), slog.LevelDebug) {
			return s.logged(c, next)
		}
		return s.guarded(c, next)
	}
}

// nosniff and the other constant header values are shared, never modified
// slices (len == cap, so an Add on the same key copies).
var nosniff = []string{"nosniff"}

// logged runs the request and logs it at debug level (DEBUG=true): method,
// path, status and duration. The query string, headers and bodies are not
// logged: they may carry credentials and data.
func (s *Server) logged(c echo.Context, next echo.HandlerFunc) error {
	req := c.Request()
	start := time.Now()
	if err := s.guarded(c, next); err != nil && !c.Response().Committed {
		s.echo.HTTPErrorHandler(err, c)
	}
	s.log.Debug("request", "method", req.Method, "path", req.URL.Path, "status", c.Response().Status,
		"took", time.Since(start).Round(time.Microsecond), "remote", req.RemoteAddr)
	return nil
}

// guarded recovers a panic of next as an error (logged with its stack,
// answered 500), then runs the checks every request passes.
func (s *Server) guarded(c echo.Context, next echo.HandlerFunc) (err error) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if r == http.ErrAbortHandler {
			panic(r)
		}
		perr, ok := r.(error)
		if !ok {
			perr = fmt.Errorf("%v", r)
		}
		stack := make([]byte, 4<<10)
		stack = stack[:runtime.Stack(stack, false)]
		s.log.Error("panic in handler", "path", c.Request().URL.Path, "err", perr, "stack", string(stack))
		err = perr
	}()
	if done, err := s.cors(c); done || err != nil {
		return err
	}
	if err := s.localOnly(c); err != nil {
		return err
	}
	body, err := limitBody(c)
	if err != nil {
		return err
	}
	if body != nil {
		defer body.release()
	}
	if err := checkInput(c); err != nil {
		return err
	}
	return next(c)
}

// limitBody refuses (413) a body over BodyLimit: at once when the request
// says its length, while it is read otherwise. Uploads have their own limit
// (MEDIA_MAX_UPLOAD_MB) and go to disk.
func limitBody(c echo.Context) (*limitedBody, error) {
	req := c.Request()
	if req.Body == nil || req.Body == http.NoBody || c.Path() == uploadPath {
		return nil, nil
	}
	if req.ContentLength > BodyLimit {
		return nil, echo.ErrStatusRequestEntityTooLarge
	}
	r := limitedBodies.Get().(*limitedBody)
	r.r, r.read = req.Body, 0
	req.Body = r
	return r, nil
}

// release returns the reader to the pool once the handler has returned.
func (b *limitedBody) release() {
	b.r = nil
	limitedBodies.Put(b)
}

var limitedBodies = sync.Pool{New: func() any { return new(limitedBody) }}

// limitedBody reads at most BodyLimit bytes, then fails with 413.
type limitedBody struct {
	r    io.ReadCloser
	read int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.read > BodyLimit {
		return 0, echo.ErrStatusRequestEntityTooLarge
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	if b.read > BodyLimit {
		return n, echo.ErrStatusRequestEntityTooLarge
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.r.Close() }
