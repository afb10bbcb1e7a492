// Package version holds build information set through -ldflags at release time.
package version

import (
	"runtime"
	"runtime/debug"
)

// Set with -ldflags "-X github.com/jetbridge/jetbridge/internal/version.Version=..." etc.
var (
	Version = "dev"
	Commit  = ""
	Date    = ""
)

// Info is the build information of this binary.
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"go_version"`
}

// Get returns the build information, falling back to the module build info
// for `go install` builds.
func Get() Info {
	i := Info{Version: Version, Commit: Commit, Date: Date, GoVersion: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if i.Version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			i.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if i.Commit == "" {
					i.Commit = s.Value
				}
			case "vcs.time":
				if i.Date == "" {
					i.Date = s.Value
				}
			}
		}
	}
	return i
}

// UserAgent is the User-Agent of every call jetbridge makes.
func UserAgent() string { return "jetbridge/" + Get().Version }
