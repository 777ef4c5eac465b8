package conversation

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/ui/uictx"
)

// toolLine renders a tool call with its status, count and duration; denials and failures
// get their reason on a second line.
func toolLine(ctx *uictx.Context, b *Block, width int) string {
	st := ctx.Styles
	icon := "⚙ "
	if ctx.Flat {
		icon = "tool "
	}
	call := safetext.Line(present.Call(b.Tool, b.Args))
	level := present.ToolStatusLevel(b.Status)
	status := present.ToolStatus(b.Status)
	if ctx.Flat { // words, and refusals in capitals: no colour marks them
		status = present.ToolStatusWord(b.Status)
		if level == present.Error {
			status = strings.ToUpper(status)
		}
	}
	if b.Count > 0 {
		status += " · " + present.Results(b.Count)
	}
	if b.Duration > 0 && b.Status != "" && b.Status != tools.StatusDenied { // a denial takes no time worth showing
		status += " · " + numfmt.Duration(b.Duration)
	}
	status = ctx.Style(level).Render(status)
	// The status goes after the call when both fit and no JIT step stands between them, else
	// on its own indented line after the steps: the outcome is what the steps led to.
	room := width - ansi.StringWidth(icon) - ansi.StringWidth(status) - 2
	head := st.Info.Render(icon) + st.Text.Render(call) + "  " + status
	if ansi.StringWidth(call) > room || len(b.Steps) > 0 {
		head = st.Info.Render(icon) + st.Text.Render(ansi.Truncate(call, width-ansi.StringWidth(icon), "…"))
		for _, s := range b.Steps {
			head += "\n" + ctx.Style(s.Level).Render(wrap("  "+safetext.Line(s.Text), width-4, "    "))
		}
		head += "\n  " + status
	}
	if b.Result == "" || b.Status == tools.StatusOK {
		return head
	}
	return head + "\n" + st.Muted.Render(wrap("  "+safetext.Line(b.Result), width-2, "  "))
}
