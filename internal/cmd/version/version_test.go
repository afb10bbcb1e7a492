package version

import (
	"testing"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cmd/cmdtest"
	buildinfo "github.com/jetbridge/jetbridge/internal/version"
)

// version's flags reach VersionOptions through runF, and the output goes to
// the Factory's standard output only.
func TestVersionOptions(t *testing.T) {
	tests := []struct {
		args        []string
		short, json bool
	}{
		{nil, false, false},
		{[]string{"--short"}, true, false},
		{[]string{"--json"}, false, true},
	}
	for _, tt := range tests {
		f := cmdutil.New()
		var got *VersionOptions
		r := cmdtest.Execute(t, f, NewCmdVersion(f, func(o *VersionOptions) error { got = o; return nil }), "", tt.args...)
		if r.Err != nil || got == nil {
			t.Fatalf("%v: %v", tt.args, r.Err)
		}
		if got.Short != tt.short || got.JSON != tt.json || got.IO != f.IOStreams {
			t.Errorf("%v: options %+v", tt.args, got)
		}
	}
	f := cmdutil.New()
	if r := cmdtest.Execute(t, f, NewCmdVersion(f, nil), "", "--short"); r.Out != buildinfo.Get().Version+"\n" || r.ErrOut != "" {
		t.Errorf("version --short wrote %q, errors %q", r.Out, r.ErrOut)
	}
}
