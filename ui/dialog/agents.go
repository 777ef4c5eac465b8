package dialog

import (
	tea "charm.land/bubbletea/v2"
	"github.com/lumodash/lumodash/ui/uictx"
)

// AgentPicker chooses the agent to re-authenticate as.
type AgentPicker struct {
	Agents  []string
	Current string
	idx     int
}

// NewAgentPicker preselects the agent after the current one, so a\n⏎ cycles.
func NewAgentPicker(agents []string, current string) *AgentPicker {
	p := &AgentPicker{Agents: agents, Current: current}
	for i, a := range agents {
		if a == current {
			p.idx = (i + 1) % len(agents)
		}
	}
	return p
}

// Title implements Dialog.
func (p *AgentPicker) Title() string { return "Switch agent (re-authenticates)" }

// Lines implements Dialog.
func (p *AgentPicker) Lines(ctx *uictx.Context, width int) []string {
	st := ctx.Styles
	out := make([]string, 0, len(p.Agents)+2)
	for i, a := range p.Agents {
		mark := "  "
		if a == p.Current {
			mark = "• "
		}
		line := mark + a
		if a == p.Current {
			line += " (current)"
		}
		if i == p.idx {
			out = append(out, st.Selected.Render("› "+line))
		} else {
			out = append(out, st.Text.Render("  "+line))
		}
	}
	return append(out, "", st.Muted.Render("↑↓ choose · enter switch · esc cancel"))
}

// Update implements Dialog.
func (p *AgentPicker) Update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	switch {
	case isKey(msg, "esc", "q"):
		return true, nil
	case isKey(msg, "up", "k"):
		p.idx = (p.idx + len(p.Agents) - 1) % len(p.Agents)
	case isKey(msg, "down", "j", "tab"):
		p.idx = (p.idx + 1) % len(p.Agents)
	case isKey(msg, "enter"):
		chosen := p.Agents[p.idx]
		return true, func() tea.Msg { return AgentChosenMsg{Agent: chosen} }
	}
	return false, nil
}
