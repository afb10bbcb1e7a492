package tui

import (
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/dialect/dialects"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// engineHas reports whether engine e is supported and has feature f.
func engineHas(e config.Engine, f feature.Feature) bool {
	dl, err := dialects.For(string(e))
	return err == nil && dl.Has(f)
}

// Has reports whether the chosen engine has feature f.
func (a Answers) Has(f feature.Feature) bool { return engineHas(a.Engine, f) }

// File reports whether the chosen engine keeps its database in one file.
func (a Answers) File() bool { return a.Has(feature.FileDatabase) }
