package server

import (
	"encoding/json"
	"strconv"

	"github.com/labstack/echo/v4"
)

// writeJSON sends v as application/json (no charset, as upstream).
func writeJSON(c echo.Context, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return writeRaw(c, status, b)
}

// writeRaw sends an already encoded JSON body.
func writeRaw(c echo.Context, status int, b []byte) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/json")
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(b))) // not chunked
	c.Response().WriteHeader(status)
	if isHead(c) {
		return nil
	}
	_, err := c.Response().Write(b)
	return err
}
