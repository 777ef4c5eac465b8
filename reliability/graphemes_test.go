package reliability_test

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lumodash/lumodash/internal/faultserver"
)

// graphemes are characters of several code points that a terminal draws as one: a ZWJ family
// emoji (7 code points, 2 cells), a flag (2 regional indicators), combining marks, an emoji
// with a skin tone and a keycap.
const graphemes = "👩‍👩‍👧‍👦 🇯🇵 🏳️‍🌈 e\u0301\u0302 👍🏽 1️⃣ ok"

// TestAttackGraphemesKeepTheFrameAligned (issue 13 item 5): the model answers with grapheme
// clusters and calls a tool whose name holds them. Every line of every frame that ends in a
// border is exactly the terminal's width (measured by grapheme cluster, as terminals draw),
// so the right border stays straight, at every size and with each pane focused.
func TestAttackGraphemesKeepTheFrameAligned(t *testing.T) {
	t.Parallel()
	fw := newFaultWorld(t, "research-analyst")
	fw.model.Set(faultserver.When(faultserver.Once(faultserver.Any), sseReply(nil, "tool_"+graphemes, `{"q":"`+graphemes+`"}`)))
	d, _, stop := fw.liveTUI(t, 160, 48)
	defer stop()
	fw.model.Set(faultserver.When(isAnswerTurn, sseReply(strings.SplitAfter("Answer "+strings.Repeat(graphemes+" ", 30)+"\n\n| a | "+graphemes+" |\n|---|---|\n| 1 | "+graphemes+" |\n", " "), "", "")))
	screen := ask(d, seedPrompt+" "+graphemes, 1)
	if !strings.Contains(screen, "👩‍👩‍👧‍👦") {
		t.Fatalf("the family emoji is not on screen:\n%s", screen)
	}
	aligned := func(where string, w, h int) {
		t.Helper()
		lines := strings.Split(d.Frame(), "\n")
		boxed := 0
		for i, l := range lines {
			plain := strings.TrimRight(ansi.Strip(l), " ")
			if !strings.HasSuffix(plain, "│") && !strings.HasSuffix(plain, "╮") && !strings.HasSuffix(plain, "╯") {
				continue // the header and footer lines are not boxed
			}
			boxed++
			if sw := ansi.StringWidth(l); sw != w {
				t.Errorf("%s %dx%d: line %d is %d cells, not %d: %q", where, w, h, i, sw, w, ansi.Strip(l))
				return
			}
		}
		if boxed < h/2 {
			t.Errorf("%s %dx%d: only %d boxed lines", where, w, h, boxed)
		}
	}
	for _, sz := range [][2]int{{160, 48}, {120, 36}, {80, 24}, {61, 20}} {
		d.Send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		aligned("frame", sz[0], sz[1])
		for range 3 {
			d.Press("tab")
			aligned("focus moved", sz[0], sz[1])
		}
	}
}
