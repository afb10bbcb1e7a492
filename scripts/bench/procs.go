package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// proc is a server process the harness started.
type proc struct {
	name string
	cmd  *exec.Cmd
	addr string
	log  string
	done chan error
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startProc runs bin args with env (added to a minimal environment), its
// output going to a log file in dir.
func startProc(name, dir, bin string, args, env []string) (*proc, error) {
	logPath := filepath.Join(dir, name+".log")
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(baseEnv(), env...)
	cmd.Dir = dir // no jet.conf of the caller's working directory
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, log: logPath, done: make(chan error, 1)}
	go func() {
		p.done <- cmd.Wait()
		f.Close()
	}()
	return p, nil
}

// baseEnv is the environment every started server gets: PATH, HOME and TZ
// only, so the caller's DATABASE_* or TOKEN variables cannot leak in.
func baseEnv() []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "TZ", "TMPDIR", "XDG_CACHE_HOME"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// stop ends the process (SIGTERM, then SIGKILL after 10 s).
func (p *proc) stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// exited reports whether the process is gone.
func (p *proc) exited() bool {
	select {
	case err := <-p.done:
		p.done <- err
		return true
	default:
		return false
	}
}

// tail returns the last lines of the process log.
func (p *proc) tail(n int) string {
	b, err := os.ReadFile(p.log)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// memory reads VmRSS and VmHWM (peak) of the process, in bytes.
func (p *proc) memory() (rss, peak int64) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		for _, k := range []string{"VmRSS:", "VmHWM:"} {
			if strings.HasPrefix(line, k) {
				fields := strings.Fields(line[len(k):])
				if len(fields) >= 1 {
					kb, _ := strconv.ParseInt(fields[0], 10, 64)
					if k == "VmRSS:" {
						rss = kb << 10
					} else {
						peak = kb << 10
					}
				}
			}
		}
	}
	return rss, peak
}

// cpuTime is the user+system CPU time the process used so far (from
// /proc/<pid>/stat, in clock ticks of 10 ms).
func (p *proc) cpuTime() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// the command name (field 2) may hold spaces: count from its closing parenthesis
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// waitOK polls url until it answers 200 (or the process dies, or timeout).
func waitOK(ctx context.Context, p *proc, url, key string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		status, _, err := get(ctx, client, url, key)
		if err == nil && status == http.StatusOK {
			return nil
		}
		if p != nil && p.exited() {
			return fmt.Errorf("%s exited; its log ends with:\n%s", p.name, p.tail(20))
		}
		if time.Now().After(deadline) {
			msg := fmt.Sprintf("%s did not answer 200 at %s within %s", p.name, url, timeout)
			if err != nil {
				msg += ": " + err.Error()
			} else {
				msg += fmt.Sprintf(" (last status %d)", status)
			}
			return fmt.Errorf("%s; log:\n%s", msg, p.tail(20))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// get sends an authorised GET and returns the status and body.
func get(ctx context.Context, client *http.Client, url, key string) (int, []byte, error) {
	return do(ctx, client, http.MethodGet, url, key, nil)
}

func do(ctx context.Context, client *http.Client, method, url, key string, body []byte) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		r = strings.NewReader(string(body))
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return 0, nil, err
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}
