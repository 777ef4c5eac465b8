package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/auth/devserver"
)

func init() { subcommands = append(subcommands, newServeCmd) }

// serveExtra starts one more part next to the standalone devserver (the financial MCP server
// registers here from its own wiring file). It prints what a user needs to reach the part to
// out and returns how to stop it.
type serveExtra func(ctx context.Context, g *globalFlags, fc *fileConfig, dev *devserver.Server, out io.Writer) (stop func(), err error)

// serveExtras are started in order after the devserver and stopped in reverse order.
var serveExtras []serveExtra

type serveFlags struct {
	addr      string
	devserver string
}

func newServeCmd(g *globalFlags) *cobra.Command {
	sf := &serveFlags{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the embedded LumoAuth-compatible servers standalone, for any LumoAuth SDK client",
		Long: "serve runs the embedded authorization server (and the embedded MCP server) until Ctrl+C,\n" +
			"and prints for each seeded agent the environment a LumoAuth SDK client needs.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(commandContext(cmd), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runServe(ctx, g, sf, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&sf.addr, "addr", "127.0.0.1:8787", "address of the authorization server (host:port; port 0 = any free port)")
	cmd.Flags().StringVar(&sf.devserver, "devserver", "", "YAML file of agents, resources and JIT rules (default: the built-in Acme Corp demo)")
	return cmd
}

// runServe starts the devserver and the extras, prints how to reach them and blocks until ctx
// is done, then shuts everything down.
func runServe(ctx context.Context, g *globalFlags, sf *serveFlags, out io.Writer) error {
	fc, err := loadFileConfig(g.configPath)
	if err != nil {
		return err
	}
	path := sf.devserver
	if path == "" {
		path = fc.Devserver
	}
	devCfg, err := loadDevConfig(path)
	if err != nil {
		return err
	}
	dev, err := devserver.Start(devCfg, sf.addr)
	if err != nil {
		return withCode(exitConfig, err)
	}
	defer func() { _ = dev.Close() }()
	printServeBanner(out, dev, devCfg)

	var stops []func()
	defer func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}()
	for _, extra := range serveExtras {
		stop, err := extra(ctx, g, fc, dev, out)
		if err != nil {
			return err
		}
		if stop != nil {
			stops = append(stops, stop)
		}
	}
	fmt.Fprintln(out, "serving; press Ctrl+C to stop")
	<-ctx.Done()
	fmt.Fprintln(out, "shutting down")
	return nil
}

// printServeBanner prints the server's addresses and, per client, the shell exports that the
// LumoAuth SDKs read. Printing AGENT_CLIENT_SECRET here is intended: it is this demo server's
// own credential for its own seeded client, and handing it to SDK clients is what serve is for.
func printServeBanner(out io.Writer, dev *devserver.Server, cfg devserver.Config) {
	fmt.Fprintf(out, "lumodash serve · embedded LumoAuth-compatible authorization server · %s (%s)\n",
		cfg.OrganizationName, cfg.Organization)
	fmt.Fprintf(out, "  issuer  %s\n  legacy  %s/t/%s/api/v1\n  jwks    %s\n\n", dev.Issuer(), dev.URL(), cfg.Organization, dev.JWKSURL())
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
