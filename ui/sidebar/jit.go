package sidebar

import (
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/ui/state"
	"github.com/lumodash/lumodash/ui/uictx"
)

// PendingCard renders a JIT request awaiting a human decision, with the time left to decide.
// It is empty when nothing is pending.
func PendingCard(ctx *uictx.Context, p *state.PendingJIT, width int) []string {
	if p == nil {
		return nil
	}
	st := ctx.Styles
	left := pendingLeft(ctx, p)
	title := "◷ JIT pending"
	if ctx.Flat {
		title = "[JIT pending]"
	}
	risk := p.Risk
	if risk == "" {
		risk = "unknown"
	}
	lines := []string{
		st.Warn.Render(title),
		st.Text.Render(safetext.Line(p.Capability) + " · risk " + safetext.Line(risk)),
		st.Text.Render(left),
		st.Muted.Render("awaiting approval"),
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, width, "…")
	}
	return lines
}

// pendingLeft is the time left to decide a pending request, as its card shows it.
func pendingLeft(ctx *uictx.Context, p *state.PendingJIT) string {
	if p.Deadline.IsZero() {
		return "waiting"
	}
	return numfmt.Duration(p.Deadline.Sub(ctx.Now())) + " left"
}
