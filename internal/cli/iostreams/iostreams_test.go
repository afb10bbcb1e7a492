package iostreams

import (
	"fmt"
	"testing"
)

func TestTestStreams(t *testing.T) {
	ios, in, out, errOut := Test()
	in.WriteString("answer\n")
	var got string
	if _, err := fmt.Fscanln(ios.In, &got); err != nil || got != "answer" {
		t.Fatalf("read %q, %v", got, err)
	}
	fmt.Fprint(ios.Out, "out")
	fmt.Fprint(ios.ErrOut, "err")
	if out.String() != "out" || errOut.String() != "err" {
		t.Errorf("out %q err %q", out, errOut)
	}
	if ios.IsStdinTTY() || ios.IsStdoutTTY() || ios.IsStderrTTY() {
		t.Error("test streams are no terminals")
	}
	ios.SetStdinTTY(true)
	ios.SetStdoutTTY(true)
	ios.SetStderrTTY(true)
	if !ios.IsStdinTTY() || !ios.IsStdoutTTY() || !ios.IsStderrTTY() {
		t.Error("Set*TTY did not stick")
	}
}
