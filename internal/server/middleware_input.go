package server

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/apierr"
)

// MaxJSONDepth is the deepest nesting of arrays and objects a request body
// may have (400 beyond): no API value needs more, and deep nesting costs
// stack and time in every layer that walks it.
const MaxJSONDepth = 256

// maxQueryParams is net/url's limit on query parameters.
const maxQueryParams = 10000

// checkInput refuses, with a 400 naming the problem, requests whose path,
// query string or body is not valid UTF-8, and bodies nested deeper than
// MaxJSONDepth. It runs after the body limit, so an oversized body is a 413.
func checkInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if !utf8.ValidString(req.URL.Path) {
			return apierr.NonField("the URL path is not valid UTF-8")
		}
		if strings.Count(req.URL.RawQuery, "&") >= maxQueryParams {
			// net/url parses such a query string as empty: the filters
			// would silently vanish
			return apierr.NonField("too many query parameters: at most " + strconv.Itoa(maxQueryParams))
		}
		if req.URL.RawQuery != "" {
			for k, vs := range c.QueryParams() {
				if !utf8.ValidString(k) {
					return apierr.NonField("a query parameter name is not valid UTF-8")
				}
				for _, v := range vs {
					if !utf8.ValidString(v) {
						return apierr.NonField("query parameter " + strconv.Quote(k) + " is not valid UTF-8")
					}
				}
			}
		}
		if req.Body == nil || req.Body == http.NoBody || req.ContentLength == 0 ||
			strings.HasPrefix(req.Header.Get(echo.HeaderContentType), "multipart/") {
			return next(c)
		}
		raw, err := io.ReadAll(req.Body)
		if err != nil {
			var he *echo.HTTPError
			if errors.As(err, &he) {
				return he
			}
			return apierr.NonField("the request body could not be read: " + err.Error())
		}
		if !utf8.Valid(raw) {
			return apierr.NonField("Incorrect JSON body: the body is not valid UTF-8")
		}
		if jsonTooDeep(raw, MaxJSONDepth) {
			return apierr.NonField("Incorrect JSON body: arrays and objects are nested more than " + strconv.Itoa(MaxJSONDepth) + " levels deep")
		}
		req.Body = io.NopCloser(bytes.NewReader(raw))
		req.ContentLength = int64(len(raw))
		return next(c)
	}
}

// jsonTooDeep reports whether b nests arrays and objects deeper than limit
// (brackets inside strings do not count; malformed JSON is left to the
// decoder).
func jsonTooDeep(b []byte, limit int) bool {
	depth, inString, escaped := 0, false, false
	for _, ch := range b {
		if inString {
			switch {
			case escaped:
				escaped = false
			case ch == '\\':
				escaped = true
			case ch == '"':
				inString = false
			}
			continue
		}
		switch ch {
		case '"':
			inString = true
		case '[', '{':
			depth++
			if depth > limit {
				return true
			}
		case ']', '}':
			depth--
		}
	}
	return false
}
