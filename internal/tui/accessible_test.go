package tui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/jetbridge/jetbridge/internal/config"
)

// testBearerKey replaces the random Bearer key a flow offers.
const testBearerKey = "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"

func lines(answers ...string) string { return strings.Join(answers, "\n") + "\n" }

// Accessible mode with piped answers: a wrong password, corrected; the
// transcript is a golden file (and the README's example).
func TestAccessibleTranscript(t *testing.T) {
	tmp := chdir(t)
	b := newFake()
	wrongPasswordOnce(b)
	var out bytes.Buffer
	in := strings.NewReader(lines(
		"1", "db.example.com", "", "app", "wrong", "shop", "", "n", // first try
		"1", "", "", "", "s3cret", "", "", "", // edit: only the password changes
		"acme", "", "", "n", // project, Bearer key: yes, config path, browser
	))
	flow := NewFlow(config.Defaults())
	flow.A.BearerKey = testBearerKey
	if err := RunAccessible(context.Background(), flow, b, AccessibleOptions{}, in, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := normalize(out.String(), tmp)
	golden(t, "accessible.golden", got)
	if strings.Contains(got, "s3cret") || strings.Contains(got, "0123456789abcdef0123456789abcdef") || strings.Contains(got, testBearerKey) {
		t.Error("a secret was printed")
	}
	s := b.written["jet.conf"]
	if s.Database.Password != "s3cret" || s.Database.Host != "db.example.com" || s.Database.Port != 5432 || s.Project != "acme" || s.BearerAuthKey != testBearerKey {
		t.Errorf("written %+v", s)
	}
	if len(b.opened) != 0 {
		t.Errorf("opened %v", b.opened)
	}
}

func TestAccessibleEndsEarly(t *testing.T) {
	chdir(t)
	tests := []struct {
		name  string
		input string
		want  error
	}{
		{"input ends", lines("3", "x.db"), ErrInputEnded},
		{"quit after failure", lines("1", "", "", "u", "", "db", "", "n", "3"), ErrQuit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newFake()
			b.test = func(config.Database) (ConnInfo, error) { return ConnInfo{}, errPGWrongPassword("u") }
			var out bytes.Buffer
			err := RunAccessible(context.Background(), NewFlow(config.Defaults()), b, AccessibleOptions{}, strings.NewReader(tc.input), &out)
			if !errors.Is(err, tc.want) {
				t.Errorf("err %v, want %v\n%s", err, tc.want, out.String())
			}
			if len(b.written) != 0 || b.regs != 0 {
				t.Error("something was written")
			}
		})
	}
}

// Input that ends at the activation question, after everything is saved,
// is a success that opens nothing (it is not "nothing was written").
func TestAccessibleEndsAtActivation(t *testing.T) {
	chdir(t)
	b := newFake()
	var out bytes.Buffer
	in := strings.NewReader(lines("3", "x.db", "y", "", "", ""))
	if err := RunAccessible(context.Background(), NewFlow(config.Defaults()), b, AccessibleOptions{}, in, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if len(b.written) != 1 || len(b.opened) != 0 || !strings.Contains(out.String(), "Open the activation page") || !strings.Contains(out.String(), "Jet Bridge is set up.") {
		t.Errorf("written %v opened %v\n%s", b.written, b.opened, out.String())
	}
}

// Ctrl-C (the context cancelled) while a question waits for its answer.
func TestAccessibleInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	defer w.Close()
	done := make(chan error, 1)
	go func() {
		done <- RunAccessible(ctx, NewFlow(config.Defaults()), newFake(), AccessibleOptions{}, r, io.Discard)
	}()
	cancel()
	if err := <-done; !errors.Is(err, ErrInterrupted) {
		t.Errorf("err %v", err)
	}
}

func TestLineReader(t *testing.T) {
	var echo bytes.Buffer
	lr := newLineReader(iotest.HalfReader(strings.NewReader("one\ntwo\nsecret\nlast")))
	lr.echo = &echo
	buf := make([]byte, 64)
	var got []string
	for i := 0; i < 4; i++ {
		lr.setSecret(i == 2)
		n, err := lr.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(buf[:n]))
	}
	if strings.Join(got, "|") != "one\n|two\n|secret\n|last" {
		t.Errorf("reads %q", got)
	}
	if lr.ended() {
		t.Error("ended after a partial last line")
	}
	if n, err := lr.Read(buf); n != 0 || err != io.EOF || !lr.ended() {
		t.Errorf("after the end: %d %v ended %v", n, err, lr.ended())
	}
	if echo.String() != "one\ntwo\n*****\nlast\n" {
		t.Errorf("echo %q", echo.String())
	}
}
