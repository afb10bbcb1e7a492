package graphql

import "testing"

func TestNames(t *testing.T) {
	for _, tc := range []struct{ in, clean, b62 string }{
		{"oracle gql-ünï", "oracle_gql__n_", "__BASE62__3OIQ3c5JkJz2MCmo5iuuf1"},
		{"first name", "first_name", "__BASE62__2PtyV1oiGoa3UL"},
		{"Größe", "Gr__e", "__BASE62__1U6hohDv2z"},
		{"1st", "_1st", "__BASE62__Db5I"},
		{"_meta", "__meta", "__BASE62__7DNPHt3"},
		{"public.album", "public_album", ""},
		{"genre_id", "genre_id", "genre_id"},
	} {
		if got := cleanName(tc.in); got != tc.clean {
			t.Errorf("clean %q = %q, want %q", tc.in, got, tc.clean)
		}
		if tc.b62 != "" {
			if got := base62Name(tc.in); got != tc.b62 {
				t.Errorf("base62 %q = %q, want %q", tc.in, got, tc.b62)
			}
		}
	}
}

func TestWrapRows(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`[]`, `[]`},
		{`[{"a":1}]`, `[{"k":{"a":1}}]`},
		{`[{"a":"x}\"{","b":[1,{"c":"]"}]},{"a":"\\"}]`, `[{"k":{"a":"x}\"{","b":[1,{"c":"]"}]}},{"k":{"a":"\\"}}]`},
	} {
		if got := string(wrapRows(nil, []byte(tc.in), []byte(`{"k":`))); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestWrapRowsEscapes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`[{"a":"\\\"}"},{"b":"\\\\"}]`, `[{"k":{"a":"\\\"}"}},{"k":{"b":"\\\\"}}]`},
		{`[{"a":"[{"},{"b":{"c":[]}}]`, `[{"k":{"a":"[{"}},{"k":{"b":{"c":[]}}}]`},
		{`[{"a":"x\"`, `[]`},
	} {
		if got := string(wrapRows(nil, []byte(tc.in), []byte(`{"k":`))); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.in, got, tc.want)
		}
	}
}
