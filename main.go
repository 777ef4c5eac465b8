// Command lumodash is a terminal dashboard for AI-agent sessions governed by LumoAuth.
//
// main.go and the other files of package main are wiring only: flags, configuration and
// which parts (embedded or real) to start. The work happens in auth, tools, session and ui.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Exit codes, documented in the README.
const (
	exitOK         = 0
	exitError      = 1 // unexpected failure
	exitConfig     = 2 // bad flags, environment or configuration file
	exitAuth       = 3 // authentication or authorization server failure
	exitBudget     = 4 // budget exhausted
	exitDenied     = 5 // a tool call was denied
	exitModel      = 6 // model API failure
	exitToolFailed = 7 // run: a tool call failed (exchange refused, MCP server down or failing)
	exitCancelled  = 130
)

// codedError carries an exit code through cobra.
type codedError struct {
	code int
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

// withCode attaches an exit code to err.
func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &codedError{code: code, err: err}
}

// version is set at link time (-ldflags "-X main.version=v1.2.3"); otherwise the module
// version that `go install …@vX` records, else "dev".
var version = "dev"

func versionString() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

func main() {
	os.Exit(execute(os.Args[1:]))
}

func execute(args []string) int {
	root := newRootCmd()
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(os.Stderr, "lumodash:", err)
	var ce *codedError
	if errors.As(err, &ce) {
		return ce.code
	}
	return exitConfig // cobra's own errors are usage errors
}

// commandContext is the command's context, or Background when it runs without one (Execute,
// not ExecuteContext).
func commandContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

func newRootCmd() *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:           "lumodash",
		Short:         "A terminal dashboard for AI-agent sessions governed by LumoAuth",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE:          func(cmd *cobra.Command, args []string) error { return runDefault(cmd, g, args) },
	}
	g.register(root)
	for _, hook := range rootHooks {
		hook(root, g)
	}
	for _, add := range subcommands {
		root.AddCommand(add(g))
	}
	root.AddCommand(&cobra.Command{
		Use:   "version",
		Short: "Print the lumodash version",
		Args:  cobra.NoArgs,
		Run:   func(cmd *cobra.Command, _ []string) { fmt.Fprintln(cmd.OutOrStdout(), "lumodash", versionString()) },
	})
	return root
}

// rootHooks let cmd_*.go files add flags to the root command (the TUI's own flags).
var rootHooks []func(root *cobra.Command, g *globalFlags)

// subcommands is filled by the cmd_*.go files' init functions.
var subcommands []func(*globalFlags) *cobra.Command

// runDefault is what `lumodash` with no subcommand does. Until the TUI lands it prints help.
var runDefault = func(cmd *cobra.Command, g *globalFlags, args []string) error {
	return cmd.Help()
}
