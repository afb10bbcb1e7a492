package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
)

// The test PostgreSQL trusts every local connection, so a wrong password
// cannot fail there. pgPasswordProxy stands in front of it and does what a
// server with password authentication does: it asks for the password
// (AuthenticationCleartextPassword), answers a wrong one with SQLSTATE 28P01
// "password authentication failed", and relays a right one's session to the
// real server, which then logs the client in.
type pgPasswordProxy struct {
	Addr     string // host:port to connect to
	target   string
	password string
	ln       net.Listener
	wg       sync.WaitGroup
}

const (
	pgSSLRequest    = 80877103
	pgGSSENCRequest = 80877104
)

func startPGPasswordProxy(t *testing.T, target, password string) *pgPasswordProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &pgPasswordProxy{Addr: ln.Addr().String(), target: target, password: password, ln: ln}
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
	t.Cleanup(func() {
		_ = ln.Close()
		p.wg.Wait()
	})
	return p
}

// readStartup reads one untyped message (length-prefixed) and returns it
// whole.
func readStartup(r io.Reader) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n < 8 || n > 1<<16 {
		return nil, errors.New("bad startup length")
	}
	msg := make([]byte, n)
	copy(msg, hdr[:])
	_, err := io.ReadFull(r, msg[4:])
	return msg, err
}

func (p *pgPasswordProxy) serve(c net.Conn) {
	defer c.Close()
	var startup []byte
	for {
		msg, err := readStartup(c)
		if err != nil {
			return
		}
		code := binary.BigEndian.Uint32(msg[4:8])
		if code == pgSSLRequest || code == pgGSSENCRequest {
			if _, err := c.Write([]byte{'N'}); err != nil {
				return
			}
			continue
		}
		startup = msg
		break
	}
	// AuthenticationCleartextPassword
	if _, err := c.Write([]byte{'R', 0, 0, 0, 8, 0, 0, 0, 3}); err != nil {
		return
	}
	var hdr [5]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil || hdr[0] != 'p' {
		return
	}
	body := make([]byte, binary.BigEndian.Uint32(hdr[1:])-4)
	if _, err := io.ReadFull(c, body); err != nil {
		return
	}
	if string(bytes.TrimRight(body, "\x00")) != p.password {
		user := startupParam(startup, "user")
		var e bytes.Buffer
		for _, f := range []struct {
			k byte
			v string
		}{{'S', "FATAL"}, {'V', "FATAL"}, {'C', "28P01"}, {'M', `password authentication failed for user "` + user + `"`}} {
			e.WriteByte(f.k)
			e.WriteString(f.v)
			e.WriteByte(0)
		}
		e.WriteByte(0)
		out := []byte{'E', 0, 0, 0, 0}
		binary.BigEndian.PutUint32(out[1:], uint32(e.Len()+4))
		_, _ = c.Write(append(out, e.Bytes()...))
		return
	}
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer up.Close()
	if _, err := up.Write(startup); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
}

// startupParam reads a parameter of a StartupMessage.
func startupParam(msg []byte, name string) string {
	parts := bytes.Split(msg[8:], []byte{0})
	for i := 0; i+1 < len(parts); i += 2 {
		if string(parts[i]) == name {
			return string(parts[i+1])
		}
	}
	return ""
}
