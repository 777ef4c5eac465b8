package reliability_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/cli"
)

// TestAttackReadableDotEnvIsReported (issue 13 item 10): the agent's client secret sits in a
// .env file that the group or every user may read. lumodash still runs, but says so — which
// file, which variable, and the command that fixes it — and never quotes the secret; a 0600
// file gets no such warning.
func TestAttackReadableDotEnvIsReported(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		mode os.FileMode
		warn string
	}{
		{0o644, "other users can read it (mode 0644)"},
		{0o640, "its group can read it (mode 0640)"},
		{0o600, ""},
	} {
		t.Run(c.mode.String(), func(t *testing.T) {
			t.Parallel()
			fw := newFaultWorld(t, "research-analyst")
			dotenv := fw.env.WriteFile(".env", "LUMOAUTH_URL="+fw.auth.URL()+"\nLUMOAUTH_ORG_ID=acme-corp\n"+
				"AGENT_CLIENT_ID="+fw.agent+"\nAGENT_CLIENT_SECRET="+fw.secret+"\n")
			if err := os.Chmod(dotenv, c.mode); err != nil {
				t.Fatal(err)
			}
			fw.env.Set("AGENT_CLIENT_SECRET", "") // the secret comes from the file only
			h := fw.run(t, context.Background(), false, seedPrompt, "--env-file", dotenv)
			if h.code != cli.ExitOK {
				t.Fatalf("exit %d: %s", h.code, h.stderr)
			}
			fw.noSecrets(t, "stderr", h.stderr)
			warned := strings.Contains(h.stderr, "AGENT_CLIENT_SECRET") && strings.Contains(h.stderr, "chmod 600 "+dotenv)
			if c.warn == "" {
				if warned {
					t.Errorf("a private .env was warned about:\n%s", h.stderr)
				}
				return
			}
			if !warned || !strings.Contains(h.stderr, dotenv+" holds AGENT_CLIENT_SECRET") || !strings.Contains(h.stderr, c.warn) {
				t.Errorf("no clear warning (file, variable, %q, chmod 600) on stderr:\n%s", c.warn, h.stderr)
			}
		})
	}
}
