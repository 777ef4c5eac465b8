package reliability_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/faultserver"
	"github.com/lumodash/lumodash/session"
)

// hostile carries every kind of terminal control the suite must neutralise.
const hostile = "Q3 performance \x1b[2J\x1b[H\x1b[31mRED\x1b[0m " +
	"\x1b]8;;http://evil.example/\x07link\x1b]8;;\x07 " + // OSC 8 hyperlink
	"\x1b]52;c;ZXZpbCBjbGlwYm9hcmQ=\x07 " + // OSC 52 clipboard write
	"\x1bPq#0;2;0;0;0\x1b\\ " + // DCS (sixel)
	"bare\x1b esc \u009b31m c1-csi \u009d0;title\u009c \u0085nel " + // 8-bit C1 CSI / OSC / ST / NEL
	"\u202eevil\u202c \u2066iso\u2069 \x07bell \x08bs end"

// hostileMarks are sequences that must never reach a screen (styling SGR is the dashboard's own).
var hostileMarks = []string{"\x1b]", "\x1bP", "\x1b[2J", "\x1b[H", "\x07", "\x08", "\u009b", "\u009d", "\u009c", "\u0085", "\u202e", "\u202c", "\u2066", "\u2069"}

// clean fails when text holds a hostile mark, or (strict) any ESC at all.
func clean(t *testing.T, where, text string, strict bool) {
	t.Helper()
	for _, m := range hostileMarks {
		if strings.Contains(text, m) {
			t.Errorf("%s holds %q", where, m)
		}
	}
	if strict && strings.Contains(text, "\x1b") {
		t.Errorf("%s holds an ESC", where)
	}
	if !strict && strings.Contains(escapeSeq.ReplaceAllString(text, ""), "\x1b") {
		t.Errorf("%s holds an escape sequence other than SGR styling", where)
	}
}

// hostileDocs is a document folder whose best match for the seed prompt is hostile, next to
// binary, empty, huge and non-UTF-8 files.
func hostileDocs(t *testing.T) string {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("q3-hostile.md", []byte("# Q3 performance review\n\n"+hostile+"\n\nQ3 performance was strong; 漢字 wide and e\u0301 combining.\n"))
	write("empty.md", nil)
	write("binary.md", []byte("\x00\x01\x02PK\x03\x04\x00\xff\xfe binary Q3 performance"))
	write("latin1.txt", []byte("R\xe9sum\xe9 Q3 performance \xe0 la carte\n"))
	write("huge.md", []byte("# Huge\n\n"+strings.Repeat("Q3 performance filler text line.\n", 300_000))) // ~10 MB
	return dir
}

func TestReliabilityHostileTextHeadless(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		code   int
		inject func(fw *faultWorld)
	}{
		{"model output, MCP result, documents", cli.ExitOK, func(fw *faultWorld) {
			fw.model.Set(faultserver.When(isAnswerTurn, sseReply(strings.SplitAfter(hostile, " "), "", "")))
			fw.mcp.Set(faultserver.When(isToolCall, rpcReply(toolText(hostile))))
		}},
		{"server error messages", cli.ExitToolFailed, func(fw *faultWorld) {
			fw.auth.Set(onGrant(grantExchange, faultserver.OAuthError(400, "invalid_target\x1b]52;c;eA==\x07", hostile)))
		}},
		{"MCP error message", cli.ExitOK, func(fw *faultWorld) { // a tool-reported error: the model's to handle
			fw.mcp.Set(faultserver.When(isToolCall, rpcReply(func(id string) string {
				return `{"jsonrpc":"2.0","id":` + id + `,"result":{"isError":true,"content":[{"type":"text","text":` + jsonString(hostile) + `}]}}`
			})))
		}},
	}
	docs := hostileDocs(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fw := newFaultWorld(t, "research-analyst")
			c.inject(fw)
			h := fw.run(t, context.Background(), false, seedPrompt, "--docs", docs)
			if h.code != c.code {
				t.Errorf("exit %d: %s", h.code, h.stderr)
			}
			fw.complete(t, h, 30*time.Second)
			if raw, _ := os.ReadFile(h.transcript); !strings.Contains(string(raw), "c1-csi") {
				t.Fatal("the hostile text never reached lumodash (nothing was tested)")
			}
			clean(t, "--plain stdout", h.stdout, true)
			clean(t, "stderr", h.stderr, true)
			if !strings.Contains(h.stdout, "RED") && !strings.Contains(h.stdout, "end") {
				t.Errorf("the hostile text's printable part vanished:\n%s", h.stdout)
			}
			screen := fw.replayFrame(t, h.events)
			clean(t, "dashboard frame", screen, false)
			t.Logf("observed: exit %d; --plain and the dashboard carry no control sequence", h.code)
		})
	}
}

// replayFrame is the raw (styled) dashboard frame after replaying events.
func (fw *faultWorld) replayFrame(t *testing.T, events []session.Event) string {
	return replayTUI(t, events, 160, 50).Frame()
}

func TestReliabilityDocumentsFolderOddFiles(t *testing.T) {
	t.Parallel()
	fw := newFaultWorld(t, "research-analyst")
	h := fw.run(t, context.Background(), true, "Search documents for Q3 performance", "--docs", hostileDocs(t))
	if h.code != cli.ExitOK {
		t.Fatalf("exit %d: %s", h.code, h.stderr)
	}
	fw.complete(t, h, 60*time.Second)
	notes := h.stderr
	for _, f := range []string{"binary.md", "empty.md", "huge.md", "latin1.txt"} {
		if !strings.Contains(notes, f) {
			t.Logf("no notice names %s", f)
		}
	}
	res := ofKind(h.events, session.KindToolResult)
	if len(res) == 0 || res[0].Status != "ok" || res[0].Count == 0 {
		t.Errorf("search over the odd folder: %+v", res)
	}
	t.Logf("observed: exit %d in %s; notices: %s", h.code, h.took.Round(time.Millisecond), strings.ReplaceAll(strings.TrimSpace(notes), "\n", " | "))
}

func TestReliabilityMegabytePrompt(t *testing.T) {
	t.Parallel()
	fw := newFaultWorld(t, "research-analyst")
	unit := "Q3 performance 漢字 "
	fw.stdin = strings.Repeat(unit, (1<<20)/len(unit))
	h := fw.run(t, context.Background(), true, "-")
	fw.complete(t, h, 30*time.Second)
	prompt := lastOf(h.events, session.KindPrompt)
	if len(prompt.Text) < len(fw.stdin)-len(unit) {
		t.Errorf("prompt of %d bytes kept as %d", len(fw.stdin), len(prompt.Text))
	}
	ex := ofKind(h.events, session.KindBudgetExhausted)
	if h.code != cli.ExitBudget || len(ex) != 1 || !strings.Contains(ex[0].Text, "the next model call needs about") {
		t.Errorf("exit %d, budget events %+v", h.code, ex)
	}
	if len(ofKind(h.events, session.KindModelRequest)) != 0 {
		t.Error("a model call was started that the budget cannot pay for")
	}
	t.Logf("observed: %d-byte prompt → exit %d in %s; %s", len(fw.stdin), h.code, h.took.Round(time.Millisecond), ex[0].Text)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestReliabilityUnicodeEveryPane(t *testing.T) {
	t.Parallel()
	const wide = "漢字かな 👍🏽 e\u0301 n\u0303 ﷽"
	fw := newFaultWorldWith(t, "research-analyst", func(c *devserver.Config) {
		for i := range c.Agents {
			c.Agents[i].Capabilities = append(c.Agents[i].Capabilities, "read:文書e\u0301")
		}
	})
	fw.model.Set(faultserver.When(isAnswerTurn, sseReply(strings.SplitAfter("Answer "+wide+" "+strings.Repeat(wide+" ", 40), " "), "", "")))
	fw.auth.Set(onGrant(grantExchange, faultserver.OAuthError(400, "invalid_target", "拒否 "+wide)))
	d, _, stop := fw.liveTUI(t, 160, 50)
	defer stop()
	screen := ask(d, seedPrompt+" "+wide, 1)
	for _, want := range []string{"read:文書", "Answer 漢字", "拒否 漢字", "e\u0301"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	for _, sz := range [][2]int{{160, 50}, {100, 30}, {80, 24}, {71, 20}, {40, 14}} {
		d.Send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		fits(t, d.Frame(), sz[0], sz[1])
		d.Press("tab") // conversation, log, input: each pane focused once
		fits(t, d.Frame(), sz[0], sz[1])
	}
	t.Logf("observed: wide, emoji and combining text in the sidebar, conversation and log; frames fit at 5 sizes")
}
