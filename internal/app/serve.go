package app

import (
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"

	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/session/demomodel"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

// ServeSettings configure `lumodash serve`.
type ServeSettings struct {
	Addr string // the authorization server's host:port (port 0 = any free port)
	// ModelAddr is the demo model's host:port ("" = the port two after Addr's when free, else
	// any free port); a fixed address that cannot be used is an error.
	ModelAddr string
	Devserver string // YAML file of agents, resources and JIT rules ("" = the file's, else the demo)
}

// serveNet is where serve listens and the address clients reach it by.
type serveNet struct {
	listenHost string // the host of --addr ("" or 0.0.0.0 = every interface)
	public     string // the host clients dial: the --addr host, or this machine's address for every interface
	exposed    bool   // reachable from other machines
}

// servePart starts one part next to the devserver, prints what a client needs to reach it
// and returns how to stop it.
type servePart func(dev *devserver.Server, sn serveNet, out io.Writer) (stop func(), err error)

// Serve runs the embedded servers standalone until ctx is done: the devserver first, then
// the financial MCP server and the demo model on the ports after it, in that order (the
// banner's), stopped in reverse. Warnings and notices go to errOut.
func Serve(ctx context.Context, s Settings, ss ServeSettings, out, errOut io.Writer) error {
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
	sn, err := serveNetwork(ss.Addr)
	if err != nil {
		return err
	}
	dev, key, err := startDevserver(s, devCfg, ss.Addr, devserver.WithPublicHost(sn.public))
	if err != nil {
		return configError(err)
	}
	defer func() { _ = dev.Close() }()
	if sn.exposed {
		fmt.Fprintf(errOut, "warning: serve listens on %s, reachable from the network: anyone who can reach this machine at %s can get tokens as the seeded agents and approve their JIT requests (the banner prints their secrets), over plain http. Use --addr 127.0.0.1:PORT to keep it on this machine.\n",
			ss.Addr, sn.public)
	}
	if key.Notice != "" {
		fmt.Fprintln(errOut, "notice:", key.Notice)
	}
	listen := ss.Addr
	if port := portAfter(dev.URL(), 0); port != "" {
		listen = net.JoinHostPort(sn.listenHost, port)
	}
	printServeBanner(out, dev, devCfg, key, listen)

	var stops []func()
	defer func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}()
	parts := []servePart{serveFinancialMCP, func(dev *devserver.Server, sn serveNet, out io.Writer) (func(), error) {
		return serveDemoModel(dev, sn, ss.ModelAddr, out)
	}}
	for _, start := range parts {
		stop, err := start(dev, sn, out)
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

// serveNetwork reads --addr: a loopback host stays on this machine; every interface (":8787",
// 0.0.0.0, ::) is announced by this machine's first network address; any other host as given.
func serveNetwork(addr string) (serveNet, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return serveNet{}, configError(fmt.Errorf("--addr %q: %v; want host:port, e.g. 127.0.0.1:8787", addr, err))
	}
	sn := serveNet{listenHost: host, public: host}
	ip := net.ParseIP(host)
	switch {
	case host == "localhost" || ip != nil && ip.IsLoopback():
	case host == "" || ip.IsUnspecified():
		sn.exposed, sn.public = true, machineAddress()
	default:
		sn.exposed = true
	}
	return sn, nil
}

// machineAddress is this machine's first non-loopback IPv4 address (what another machine on
// the network dials), else the loopback address.
func machineAddress() string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && n.IP.IsGlobalUnicast() {
			return n.IP.String()
		}
	}
	return "127.0.0.1"
}

// serveFinancialMCP runs the embedded financial MCP server on the port after the
// devserver's when it is free, else on any free loopback port.
func serveFinancialMCP(dev *devserver.Server, sn serveNet, out io.Writer) (func(), error) {
	opts := financialmcp.Options{Resource: tools.FinancialAudience}
	port := portAfter(dev.URL(), 1)
	var srv *financialmcp.Server
	err := fmt.Errorf("no port after the authorization server's")
	if port != "" {
		if sn.exposed {
			opts.BaseURL = "http://" + net.JoinHostPort(sn.public, port)
		}
		srv, err = financialmcp.StartEmbedded(dev, net.JoinHostPort(sn.listenHost, port), opts)
	}
	if err != nil {
		opts.BaseURL = ""
		srv, err = financialmcp.StartEmbedded(dev, "127.0.0.1:0", opts)
	}
	if err != nil {
		return nil, fmt.Errorf("starting the embedded financial MCP server: %w", err)
	}
	fmt.Fprintf(out, "financial MCP server (embedded) · %s\n  audience %s · scope %s · tools get_metric, list_metrics\n  metadata %s\n  lumodash --mcp-url %s\n\n",
		srv.URL(), tools.FinancialAudience, financialmcp.Scope, srv.MetadataURL(), srv.URL())
	return func() { _ = srv.Close() }, nil
}

// serveDemoModel runs the embedded demo model on addr, or when addr is "" two ports after the
// devserver's (any free loopback port if taken), so any OpenAI-compatible client (the seed's
// Python example included) can use it offline.
func serveDemoModel(dev *devserver.Server, sn serveNet, addr string, out io.Writer) (func(), error) {
	opts := demomodel.Options{Pace: 15 * time.Millisecond}
	var srv *demomodel.Server
	var err error
	if addr != "" {
		if srv, err = demomodel.Start(opts, addr); err != nil {
			return nil, configError(fmt.Errorf("--model-addr: %w (pick a free host:port, or leave --model-addr out for the port two after --addr)", err))
		}
	} else {
		err = fmt.Errorf("no port after the authorization server's")
		if port := portAfter(dev.URL(), 2); port != "" {
			srv, err = demomodel.Start(opts, net.JoinHostPort(sn.listenHost, port))
		}
		if err != nil {
			srv, err = demomodel.Start(opts, "127.0.0.1:0")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("starting the embedded demo model: %w", err)
	}
	u := publicURL(srv.URL(), sn.public)
	fmt.Fprintf(out, "demo model (embedded, offline, OpenAI-compatible) · %s\n  export OPENAI_BASE_URL=%s OPENAI_MODEL=%s\n\n",
		u, u, shellQuote(demomodel.ModelID))
	return func() { _ = srv.Close() }, nil
}

// portAfter is base URL's port + n, or "" when it has none to add to.
func portAfter(base string, n int) string {
	_, p, err := net.SplitHostPort(hostOf(base))
	port, perr := strconv.Atoi(p)
	if err != nil || perr != nil || port == 0 || port+n > 65535 {
		return ""
	}
	return strconv.Itoa(port + n)
}
