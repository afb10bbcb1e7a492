package root

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cmd/cmdtest"
	"github.com/jetbridge/jetbridge/internal/version"
)

// runRootForTest executes the root command with args and returns stdout.
func runRootForTest(t *testing.T, args ...string) string {
	t.Helper()
	r := executeRoot(t, cmdutil.New(), "", args...)
	if r.Err != nil {
		t.Fatalf("jetbridge %v: %v (stderr: %s)", args, r.Err, r.ErrOut)
	}
	return r.Out
}

// setBuildInfoForTest sets the ldflags variables for one test, as a release build would.
func setBuildInfoForTest(t *testing.T, v, commit, date string) {
	t.Helper()
	old := [3]string{version.Version, version.Commit, version.Date}
	version.Version, version.Commit, version.Date = v, commit, date
	t.Cleanup(func() { version.Version, version.Commit, version.Date = old[0], old[1], old[2] })
}

func TestVersionOutput(t *testing.T) {
	setBuildInfoForTest(t, "1.2.3", "0123abcd", "2026-01-02T03:04:05Z")
	full := "jetbridge 1.2.3\ncommit: 0123abcd\ndate: 2026-01-02T03:04:05Z\ngo: " + runtime.Version() + "\n"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"command", []string{"version"}, full},
		{"flag", []string{"--version"}, full},
		{"short", []string{"version", "--short"}, "1.2.3\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := runRootForTest(t, tt.args...); got != tt.want {
				t.Errorf("jetbridge %v =\n%q\nwant\n%q", tt.args, got, tt.want)
			}
		})
	}
}

func TestVersionJSON(t *testing.T) {
	setBuildInfoForTest(t, "1.2.3", "0123abcd", "2026-01-02T03:04:05Z")
	var got version.Info
	if err := json.Unmarshal([]byte(runRootForTest(t, "version", "--json")), &got); err != nil {
		t.Fatal(err)
	}
	want := version.Info{Version: "1.2.3", Commit: "0123abcd", Date: "2026-01-02T03:04:05Z", GoVersion: runtime.Version()}
	if got != want {
		t.Errorf("version --json = %+v, want %+v", got, want)
	}
}

func TestVersionUnsetFieldsShowUnknown(t *testing.T) {
	setBuildInfoForTest(t, "dev", "", "")
	got := runRootForTest(t, "version")
	// The module build info may fill commit/date (vcs stamping); when it does
	// not, the fields must read "unknown" rather than being blank.
	for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
		if strings.HasSuffix(line, ": ") || strings.HasSuffix(line, ":") {
			t.Errorf("blank field in version output: %q", line)
		}
	}
	if version.Get().Commit == "" && !strings.Contains(got, "commit: unknown\n") {
		t.Errorf("version output %q lacks commit: unknown", got)
	}
}

func TestVersionRejectsShortWithJSON(t *testing.T) {
	if r := executeRoot(t, cmdutil.New(), "", "version", "--short", "--json"); r.Err == nil {
		t.Fatal("version --short --json succeeded, want a usage error")
	}
}

func TestCompletion(t *testing.T) {
	tests := []struct {
		shell string
		want  []string
	}{
		{"bash", []string{"# bash completion V2 for jetbridge", "__start_jetbridge", "complete -o default -F __start_jetbridge jetbridge"}},
		{"zsh", []string{"#compdef jetbridge", "_jetbridge()"}},
		{"fish", []string{"# fish completion for jetbridge", "complete -c jetbridge"}},
		{"powershell", []string{"# powershell completion for jetbridge", "Register-ArgumentCompleter"}},
	}
	for _, tt := range tests {
		t.Run(tt.shell, func(t *testing.T) {
			got := runRootForTest(t, "completion", tt.shell)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("completion %s lacks %q", tt.shell, w)
				}
			}
		})
	}
}

func TestCompletionSuggestsCommands(t *testing.T) {
	// cobra's hidden __complete command is what the shell scripts call.
	got := runRootForTest(t, "__complete", "ver")
	if !strings.Contains(got, "version\t") {
		t.Errorf("__complete ver = %q, want the version command", got)
	}
	if strings.Contains(runRootForTest(t, "__complete", "ma"), "man") {
		t.Error("hidden man command is offered for completion")
	}
}

func TestManPages(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1767323045") // 2026-01-02
	setBuildInfoForTest(t, "1.2.3", "0123abcd", "2026-01-02T03:04:05Z")
	dir := t.TempDir()
	runRootForTest(t, "man", dir)
	page, err := os.ReadFile(filepath.Join(dir, "jetbridge.1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`.TH "JETBRIDGE" "1" "Jan 2026" "jetbridge 1.2.3" "jetbridge manual"`, "jetbridge-version(1)"} {
		if !bytes.Contains(page, []byte(w)) {
			t.Errorf("jetbridge.1 lacks %q:\n%s", w, page)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "jetbridge-version.1")); err != nil {
		t.Errorf("no page for the version command: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "jetbridge-man.1")); err == nil {
		t.Error("hidden man command got a man page")
	}
}

func TestManPagesGzipReproducible(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1767323045")
	var first []byte
	for i := range 2 {
		dir := t.TempDir()
		runRootForTest(t, "man", "--gzip", dir)
		gz, err := os.ReadFile(filepath.Join(dir, "jetbridge-version.1.gz"))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		page, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(page, []byte(`.TH "JETBRIDGE-VERSION" "1"`)) {
			t.Errorf("decompressed page lacks its title:\n%s", page)
		}
		if i == 0 {
			first = gz
		} else if !bytes.Equal(first, gz) {
			t.Error("two runs wrote different compressed pages")
		}
	}
}

// executeRoot runs the jetbridge command tree built over f.
func executeRoot(t *testing.T, f *cmdutil.Factory, stdin string, args ...string) cmdtest.Result {
	t.Helper()
	return cmdtest.Execute(t, f, NewCmdRoot(f), stdin, args...)
}
