package serve

import (
	"runtime/debug"
)

// serveGCPercent is the garbage collector's target for serve when the
// environment does not set GOGC: a request allocates little that outlives
// it, so collecting at 200% of the live heap instead of Go's 100% halves
// the collections for a few MB more memory (scripts/bench: retrieve at 32
// connections ~0.85x -> ~0.90x the baseline's throughput, RSS ~31 -> ~35 MB).
const serveGCPercent = 200

// tuneGC applies serveGCPercent unless GOGC is set (the Go runtime has
// applied that one already).
func tuneGC(lookupEnv func(string) (string, bool)) {
	if _, set := lookupEnv("GOGC"); !set {
		debug.SetGCPercent(serveGCPercent)
	}
}
