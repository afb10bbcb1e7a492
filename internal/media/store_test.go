package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/apierr"
)

func status(err error) int {
	if ae, ok := apierr.As(err); ok {
		return ae.Status
	}
	if err != nil {
		return 500
	}
	return 200
}

func newStore(t *testing.T) *Store {
	t.Helper()
	s, err := New(filepath.Join(t.TempDir(), "media"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func upload(t *testing.T, s *Store, dir, name, content string) (string, error) {
	t.Helper()
	u, err := s.Receive(strings.NewReader(content))
	if err != nil {
		return "", err
	}
	return u.Commit(dir, name)
}

func TestCleanRel(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // joined components, or "!" for refused
	}{
		{"a/b.txt", "a/b.txt"},
		{"a//b/./c", "a/b/c"},
		{"", ""},
		{"ü ñ/名前.txt", "ü ñ/名前.txt"},
		{"..", "!"},
		{"a/../../etc/passwd", "!"},
		{"a/..", "!"},
		{"/etc/passwd", "!"},
		{`a\..\b`, "!"},
		{"a\x00b", "!"},
		{"a\nb", "!"},
		{strings.Repeat("x", 256), "!"},
		{strings.Repeat("x/", 600), "!"},
	} {
		parts, err := cleanRel("path", c.in)
		got := strings.Join(parts, "/")
		if err != nil {
			got = "!"
			if status(err) != 400 {
				t.Errorf("%q: status %d", c.in, status(err))
			}
		}
		if got != c.want {
			t.Errorf("cleanRel(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestUploadConfined(t *testing.T) {
	s := newStore(t)
	outside := t.TempDir()
	rel, err := upload(t, s, "docs", "a.txt", "hello")
	if err != nil || rel != "docs/a.txt" {
		t.Fatalf("upload: %q %v", rel, err)
	}
	fi, err := os.Stat(s.Root())
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("root mode: %v %v", fi.Mode(), err)
	}
	// the same name again gets a suffix, the first file stays
	rel2, err := upload(t, s, "docs", "a.txt", "second")
	if err != nil || !strings.HasPrefix(rel2, "docs/a_") || !strings.HasSuffix(rel2, ".txt") || len(rel2) != len("docs/a_1234567.txt") {
		t.Fatalf("second upload: %q %v", rel2, err)
	}
	if b, _ := os.ReadFile(filepath.Join(s.Root(), "docs/a.txt")); string(b) != "hello" {
		t.Fatalf("first file replaced: %q", b)
	}
	// a symlink inside the root leading out of it
	if err := os.Symlink(outside, filepath.Join(s.Root(), "out")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("s"), 0o600); err != nil {
		t.Fatal(err)
	}
	// a symlink inside the root staying inside is fine
	if err := os.Symlink(filepath.Join(s.Root(), "docs"), filepath.Join(s.Root(), "in")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ dir, name string }{
		{"../x", "a.txt"}, {"/tmp", "a.txt"}, {"docs", "../../a.txt"}, {"out", "a.txt"}, {"out/deeper", "a.txt"},
		{"", "out/a.txt"}, {"_jet_cache", "a.png"}, {"docs/a.txt", "b.txt"}, {"docs", ""},
	} {
		if _, err := upload(t, s, c.dir, c.name, "x"); status(err) != 400 {
			t.Errorf("upload %q %q: %v, want 400", c.dir, c.name, err)
		}
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 1 {
		t.Errorf("files written outside the root: %v", entries)
	}
	if rel, err := upload(t, s, "in", "ok.txt", "x"); err != nil || rel != "in/ok.txt" {
		t.Errorf("upload through an inner symlink: %q %v", rel, err)
	}
	for _, p := range []string{"out/secret.txt", "../x", "/etc/passwd", "docs/../../x"} {
		if _, err := s.Locate(p); status(err) != 403 {
			t.Errorf("Locate(%q): %v, want 403", p, err)
		}
	}
	if _, err := s.Locate("docs/none.txt"); status(err) != 404 {
		t.Errorf("missing file: %v", err)
	}
	// no temporary files left behind
	if entries, _ := os.ReadDir(filepath.Join(s.Root(), tmpDir)); len(entries) != 0 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestUploadLimit(t *testing.T) {
	s := newStore(t)
	_, err := s.Receive(bytes.NewReader(make([]byte, 1<<20+1)))
	if status(err) != http.StatusRequestEntityTooLarge {
		t.Fatalf("over the limit: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(s.Root(), tmpDir)); len(entries) != 0 {
		t.Errorf("temporary file left: %v", entries)
	}
	if _, err := upload(t, s, "", "max.bin", string(make([]byte, 1<<20))); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
}

// bombPNG is a valid PNG header declaring w x h pixels, with a tiny IDAT.
func bombPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		c := crc32.NewIEEE()
		c.Write([]byte(typ))
		c.Write(data)
		b.WriteString(typ)
		b.Write(data)
		_ = binary.Write(&b, binary.BigEndian, c.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 0 // 8-bit grey
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func TestThumbnail(t *testing.T) {
	s := newStore(t)
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for y := 0; y < 300; y++ {
		for x := 0; x < 400; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 100, 255})
		}
	}
	var jb, pb bytes.Buffer
	_ = jpeg.Encode(&jb, img, nil)
	_ = png.Encode(&pb, img)
	for name, data := range map[string][]byte{"p.jpg": jb.Bytes(), "p.png": pb.Bytes(), "bomb.png": bombPNG(100000, 100000), "t.txt": []byte("text")} {
		if _, err := upload(t, s, "img", name, string(data)); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	for _, c := range []struct {
		path   string
		w, h   int
		status int
		size   image.Point
	}{
		{"img/p.jpg", 100, 50, 200, image.Pt(66, 50)},
		{"img/p.png", 320, 240, 200, image.Pt(320, 240)},
		{"img/p.png", 1000, 1000, 200, image.Pt(400, 300)}, // never enlarged
		{"img/bomb.png", 320, 240, 400, image.Point{}},
		{"img/t.txt", 320, 240, 400, image.Point{}},
		{"img/none.png", 320, 240, 404, image.Point{}},
		{"../img/p.png", 320, 240, 403, image.Point{}},
	} {
		p, err := s.Thumbnail(ctx, c.path, c.w, c.h)
		if status(err) != c.status {
			t.Errorf("%s %dx%d: %v, want %d", c.path, c.w, c.h, err, c.status)
			continue
		}
		if err != nil {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		cfg, _, err := image.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != c.size.X || cfg.Height != c.size.Y {
			t.Errorf("%s %dx%d: thumbnail %dx%d %v, want %v", c.path, c.w, c.h, cfg.Width, cfg.Height, err, c.size)
		}
	}
	// a cached thumbnail is reused
	a, _ := s.Thumbnail(ctx, "img/p.jpg", 100, 50)
	b, _ := s.Thumbnail(ctx, "img/p.jpg", 100, 50)
	if a != b || !strings.Contains(a, CacheDir) {
		t.Errorf("cache: %q %q", a, b)
	}
	for _, v := range []string{"0", "-1", "abc", "4097", "1e3", "100.5"} {
		if _, err := ParseSide("max_width", v, 1); status(err) != 400 {
			t.Errorf("ParseSide(%q): %v", v, err)
		}
	}
}

func TestCacheEviction(t *testing.T) {
	s := newStore(t)
	s.CacheBytes = 3000
	dir, err := s.dirFor("path", []string{CacheDir})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if err := os.WriteFile(filepath.Join(dir, string(rune('a'+i))), make([]byte, 1000), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s.evict(dir, filepath.Join(dir, "a"))
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Fatalf("after eviction: %d files", len(entries))
	}
}
