package reliability_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
	"github.com/lumodash/lumodash/internal/faultserver"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui/uitest"
)

// liveTUI opens the real world on the fault world's proxies and shows it in a driven
// dashboard of w×h; stop closes the runners as ui.Run does on quit.
func (fw *faultWorld) liveTUI(t *testing.T, w, h int) (*uitest.Driver, string, func()) {
	t.Helper()
	tr := filepath.Join(fw.dir, "tui-"+strings.ReplaceAll(t.Name(), "/", "_")+".jsonl")
	_, opts, closeAll := fw.liveWorld(t, tr)
	d := newTUI(t, opts, w, h)
	if w >= 40 && h >= 14 {
		d.Pump(10*time.Second, func(s string) bool { return strings.Contains(s, "idle") || strings.Contains(s, "not connected") })
	}
	return d, tr, closeAll
}

// ask types prompt, sends it and waits for the request to finish (n = requests so far + 1).
func ask(d *uitest.Driver, prompt string, n int) string {
	d.Type(prompt)
	d.Press("enter")
	return d.Pump(20*time.Second, func(s string) bool { return d.Count(session.KindRequestFinish) >= n && strings.Contains(s, "idle") })
}

// fits fails when a frame is larger than the terminal.
func fits(t *testing.T, frame string, w, h int) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) > h {
		t.Errorf("%dx%d: frame has %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if sw := ansi.StringWidth(l); sw > w {
			t.Errorf("%dx%d: line %d is %d cells wide: %q", w, h, i, sw, ansi.Strip(l))
			return
		}
	}
}

func TestReliabilityTUISessionLeaksNoSecret(t *testing.T) {
	t.Parallel()
	fw := newFaultWorld(t, "research-analyst")
	// A careless MCP server echoes the bearer token it was sent in its error body.
	fw.mcp.Set(faultserver.When(isToolCall, func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(500)
		fmt.Fprintf(w, "upstream failed for request with %s", r.Header.Get("Authorization"))
	}))
	d, tr, stop := fw.liveTUI(t, 160, 48)
	ask(d, seedPrompt, 1)
	fw.mcp.Set(nil)
	screen := ask(d, "What was EBITDA in Q3?", 2)
	d.Press("ctrl+c")
	d.Pump(5*time.Second, func(string) bool { return d.Quit() || d.Waiting() == 0 })
	stop()
	if len(fw.auth.Tokens()) < 2 {
		t.Fatalf("only %d tokens issued; the session did not exchange", len(fw.auth.Tokens()))
	}
	for i, f := range d.Frames() {
		fw.noSecrets(t, fmt.Sprintf("frame %d", i), f)
	}
	raw, err := os.ReadFile(tr)
	if err != nil {
		t.Fatal(err)
	}
	fw.noSecrets(t, "TUI transcript", string(raw))
	if st, _ := os.Stat(tr); st.Mode().Perm() != 0o600 {
		t.Errorf("transcript mode %v", st.Mode().Perm())
	}
	events, err := session.ReadTranscript(tr)
	if err != nil || events[len(events)-1].Kind != session.KindSessionFinish {
		t.Errorf("transcript incomplete: %v", err)
	}
	if !strings.Contains(screen, "EBITDA") {
		t.Errorf("final screen:\n%s", screen)
	}
	t.Logf("observed: %d frames, %d issued tokens searched, transcript %d events", len(d.Frames()), len(fw.auth.Tokens()), len(events))
}

func TestReliabilityTUICtrlC(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		inject func(fw *faultWorld, started chan struct{})
	}{
		{"during streaming", func(fw *faultWorld, started chan struct{}) {
			fw.model.Set(faultserver.When(faultserver.Once(isAnswerTurn), hangMidAnswer(started)))
		}},
		{"during a tool call", func(fw *faultWorld, started chan struct{}) {
			fw.mcp.Set(faultserver.When(faultserver.Once(isToolCall), hangInCall(started)))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fw := newFaultWorld(t, "research-analyst")
			started := make(chan struct{})
			c.inject(fw, started)
			d, tr, stop := fw.liveTUI(t, 140, 40)
			d.Type(seedPrompt)
			d.Press("enter")
			d.Pump(10*time.Second, func(string) bool {
				select {
				case <-started:
					return true
				default:
					return false
				}
			})
			t0 := time.Now()
			d.Press("ctrl+c")
			d.Pump(5*time.Second, func(s string) bool { return strings.Contains(s, "request cancelled") && strings.Contains(s, "idle") })
			took := time.Since(t0)
			if d.Quit() {
				t.Fatal("the first ctrl+c quit instead of cancelling the request")
			}
			// The session is still usable: the next request completes.
			ask(d, "What was EBITDA in Q3?", 2)
			d.Press("ctrl+c")
			d.Pump(5*time.Second, func(string) bool { return d.Quit() })
			stop()
			events, err := session.ReadTranscript(tr)
			if err != nil {
				t.Fatal(err)
			}
			fins := ofKind(events, session.KindRequestFinish)
			if len(fins) != 2 || fins[0].Outcome != session.OutcomeCancelled || fins[1].Outcome != session.OutcomeOK || events[len(events)-1].Kind != session.KindSessionFinish {
				t.Errorf("request outcomes %+v", fins)
			}
			t.Logf("observed: cancelled %s after ctrl+c; next request ok; second ctrl+c quit", took.Round(time.Millisecond))
		})
	}
}

func TestReliabilityTUIResizeDuringStreaming(t *testing.T) {
	t.Parallel()
	fw := newFaultWorld(t, "research-analyst")
	words := strings.SplitAfter(strings.Repeat("Q3 revenue grew 漢字 and e\u0301bitda 👍🏽 held steady; ", 30), " ")
	fw.model.Set(faultserver.When(isAnswerTurn, func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		slow := sseReply(words, "", "")
		slow(&pacedWriter{ResponseWriter: w, pace: 3 * time.Millisecond}, r, next)
	}))
	d, _, stop := fw.liveTUI(t, 120, 40)
	defer stop()
	d.Type(seedPrompt)
	d.Press("enter")
	sizes := [][2]int{{120, 40}, {61, 19}, {200, 60}, {40, 14}, {20, 5}, {100, 30}, {73, 24}, {39, 13}}
	resizes := 0
	deadline := time.Now().Add(20 * time.Second)
	for d.Count(session.KindRequestFinish) == 0 && time.Now().Before(deadline) {
		sz := sizes[resizes%len(sizes)]
		d.Send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		resizes++
		fits(t, d.Frame(), sz[0], sz[1])
		d.Pump(time.Second, func(string) bool { return true })
		time.Sleep(2 * time.Millisecond)
	}
	d.Send(tea.WindowSizeMsg{Width: 160, Height: 50})
	screen := d.Pump(5*time.Second, func(s string) bool { return strings.Contains(s, "idle") })
	fits(t, d.Frame(), 160, 50)
	if d.Count(session.KindRequestFinish) == 0 || !strings.Contains(screen, "held steady") {
		t.Errorf("answer did not finish during resizes:\n%s", screen)
	}
	t.Logf("observed: %d resizes during streaming, %d deltas, every frame within its size", resizes, d.Count(session.KindModelDelta))
}

// pacedWriter sleeps after each write, so a stream arrives over time.
type pacedWriter struct {
	http.ResponseWriter
	pace time.Duration
}

func (p *pacedWriter) Write(b []byte) (int, error) {
	n, err := p.ResponseWriter.Write(b)
	time.Sleep(p.pace)
	return n, err
}

func (p *pacedWriter) Flush() { p.ResponseWriter.(http.Flusher).Flush() }

func TestReliabilityTUITinyTerminal(t *testing.T) {
	t.Parallel()
	fw := newFaultWorld(t, "research-analyst")
	d, _, stop := fw.liveTUI(t, 20, 5)
	defer stop()
	d.Pump(5*time.Second, func(s string) bool { return d.Count(session.KindInfoRefreshed) > 0 })
	fits(t, d.Frame(), 20, 5)
	d.Type("hello")
	d.Press("enter")
	time.Sleep(100 * time.Millisecond)
	screen := d.Pump(time.Second, func(string) bool { return true })
	if d.Count(session.KindPrompt) != 0 {
		t.Error("a prompt was sent from a terminal too small to show it")
	}
	fits(t, d.Frame(), 20, 5)
	d.Press("q")
	d.Pump(2*time.Second, func(string) bool { return d.Quit() })
	t.Logf("observed 20x5 screen: %q", screen)
}

func TestReliabilityTUIStdoutNotATerminal(t *testing.T) {
	t.Parallel()
	// cli.Run's standard output here is a buffer, as in `lumodash > file`.
	r := clitest.NewEnv(t).Run("")
	if r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, "needs a terminal") || !strings.Contains(r.Stderr, "lumodash run") {
		t.Errorf("exit %d: %s", r.Code, r.Stderr)
	}
	t.Logf("observed: exit %d; %s", r.Code, strings.TrimSpace(r.Stderr))
}

// escapeSeq is an SGR styling sequence, the only escape the dashboard itself may emit.
var escapeSeq = regexp.MustCompile("\x1b\\[[0-9;:]*m")
