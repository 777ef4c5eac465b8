package cli_test

import (
	"testing"

	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

// startRealServers runs an authorization server and a financial MCP server trusting it, as
// a deployment outside lumodash would: the tests point lumodash at them as at real ones.
func startRealServers(t *testing.T) (*devserver.Server, *financialmcp.Server) {
	t.Helper()
	dev, err := devserver.Start(devserver.DefaultConfig(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })
	fin, err := financialmcp.Start(financialmcp.Options{Issuer: dev.Issuer(), JWKSURL: dev.JWKSURL(), Resource: tools.FinancialAudience}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fin.Close() })
	return dev, fin
}
