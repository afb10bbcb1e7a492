package tui

import (
	"strings"

	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// Colors of huh's Charm theme, so that the installer's chrome matches its
// forms.
var (
	colorIndigo  = lipgloss.AdaptiveColor{Light: "#5A56E0", Dark: "#7571F9"}
	colorFuchsia = lipgloss.Color("#F780E2")
	colorCream   = lipgloss.AdaptiveColor{Light: "#FFFDF5", Dark: "#FFFDF5"}
	colorGreen   = lipgloss.AdaptiveColor{Light: "#02BA84", Dark: "#02BF87"}
	colorRed     = lipgloss.AdaptiveColor{Light: "#FF4672", Dark: "#ED567A"}
	colorDim     = lipgloss.AdaptiveColor{Light: "245", Dark: "243"}
	colorText    = lipgloss.AdaptiveColor{Light: "235", Dark: "252"}
)

// styles of the wizard's chrome.
type styles struct {
	title, version, stepDone, stepCurrent, stepTodo, stepSep lipgloss.Style
	ok, warn, fail, dim, label, value, command, link, help   lipgloss.Style
	failBox                                                  lipgloss.Style
}

func newStyles() styles {
	return styles{
		title:       lipgloss.NewStyle().Bold(true).Foreground(colorCream).Background(colorIndigo).Padding(0, 1),
		version:     lipgloss.NewStyle().Foreground(colorDim).PaddingLeft(1),
		stepDone:    lipgloss.NewStyle().Foreground(colorGreen),
		stepCurrent: lipgloss.NewStyle().Foreground(colorFuchsia).Bold(true),
		stepTodo:    lipgloss.NewStyle().Foreground(colorDim),
		stepSep:     lipgloss.NewStyle().Foreground(colorDim),
		ok:          lipgloss.NewStyle().Foreground(colorGreen),
		warn:        lipgloss.NewStyle().Foreground(colorFuchsia),
		fail:        lipgloss.NewStyle().Foreground(colorRed).Bold(true),
		dim:         lipgloss.NewStyle().Foreground(colorDim),
		label:       lipgloss.NewStyle().Foreground(colorIndigo).Bold(true).Width(10),
		value:       lipgloss.NewStyle().Foreground(colorText),
		command:     lipgloss.NewStyle().Foreground(colorFuchsia).Bold(true),
		link:        lipgloss.NewStyle().Foreground(colorIndigo).Underline(true),
		help:        lipgloss.NewStyle().Foreground(colorDim),
		failBox:     lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colorRed).Padding(0, 1),
	}
}

// theme is huh's Charm theme with the wizard's keys.
func theme() *huh.Theme { return huh.ThemeCharm() }

// indicator renders the step indicator: ✓ done, ● current, ○ to do.
func (st styles) indicator(current int) string {
	parts := make([]string, len(phases))
	for i, name := range phases {
		switch {
		case i < current:
			parts[i] = st.stepDone.Render("✓ " + name)
		case i == current:
			parts[i] = st.stepCurrent.Render("● " + name)
		default:
			parts[i] = st.stepTodo.Render("○ " + name)
		}
	}
	return strings.Join(parts, st.stepSep.Render(" ── "))
}

// StyledSummary renders the final summary for a terminal.
func (f *Flow) StyledSummary(reveal bool) string {
	st := newStyles()
	var b strings.Builder
	b.WriteString(st.ok.Render("✓ Jet Bridge is set up") + "\n\n")
	for _, r := range f.Summary(reveal) {
		v := st.value.Render(r.Value)
		if r.Label == "Activate" {
			v = st.link.Render(r.Value)
		}
		b.WriteString(st.label.Render(r.Label) + " " + v + "\n")
	}
	for _, n := range f.notes() {
		b.WriteString("\n" + st.warn.Render("! ") + n + "\n")
	}
	b.WriteString("\nNext, start the bridge:\n\n  " + st.command.Render(f.NextCommand()) + "\n")
	if c := f.TryCommand(reveal); c != "" {
		b.WriteString("\nThen call it yourself:\n\n  " + st.command.Render(c) + "\n")
	}
	return b.String()
}
