package sqlapi

import (
	"reflect"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

func TestBindParams(t *testing.T) {
	pg, my, lite := config.EnginePostgres, config.EngineMySQL, config.EngineSQLite
	vals := map[string]any{"a": "A", "b": "B", "param_0": "P0", "param_1": "P1"}
	tests := []struct {
		name     string
		eng      config.Engine
		percentS bool
		in       string
		want     string
		args     []any
		missing  []string
	}{
		{"named pg", pg, false, "SELECT * FROM t WHERE x = :a AND y = :b", "SELECT * FROM t WHERE x = $1 AND y = $2", []any{"A", "B"}, nil},
		{"named reused pg", pg, false, "SELECT :a, :b, :a", "SELECT $1, $2, $1", []any{"A", "B"}, nil},
		{"named reused mysql", my, false, "SELECT :a, :b, :a", "SELECT ?, ?, ?", []any{"A", "B", "A"}, nil},
		{"percent s v1", lite, true, "SELECT %s, %s", "SELECT ?, ?", []any{"P0", "P1"}, nil},
		{"percent s pg", pg, true, "SELECT %s, :param_0", "SELECT $1, $1", []any{"P0"}, nil},
		{"percent s off in v2", pg, false, "SELECT '%s' || %s", "SELECT '%s' || %s", nil, nil},
		{"double percent", lite, true, "SELECT 5 %% 2, %s", "SELECT 5 %% 2, ?", []any{"P0"}, nil},
		{"in string literal", pg, true, "SELECT ':a %s', %s", "SELECT ':a %s', $1", []any{"P0"}, nil},
		{"escaped quote", my, false, `SELECT 'it''s :a', 'x\' :a', :b`, `SELECT 'it''s :a', 'x\' :a', ?`, []any{"B"}, nil},
		{"pg no backslash escape", pg, false, `SELECT 'x\', :a`, `SELECT 'x\', $1`, []any{"A"}, nil},
		{"pg E string", pg, false, `SELECT E'x\' :b', :a`, `SELECT E'x\' :b', $1`, []any{"A"}, nil},
		{"double quoted ident", pg, false, `SELECT ":a" FROM t WHERE x = :b`, `SELECT ":a" FROM t WHERE x = $1`, []any{"B"}, nil},
		{"mysql double quoted string", my, false, `SELECT ":a\" :a", :b`, `SELECT ":a\" :a", ?`, []any{"B"}, nil},
		{"backticks", my, false, "SELECT `:a` FROM t WHERE x = :b", "SELECT `:a` FROM t WHERE x = ?", []any{"B"}, nil},
		{"sqlite brackets", lite, false, "SELECT [:a] FROM t WHERE x = :b", "SELECT [:a] FROM t WHERE x = ?", []any{"B"}, nil},
		{"line comment", pg, true, "SELECT 1 -- :a %s\n, :b", "SELECT 1 -- :a %s\n, $1", []any{"B"}, nil},
		{"block comment", lite, false, "SELECT /* :a */ :b", "SELECT /* :a */ ?", []any{"B"}, nil},
		{"pg nested comment", pg, false, "SELECT /* /* :a */ :a */ :b", "SELECT /* /* :a */ :a */ $1", []any{"B"}, nil},
		{"mysql not nested", my, false, "SELECT /* /* :a */ :b", "SELECT /* /* :a */ ?", []any{"B"}, nil},
		{"mysql hash comment", my, false, "SELECT 1 # :a\n, :b", "SELECT 1 # :a\n, ?", []any{"B"}, nil},
		{"mysql double dash needs space", my, false, "SELECT 1--:a\n", "SELECT 1--?\n", []any{"A"}, nil},
		{"dollar quoted", pg, false, "SELECT $$ :a $$, $tag$ :a $x$ $tag$, :b", "SELECT $$ :a $$, $tag$ :a $x$ $tag$, $1", []any{"B"}, nil},
		{"cast", pg, false, "SELECT x::text, :a::int, CAST(:b AS int)", "SELECT x::text, $1::int, CAST($2 AS int)", []any{"A", "B"}, nil},
		{"name followed by one colon", pg, false, "SELECT :a:b", "SELECT :a:b", nil, nil},
		{"array slice", pg, false, "SELECT arr[1:2], arr[lo:hi] FROM t", "SELECT arr[1:2], arr[lo:hi] FROM t", nil, nil},
		{"mysql assign", my, false, "SELECT @x := 1, :a", "SELECT @x := 1, ?", []any{"A"}, nil},
		{"missing", pg, false, "SELECT :a, :zz, :yy, :zz", "SELECT $1, $2, $3, $2", []any{"A", nil, nil}, []string{"zz", "yy"}},
		{"missing percent", lite, true, "SELECT %s, %s, %s", "SELECT ?, ?, ?", []any{"P0", "P1", nil}, []string{"param_2"}},
		{"unicode name", pg, false, "SELECT :ä", "SELECT $1", []any{nil}, []string{"ä"}},
		{"unterminated literal", pg, false, "SELECT :a, 'x :b", "SELECT $1, 'x :b", []any{"A"}, nil},
		{"no params", pg, false, "SELECT 1", "SELECT 1", nil, nil},
		{"kept apart pg", pg, true, "SELECT x%s, $%s, %s5", "SELECT x $1, $ $2, $3 5", []any{"P0", "P1", nil}, []string{"param_2"}},
		{"kept apart sqlite", lite, true, "SELECT %s5", "SELECT ? 5", []any{"P0"}, nil},
		{"percent s glued to E string pg", pg, true, `SELECT %sE'\\' :a', %s`, `SELECT %sE'\\' $1', %s`, []any{"A"}, nil},
		{"percent s glued to E string keeps numbers", pg, true, "SELECT %sE'x', %s", "SELECT %sE'x', $1", []any{"P1"}, nil},
		{"colon before E string pg", pg, false, `SELECT :E'\'0', :e'x', :a`, `SELECT :E'\'0', :e'x', $1`, []any{"A"}, nil},
		{"colon E is a name on mysql", my, false, `SELECT :E'x'`, `SELECT ?'x'`, []any{nil}, []string{"E"}},
		{"longer name before a string pg", pg, false, `SELECT :aE'x'`, `SELECT $1'x'`, []any{nil}, []string{"aE"}},
		{"percent s glued to E string sqlite", lite, true, "SELECT %sE'x'", "SELECT ? E'x'", []any{"P0"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := bindParams(tc.in, dialectOf(tc.eng), tc.percentS, vals)
			if got.text != tc.want {
				t.Errorf("text\n got %q\nwant %q", got.text, tc.want)
			}
			if !reflect.DeepEqual(got.args, tc.args) {
				t.Errorf("args got %#v want %#v", got.args, tc.args)
			}
			if !reflect.DeepEqual(got.missing, tc.missing) {
				t.Errorf("missing got %#v want %#v", got.missing, tc.missing)
			}
		})
	}
}

func TestTrimTrailingSemicolons(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT 1;", "SELECT 1"},
		{"SELECT 1 ; ; \n-- end\n", "SELECT 1 "},
		{"SELECT ';'", "SELECT ';'"},
		{"SELECT 1 -- c;", "SELECT 1 -- c;"},
		{"SELECT 1 /* x */ ;", "SELECT 1 /* x */ "},
		{";", ""},
	}
	for _, tc := range tests {
		if got := trimTrailingSemicolons(tc.in, lexOf(config.EnginePostgres)); got != tc.want {
			t.Errorf("%q: got %q want %q", tc.in, got, tc.want)
		}
	}
}

// literalTexts returns the text of every non-code span.
func literalTexts(s string, eng config.Engine) []string {
	var out []string
	for _, x := range lexSpans(s, lexOf(eng), nil) {
		if x.kind != spanCode {
			out = append(out, s[x.start:x.end])
		}
	}
	return out
}

// FuzzBindParams checks that placeholder translation never panics and never
// changes the text of literals, quoted identifiers and comments. The seed
// corpus is in testdata/fuzz/FuzzBindParams.
func FuzzBindParams(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM t WHERE a = :a AND b = %s",
		"SELECT ':a', \":b\", `:c`, [:d] -- :e\n/* :f */ :g",
		"SELECT $$:a$$, $t$ %s $t$, E'\\' :a', x::int, :a::text",
		"SELECT 1 # :a\n, /*! :b */ :c",
	} {
		for e := range 3 {
			f.Add(s, uint8(e), true)
		}
	}
	engines := []config.Engine{config.EnginePostgres, config.EngineMySQL, config.EngineSQLite}
	f.Fuzz(func(t *testing.T, s string, e uint8, percentS bool) {
		eng := engines[int(e)%len(engines)]
		got := bindParams(s, dialectOf(eng), percentS, map[string]any{"a": 1})
		before := literalTexts(s, eng)
		after := literalTexts(got.text, eng)
		if !reflect.DeepEqual(before, after) {
			t.Fatalf("literals changed on %s\n in: %q\nout: %q\n%q\n%q", eng, s, got.text, before, after)
		}
		if len(got.missing) > len(got.args) {
			t.Fatalf("more missing names than arguments: %q", s)
		}
		_ = analyze(s, lexOf(eng))
		_ = trimTrailingSemicolons(s, lexOf(eng))
	})
}
