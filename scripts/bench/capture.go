package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
)

// capture is a logging proxy in front of PostgreSQL: the bridge connects
// through it while the harness sends each scenario's request once, and it
// records the statements the bridge executes (simple queries, and the SQL of
// every extended-protocol Bind). The baseline then runs exactly those
// statements. It refuses TLS so the traffic stays readable.
type capture struct {
	ln     net.Listener
	target string

	mu        sync.Mutex
	recording bool
	stmts     []string
	wg        sync.WaitGroup
	conns     map[net.Conn]struct{}
}

func startCapture(target string) (*capture, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &capture{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				p.serve(c)
			}()
		}
	}()
	return p, nil
}

func (p *capture) port() int { return p.ln.Addr().(*net.TCPAddr).Port }

// start begins a new recording.
func (p *capture) start() {
	p.mu.Lock()
	p.recording, p.stmts = true, nil
	p.mu.Unlock()
}

// stop ends the recording and returns its statements.
func (p *capture) stop() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.recording = false
	return p.stmts
}

func (p *capture) record(sql string) {
	sql = strings.TrimSpace(sql)
	if sql == "" || sql == ";" || strings.HasPrefix(sql, "-- ping") {
		return // pgx's liveness check of an idle connection
	}
	p.mu.Lock()
	if p.recording {
		p.stmts = append(p.stmts, sql)
	}
	p.mu.Unlock()
}

func (p *capture) close() {
	_ = p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *capture) track(c net.Conn, on bool) {
	p.mu.Lock()
	if on {
		p.conns[c] = struct{}{}
	} else {
		delete(p.conns, c)
	}
	p.mu.Unlock()
}

const (
	pgSSLRequest    = 80877103
	pgGSSENCRequest = 80877104
)

func (p *capture) serve(client net.Conn) {
	p.track(client, true)
	defer p.track(client, false)
	defer client.Close()
	r := bufio.NewReader(client)
	// startup: answer SSL/GSS requests with "N", forward the real startup
	var startup []byte
	for {
		var hdr [8]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return
		}
		n := binary.BigEndian.Uint32(hdr[:4])
		code := binary.BigEndian.Uint32(hdr[4:8])
		if n < 8 || n > 1<<16 {
			return
		}
		rest := make([]byte, n-8)
		if _, err := io.ReadFull(r, rest); err != nil {
			return
		}
		if code == pgSSLRequest || code == pgGSSENCRequest {
			if _, err := client.Write([]byte{'N'}); err != nil {
				return
			}
			continue
		}
		startup = append(hdr[:], rest...)
		break
	}
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	p.track(server, true)
	defer p.track(server, false)
	defer server.Close()
	if _, err := server.Write(startup); err != nil {
		return
	}
	go func() {
		_, _ = io.Copy(client, server)
		_ = client.Close()
	}()
	named := map[string]string{}
	w := bufio.NewWriter(server)
	for {
		typ, body, err := readMessage(r)
		if err != nil {
			return
		}
		switch typ {
		case 'Q':
			p.record(cstring(body))
		case 'P':
			name, rest := splitCString(body)
			named[name] = cstring(rest)
		case 'B':
			_, rest := splitCString(body) // portal
			stmt, _ := splitCString(rest)
			p.record(named[stmt])
		}
		if err := writeMessage(w, typ, body); err != nil {
			return
		}
		if r.Buffered() == 0 {
			if err := w.Flush(); err != nil {
				return
			}
		}
	}
}

var errMessage = errors.New("malformed PostgreSQL message")

func readMessage(r *bufio.Reader) (byte, []byte, error) {
	typ, err := r.ReadByte()
	if err != nil {
		return 0, nil, err
	}
	var l [4]byte
	if _, err := io.ReadFull(r, l[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(l[:])
	if n < 4 || n > 1<<30 {
		return 0, nil, fmt.Errorf("%w: length %d", errMessage, n)
	}
	body := make([]byte, n-4)
	if _, err := io.ReadFull(r, body); err != nil {
		return 0, nil, err
	}
	return typ, body, nil
}

func writeMessage(w *bufio.Writer, typ byte, body []byte) error {
	var l [5]byte
	l[0] = typ
	binary.BigEndian.PutUint32(l[1:], uint32(len(body)+4))
	if _, err := w.Write(l[:]); err != nil {
		return err
	}
	_, err := w.Write(body)
	return err
}

func splitCString(b []byte) (string, []byte) {
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		return string(b), nil
	}
	return string(b[:i]), b[i+1:]
}

func cstring(b []byte) string { s, _ := splitCString(b); return s }
