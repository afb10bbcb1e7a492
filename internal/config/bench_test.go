package config

import (
	"os"
	"testing"
)

// BenchmarkLoad loads the upstream sample jet.conf plus environment; the
// baseline is reading the same file with os.ReadFile.
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	src, err := os.ReadFile("testdata/python-jet.conf")
	if err != nil {
		b.Fatal(err)
	}
	path := dir + "/jet.conf"
	if err := os.WriteFile(path, src, 0o600); err != nil {
		b.Fatal(err)
	}
	e := env(map[string]string{"CONFIG": path, "PORT": "9000", "READ_ONLY": "yes"})
	b.Run("baseline-readfile", func(b *testing.B) {
		for b.Loop() {
			if _, err := os.ReadFile(path); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			if _, err := Load(nil, e); err != nil {
				b.Fatal(err)
			}
		}
	})
}
