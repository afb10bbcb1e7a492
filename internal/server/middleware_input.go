package server

import (
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

// checkInput refuses, with a 400 naming the problem, requests whose path or
// query string is not valid UTF-8. It reads no body: bodies are read only
// after authentication, within the body budget (bufferBody), where their
// UTF-8 and nesting depth are checked.
func checkInput(c echo.Context) error {
	req := c.Request()
	if !utf8.ValidString(req.URL.Path) {
		return apierr.NonField("the URL path is not valid UTF-8")
	}
	if strings.Count(req.URL.RawQuery, "&") >= maxQueryParams {
		// net/url parses such a query string as empty: the filters
		// would silently vanish
		return apierr.NonField("too many query parameters: at most " + strconv.Itoa(maxQueryParams))
	}
	if req.URL.RawQuery == "" {
		return nil
	}
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
	return nil
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
