package ui

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/ui/uictx"
)

// promptBox is the input line with history; the suggested prompt is the first history
// entry and the placeholder, accepted with → on an empty line.
type promptBox struct {
	ti         textinput.Model
	history    []string
	histIdx    int // len(history) = editing a new line
	suggestion string
}

func newPromptBox(ctx *uictx.Context, suggestion string) promptBox {
	ti := textinput.New()
	ti.Prompt = "› "
	ti.Placeholder = "ask the analyst…"
	ti.CharLimit = promptCharLimit
	ti.Focus()
	p := promptBox{ti: ti, suggestion: suggestion}
	if suggestion != "" {
		p.history = []string{suggestion}
	}
	p.histIdx = len(p.history)
	p.restyle(ctx)
	return p
}

func (p *promptBox) restyle(ctx *uictx.Context) {
	s := textinput.DefaultStyles(ctx.Styles.Palette.Dark)
	s.Focused.Prompt = ctx.Styles.FocusedTitle
	s.Blurred.Prompt = ctx.Styles.Muted
	s.Focused.Placeholder = ctx.Styles.Muted
	s.Blurred.Placeholder = ctx.Styles.Muted
	s.Focused.Text = ctx.Styles.Text
	s.Blurred.Text = ctx.Styles.Muted
	s.Cursor.Blink = false
	p.ti.SetStyles(s)
}

// suggestionHint follows the suggested prompt in the placeholder.
const suggestionHint = "  (→ to use)"

// fitPlaceholder shows the suggested prompt in room cells: shortened with an ellipsis when
// needed, so that the "(→ to use)" hint always shows.
func (p *promptBox) fitPlaceholder(room int) {
	if p.suggestion == "" {
		return
	}
	text := ansi.Truncate(p.suggestion, max(room-ansi.StringWidth(suggestionHint), 1), "…")
	p.ti.Placeholder = text + suggestionHint
}

// promptCharLimit bounds one prompt (in characters). It is generous — a pasted report fits —
// and a paste that goes past it is cut with a visible note, never silently.
const promptCharLimit = 1 << 20

// paste inserts pasted text at the cursor. It returns how many characters did not fit.
func (p *promptBox) paste(msg tea.PasteMsg) (dropped int) {
	room := promptCharLimit - len([]rune(p.ti.Value()))
	if n := len([]rune(msg.Content)); n > room {
		dropped = n - max(room, 0)
	}
	p.ti, _ = p.ti.Update(msg)
	return dropped
}

// take returns the line to send and records it in the history.
func (p *promptBox) take() string {
	v := p.ti.Value()
	if v == "" {
		return ""
	}
	if len(p.history) == 0 || p.history[len(p.history)-1] != v {
		p.history = append(p.history, v)
	}
	p.histIdx = len(p.history)
	p.ti.Reset()
	return v
}

// update handles keys for the input; history and suggestion keys first.
func (p *promptBox) update(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "up":
		if p.histIdx > 0 {
			p.histIdx--
			p.ti.SetValue(p.history[p.histIdx])
			p.ti.CursorEnd()
		}
		return nil
	case "down":
		if p.histIdx < len(p.history)-1 {
			p.histIdx++
			p.ti.SetValue(p.history[p.histIdx])
			p.ti.CursorEnd()
		} else {
			p.histIdx = len(p.history)
			p.ti.Reset()
		}
		return nil
	case "right":
		if p.ti.Value() == "" && p.suggestion != "" {
			p.ti.SetValue(p.suggestion)
			p.ti.CursorEnd()
			return nil
		}
	}
	var cmd tea.Cmd
	p.ti, cmd = p.ti.Update(msg)
	return cmd
}
