package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The load generator: closed loop, one keep-alive HTTP/1.1 connection per
// worker, a fixed duration, loopback only. It speaks just enough HTTP to read
// a response (Content-Length or chunked) so that its own CPU use stays small:
// on a 2-core machine the generator shares the cores with the server under
// test and the database.

// request builds the bytes of the i-th request of one worker.
type request func(worker, i int) []byte

// loadResult is one run's outcome.
type loadResult struct {
	Requests int64
	Errors   int64
	Elapsed  time.Duration
	Hist     *histogram
	FirstErr string
	CPU      time.Duration // CPU time the server used during the run
}

// RPS is completed requests per second.
func (r loadResult) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// runLoad drives addr with conns workers for d. Every response must have the
// status want; anything else counts as an error (and its first one is kept).
func runLoad(ctx context.Context, addr string, conns int, d time.Duration, mk request, want int) loadResult {
	if host, _, err := net.SplitHostPort(addr); err != nil || (host != "127.0.0.1" && host != "::1" && host != "localhost") {
		return loadResult{Errors: 1, FirstErr: "the load generator only targets loopback addresses, not " + addr}
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		wg       sync.WaitGroup
		total    atomic.Int64
		errs     atomic.Int64
		firstErr atomic.Pointer[string]
	)
	hists := make([]*histogram, conns)
	start := time.Now()
	for w := 0; w < conns; w++ {
		hists[w] = newHistogram()
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			h := hists[w]
			var c *httpConn
			defer func() {
				if c != nil {
					c.close()
				}
			}()
			for i := 0; ctx.Err() == nil; i++ {
				if c == nil {
					var err error
					if c, err = dialHTTP(ctx, addr); err != nil {
						if ctx.Err() == nil {
							errs.Add(1)
							s := err.Error()
							firstErr.CompareAndSwap(nil, &s)
							time.Sleep(10 * time.Millisecond)
						}
						continue
					}
				}
				req := mk(w, i)
				t0 := time.Now()
				status, keep, err := c.roundTrip(req)
				el := time.Since(t0)
				if err != nil {
					c.close()
					c = nil
					if ctx.Err() == nil {
						errs.Add(1)
						s := err.Error()
						firstErr.CompareAndSwap(nil, &s)
					}
					continue
				}
				if status != want {
					errs.Add(1)
					s := fmt.Sprintf("status %d, want %d", status, want)
					firstErr.CompareAndSwap(nil, &s)
				} else {
					h.record(el)
					total.Add(1)
				}
				if !keep {
					c.close()
					c = nil
				}
			}
		}(w)
	}
	wg.Wait()
	res := loadResult{Requests: total.Load(), Errors: errs.Load(), Elapsed: time.Since(start), Hist: newHistogram()}
	for _, h := range hists {
		res.Hist.merge(h)
	}
	if s := firstErr.Load(); s != nil {
		res.FirstErr = *s
	}
	return res
}

// httpConn is one client connection.
type httpConn struct {
	nc net.Conn
	r  *bufio.Reader
}

func dialHTTP(ctx context.Context, addr string) (*httpConn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	return &httpConn{nc: nc, r: bufio.NewReaderSize(nc, 32<<10)}, nil
}

func (c *httpConn) close() { _ = c.nc.Close() }

var errBadResponse = errors.New("malformed HTTP response")

// roundTrip writes one request and reads (and discards) its response.
func (c *httpConn) roundTrip(req []byte) (status int, keepAlive bool, err error) {
	_ = c.nc.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.nc.Write(req); err != nil {
		return 0, false, err
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, false, errBadResponse
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, errBadResponse
	}
	length, chunked, keepAlive := -1, false, true
	for {
		h, err := c.r.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		i := bytes.IndexByte(h, ':')
		if i < 0 {
			return 0, false, errBadResponse
		}
		name, val := h[:i], bytes.TrimSpace(h[i+1:])
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(val)); err != nil {
				return 0, false, errBadResponse
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(val, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			keepAlive = !bytes.EqualFold(val, []byte("close"))
		}
	}
	switch {
	case status == 204 || status == 304:
	case chunked:
		for {
			l, err := c.r.ReadSlice('\n')
			if err != nil {
				return 0, false, err
			}
			l = bytes.TrimRight(l, "\r\n")
			if j := bytes.IndexByte(l, ';'); j >= 0 {
				l = l[:j]
			}
			n, err := strconv.ParseInt(string(l), 16, 64)
			if err != nil {
				return 0, false, errBadResponse
			}
			if n == 0 {
				// trailers until the empty line
				for {
					t, err := c.r.ReadSlice('\n')
					if err != nil {
						return 0, false, err
					}
					if len(bytes.TrimRight(t, "\r\n")) == 0 {
						break
					}
				}
				break
			}
			if _, err := c.r.Discard(int(n) + 2); err != nil {
				return 0, false, err
			}
		}
	case length >= 0:
		if _, err := c.r.Discard(length); err != nil {
			return 0, false, err
		}
	default:
		_, _ = io.Copy(io.Discard, c.r)
		return status, false, nil
	}
	return status, keepAlive, nil
}

// histogram records latencies in microseconds: exact below 1,024 µs, then
// 512 buckets per power of two (0.2 % resolution). Fixed size, so a run's
// memory does not grow with its request count.
type histogram struct {
	counts []uint64
	n      uint64
}

const histSub = 512

func newHistogram() *histogram { return &histogram{counts: make([]uint64, 2*histSub+40*histSub)} }

func histIndex(us uint64) int {
	if us < 2*histSub {
		return int(us)
	}
	e := bits.Len64(us) - 10 // us>>e in [512, 1024)
	return 2*histSub + (e-1)*histSub + int(us>>uint(e)) - histSub
}

func histValue(i int) uint64 {
	if i < 2*histSub {
		return uint64(i)
	}
	i -= 2 * histSub
	e := i/histSub + 1
	return uint64(i%histSub+histSub) << uint(e)
}

func (h *histogram) record(d time.Duration) {
	us := uint64(d / time.Microsecond)
	i := histIndex(us)
	if i >= len(h.counts) {
		i = len(h.counts) - 1
	}
	h.counts[i]++
	h.n++
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// quantile returns the latency at q (0..1).
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.5)
	rank = max(rank, 1)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return time.Duration(histValue(i)) * time.Microsecond
		}
	}
	return time.Duration(histValue(len(h.counts)-1)) * time.Microsecond
}
