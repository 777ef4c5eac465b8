package dialog

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/ui/uictx"
)

// PendingKind tells a JIT request from a push approval in the operator's list.
type PendingKind string

const (
	PendingJIT      PendingKind = "JIT"      // GET jit/pending: decided in the session's review dialog
	PendingApproval PendingKind = "approval" // GET approvals/pending: decided in the approval dialog
)

// PendingItem is one thing waiting for the operator on the embedded server. Every text field
// comes from the server and is cleaned where rendered.
type PendingItem struct {
	Kind    PendingKind
	ID      string // request id or approval token
	Agent   string // who asks (display name, else client id)
	What    string // the capability (JIT) or the reason (approval)
	Level   string // risk (JIT) or impact (approval)
	TaskID  string
	Detail  string    // justification (JIT) or what the approval is for
	Expires time.Time // zero: the server said nothing
}

// DecideApprovalMsg asks the root to approve or deny an approval with the operator's notes.
type DecideApprovalMsg struct {
	Token   string
	Approve bool
	Notes   string
}

// Pending lists what waits for the operator: JIT requests and push approvals. Enter on an
// approval opens its dialog; JIT requests are decided in the review dialog of their session.
type Pending struct {
	Items    []PendingItem
	Loading  bool
	Err      string // why the list could not be read
	Reviewer string
	// OpenApproval opens the approval dialog for an item (the root pushes it on the stack).
	OpenApproval func(PendingItem) tea.Cmd
	idx          int
}

// Title implements Dialog.
func (p *Pending) Title() string { return "Waiting for the operator" }

// MaxWidth implements the wider dialog size.
func (p *Pending) MaxWidth() int { return 100 }

// SetItems replaces the list (a refresh), keeping the selection in range.
func (p *Pending) SetItems(items []PendingItem, err string) {
	p.Items, p.Err, p.Loading = items, err, false
	p.idx = min(p.idx, max(len(items)-1, 0))
}

// Lines implements Dialog.
func (p *Pending) Lines(ctx *uictx.Context, width int) []string {
	st := ctx.Styles
	var out []string
	switch {
	case p.Loading:
		out = append(out, st.Muted.Render("reading jit/pending and approvals/pending…"))
	case p.Err != "":
		for _, l := range splitLines(ansi.Wrap("could not read the list: "+safetext.Line(p.Err), width, " ")) {
			out = append(out, st.Alarm.Render(l))
		}
	case len(p.Items) == 0:
		out = append(out, st.Text.Render("Nothing waits: no JIT request and no approval is pending."))
	}
	for i, it := range p.Items {
		left := "expiry not given"
		if !it.Expires.IsZero() {
			left = numfmt.Duration(it.Expires.Sub(ctx.Now())) + " left"
		}
		line := fmt.Sprintf("%-8s %-10s %s · %s · %s", it.Kind, safetext.Line(it.Level), safetext.Line(it.Agent), safetext.Line(it.What), left)
		line = ansi.Truncate(line, width-2, "…")
		if i == p.idx {
			out = append(out, st.Selected.Render("› "+line))
		} else {
			out = append(out, st.Text.Render("  "+line))
		}
	}
	if it, ok := p.selected(); ok {
		out = append(out, "")
		if it.Detail != "" {
			for _, l := range splitLines(ansi.Wrap(safetext.Line(it.Detail), width, " ")) {
				out = append(out, st.Muted.Render(l))
			}
		}
		if it.Kind == PendingJIT {
			out = append(out, st.Muted.Render("decided in the session's review dialog when it asks"))
		}
	}
	out = append(out, "")
	return append(out, st.Key.Render("↑↓ choose · enter decide an approval · r refresh")+st.Muted.Render(" · esc close"))
}

func (p *Pending) selected() (PendingItem, bool) {
	if p.idx < 0 || p.idx >= len(p.Items) {
		return PendingItem{}, false
	}
	return p.Items[p.idx], true
}

// RefreshMsg asks the root to read the pending list again.
type RefreshMsg struct{}

// Update implements Dialog.
func (p *Pending) Update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	n := len(p.Items)
	switch {
	case isKey(msg, "esc", "q", "p"):
		return true, nil
	case isKey(msg, "up", "k") && n > 0:
		p.idx = (p.idx + n - 1) % n
	case isKey(msg, "down", "j", "tab") && n > 0:
		p.idx = (p.idx + 1) % n
	case isKey(msg, "r"):
		p.Loading = true
		return false, func() tea.Msg { return RefreshMsg{} }
	case isKey(msg, "enter"):
		if it, ok := p.selected(); ok && it.Kind == PendingApproval && p.OpenApproval != nil {
			return false, p.OpenApproval(it)
		}
	}
	return false, nil
}
