package session

import (
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth"
)

// TestGateEventsTellTheWholeCall: every event of one gated call carries its call id; the
// exchange names the token it was issued for (the agent's own, by fingerprint) and the token
// types; the MCP call names the arguments sent, the result and the token presented.
func TestGateEventsTellTheWholeCall(t *testing.T) {
	w := seedSession(t)
	own := w.rec.last(KindAuthToken).Token
	var call string
	for _, e := range w.rec.kind(KindToolCall) {
		if e.Tool == "query_financial_mcp" {
			call = e.CallID
		}
	}
	if call == "" || own == nil {
		t.Fatalf("no financial call or no own token: %s", kinds(w.rec.all()))
	}
	seen := map[Kind]Event{}
	for _, e := range w.rec.all() {
		if e.CallID == call {
			seen[e.Kind] = e
		}
	}
	for _, k := range []Kind{KindToolCall, KindCapabilityCheck, KindTokenExchange, KindMCPCall, KindToolResult} {
		if _, ok := seen[k]; !ok {
			t.Errorf("no %s event carries call id %s", k, call)
		}
	}
	x := seen[KindTokenExchange].Token
	if x == nil || x.SubjectFingerprint != own.Fingerprint || x.SubjectType != auth.TokenTypeAccessToken || x.Type != auth.TokenTypeAccessToken {
		t.Errorf("exchange token %+v; want subject %s and access-token types", x, own.Fingerprint)
	}
	m := seen[KindMCPCall]
	if !strings.Contains(m.Args, `"metric":"ebitda"`) || !strings.Contains(m.Text, "EBITDA") || m.Token == nil || m.Token.Fingerprint != x.Fingerprint {
		t.Errorf("mcp event args %q, result %q, token %+v; want the exchanged token %s", m.Args, m.Text, m.Token, x.Fingerprint)
	}
	if strings.Contains(m.Text+m.Args, "eyJ") {
		t.Error("the MCP event carries something that looks like a JWT")
	}
}
