package jsonw

import (
	"encoding/json"
	"math"
	"testing"
	"unicode/utf8"
)

func TestAppendString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":             `"plain"`,
		"a\"b\\c":           `"a\"b\\c"`,
		"l1\nl2\r\t":        `"l1\nl2\r\t"`,
		"\x00\x1f":          `"\u0000\u001f"`,
		"<a href='x'>&</a>": `"<a href='x'>&</a>"`,
		"Zoë 東京 🎵":          `"Zoë 東京 🎵"`,
		"bad\xffbyte":       `"bad\ufffdbyte"`,
		"sep\u2028\u2029":   `"sep\u2028\u2029"`,
	} {
		got := string(AppendString(nil, in))
		if got != want {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Errorf("%q: %s is not JSON: %v", in, got, err)
		}
	}
}

func TestAppendFloat(t *testing.T) {
	for f, want := range map[float64]string{1.5: "1.5", -0.25: "-0.25", 1e21: "1e+21", math.NaN(): "null", math.Inf(-1): "null"} {
		if got := string(AppendFloat(nil, f, 64)); got != want {
			t.Errorf("%v: %s, want %s", f, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a", "\xff", "\u2028", `"\`, "東京"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := AppendString(nil, s)
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%q -> %s: %v", s, out, err)
		}
		if utf8.ValidString(s) && back != s {
			t.Fatalf("%q came back as %q", s, back)
		}
	})
}
