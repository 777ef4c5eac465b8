package app

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/session/demomodel"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

// ServeSettings configure `lumodash serve`.
type ServeSettings struct {
	Addr      string // the authorization server's host:port (port 0 = any free port)
	Devserver string // YAML file of agents, resources and JIT rules ("" = the file's, else the demo)
}

// servePart starts one part next to the devserver, prints what a client needs to reach it
// and returns how to stop it.
type servePart func(dev *devserver.Server, out io.Writer) (stop func(), err error)

// Serve runs the embedded servers standalone until ctx is done: the devserver first, then
// the financial MCP server and the demo model on the ports after it, in that order (the
// banner's), stopped in reverse.
func Serve(ctx context.Context, s Settings, ss ServeSettings, out io.Writer) error {
	cfg, err := LoadConfig(s)
	if err != nil {
		return err
	}
	path := ss.Devserver
	if path == "" {
		path = cfg.Devserver
	}
	devCfg, err := loadDevConfig(path)
	if err != nil {
		return err
	}
	dev, key, err := startDevserver(s, devCfg, ss.Addr)
	if err != nil {
		return configError(err)
	}
	defer func() { _ = dev.Close() }()
	if key.Notice != "" {
		fmt.Fprintln(out, "notice:", key.Notice)
	}
	printServeBanner(out, dev, devCfg, key)

	var stops []func()
	defer func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}()
	for _, start := range []servePart{serveFinancialMCP, serveDemoModel} {
		stop, err := start(dev, out)
		if err != nil {
			return err
		}
		stops = append(stops, stop)
	}
	fmt.Fprintln(out, "serving; press Ctrl+C to stop")
	<-ctx.Done()
	fmt.Fprintln(out, "shutting down")
	return nil
}

// printServeBanner prints the server's addresses and, per client, the shell exports that the
// LumoAuth SDKs read. Printing AGENT_CLIENT_SECRET here is intended: it is this demo server's
// own credential for its own seeded client, and handing it to SDK clients is what serve is for.
func printServeBanner(out io.Writer, dev *devserver.Server, cfg devserver.Config, key SigningKey) {
	fmt.Fprintf(out, "lumodash serve · embedded LumoAuth-compatible authorization server · %s (%s)\n",
		cfg.OrganizationName, cfg.Organization)
	fmt.Fprintf(out, "  issuer  %s\n  legacy  %s/t/%s/api/v1\n  jwks    %s\n  key     %s\n\n", dev.Issuer(), dev.URL(), cfg.Organization, dev.JWKSURL(), key.File)
	for _, a := range cfg.Agents {
		_, secret, _ := dev.Credentials(a.ClientID)
		role := "capabilities: " + strings.Join(a.Capabilities, ", ")
		switch {
		case a.IdentityType == "user":
			role = "reviewer: approves or denies JIT requests; " + role
		case a.IdentityType == "service":
			role = "service client: resource servers use it to introspect tokens"
			if len(a.Capabilities) > 0 {
				role += "; " + strings.Join(a.Capabilities, ", ")
			}
		}
		fmt.Fprintf(out, "# %s — %s (%s)\n", a.ClientID, a.Name, role)
		for _, kv := range [][2]string{{"LUMOAUTH_URL", dev.URL()}, {"LUMOAUTH_TENANT", cfg.Organization},
			{"LUMOAUTH_ORG_ID", cfg.Organization}, {"AGENT_CLIENT_ID", a.ClientID}, {"AGENT_CLIENT_SECRET", secret}} {
			fmt.Fprintf(out, "export %s=%s\n", kv[0], shellQuote(kv[1]))
		}
		fmt.Fprintln(out)
	}
}

// serveFinancialMCP runs the embedded financial MCP server on the port after the
// devserver's when it is free, else on any free port.
func serveFinancialMCP(dev *devserver.Server, out io.Writer) (func(), error) {
	opts := financialmcp.Options{Issuer: dev.Issuer(), JWKSURL: dev.JWKSURL(), Resource: tools.FinancialAudience,
		Introspection: devIntrospection(dev)}
	srv, err := financialmcp.Start(opts, nextPort(dev.URL()))
	if err != nil {
		srv, err = financialmcp.Start(opts, "127.0.0.1:0")
	}
	if err != nil {
		return nil, fmt.Errorf("starting the embedded financial MCP server: %w", err)
	}
	fmt.Fprintf(out, "financial MCP server (embedded) · %s\n  audience %s · scope %s · tools get_metric, list_metrics\n  metadata %s\n  lumodash --mcp-url %s\n\n",
		srv.URL(), tools.FinancialAudience, financialmcp.Scope, srv.MetadataURL(), srv.URL())
	return func() { _ = srv.Close() }, nil
}

// serveDemoModel runs the embedded demo model two ports after the devserver's, so any
// OpenAI-compatible client (the seed's Python example included) can use it offline.
func serveDemoModel(dev *devserver.Server, out io.Writer) (func(), error) {
	opts := demomodel.Options{Pace: 15 * time.Millisecond}
	srv, err := demomodel.Start(opts, nextPort(nextPort(dev.URL())))
	if err != nil {
		srv, err = demomodel.Start(opts, "127.0.0.1:0")
	}
	if err != nil {
		return nil, fmt.Errorf("starting the embedded demo model: %w", err)
	}
	fmt.Fprintf(out, "demo model (embedded, offline, OpenAI-compatible) · %s\n  export OPENAI_BASE_URL=%s OPENAI_MODEL=%s\n\n",
		srv.URL(), srv.URL(), shellQuote(demomodel.ModelID))
	return func() { _ = srv.Close() }, nil
}

// nextPort is host:(port+1) of base URL, or a random port on loopback when it cannot tell.
func nextPort(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return "127.0.0.1:0"
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil || port == 0 || port >= 65535 {
		return "127.0.0.1:0"
	}
	return net.JoinHostPort(u.Hostname(), strconv.Itoa(port+1))
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe characters.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@%+=,", r)) {
			safe = false
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
