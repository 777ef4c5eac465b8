package conversation

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/safetext"
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
	args := safetext.Line(compactArgs(b.Args))
	call := b.Tool + "(" + args + ")"
	var status string
	switch b.Status {
	case "":
		status = st.Muted.Render("… running")
	case "ok":
		s := "✓ allowed"
		if ctx.Flat {
			s = "allowed"
		}
		if b.Count > 0 {
			s += fmt.Sprintf(" · %d", b.Count)
		}
		status = st.OK.Render(s + " · " + durationText(b))
	case "denied":
		s := "✗ denied"
		if ctx.Flat {
			s = "DENIED"
		}
		status = st.Alarm.Render(s)
	default:
		s := "! failed"
		if ctx.Flat {
			s = "FAILED"
		}
		status = st.Alarm.Render(s + " · " + durationText(b))
	}
	// The status goes after the call when both fit, else on its own indented line.
	room := width - ansi.StringWidth(icon) - ansi.StringWidth(status) - 2
	head := st.Info.Render(icon) + st.Text.Render(call) + "  " + status
	if ansi.StringWidth(call) > room {
		head = st.Info.Render(icon) + st.Text.Render(ansi.Truncate(call, width-ansi.StringWidth(icon), "…")) + "\n  " + status
	}
	if b.Result == "" || b.Status == "ok" {
		return head
	}
	return head + "\n" + st.Muted.Render(wrap("  "+safetext.Line(b.Result), width, "  "))
}

// durationText is the call's duration: "<1 ms" for sub-millisecond calls, never "0 ms".
func durationText(b *Block) string {
	d := b.Duration
	switch {
	case d < time.Millisecond:
		return "<1 ms"
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// compactArgs turns {"query":"Q3 performance"} into "Q3 performance" and longer objects
// into key: value pairs, for a one-line call summary.
func compactArgs(raw string) string {
	s := strings.TrimSpace(raw)
	if !strings.HasPrefix(s, "{") {
		return s
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	parts := strings.Split(s, ",")
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		k, v, ok := strings.Cut(p, ":")
		if !ok {
			out = append(out, strings.TrimSpace(p))
			continue
		}
		k = strings.Trim(strings.TrimSpace(k), `"`)
		v = strings.TrimSpace(v)
		if len(parts) == 1 {
			out = append(out, v)
		} else {
			out = append(out, k+": "+v)
		}
	}
	return strings.Join(out, ", ")
}
