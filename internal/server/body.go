package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/semaphore"

	"github.com/jetbridge/jetbridge/internal/apierr"
)

// DefaultBodyBudget is BODY_BUFFER_BYTES' default: the request-body bytes
// buffered at once across all in-flight requests.
const DefaultBodyBudget = 64 << 20

// bodyWait is the longest a request waits for room in the body budget
// before it is answered 503.
const bodyWait = 10 * time.Second

// bodyStep is how much budget a body of unknown length (chunked) takes at a
// time as it grows.
const bodyStep = 256 << 10

const bodyKey = "jetbridge.body"

// bodyBudget bounds the bytes of request bodies held in memory at once: a
// body is read only after its request was authenticated, and only once its
// bytes fit in the budget (first come, first served). Requests that cannot
// get room in time are answered 503 without their body being read.
type bodyBudget struct {
	sem  *semaphore.Weighted
	size int64
	wait time.Duration // bodyWait; shorter in tests
}

func newBodyBudget(size int) *bodyBudget {
	if size <= 0 {
		size = DefaultBodyBudget
	}
	size = max(size, BodyLimit+1)
	return &bodyBudget{sem: semaphore.NewWeighted(int64(size)), size: int64(size), wait: bodyWait}
}

func errBusy() error {
	return apierr.Unavailable("the bridge is busy receiving other request bodies (BODY_BUFFER_BYTES); retry shortly")
}

// hasBody reports whether the request carries a body to read.
func hasBody(req *http.Request) bool {
	return req.Body != nil && req.Body != http.NoBody && req.ContentLength != 0
}

// bufferBody reads the request's body within the budget, checks it (UTF-8,
// nesting depth) and keeps it for readBody. The returned function gives the
// bytes back to the budget; call it when the request is done.
func (s *Server) bufferBody(c echo.Context) (release func(), err error) {
	req := c.Request()
	release = func() {}
	if err := s.jsonBodyOnly(req); err != nil {
		return release, err
	}
	if !hasBody(req) || strings.HasPrefix(req.Header.Get(echo.HeaderContentType), "multipart/") {
		return release, nil
	}
	ctx, cancel := context.WithTimeout(req.Context(), s.bodies.wait)
	defer cancel()
	var held int64
	take := func(n int64) error {
		if err := s.bodies.sem.Acquire(ctx, n); err != nil {
			return errBusy()
		}
		held += n
		return nil
	}
	release = func() {
		if held > 0 {
			s.bodies.sem.Release(held)
			held = 0
		}
	}
	var raw []byte
	if n := req.ContentLength; n > 0 {
		if n > BodyLimit {
			return release, echo.ErrStatusRequestEntityTooLarge
		}
		if err := take(n); err != nil {
			return release, err
		}
		raw = make([]byte, n)
		if _, err := io.ReadFull(req.Body, raw); err != nil {
			return release, bodyReadError(err)
		}
	} else {
		if err := take(bodyStep); err != nil {
			return release, err
		}
		buf := bytes.NewBuffer(make([]byte, 0, bodyStep))
		for {
			if int64(buf.Len()) >= held {
				if err := take(min(held, s.bodies.size-held, BodyLimit+1-held)); err != nil {
					return release, err
				}
				buf.Grow(int(held) - buf.Len())
			}
			_, err := io.CopyN(buf, req.Body, held-int64(buf.Len()))
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return release, bodyReadError(err)
			}
			if buf.Len() > BodyLimit {
				return release, echo.ErrStatusRequestEntityTooLarge
			}
		}
		raw = buf.Bytes()
	}
	if !utf8.Valid(raw) {
		return release, apierr.NonField("Incorrect JSON body: the body is not valid UTF-8")
	}
	if jsonTooDeep(raw, MaxJSONDepth) {
		return release, apierr.NonField("Incorrect JSON body: arrays and objects are nested more than " + strconv.Itoa(MaxJSONDepth) + " levels deep")
	}
	c.Set(bodyKey, raw)
	req.Body = io.NopCloser(bytes.NewReader(raw))
	req.ContentLength = int64(len(raw))
	return release, nil
}

func bodyReadError(err error) error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he
	}
	return apierr.NonField("the request body could not be read: " + err.Error())
}

// readBody returns the request body buffered by bufferBody (or reads it).
func readBody(c echo.Context) ([]byte, error) {
	if b, ok := c.Get(bodyKey).([]byte); ok {
		return b, nil
	}
	return io.ReadAll(c.Request().Body)
}
