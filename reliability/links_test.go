package reliability_test

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/faultserver"
)

// hyperlinkTargets are the targets of the OSC 8 hyperlinks in a frame (closers excluded).
var hyperlinkOpen = regexp.MustCompile("\x1b\\]8;[^;\x07\x1b]*;([^\x07\x1b]*)")

func hyperlinkTargets(frame string) []string {
	var out []string
	for _, m := range hyperlinkOpen.FindAllStringSubmatch(frame, -1) {
		if m[1] != "" {
			out = append(out, m[1])
		}
	}
	return out
}

// TestAttackMarkdownLinksAreNotHyperlinks (issue 13 item 2): a hostile model answers with
// Markdown links to javascript:, file: and a look-alike target. The rendered conversation
// shows each link's text and its target, and holds an OSC 8 hyperlink only for the https
// link and only when the user asked for links (--links, or links: true in the config file).
func TestAttackMarkdownLinksAreNotHyperlinks(t *testing.T) {
	t.Parallel()
	answer := "See the [report](javascript:alert(1)), the [ledger](file:///etc/passwd), " +
		"[mail](mailto:cfo@example.com) and the [filing](https://www.sec.gov/filing). Done."
	for _, c := range []struct {
		name   string
		flag   bool // --links
		config string
		want   bool // an https hyperlink expected
	}{
		{"links off (default)", false, "", false},
		{"--links", true, "", true},
		{"links: true in the config file", false, "links: true\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fw := newFaultWorld(t, "research-analyst")
			fw.model.Set(faultserver.When(isAnswerTurn, sseReply(strings.SplitAfter(answer, " "), "", "")))
			tr := filepath.Join(fw.dir, "links.jsonl")
			s := fw.settings(tr)
			if c.config != "" {
				s.ConfigPath = filepath.Join(fw.dir, "config.yaml")
				if err := os.WriteFile(s.ConfigPath, []byte(c.config), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cfg, err := app.LoadConfig(s)
			if err != nil {
				t.Fatal(err)
			}
			display, err := cfg.Display(app.DisplaySettings{Links: c.flag})
			if err != nil {
				t.Fatal(err)
			}
			_, opts, stop := fw.liveWorld(t, tr)
			defer stop()
			opts.Links = display.Links
			d := newTUI(t, opts, 160, 48)
			d.Pump(10*time.Second, func(s string) bool { return strings.Contains(s, "idle") })
			screen := ask(d, seedPrompt, 1)
			flat := strings.Join(strings.Fields(screen), " ")
			for _, visible := range []string{"report (javascript:alert(1))", "ledger (file:///etc/passwd)", "filing (https://www.sec.gov/filing)"} {
				if !strings.Contains(flat, visible) {
					t.Errorf("the screen does not show %q:\n%s", visible, screen)
				}
			}
			var https int
			for i, f := range d.Frames() {
				for _, target := range hyperlinkTargets(f) {
					u, err := url.Parse(target)
					if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
						t.Errorf("frame %d: a hyperlink to %q", i, target)
						continue
					}
					https++
				}
			}
			if got := https > 0; got != c.want {
				t.Errorf("%d https hyperlinks in the frames; want some: %v", https, c.want)
			}
			t.Logf("observed: %d https hyperlink sequences over %d frames, none to another scheme", https, len(d.Frames()))
		})
	}
}
