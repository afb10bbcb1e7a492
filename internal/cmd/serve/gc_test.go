package serve

import (
	"runtime/debug"
	"testing"
)

// serve collects garbage at serveGCPercent unless GOGC is set, in which
// case the environment's value (applied by the Go runtime) stays.
func TestTuneGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	for _, tc := range []struct {
		name string
		env  map[string]string
		want int
	}{
		{"unset", nil, serveGCPercent},
		{"GOGC set", map[string]string{"GOGC": "50"}, 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if v, ok := tc.env["GOGC"]; ok && v == "50" {
				debug.SetGCPercent(50) // what the runtime did at start-up
			}
			got := tuneGC(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if got != tc.want {
				t.Fatalf("tuneGC = %d, want %d", got, tc.want)
			}
			if cur := debug.SetGCPercent(tc.want); cur != tc.want {
				t.Fatalf("GC percent in effect %d, want %d", cur, tc.want)
			}
		})
	}
}
