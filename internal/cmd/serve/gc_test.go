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
		name    string
		env     map[string]string
		runtime int // what the Go runtime applied at start-up
		want    int
	}{
		{"unset", nil, 100, serveGCPercent},
		{"GOGC set", map[string]string{"GOGC": "50"}, 50, 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetGCPercent(tc.runtime)
			tuneGC(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if got := debug.SetGCPercent(tc.runtime); got != tc.want {
				t.Fatalf("GC percent in effect %d, want %d", got, tc.want)
			}
		})
	}
}
