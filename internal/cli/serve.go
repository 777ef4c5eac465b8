package cli

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/internal/app"
)

func newServeCmd(s *app.Settings) *cobra.Command {
	var ss app.ServeSettings
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the embedded LumoAuth-compatible servers standalone, for any LumoAuth SDK client",
		Long: "serve runs the embedded authorization server (and the embedded MCP server) until Ctrl+C,\n" +
			"and prints for each seeded agent the environment a LumoAuth SDK client needs.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return worldError(app.Serve(ctx, *s, ss, cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
	cmd.Flags().StringVar(&ss.Addr, "addr", "127.0.0.1:8787", "address of the authorization server (host:port; port 0 = any free port; a non-loopback host makes it reachable from the network, with a warning); the financial MCP server takes the port after it")
	cmd.Flags().StringVar(&ss.ModelAddr, "model-addr", "", "address of the demo model (host:port; default: the port two after --addr's when free, else any free port)")
	cmd.Flags().StringVar(&ss.Devserver, "devserver", "", "YAML file of agents, resources and JIT rules (default: the built-in Acme Corp demo)")
	return cmd
}
