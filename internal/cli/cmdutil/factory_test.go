package cmdutil

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/jetbridge/jetbridge/internal/config"
)

func TestNewSetsEveryDependency(t *testing.T) {
	f := New()
	if f.IOStreams == nil || f.LookupEnv == nil || f.Now == nil || f.NewClient == nil || f.OpenDB == nil || f.Backend == nil || f.NewLogger == nil {
		t.Fatalf("New left a dependency unset: %+v", f)
	}
	if f.IOStreams.In != os.Stdin || f.IOStreams.Out != os.Stdout || f.IOStreams.ErrOut != os.Stderr {
		t.Error("New does not use the process's streams")
	}
	if c := f.NewClient(config.Settings{APIBaseURL: "http://api.test/api"}); c.BaseURL() != "http://api.test/api" {
		t.Errorf("client base URL %q", c.BaseURL())
	}
}

func TestTextLogger(t *testing.T) {
	var b bytes.Buffer
	ctx := context.Background()
	if l := TextLogger(&b, false); l.Enabled(ctx, slog.LevelDebug) || !l.Enabled(ctx, slog.LevelInfo) {
		t.Error("default level is not info")
	}
	l := TextLogger(&b, true)
	l.Debug("hello", "k", "v")
	if !strings.Contains(b.String(), "level=DEBUG msg=hello k=v") {
		t.Errorf("debug logger wrote %q", b.String())
	}
}

// LoadSettings reads the Factory's environment, not the process's.
func TestLoadSettingsUsesFactoryEnvironment(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "jet.conf")
	if err := os.WriteFile(conf, []byte("[JET]\nPORT=1111\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"CONFIG": conf, "DATABASE_ENGINE": "sqlite", "DATABASE_NAME": "x.db", "PORT": "2222"}
	f := New()
	f.LookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	flags := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	config.Bind(flags)
	s, err := f.LoadSettings(flags, true)
	if err != nil {
		t.Fatal(err)
	}
	if s.Port != 2222 || s.Database.Name != "x.db" || !s.ConfigFound {
		t.Errorf("settings %+v", s)
	}
	delete(env, "DATABASE_ENGINE")
	if _, err := f.LoadSettings(flags, true); !errors.As(err, new(*config.Problems)) {
		t.Errorf("without a database: %v, want *config.Problems", err)
	}
}
