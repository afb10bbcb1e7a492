package server

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
)

// multipartBody builds an upload body: fields first, then the file part.
func multipartBody(t *testing.T, fields map[string]string, fileField, filename string, content []byte) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if fileField != "" {
		fw, err := w.CreateFormFile(fileField, filename)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(content)
	}
	w.Close()
	return b.String(), w.FormDataContentType()
}

func newMediaEnv(t *testing.T, mutate func(*config.Settings)) (*env, string) {
	root := filepath.Join(t.TempDir(), "media")
	e := newEnv(t, config.EngineSQLite, func(s *config.Settings) {
		s.MediaRoot = root
		if mutate != nil {
			mutate(s)
		}
	})
	return e, root
}

func (e *env) upload(fields map[string]string, name string, content []byte, headers ...string) (int, string) {
	body, ctype := multipartBody(e.t, fields, "file", name, content)
	st, _, b := e.do("POST", "/api/file_upload/", body, append([]string{"Content-Type", ctype}, headers...)...)
	return st, b
}

func TestFileUploadAndMedia(t *testing.T) {
	e, root := newMediaEnv(t, nil)
	st, b := e.upload(map[string]string{"path": "docs", "filename": "hello.txt"}, "orig.txt", []byte("hello world ü\n"))
	if st != 200 || !strings.Contains(b, `"uploaded_path":"docs/hello.txt"`) || !strings.Contains(b, `/media/docs/hello.txt"`) {
		t.Fatalf("upload: %d %s", st, b)
	}
	// the original name when no filename is given; a taken name gets a suffix
	st, b = e.upload(map[string]string{"path": "docs"}, "hello.txt", []byte("second"))
	if st != 200 || !strings.Contains(b, `"uploaded_path":"docs/hello_`) {
		t.Fatalf("second upload: %d %s", st, b)
	}
	st, h, body := e.do("GET", "/media/docs/hello.txt", "")
	if st != 200 || body != "hello world ü\n" || h.Get("ETag") == "" || h.Get("Last-Modified") == "" || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Fatalf("media: %d %v %q", st, h, body)
	}
	if st, h2, body := e.do("GET", "/media/docs/hello.txt", "", "Range", "bytes=0-4"); st != 206 || body != "hello" || h2.Get("Content-Range") != "bytes 0-4/15" {
		t.Errorf("range: %d %q %v", st, body, h2)
	}
	if st, _, _ := e.do("GET", "/media/docs/hello.txt", "", "If-None-Match", h.Get("ETag")); st != 304 {
		t.Errorf("If-None-Match: %d", st)
	}
	// the media folder is private to the bridge's user
	if fi, err := os.Stat(root); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("MEDIA_ROOT mode: %v %v", fi, err)
	}

	// paths out of MEDIA_ROOT are refused with 400 (uploads) and 403 (reads)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	for _, f := range []map[string]string{
		{"path": "../escape"}, {"path": "docs/../../escape"}, {"path": "/tmp"}, {"path": outside},
		{"path": "link"}, {"path": "docs", "filename": "../../x.txt"}, {"path": "", "filename": "/etc/x"},
		{"path": "", "filename": "link/x.txt"},
	} {
		if st, b := e.upload(f, "x.txt", []byte("x")); st != 400 || !strings.HasPrefix(b, "{") {
			t.Errorf("upload %v: %d %s, want 400", f, st, b)
		}
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 1 {
		t.Errorf("written outside MEDIA_ROOT: %v", entries)
	}
	for _, p := range []string{"/media/link/secret.txt", "/media/docs/../../x", "/media/../etc/passwd", "/media/docs/", "/media/%2e%2e/x"} {
		if st, _, b := e.do("GET", p, ""); st != 403 || strings.Contains(b, "secret") {
			t.Errorf("GET %s: %d %s, want 403", p, st, b)
		}
	}
	if st, _, _ := e.do("GET", "/media/docs/none.txt", ""); st != 404 {
		t.Errorf("missing media: %d", st)
	}

	// malformed uploads are 4xx JSON, not 500s
	body2, ctype := multipartBody(t, map[string]string{"path": "docs"}, "", "", nil)
	if st, _, b := e.do("POST", "/api/file_upload/", body2, "Content-Type", ctype); st != 400 || !strings.Contains(b, "Missing argument file") {
		t.Errorf("no file part: %d %s", st, b)
	}
	body2, ctype = multipartBody(t, map[string]string{"filename": "a.txt"}, "file", "a.txt", []byte("a"))
	if st, _, b := e.do("POST", "/api/file_upload/", body2, "Content-Type", ctype); st != 400 || !strings.Contains(b, "Missing argument path") {
		t.Errorf("no path: %d %s", st, b)
	}
	if st, _, b := e.do("POST", "/api/file_upload/", `{"path": "docs"}`); st != 400 {
		t.Errorf("JSON body: %d %s", st, b)
	}
	if st, _, _ := e.do("POST", "/api/file_upload/", "--x\r\nbroken", "Content-Type", "multipart/form-data; boundary=x"); st != 400 {
		t.Errorf("broken multipart: %d", st)
	}
	// authentication as the other routes
	if st, _ := e.upload(map[string]string{"path": "docs"}, "a.txt", []byte("a"), "Authorization", ""); st != 403 {
		t.Errorf("upload without credentials: %d", st)
	}
}

func TestFileUploadReadOnlyAndLimit(t *testing.T) {
	e, _ := newMediaEnv(t, func(s *config.Settings) { s.ReadOnly = true })
	if st, b := e.upload(map[string]string{"path": "docs"}, "a.txt", []byte("a")); st != 403 {
		t.Errorf("READ_ONLY upload: %d %s", st, b)
	}
	e, root := newMediaEnv(t, func(s *config.Settings) { s.MediaMaxUploadMB = 1 })
	if st, b := e.upload(map[string]string{"path": "docs"}, "big.bin", make([]byte, 1<<20+10)); st != 413 {
		t.Errorf("over the limit: %d %s", st, b)
	}
	entries, _ := os.ReadDir(filepath.Join(root, "_jet_tmp"))
	if len(entries) != 0 {
		t.Errorf("temporary files left: %v", entries)
	}
	if st, b := e.upload(map[string]string{"path": "docs"}, "ok.bin", make([]byte, 1<<20)); st != 200 {
		t.Errorf("at the limit: %d %s", st, b)
	}
}

func TestImageResize(t *testing.T) {
	e, _ := newMediaEnv(t, nil)
	var pb bytes.Buffer
	_ = png.Encode(&pb, image.NewGray(image.Rect(0, 0, 640, 480)))
	if st, b := e.upload(map[string]string{"path": "img"}, "p.png", pb.Bytes()); st != 200 {
		t.Fatalf("upload: %d %s", st, b)
	}
	// a decompression bomb: a 60000 x 60000 PNG in a few hundred bytes
	if st, b := e.upload(map[string]string{"path": "img"}, "bomb.png", bombPNGHeader(60000, 60000)); st != 200 {
		t.Fatalf("upload: %d %s", st, b)
	}
	st, h, b := e.do("GET", "/api/image_resize/?path=img/p.png&max_width=100&max_height=100", "", "Authorization", "")
	if st != 200 || h.Get("Content-Type") != "image/png" {
		t.Fatalf("resize: %d %v", st, h)
	}
	if cfg, err := png.DecodeConfig(strings.NewReader(b)); err != nil || cfg.Width != 100 || cfg.Height != 75 {
		t.Errorf("thumbnail: %+v %v", cfg, err)
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	st, _, b = e.do("GET", "/api/image_resize/?path=img/bomb.png", "")
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if st != 400 || !strings.Contains(b, "pixels") || time.Since(start) > 2*time.Second || after.TotalAlloc-before.TotalAlloc > 10<<20 {
		t.Errorf("bomb: %d %s in %v, %d bytes allocated", st, b, time.Since(start), after.TotalAlloc-before.TotalAlloc)
	}
	for _, c := range []struct {
		q    string
		want int
	}{
		{"", 400}, {"?path=https://example.com/a.png", 400}, {"?path=img/p.png&max_width=abc", 400},
		{"?path=img/p.png&max_width=0", 400}, {"?path=img/p.png&max_height=99999", 400},
		{"?path=../etc/passwd", 400}, {"?path=img/none.png", 404},
	} {
		if st, _, b := e.do("GET", "/api/image_resize/"+c.q, ""); st != c.want || !strings.HasPrefix(b, "{") {
			t.Errorf("resize %s: %d %s, want %d", c.q, st, b, c.want)
		}
	}
}

// bombPNGHeader is a valid PNG header declaring w x h pixels with a tiny IDAT.
func bombPNGHeader(w, h int) []byte {
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	out := b.Bytes()
	// IHDR data starts at 16: patch width and height, then the CRC
	putU32 := func(p []byte, v uint32) { p[0], p[1], p[2], p[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v) }
	putU32(out[16:], uint32(w))
	putU32(out[20:], uint32(h))
	putU32(out[29:], crcIEEE(out[12:29]))
	return out
}

func crcIEEE(p []byte) uint32 {
	crc := ^uint32(0)
	for _, c := range p {
		crc ^= uint32(c)
		for k := 0; k < 8; k++ {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0xedb88320
			} else {
				crc >>= 1
			}
		}
	}
	return ^crc
}

// rss is the process's resident set size in bytes (Linux), or 0.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestLargeUploadStreams: a 200 MB upload goes to disk without the process
// growing by more than 50 MB (client and server share the process here).
func TestLargeUploadStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("200 MB upload")
	}
	const size = 200 << 20
	e, root := newMediaEnv(t, func(s *config.Settings) { s.MediaMaxUploadMB = 300 })
	runtime.GC()
	base := rss()
	var peak atomic.Int64
	var heapPeak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
			if r := rss(); r > peak.Load() {
				peak.Store(r)
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > heapPeak.Load() {
				heapPeak.Store(ms.HeapInuse)
			}
		}
	}()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		_ = mw.WriteField("path", "big")
		fw, err := mw.CreateFormFile("file", "big.bin")
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 KiB
		for n := 0; n < size; n += len(chunk) {
			if _, err := fw.Write(chunk); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/file_upload/", pr)
	req.Header.Set("Authorization", "Bearer "+testKey)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	close(done)
	took := time.Since(start)
	if resp.StatusCode != 200 {
		t.Fatalf("upload: %d %s", resp.StatusCode, b)
	}
	fi, err := os.Stat(filepath.Join(root, "big", "big.bin"))
	if err != nil || fi.Size() != size {
		t.Fatalf("stored file: %v %v", fi, err)
	}
	growth := peak.Load() - base
	t.Logf("200 MB upload in %v (%.0f MB/s): RSS %d MB -> peak %d MB (growth %.1f MB), peak heap in use %.1f MB",
		took.Round(time.Millisecond), float64(size)/(1<<20)/took.Seconds(), base>>20, peak.Load()>>20,
		float64(growth)/(1<<20), float64(heapPeak.Load())/(1<<20))
	if base > 0 && growth > 50<<20 {
		t.Errorf("RSS grew by %d MB during a streamed upload", growth>>20)
	}
	fmt.Fprint(io.Discard, b)
}
