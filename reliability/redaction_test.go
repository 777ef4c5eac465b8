package reliability_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/faultserver"
)

// echoTokenInChallenge is a careless resource server: it refuses every request with 401 and
// puts the bearer token it was sent in the WWW-Authenticate error_description (and the body),
// as servers that "help" debugging do.
var echoTokenInChallenge faultserver.Fault = func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer error="invalid_token", error_description="the token %s has expired"`, tok))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(401)
	fmt.Fprintf(w, `{"error":"invalid_token","error_description":"the token %s has expired"}`, tok)
}

// TestAttackResourceServerEchoesTheToken (issue 13 item 3): the MCP server (real, behind the
// proxy) copies the presented token into its WWW-Authenticate challenge. No full token may
// reach --json, --plain, the transcript or any export, and a transcript written before the
// fix (the token in it raw) is exported and replayed redacted too.
func TestAttackResourceServerEchoesTheToken(t *testing.T) {
	t.Parallel()
	fw := newFaultWorld(t, "research-analyst")
	fw.mcp.Set(echoTokenInChallenge)
	var transcripts []string
	for _, jsonOut := range []bool{true, false} {
		h := fw.run(t, context.Background(), jsonOut, seedPrompt)
		if h.code != cli.ExitToolFailed {
			t.Errorf("exit %d, want %d: %s", h.code, cli.ExitToolFailed, h.stderr)
		}
		fw.complete(t, h, 20*time.Second) // stdout, stderr and the transcript: no secret, token or JWT
		// The challenge did reach the output (so the search means something), cut to a prefix.
		if errs := errorsOf(h.events); !strings.Contains(errs, "HTTP 401") || !strings.Contains(errs, `the token eyJhbG… has expired`) {
			t.Errorf("the server's description is not shown redacted:\n%s", errs)
		}
		transcripts = append(transcripts, h.transcript)
	}
	if len(fw.auth.Tokens()) < 3 {
		t.Fatalf("only %d tokens issued: the search proves little", len(fw.auth.Tokens()))
	}
	// A transcript from before the fix: the exchanged token written raw into an error.
	raw, err := os.ReadFile(transcripts[0])
	if err != nil {
		t.Fatal(err)
	}
	tok := fw.auth.Tokens()[len(fw.auth.Tokens())-1]
	doctored := fw.env.WriteFile("old.jsonl", strings.ReplaceAll(string(raw), "eyJhbG…", tok))
	if !strings.Contains(mustRead(t, doctored), tok) {
		t.Fatal("the doctored transcript holds no token: the export check proves nothing")
	}
	for _, tr := range append(transcripts, doctored) {
		for _, format := range []string{"md", "json", "events"} {
			r := fw.env.Run("", "export", "--format", format, tr)
			if r.Code != 0 {
				t.Fatalf("export %s: exit %d %s", format, r.Code, r.Stderr)
			}
			fw.noSecrets(t, "export --format "+format+" of "+tr, r.Stdout+r.Stderr)
			if !strings.Contains(r.Stdout, "eyJhbG…") {
				t.Errorf("export --format %s of %s does not show the redacted token's prefix", format, tr)
			}
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
