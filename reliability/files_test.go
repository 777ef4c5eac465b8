package reliability_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/cli"
)

// TestAttackExportOutputIsPrivateAndFollowsNoLink (issue 13 item 9): `export -o FILE` where
// FILE is a link planted by someone else (to a file of theirs, or dangling, to where they
// would read it), or an existing world-readable file. Links are refused with exit 2 and
// nothing is written through them; an existing file ends up 0600.
func TestAttackExportOutputIsPrivateAndFollowsNoLink(t *testing.T) {
	t.Parallel()
	fw := newFaultWorld(t, "research-analyst")
	h := fw.run(t, context.Background(), true, seedPrompt)
	if h.code != cli.ExitOK {
		t.Fatalf("exit %d: %s", h.code, h.stderr)
	}
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.txt")
	if err := os.WriteFile(victim, []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "report.md")
	dangling := filepath.Join(dir, "dangling.md")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "collected.md"), dangling); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{link, dangling} {
		for _, format := range []string{"md", "json", "events"} {
			r := fw.env.Run("", "export", "--format", format, "-o", out, h.transcript)
			if r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, "symbolic link") {
				t.Errorf("export -o %s (a link): exit %d, stderr %q; want %d naming the link", filepath.Base(out), r.Code, r.Stderr, cli.ExitConfig)
			}
		}
	}
	if got := mustRead(t, victim); got != "theirs" {
		t.Errorf("the link's target was written (%d bytes)", len(got))
	}
	if _, err := os.Stat(filepath.Join(dir, "collected.md")); err == nil {
		t.Error("the dangling link's target was created")
	}

	existing := filepath.Join(dir, "existing.md")
	if err := os.WriteFile(existing, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := fw.env.Run("", "export", "-o", existing, h.transcript)
	if r.Code != cli.ExitOK {
		t.Fatalf("export -o existing: exit %d %s", r.Code, r.Stderr)
	}
	st, err := os.Stat(existing)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("existing file after export: %v %v, want mode 0600", st.Mode().Perm(), err)
	}
	if !strings.Contains(mustRead(t, existing), "$4.21M") {
		t.Error("the report was not written to the existing file")
	}
}
