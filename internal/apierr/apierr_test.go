package apierr

import (
	"encoding/json"
	"testing"
)

// TestInvalid: field errors carry their keys and repeat every message under
// non_field_errors (the key upstream, and so the frontend, uses).
func TestInvalid(t *testing.T) {
	cases := []struct {
		errs map[string][]string
		want string
	}{
		{map[string][]string{"name": {"this field is required"}},
			`{"name":["this field is required"],"non_field_errors":["name: this field is required"]}`},
		{map[string][]string{"qty": {"not a valid integer"}, "born": {"date has wrong format"}},
			`{"born":["date has wrong format"],"non_field_errors":["born: date has wrong format","qty: not a valid integer"],"qty":["not a valid integer"]}`},
		{map[string][]string{"non_field_errors": {"refused"}, "a": {"x"}},
			`{"a":["x"],"non_field_errors":["a: x","refused"]}`},
	}
	for _, tc := range cases {
		e := Invalid(tc.errs)
		b, _ := json.Marshal(e.Body)
		if e.Status != 400 || string(b) != tc.want {
			t.Errorf("%v: %d %s, want 400 %s", tc.errs, e.Status, b, tc.want)
		}
	}
	if b, _ := json.Marshal(InvalidField("c", "m").Body); string(b) != `{"c":["m"],"non_field_errors":["c: m"]}` {
		t.Errorf("InvalidField: %s", b)
	}
}
