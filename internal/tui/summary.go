package tui

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/register"
)

// Row is one line of the final summary.
type Row struct{ Label, Value string }

// ConnectedLine says what the connection test found, e.g.
// "Connected to PostgreSQL 15.4: 12 tables in schema public".
func (f *Flow) ConnectedLine() string {
	tables := plural(f.Conn.Tables, "table", "tables")
	switch {
	case f.A.File() && f.Created:
		return fmt.Sprintf("Created %s (%s): an empty database", f.A.Path, f.Conn.Version)
	case f.A.File():
		return fmt.Sprintf("Opened %s (%s): %s", f.A.Path, f.Conn.Version, tables)
	case f.Conn.Schema != "" && f.A.Has(feature.Schemas):
		return fmt.Sprintf("Connected to %s: %s in schema %s", f.Conn.Version, tables, f.Conn.Schema)
	}
	return fmt.Sprintf("Connected to %s: %s in database %s", f.Conn.Version, tables, f.A.Name)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Summary lists what was set up. With reveal false the token inside the
// activation link is masked.
func (f *Flow) Summary(reveal bool) []Row {
	a := f.A
	var rows []Row
	if a.File() {
		rows = append(rows, Row{"Database", "SQLite file " + a.Path})
	} else {
		db := fmt.Sprintf("%s %s on %s:%s as %s", EngineTitle(a.Engine), a.Name, a.Host, a.Port, a.User)
		if a.TLS {
			db += ", TLS " + a.SSLMode
		}
		rows = append(rows, Row{"Database", db})
	}
	rows = append(rows, Row{"Found", strings.TrimPrefix(f.ConnectedLine(), "Connected to ")})
	project := a.Project
	if project == "" {
		project = "(not set yet)"
	}
	rows = append(rows, Row{"Project", project})
	r := f.Reg
	switch {
	case r.Token == "":
		rows = append(rows, Row{"Token", "not registered yet"})
	default:
		where := r.Source
		if r.Source == register.SourceDatabase {
			where = "table " + register.TableName
		}
		state := "not activated yet"
		if r.Activated {
			state = "activated"
		}
		verb := "registered, stored in"
		if r.Existing {
			verb = "kept from the"
		}
		rows = append(rows, Row{"Token", fmt.Sprintf("%s %s %s (%s)", register.Mask(r.Token), verb, where, state)})
	}
	if r.ActivationURL != "" && !r.Activated {
		rows = append(rows, Row{"Activate", f.activationLink(reveal)})
	}
	rows = append(rows, Row{"Bearer", f.bearerLine(reveal)})
	rows = append(rows, Row{"Config", f.Written + " (mode 0600)"})
	return rows
}

// activationLink is the activation URL, its token masked unless reveal.
func (f *Flow) activationLink(reveal bool) string {
	link := f.Reg.ActivationURL
	if !reveal && f.Reg.Token != "" {
		link = strings.ReplaceAll(link, f.Reg.Token, register.Mask(f.Reg.Token))
	}
	return link
}

// generatedKey reports whether the settings use the Bearer key offered.
func (f *Flow) generatedKey() bool {
	return f.Base.BearerAuthKey == "" && f.A.NewBearerKey && f.A.BearerKey != ""
}

// bearerLine says which key calls the bridge with Authorization: Bearer.
func (f *Flow) bearerLine(reveal bool) string {
	switch {
	case f.generatedKey():
		if !reveal {
			return register.Mask(f.A.BearerKey) + ", generated and saved as BEARER_AUTH_KEY (masked: the output is not a terminal)"
		}
		return f.A.BearerKey + ", generated and saved as BEARER_AUTH_KEY"
	case f.Base.BearerAuthKey != "":
		return "BEARER_AUTH_KEY kept from the settings"
	}
	return "none: only Jet Admin users can call the bridge (set BEARER_AUTH_KEY to call it yourself)"
}

// TryCommand is a curl command that calls the bridge with the Bearer key,
// or "" without one; with reveal false the key is a placeholder.
func (f *Flow) TryCommand(reveal bool) string {
	s := f.Settings()
	if s.BearerAuthKey == "" {
		return ""
	}
	key := "<BEARER_AUTH_KEY from " + f.A.ConfigPath + ">"
	if reveal && f.generatedKey() {
		key = s.BearerAuthKey
	}
	scheme := "http"
	if s.SSLCert != "" {
		scheme = "https"
	}
	return fmt.Sprintf("curl -H 'Authorization: Bearer %s' %s://localhost:%d/api/model_descriptions/", key, scheme, s.Port)
}

// NextCommand is the command that starts the bridge with the written file.
func (f *Flow) NextCommand() string {
	p := f.A.ConfigPath
	if filepath.Clean(p) == config.DefaultConfigPath {
		return "jetbridge serve"
	}
	return "jetbridge serve --config " + shellQuote(p)
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// PlainSummary renders the summary and the next command as plain text.
func (f *Flow) PlainSummary(reveal bool) string {
	var b strings.Builder
	b.WriteString("Jet Bridge is set up.\n\n")
	for _, r := range f.Summary(reveal) {
		fmt.Fprintf(&b, "  %-9s %s\n", r.Label, r.Value)
	}
	for _, w := range f.notes() {
		fmt.Fprintf(&b, "\nNote: %s\n", w)
	}
	fmt.Fprintf(&b, "\nNext, start the bridge:\n\n  %s\n", f.NextCommand())
	if c := f.TryCommand(reveal); c != "" {
		fmt.Fprintf(&b, "\nThen call it yourself:\n\n  %s\n", c)
	}
	return b.String()
}

// notes are the warnings worth repeating at the end.
func (f *Flow) notes() []string {
	var out []string
	if f.Reg.Warning != "" {
		out = append(out, f.Reg.Warning)
	}
	if f.OwnerWarning != "" {
		out = append(out, f.OwnerWarning)
	}
	if f.OpenErr != nil {
		out = append(out, "The browser could not be opened ("+f.OpenErr.Error()+"): open the activation link yourself.")
	}
	if f.Reg.ActivationURL != "" && !f.Reg.Activated && !f.Opened {
		out = append(out, "Open the activation link to connect this bridge to Jet Admin (`jetbridge token show --reveal` prints it again).")
	}
	return out
}
