package serve

import (
	"runtime/debug"
)

// serveGCPercent is the garbage collector's target for serve when the
// environment does not set GOGC: a request allocates little that outlives
// it, so collecting at 200% of the live heap instead of Go's 100% halves
// the collections for a few MB more memory (scripts/bench: retrieve at 32
// connections ~0.85x -> ~0.92x the baseline's throughput, RSS ~31 -> ~35 MB).
const serveGCPercent = 200

// tuneGC applies serveGCPercent unless GOGC is set (then Go already
// applied it); it returns the percentage in effect.
func tuneGC(lookupEnv func(string) (string, bool)) int {
	if _, set := lookupEnv("GOGC"); set {
		old := debug.SetGCPercent(-1)
		debug.SetGCPercent(old)
		return old
	}
	debug.SetGCPercent(serveGCPercent)
	return serveGCPercent
}
