package register

import (
	"context"
	"errors"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

func TestNormalizeToken(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", "0b1c2d3e4f5061728394a5b6c7d8e9f0", true},
		{" 0B1C2D3E4F5061728394A5B6C7D8E9F0\n", "0b1c2d3e4f5061728394a5b6c7d8e9f0", true},
		{"0b1c2d3e4f5061728394a5b6c7d8e9f", "", false},
		{"0b1c2d3e4f5061728394a5b6c7d8e9f00", "", false},
		{"0b1c2d3e4f5061728394a5b6c7d8e9fz", "", false},
		{"0b1c2d3e4f5061728394a5b6c7d8e9f\x00", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, err := NormalizeToken(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("NormalizeToken(%q) = %q, %v; want %q ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestMask(t *testing.T) {
	tests := map[string]string{
		"0b1c2d3e4f5061728394a5b6c7d8e9f0": "0b1c…e9f0",
		"123456789":                        "1234…6789",
		"12345678":                         "********",
		"":                                 "",
	}
	for in, want := range tests {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestResolve(t *testing.T) {
	ctx := context.Background()
	d := testdb.New(t, config.EngineSQLite)
	st := NewStore(d)
	s := config.Defaults()

	if _, _, err := Resolve(ctx, s, st); !errors.Is(err, ErrNoToken) {
		t.Fatalf("empty: err = %v, want ErrNoToken", err)
	}
	if _, _, err := Resolve(ctx, s, nil); !errors.Is(err, ErrNoToken) {
		t.Fatalf("no store: err = %v, want ErrNoToken", err)
	}
	if err := st.Save(ctx, Token{Token: tokA}); err != nil {
		t.Fatal(err)
	}
	tok, src, err := Resolve(ctx, s, st)
	if err != nil || tok != "0b1c2d3e4f5061728394a5b6c7d8e9f0" || src != SourceDatabase {
		t.Fatalf("stored: %q %q %v", tok, src, err)
	}
	s.Token = "from-settings"
	tok, src, err = Resolve(ctx, s, st)
	if err != nil || tok != "from-settings" || src != SourceSettings {
		t.Fatalf("settings: %q %q %v", tok, src, err)
	}
}

func TestDesktopPresent(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		goos string
		env  map[string]string
		want bool
	}{
		{"darwin", nil, true},
		{"windows", nil, true},
		{"linux", nil, false},
		{"linux", map[string]string{"DISPLAY": ":0"}, true},
		{"freebsd", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, true},
	}
	for _, tt := range tests {
		if got := desktopPresent(tt.goos, env(tt.env)); got != tt.want {
			t.Errorf("desktopPresent(%s, %v) = %v, want %v", tt.goos, tt.env, got, tt.want)
		}
	}
}
