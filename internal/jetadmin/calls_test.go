package jetadmin

import (
	"testing"
	"time"
)

// TestParseTime: the Jet Admin API's timestamps (values.APITimestamp).
func TestParseTime(t *testing.T) {
	for in, want := range map[string]string{
		"2024-05-01T10:11:12Z":                "2024-05-01T10:11:12Z",
		"2024-05-01T10:11:12.123456+03:00":    "2024-05-01T10:11:12.123456+03:00",
		"2024-05-01T10:11:12.5":               "2024-05-01T10:11:12.5Z",
		"2024-05-01 10:11:12.123456789-05:30": "2024-05-01T10:11:12.123456789-05:30",
		"2024-05-01 10:11:12":                 "2024-05-01T10:11:12Z",
	} {
		got, ok := parseTime(in)
		if !ok || got.Format(time.RFC3339Nano) != want {
			t.Errorf("parseTime(%q) = %v, %v; want %s", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "2024-05-01", "2024-05-01T10:11", "2024-05-01T10:11:12+03", "2024-05-01T10:11:12+0300", " 2024-05-01T10:11:12Z", "2024-05-01T10:11:12z"} {
		if got, ok := parseTime(bad); ok {
			t.Errorf("parseTime(%q) = %v", bad, got)
		}
	}
}
