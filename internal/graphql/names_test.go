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
