// Package media stores uploaded files under MEDIA_ROOT (spec §12.1-12.3):
// names cleaned and confined to the root (no "..", absolute paths or symlinks
// leading out of it), uploads streamed to disk under a size limit, and
// thumbnails of local images made under a pixel limit and cached in
// MEDIA_ROOT/_jet_cache.
package media

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jetbridge/jetbridge/internal/apierr"
)

// DefaultMaxUpload is the default upload size limit (50 MB).
const DefaultMaxUpload = 50 << 20

// Reserved folders under the root.
const (
	CacheDir = "_jet_cache"
	tmpDir   = "_jet_tmp"
)

const (
	maxPathBytes = 1024
	maxNameBytes = 255
)

// Store is one MEDIA_ROOT.
type Store struct {
	root      string // as configured, absolute
	maxUpload int64
	// MaxPixels bounds width*height of an image to decode (0: DefaultMaxPixels).
	MaxPixels int64
	// CacheBytes caps the thumbnail cache (0: DefaultCacheBytes).
	CacheBytes int64

	mu       sync.Mutex // guards real (root creation) and cache eviction
	real     string     // the root with symlinks resolved, once created
	thumbSem chan struct{}
}

// New returns the store at root (made absolute); the folder is created
// (0700) on first use. maxUpload <= 0 means DefaultMaxUpload.
func New(root string, maxUpload int64) (*Store, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("MEDIA_ROOT %s: %w", root, err)
	}
	if maxUpload <= 0 {
		maxUpload = DefaultMaxUpload
	}
	return &Store{root: abs, maxUpload: maxUpload, thumbSem: make(chan struct{}, 2)}, nil
}

// Root is the absolute media folder.
func (s *Store) Root() string { return s.root }

// MaxUpload is the largest file an upload may carry.
func (s *Store) MaxUpload() int64 { return s.maxUpload }

// rootDir creates the root (0700) when missing and returns it with
// symlinks resolved.
func (s *Store) rootDir() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.real != "" {
		return s.real, nil
	}
	if err := os.MkdirAll(s.root, 0o700); err != nil {
		return "", &apierr.Error{Status: http.StatusServiceUnavailable,
			Body: map[string]string{"detail": "the media folder (MEDIA_ROOT) cannot be created; the server log says why"}, Cause: err}
	}
	r, err := filepath.EvalSymlinks(s.root)
	if err != nil {
		return "", fmt.Errorf("MEDIA_ROOT: %w", err)
	}
	s.real = r
	removeStale(filepath.Join(r, tmpDir), 24*time.Hour)
	return r, nil
}

// removeStale deletes files older than age from dir: uploads a crash left
// half-written.
func removeStale(dir string, age time.Duration) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && e.Type().IsRegular() && time.Since(info.ModTime()) > age {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// cleanRel checks a client-given relative path and returns its components.
// Empty components (a//b, a trailing slash) and "." are dropped; "..",
// absolute paths, backslashes, NUL and control characters are refused.
func cleanRel(field, p string) ([]string, error) {
	bad := func(why string) error { return apierr.Field(field, why) }
	switch {
	case len(p) > maxPathBytes:
		return nil, bad(fmt.Sprintf("longer than %d bytes", maxPathBytes))
	case !utf8.ValidString(p):
		return nil, bad("not valid UTF-8")
	case strings.HasPrefix(p, "/") || filepath.IsAbs(p):
		return nil, bad("must be a path inside the media folder, not an absolute path")
	case strings.ContainsRune(p, '\\'):
		return nil, bad("may not contain backslashes")
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f {
			return nil, bad("may not contain control characters")
		}
	}
	var out []string
	for _, c := range strings.Split(p, "/") {
		switch {
		case c == "" || c == ".":
			continue
		case c == "..":
			return nil, bad(`may not contain ".." (paths stay inside the media folder)`)
		case len(c) > maxNameBytes:
			return nil, bad(fmt.Sprintf("a name is longer than %d bytes", maxNameBytes))
		}
		out = append(out, c)
	}
	return out, nil
}

func within(root, p string) bool {
	return p == root || strings.HasPrefix(p, root+string(filepath.Separator))
}

// dirFor walks (and creates, 0700) the folders of parts inside the root; a
// symlink is followed only when it stays inside the root.
func (s *Store) dirFor(field string, parts []string) (string, error) {
	root, err := s.rootDir()
	if err != nil {
		return "", err
	}
	cur := root
	for _, c := range parts {
		p := filepath.Join(cur, c)
		fi, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := os.Mkdir(p, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
				return "", fmt.Errorf("create media folder: %w", err)
			}
			cur = p
			continue
		case err != nil:
			return "", fmt.Errorf("media folder: %w", err)
		case fi.Mode()&fs.ModeSymlink != 0:
			t, err := filepath.EvalSymlinks(p)
			if err != nil || !within(root, t) {
				return "", apierr.Field(field, "leads outside the media folder (symbolic link)")
			}
			p = t
			if fi, err = os.Stat(p); err != nil {
				return "", fmt.Errorf("media folder: %w", err)
			}
		}
		if !fi.IsDir() {
			return "", apierr.Field(field, c+" is a file, not a folder")
		}
		cur = p
	}
	return cur, nil
}

// Locate resolves a media path for reading: the absolute file inside the
// root (symlinks resolved). It answers 403 for paths that leave the root
// and 404 for missing files.
func (s *Store) Locate(rel string) (string, error) {
	parts, err := cleanRel("path", rel)
	if err != nil {
		return "", apierr.Forbidden("Forbidden: the path leaves the media folder or is not valid")
	}
	root, err := s.rootDir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(append([]string{root}, parts...)...)
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", apierr.NotFound("Not found: no media file " + rel)
		}
		return "", apierr.NotFound("Not found: no media file " + rel)
	}
	if !within(root, real) {
		return "", apierr.Forbidden("Forbidden: the path leads outside the media folder")
	}
	return real, nil
}

// Upload is a file being received: its data goes to a private temporary
// file in the root until Commit moves it into place.
type Upload struct {
	s    *Store
	f    *os.File
	Size int64
}

// Receive streams r (at most MaxUpload bytes) to a temporary file.
func (s *Store) Receive(r io.Reader) (*Upload, error) {
	dir, err := s.dirFor("file", []string{tmpDir})
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, fmt.Errorf("media upload: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(r, s.maxUpload+1))
	if err == nil && n > s.maxUpload {
		err = &apierr.Error{Status: http.StatusRequestEntityTooLarge, Body: map[string]string{
			"detail": fmt.Sprintf("the file is larger than the upload limit of %d bytes (MEDIA_MAX_UPLOAD_MB)", s.maxUpload)}}
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		if _, ok := apierr.As(err); ok {
			return nil, err
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &apierr.Error{Status: http.StatusRequestEntityTooLarge, Body: map[string]string{"detail": "request body too large"}}
		}
		return nil, apierr.NonField("the upload could not be read: " + err.Error())
	}
	return &Upload{s: s, f: f, Size: n}, nil
}

// Discard removes the temporary file.
func (u *Upload) Discard() {
	if u == nil || u.f == nil {
		return
	}
	u.f.Close()
	os.Remove(u.f.Name())
	u.f = nil
}

// Commit moves the upload to dir/name inside the root (a name that exists
// gets "_<7 random letters and digits>" before its extension) and returns
// the media path it was stored under.
func (u *Upload) Commit(dir, name string) (string, error) {
	defer u.Discard()
	dparts, err := cleanRel("path", dir)
	if err != nil {
		return "", err
	}
	nparts, err := cleanRel("filename", name)
	if err != nil {
		return "", err
	}
	if len(nparts) == 0 {
		return "", apierr.Field("filename", "the file has no name")
	}
	all := append(dparts, nparts...)
	if all[0] == CacheDir || all[0] == tmpDir {
		return "", apierr.Field("path", all[0]+" is reserved for the bridge")
	}
	folder, err := u.s.dirFor("path", all[:len(all)-1])
	if err != nil {
		return "", err
	}
	base := all[len(all)-1]
	if err := u.f.Sync(); err != nil {
		return "", fmt.Errorf("media upload: %w", err)
	}
	if err := u.f.Close(); err != nil {
		return "", fmt.Errorf("media upload: %w", err)
	}
	tmp := u.f.Name()
	u.f = nil
	defer os.Remove(tmp)
	for i := 0; i < 20; i++ {
		cand := base
		if i > 0 {
			ext := path.Ext(base)
			cand = strings.TrimSuffix(base, ext) + "_" + randomSuffix() + ext
		}
		target := filepath.Join(folder, cand)
		// Link fails when the name exists (file, folder or symlink), so an
		// existing file is never replaced, even by a concurrent upload.
		if err := os.Link(tmp, target); err != nil {
			if errors.Is(err, fs.ErrExist) {
				continue
			}
			// another file system under the root: copy instead
			if err := copyNew(tmp, target); err != nil {
				if errors.Is(err, fs.ErrExist) {
					continue
				}
				return "", fmt.Errorf("media upload: %w", err)
			}
		}
		_ = os.Chmod(target, 0o600)
		return strings.Join(append(all[:len(all)-1:len(all)-1], cand), "/"), nil
	}
	return "", apierr.NonField("no free file name found for " + base)
}

func randomSuffix() string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 7)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(letters))))
		if err != nil {
			panic(err) // crypto/rand does not fail
		}
		b[i] = letters[n.Int64()]
	}
	return string(b)
}

// copyNew copies src to a new file dst (fails when dst exists).
func copyNew(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	return out.Close()
}
