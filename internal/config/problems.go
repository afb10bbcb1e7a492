package config

import (
	"fmt"
	"strings"
)

// Problems lists everything wrong with the settings, each item saying what to
// set. It is returned by Load and Validate so that a user sees every problem
// at once; detect it with errors.As. No item ever contains a secret.
type Problems struct {
	List []string
}

// Error renders one message listing every problem.
func (p *Problems) Error() string {
	switch len(p.List) {
	case 0:
		return "invalid settings"
	case 1:
		return "invalid settings: " + p.List[0]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "invalid settings (%d problems):", len(p.List))
	for _, item := range p.List {
		b.WriteString("\n  - ")
		b.WriteString(strings.ReplaceAll(item, "\n", "\n    "))
	}
	return b.String()
}

func (p *Problems) add(format string, args ...any) {
	p.List = append(p.List, fmt.Sprintf(format, args...))
}

// err returns p when it holds anything, else nil (as a plain error, so that
// callers comparing with nil see nil).
func (p *Problems) err() error {
	if p == nil || len(p.List) == 0 {
		return nil
	}
	return p
}

// howToSet names every way of setting key, for "set ..." hints.
func howToSet(key string) string {
	return fmt.Sprintf("%s (or --%s, or %s= in jet.conf)", key, flagName(key), key)
}
