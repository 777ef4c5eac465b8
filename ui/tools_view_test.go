package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

// byoEvents is the junior analyst's session start with a bring-your-own MCP server the
// agent may not get a token for: its part is denied and its tools are listed as denied.
func byoEvents() []session.Event {
	ev := startEvents("junior-analyst", "agt_2c9e", []string{"read:documents"}, budget(4_200, 50_000))
	ev[0].Parts = append(append([]session.Part(nil), parts...), session.Part{Role: "mcp", Name: "everything", Host: "127.0.0.1:3001",
		Status: "denied", Reason: "exchanging a token for urn:mcp:everything: delegation_not_allowed (agent junior-analyst lacks capability mcp:everything), HTTP 403"})
	ev[0].Tools = []tools.Listing{
		{Name: "search_company_documents", Capability: "read:documents", State: tools.ServerReachable, Description: "Search internal company documents (reports, board updates, memos) for the given query."},
		{Name: "query_financial_mcp", Server: "financial-data", Capability: "mcp:financial", State: tools.ServerReachable, Description: "Query the secured financial metrics MCP server for a metric of Acme Corp."},
		{Name: "everything__echo", Server: "everything", Capability: "mcp:everything", State: tools.ServerDenied, Description: "Echoes back the input string (MCP server everything)"},
		{Name: "everything__get-roots-list", Server: "everything", Capability: "mcp:everything", State: tools.ServerDenied, Description: "Lists the current MCP roots provided by the client. (MCP server everything)"},
	}
	ev[0].Capabilities = []string{"mcp:everything", "mcp:financial", "read:documents"}
	return ev
}

func TestToolsDialogViews(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := newTestModel(t, "dark", size[0], size[1], byoEvents())
			press(m, tea.KeyPressMsg{Code: 't', Mod: tea.ModCtrl}) // from the input, where the dashboard starts
			screen := pinned(t, m)
			plain := ansi.Strip(screen)
			for _, w := range []string{"Tools offered to the model", "server everything DENIED", "delegation_not_allowed", "everything__echo", "needs mcp:everything", "4 tools · ↑↓ scroll · esc close"} {
				if !strings.Contains(plain, w) {
					t.Errorf("screen lacks %q:\n%s", w, plain)
				}
			}
			checkGeometry(t, screen, size[0], size[1])
			golden.RequireEqual(t, screen)
			for range 5 {
				press(m, tea.KeyPressMsg{Code: 'j', Text: "j"})
			}
			if scrolled := ansi.Strip(pinned(t, m)); strings.Contains(scrolled, "server financialmcp") || !strings.Contains(scrolled, "everything__echo") {
				t.Errorf("j did not scroll the list:\n%s", scrolled)
			}
			press(m, tea.KeyPressMsg{Code: tea.KeyEscape})
			if strings.Contains(ansi.Strip(pinned(t, m)), "Tools offered to the model") {
				t.Error("esc did not close the dialog")
			}
		})
	}
}
