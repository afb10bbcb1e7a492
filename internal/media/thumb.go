package media

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/apierr"
)

// Thumbnail limits.
const (
	DefaultMaxPixels  = 24_000_000 // a 24-megapixel photo decodes to at most ~96 MB
	DefaultCacheBytes = 50 << 20
	MaxThumbSide      = 4096
	DefaultThumbW     = 320
	DefaultThumbH     = 240
)

// ParseSide reads max_width / max_height: a whole number of pixels from 1 to
// MaxThumbSide; "" gives def.
func ParseSide(field, v string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 || n > MaxThumbSide {
		return 0, apierr.Field(field, "expected a whole number of pixels from 1 to "+strconv.Itoa(MaxThumbSide))
	}
	return n, nil
}

// Thumbnail returns the absolute path of a cached thumbnail of the local
// media file rel that fits in w x h (aspect kept, never enlarged), making
// it when needed. Images over MaxPixels are refused before decoding.
func (s *Store) Thumbnail(ctx context.Context, rel string, w, h int) (string, error) {
	src, err := s.Locate(rel)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(src)
	if err != nil {
		return "", apierr.NotFound("Not found: no media file " + rel)
	}
	if fi.IsDir() {
		return "", apierr.Field("path", "is a folder, not an image")
	}
	key := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%dx%d\x00%d\x00%d", rel, w, h, fi.Size(), fi.ModTime().UnixNano())))
	dir, err := s.dirFor("path", []string{CacheDir})
	if err != nil {
		return "", err
	}
	f, err := os.Open(src)
	if err != nil {
		return "", fmt.Errorf("open media file: %w", err)
	}
	defer f.Close()
	cfg, format, err := image.DecodeConfig(bufio.NewReader(f))
	if err != nil {
		return "", apierr.Field("path", "is not an image jetbridge can read (PNG, JPEG or GIF)")
	}
	maxPx := s.MaxPixels
	if maxPx <= 0 {
		maxPx = DefaultMaxPixels
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxPx {
		return "", apierr.Field("path", fmt.Sprintf("the image is %dx%d pixels, more than the %d pixels jetbridge decodes", cfg.Width, cfg.Height, maxPx))
	}
	if cfg.Width <= w && cfg.Height <= h {
		return src, nil // already small enough: the original
	}
	ext := map[string]string{"png": ".png", "jpeg": ".jpg", "gif": ".gif"}[format]
	out := filepath.Join(dir, hex.EncodeToString(key[:])+ext)
	if _, err := os.Stat(out); err == nil {
		now := fi.ModTime()
		_ = os.Chtimes(out, now, now) // keep recently used thumbnails
		return out, nil
	}
	select {
	case s.thumbSem <- struct{}{}:
		defer func() { <-s.thumbSem }()
	case <-ctx.Done():
		return "", ctx.Err()
	}
	if _, err := f.Seek(0, 0); err != nil {
		return "", fmt.Errorf("read media file: %w", err)
	}
	img, _, err := image.Decode(bufio.NewReader(f))
	if err != nil {
		return "", apierr.Field("path", "the image could not be decoded: "+err.Error())
	}
	thumb := fit(img, w, h)
	tmp, err := os.CreateTemp(dir, ".thumb-*")
	if err != nil {
		return "", fmt.Errorf("thumbnail: %w", err)
	}
	bw := bufio.NewWriter(tmp)
	switch format {
	case "jpeg":
		err = jpeg.Encode(bw, thumb, &jpeg.Options{Quality: 85})
	case "gif":
		err = gif.Encode(bw, thumb, nil)
	default:
		err = png.Encode(bw, thumb)
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), out)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("thumbnail: %w", err)
	}
	s.evict(dir, out)
	return out, nil
}

// evict removes the least recently used thumbnails beyond CacheBytes.
func (s *Store) evict(dir, keep string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := s.CacheBytes
	if limit <= 0 {
		limit = DefaultCacheBytes
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type file struct {
		path string
		size int64
		mod  int64
	}
	var files []file
	var total int64
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		files = append(files, file{filepath.Join(dir, e.Name()), info.Size(), info.ModTime().UnixNano()})
		total += info.Size()
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod < files[j].mod })
	for _, f := range files {
		if total <= limit {
			break
		}
		if f.path == keep {
			continue
		}
		if err := os.Remove(f.path); err == nil || errors.Is(err, fs.ErrNotExist) {
			total -= f.size
		}
	}
}
