package auth

import "testing"

func TestParseHeader(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   credential
		ok     bool
	}{
		{"JWT abc", credential{typ: "JWT", value: "abc"}, true},
		{"Token 3f2a;project_child=child-proj", credential{typ: "Token", value: "3f2a", projectChild: "child-proj"}, true},
		{"JWT eyJ,Token abc", credential{typ: "JWT", value: "eyJ"}, true},
		{"Token abc,JWT eyJ", credential{typ: "JWT", value: "eyJ"}, true},
		// Q33: a space after the comma no longer drops the piece.
		{"Token abc, JWT eyJ", credential{typ: "JWT", value: "eyJ"}, true},
		// Q33: a param with two '=' keeps the params.
		{"Token abc;x=a=b;project_child=kid", credential{typ: "Token", value: "abc", projectChild: "kid"}, true},
		{"Token abc;project_child=k=v", credential{typ: "Token", value: "abc", projectChild: "k=v"}, true},
		{"Token abc; project_child = kid", credential{typ: "Token", value: "abc", projectChild: "kid"}, true},
		// First type wins without a JWT; a repeated type overwrites its value.
		{"Bearer b1,Token t1,Bearer b2", credential{typ: "Bearer", value: "b2"}, true},
		{"Token t1,Bearer b1", credential{typ: "Token", value: "t1"}, true},
		// Unknown types parse (and are refused later).
		{"Basic xyz", credential{typ: "Basic", value: "xyz"}, true},
		// Malformed pieces are skipped.
		{"garbage,Token t1", credential{typ: "Token", value: "t1"}, true},
		{"Token a b,Bearer c", credential{typ: "Bearer", value: "c"}, true},
		{"JWT  abc", credential{typ: "JWT", value: "abc"}, true},
		{"garbage", credential{}, false},
		{"JWT ", credential{}, false},
		{"JWT ;project_child=x", credential{}, false},
		{",,,", credential{}, false},
		{" abc", credential{}, false},
	} {
		got, ok := parseHeader(tc.header)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseHeader(%q) = %+v, %v; want %+v, %v", tc.header, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseHeaderDoesNotAllocate(t *testing.T) {
	h := "Token abc;project_child=kid, JWT eyJhbGciOi.x.y"
	if n := testing.AllocsPerRun(100, func() { parseHeader(h) }); n != 0 {
		t.Errorf("%v allocs", n)
	}
}
