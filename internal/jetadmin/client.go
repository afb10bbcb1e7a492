// Package jetadmin is the one client of the Jet Admin API (spec §13): project
// token registration and activation, and the project_auth check behind
// `Token` / `ProjectToken` authorization (§4.4).
//
// Every call sends User-Agent jetbridge/<version>, has a timeout per try, and is
// tried up to three times with exponential backoff on network errors and 5xx
// answers (never on 4xx). Errors name the call and say what went wrong in plain
// words; they never contain a token value.
package jetadmin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/version"
)

// Defaults of the client.
const (
	DefaultBaseURL      = "https://api.jetadmin.io/api"
	DefaultTimeout      = 10 * time.Second
	DefaultRetryBackoff = 500 * time.Millisecond
	// MaxTries is how many times a call is tried on network errors and 5xx.
	MaxTries = 3
	// maxBody bounds how much of an answer is read.
	maxBody = 1 << 20
)

// Client calls the Jet Admin API. It is safe for concurrent use.
type Client struct {
	base    string
	hc      *http.Client
	timeout time.Duration
	backoff time.Duration
	ua      string
}

// Option changes a Client made by New.
type Option func(*Client)

// WithHTTPClient makes the client send its requests through hc (its Timeout,
// if any, applies on top of the per-try timeout).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			c.hc = hc
		}
	}
}

// WithRetryBackoff sets the wait before the second try; it doubles before
// each further try. Zero retries at once.
func WithRetryBackoff(d time.Duration) Option {
	return func(c *Client) {
		if d >= 0 {
			c.backoff = d
		}
	}
}

// WithTimeout sets how long one try may take (default 10 s).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// New returns a client of the Jet Admin API at baseURL (API_BASE_URL, e.g.
// https://api.jetadmin.io/api; empty means DefaultBaseURL).
func New(baseURL string, opts ...Option) *Client {
	if strings.TrimSpace(baseURL) == "" {
		baseURL = DefaultBaseURL
	}
	c := &Client{
		base:    strings.TrimRight(strings.TrimSpace(baseURL), "/"),
		hc:      http.DefaultClient,
		timeout: DefaultTimeout,
		backoff: DefaultRetryBackoff,
		ua:      version.UserAgent(),
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// BaseURL is the API base URL the client calls, without a trailing slash.
func (c *Client) BaseURL() string { return c.base }

// answer is one HTTP answer of the API.
type answer struct {
	status int
	body   []byte
	tries  int
}

// request describes one call. secrets are values (tokens) that must never
// appear in an error.
type request struct {
	call    string // plain-words name of the call, e.g. "create project token"
	method  string
	path    string // below the base URL, starting with '/'
	form    url.Values
	secrets []string
}

// do runs r with retries. It returns the first answer that is not a 5xx; a
// 4xx is returned as an answer, not as an error.
func (c *Client) do(ctx context.Context, r request) (answer, error) {
	var body []byte
	if r.form != nil {
		body = []byte(r.form.Encode())
	}
	var (
		last   answer
		cause  error
		reason string
	)
	tries := 0
	for tries < MaxTries {
		if tries > 0 {
			wait := c.backoff << (tries - 1)
			if err := sleep(ctx, wait); err != nil {
				break
			}
		}
		tries++
		a, err := c.try(ctx, r, body)
		if err == nil && a.status < 500 {
			a.tries = tries
			return a, nil
		}
		if err != nil {
			cause = err
			reason = c.networkReason(ctx, err)
			last = answer{}
		} else {
			cause = nil
			reason = fmt.Sprintf("server answered %d %s", a.status, http.StatusText(a.status))
			last = a
		}
		if ctx.Err() != nil {
			break
		}
	}
	if ctx.Err() != nil {
		cause = ctx.Err()
		reason = "gave up: " + ctxReason(ctx.Err())
	}
	return answer{}, &Error{
		Call:   r.call,
		Status: last.status,
		Tries:  tries,
		Reason: redact(reason, r.secrets),
		cause:  cause,
	}
}

// try sends the request once with the per-try timeout.
func (c *Client) try(ctx context.Context, r request, body []byte) (answer, error) {
	tctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	} else if r.method == http.MethodPost {
		rd = http.NoBody
	}
	req, err := http.NewRequestWithContext(tctx, r.method, c.base+r.path, rd)
	if err != nil {
		return answer{}, fmt.Errorf("bad request: %w", stripURL(err))
	}
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return answer{}, stripURL(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return answer{}, fmt.Errorf("reading the answer: %w", stripURL(err))
	}
	return answer{status: resp.StatusCode, body: b}, nil
}

// networkReason says in plain words why a try failed without an answer.
func (c *Client) networkReason(ctx context.Context, err error) string {
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return fmt.Sprintf("no answer within %s", c.timeout)
	}
	if ctx.Err() != nil {
		return "gave up: " + ctxReason(ctx.Err())
	}
	return "cannot reach " + hostOf(c.base) + ": " + err.Error()
}

func ctxReason(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "the caller's deadline passed"
	}
	return "the call was cancelled"
}

// stripURL removes the *url.Error wrapper, whose message holds the full URL
// (and so possibly a token in the path).
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func hostOf(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return "the Jet Admin API"
	}
	return u.Host
}

// redact replaces every secret (and its URL-escaped form) in s. Values too
// short to be real tokens are left alone, so that they cannot garble the text.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) < 8 {
			continue
		}
		s = strings.ReplaceAll(s, sec, "[redacted]")
		if esc := url.PathEscape(sec); esc != sec {
			s = strings.ReplaceAll(s, esc, "[redacted]")
		}
	}
	return s
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
