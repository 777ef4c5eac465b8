package telemetry

import (
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/telemetry/telemetrytest"
	"github.com/lumodash/lumodash/session"
)

// TestSessionThatCannotStart: a request whose session could not authenticate is still a
// trace, one invoke_agent span with status Error and error.type auth_error, and the wrong
// secret is not in it.
func TestSessionThatCannotStart(t *testing.T) {
	col := telemetrytest.StartCollector(t)
	w := newWorld(t, "research-analyst")
	id, _, _ := w.dev.Credentials("research-analyst")
	const wrong = "definitely-not-the-secret-4f1c2a9e"
	agent, err := auth.New(auth.Config{BaseURL: w.dev.URL(), OrgID: "acme-corp", ClientID: id, ClientSecret: wrong}, auth.WithHook(w.bus.AuthHook()))
	if err != nil {
		t.Fatal(err)
	}
	w.cfg.Agent = agent
	w.export(t, Settings{OTLP: Signal{Endpoint: col.HTTP, Protocol: ProtocolHTTP}}, session.OutcomeAuthError)
	spans := telemetrytest.WaitFor(t, col, telemetrytest.ReadSpans, func(s []telemetrytest.Span) bool { return len(s) >= 1 }, "the failed session's span")
	if len(spans) != 1 || spans[0].Name != "invoke_agent research-analyst" || spans[0].Status.Code != 2 || spans[0].Attr("error.type") != "auth_error" ||
		!strings.Contains(spans[0].Status.Message, "authenticating the agent") {
		t.Errorf("spans %+v", spans)
	}
	if strings.Contains(string(col.Raw(t)), wrong) {
		t.Error("the client secret reached the collector")
	}
}
