package graphql

import (
	"strings"
	"testing"
)

// Syntax errors read as graphql-core 2 prints them.
func TestSyntaxErrors(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{"query { genre( }", "Syntax Error GraphQL (1:16) Expected Name, found }\n\n1: query { genre( }\n                  ^\n"},
		{"", "Syntax Error GraphQL (1:1) Unexpected EOF\n\n"},
		{"   ", "Syntax Error GraphQL (1:4) Unexpected EOF\n\n1:    \n      ^\n"},
		{"query {\n  a(x: [1, 2)\n}", "Syntax Error GraphQL (2:13) Unexpected )\n\n1: query {\n2:   a(x: [1, 2)\n               ^\n3: }\n"},
		{`{ a(x: "open) }`, "Syntax Error GraphQL (1:16) Unterminated string"},
		{"{ a(x: 01) }", "Invalid number, unexpected digit after 0"},
		{"{ a(x: ~) }", `Unexpected character "~"`},
	} {
		_, err := Parse(tc.q)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v\nwant %q", tc.q, err, tc.want)
		}
	}
}

func TestParseDocument(t *testing.T) {
	doc, err := Parse(`query Q($n: Int = 3) { a: genre(pagination: {limit: $n}, x: [1, 2.5, "s", true, null, Count]) { ...F ... on T { b } } } fragment F on T { c }`)
	if err != nil {
		t.Fatal(err)
	}
	op := doc.Ops[0]
	if op.Name != "Q" || op.Vars[0].Name != "n" || op.Vars[0].Type != "Int" || op.Vars[0].Default.Raw != "3" {
		t.Fatalf("operation %+v", op)
	}
	f := op.Sel[0].Field
	if f.Alias != "a" || f.Name != "genre" || len(f.Args) != 2 || doc.Frags["F"].On != "T" {
		t.Fatalf("field %+v", f)
	}
	if got := printValue(f.Args[1].Value); got != `[1, 2.5, "s", true, null, Count]` {
		t.Fatalf("printed %s", got)
	}
	if got := printValue(&Value{Kind: ValString, Raw: "Bjørn"}); got != `"Bj\u00f8rn"` {
		t.Fatalf("printed %s", got)
	}
}

func TestSuggest(t *testing.T) {
	for _, tc := range []struct {
		in   string
		opts []string
		want string
	}{
		{"nope", []string{"genre_id", "name"}, ` Did you mean "name"?`},
		{"nope", []string{"genre", "track"}, ""},
		{"limt", []string{"page", "offset", "limit"}, ` Did you mean "limit"?`},
	} {
		if got := suggest(tc.in, tc.opts); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzGraphQLParse(f *testing.F) {
	for _, s := range []string{"{ a }", `query { genre(filters: [{name: {eq: "x"}}]) { data { allAttrs } } }`, "{ a(x: [1, {b: $c}]) }", `"""`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := Parse(s)
		if err == nil && len(doc.Ops) == 0 && len(doc.Frags) == 0 {
			t.Fatal("a document without definitions parsed")
		}
	})
}
