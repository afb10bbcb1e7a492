package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/auth"
	"github.com/jetbridge/jetbridge/internal/media"
)

// Files (spec §12.1-12.3): uploads into MEDIA_ROOT, /media/{path} and
// thumbnails of local images.

const (
	uploadPath      = "/api/file_upload/"
	maxFormFields   = 20
	maxFieldBytes   = 4096
	uploadReadLimit = 30 * time.Minute // a large upload over a slow link
)

// mediaCSP keeps uploaded HTML or SVG from running as a page of the bridge.
const mediaCSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"

// mediaURL is the public URL of a media path (MEDIA_BASE_URL, or this
// bridge's /media/), the path not escaped, as upstream.
func (s *Server) mediaURL(c echo.Context, rel string) string {
	if s.settings.MediaBaseURL != "" {
		return s.settings.MediaBaseURL + rel
	}
	return c.Scheme() + "://" + c.Request().Host + "/media/" + rel
}

// POST /api/file_upload/ (multipart/form-data: file, path, filename). The
// file is streamed to disk whatever the order of the parts; nothing of it
// is held in memory.
func (s *Server) fileUpload(c echo.Context) error {
	if err := s.authorize(c, auth.AnyMemberWrite(), true); err != nil {
		return err
	}
	req := c.Request()
	ct, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	if ct != "multipart/form-data" {
		return apierr.Field("file", "send the file as multipart/form-data with the parts file, path and filename")
	}
	_ = http.NewResponseController(c.Response().Writer).SetReadDeadline(time.Now().Add(uploadReadLimit))
	req.Body = http.MaxBytesReader(c.Response().Writer, req.Body, s.media.MaxUpload()+1<<20)
	mr, err := req.MultipartReader()
	if err != nil {
		return apierr.Field("file", "the multipart body cannot be read: "+err.Error())
	}
	var (
		up             *media.Upload
		dir, name      string
		hasDir, hasNam bool
		original       string
	)
	defer func() { up.Discard() }()
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return uploadReadError(err)
		}
		if n >= maxFormFields {
			return apierr.NonField("too many parts in the upload (at most " + strconv.Itoa(maxFormFields) + ")")
		}
		field := part.FormName()
		if part.FileName() != "" || field == "file" {
			if field != "file" {
				part.Close()
				continue
			}
			if up != nil {
				return apierr.Field("file", "send one file per upload")
			}
			original = part.FileName()
			if up, err = s.media.Receive(part); err != nil {
				return err
			}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
		if err != nil {
			return uploadReadError(err)
		}
		if len(b) > maxFieldBytes {
			return apierr.Field(field, "longer than "+strconv.Itoa(maxFieldBytes)+" bytes")
		}
		switch field {
		case "path":
			dir, hasDir = string(b), true
		case "filename":
			name, hasNam = string(b), true
		}
	}
	if !hasDir {
		return apierr.MissingArgument("path")
	}
	if up == nil {
		return apierr.MissingArgument("file")
	}
	if !hasNam || name == "" {
		name = filepath.Base(strings.ReplaceAll(original, `\`, "/"))
	}
	rel, err := up.Commit(dir, name)
	if err != nil {
		return err
	}
	s.log.Info("file uploaded", "path", rel, "bytes", up.Size)
	return writeJSON(c, http.StatusOK, map[string]string{"uploaded_path": rel, "uploaded_url": s.mediaURL(c, rel)})
}

func uploadReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &apierr.Error{Status: http.StatusRequestEntityTooLarge, Body: map[string]string{"detail": "request body too large"}}
	}
	if _, ok := apierr.As(err); ok {
		return err
	}
	return apierr.NonField("the upload could not be read: " + err.Error())
}

// GET and HEAD /media/{path}: the file with ETag, Last-Modified and Range
// (http.ServeContent); folders and paths leaving MEDIA_ROOT are 403.
func (s *Server) serveMedia(c echo.Context) error {
	rel := strings.TrimPrefix(c.Request().URL.Path, "/media/")
	abs, err := s.media.Locate(rel)
	if err != nil {
		return err
	}
	return serveFile(c, abs)
}

func serveFile(c echo.Context, abs string) error {
	f, err := os.Open(abs)
	if err != nil {
		return apierr.NotFound("Not found: no such media file")
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return apierr.NotFound("Not found: no such media file")
	}
	if fi.IsDir() {
		return apierr.Forbidden("Forbidden: folders are not listed")
	}
	h := c.Response().Header()
	ctype := mime.TypeByExtension(filepath.Ext(abs))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	h.Set(echo.HeaderContentType, ctype)
	h.Set("ETag", `"`+strconv.FormatInt(fi.ModTime().UnixNano(), 36)+"-"+strconv.FormatInt(fi.Size(), 36)+`"`)
	h.Set("Content-Security-Policy", mediaCSP)
	http.ServeContent(c.Response(), c.Request(), fi.Name(), fi.ModTime(), f)
	return nil
}

// GET /api/image_resize/?path=&max_width=&max_height= (open, as upstream: it
// is loaded by <img> tags). Local media only, never a URL; the thumbnail is
// served directly (200) from MEDIA_ROOT/_jet_cache.
func (s *Server) imageResize(c echo.Context) error {
	q := c.QueryParams()
	if _, ok := q["path"]; !ok {
		return apierr.MissingArgument("path")
	}
	p := q.Get("path")
	low := strings.ToLower(p)
	if strings.HasPrefix(low, "http://") || strings.HasPrefix(low, "https://") || strings.Contains(low, "://") {
		return apierr.Field("path", "only files of the media folder are resized, not URLs")
	}
	w, err := media.ParseSide("max_width", q.Get("max_width"), media.DefaultThumbW)
	if err != nil {
		return err
	}
	h, err := media.ParseSide("max_height", q.Get("max_height"), media.DefaultThumbH)
	if err != nil {
		return err
	}
	thumb, err := s.media.Thumbnail(c.Request().Context(), p, w, h)
	if err != nil {
		if ae, ok := apierr.As(err); ok && ae.Status == http.StatusForbidden {
			return apierr.Field("path", "must be a path inside the media folder")
		}
		return err
	}
	return serveFile(c, thumb)
}
