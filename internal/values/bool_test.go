package values

import (
	"strings"
	"testing"
)

func TestTruth(t *testing.T) {
	falses := []string{"", " ", "f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0", " false "}
	trues := []string{"t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "on", "On", "1", "maybe", "nO", "fALSE", "2", "-"}
	for _, s := range falses {
		if Truth(s) {
			t.Errorf("Truth(%q) = true, want false", s)
		}
	}
	for _, s := range trues {
		if !Truth(s) {
			t.Errorf("Truth(%q) = false, want true", s)
		}
	}
}

func TestWordAndTruthy(t *testing.T) {
	cases := []struct {
		in     string
		v, ok  bool
		truthy bool
	}{
		{"yes", true, true, true}, {"YES", true, true, true}, {" On ", true, true, true}, {"t", true, true, true},
		{"no", false, true, false}, {"oFf", false, true, false}, {"0", false, true, false}, {"N", false, true, false},
		{"", false, false, false}, {"maybe", false, false, true}, {"2", false, false, true},
	}
	for _, c := range cases {
		if v, ok := Word(c.in); v != c.v || ok != c.ok {
			t.Errorf("Word(%q) = %v, %v; want %v, %v", c.in, v, ok, c.v, c.ok)
		}
		if got := Truthy(c.in); got != c.truthy {
			t.Errorf("Truthy(%q) = %v, want %v", c.in, got, c.truthy)
		}
	}
}

// FuzzBool checks that the three readings agree wherever they overlap.
func FuzzBool(f *testing.F) {
	for _, s := range []string{"", "No", "yes", "OFF", "fAlSe", " 1 ", "maybe", "\x00", "ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := Word(s)
		truth, truthy := Truth(s), Truthy(s)
		if ok && v != truthy {
			t.Fatalf("Word(%q) = %v but Truthy = %v", s, v, truthy)
		}
		if !truth && truthy {
			t.Fatalf("Truth(%q) false but Truthy true", s)
		}
		if Truth(strings.ToLower(s)) != truthy {
			t.Fatalf("Truth(lower(%q)) != Truthy", s)
		}
	})
}
