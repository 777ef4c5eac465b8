// Package cli is lumodash's command line (cobra): the list of commands, their flags turned
// into app.Settings, what each prints, and the exit codes. The world the commands work in is
// built by internal/app.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/redact"
)

// Exit codes, documented in the README.
const (
	ExitOK         = 0
	ExitError      = 1  // unexpected failure
	ExitConfig     = 2  // bad flags, environment or configuration file
	ExitAuth       = 3  // authentication or authorization server failure
	ExitBudget     = 4  // budget exhausted
	ExitDenied     = 5  // a tool call was denied
	ExitModel      = 6  // model API failure
	ExitToolFailed = 7  // run: a tool call failed (exchange refused, MCP server down or failing)
	ExitTruncated  = 8  // run: the answer was cut off at the model's output limit (finish_reason length)
	ExitFiltered   = 9  // run: the provider's content filter stopped the answer (finish_reason content_filter)
	ExitRefused    = 10 // run: the model refused the request
	ExitCancelled  = 130
)

// exitMeanings say what each exit code of run means: run --help lists them (as does the
// README's table, which a test keeps in step).
var exitMeanings = []struct {
	code    int
	meaning string
}{
	{ExitOK, "ok"},
	{ExitError, "unexpected failure"},
	{ExitConfig, "usage or configuration: bad flag, arguments, environment variable or configuration file"},
	{ExitAuth, "authentication or authorization server failure"},
	{ExitBudget, "budget exhausted"},
	{ExitDenied, "a tool call was denied (the answer lacks that part)"},
	{ExitModel, "model API failure, or the --max-turns limit was hit"},
	{ExitToolFailed, "a tool call failed: exchange refused or MCP server error (the answer lacks that part)"},
	{ExitTruncated, "the answer was cut off at the model's output limit (the partial answer is printed)"},
	{ExitFiltered, "the provider's content filter stopped the answer (what came before it is printed)"},
	{ExitRefused, "the model refused the request (its refusal is printed)"},
	{ExitCancelled, "cancelled (Ctrl+C, SIGTERM, or SIGHUP when the terminal closes)"},
}

// exitSeverity orders the exit codes from worst to best, for `run --compare`, which ends
// with the worse of its two sessions': a run that could not finish (cancelled, failed, bad
// configuration, refused by the authorization server, the model failing) before one that
// stopped short (budget), before answers that are incomplete (a tool failed, cut off,
// filtered, refused by the model), before one that only lacks what a denied call would have
// given (what permission gating is expected to do), before ok.
var exitSeverity = []int{ExitCancelled, ExitError, ExitConfig, ExitAuth, ExitModel, ExitBudget,
	ExitToolFailed, ExitTruncated, ExitFiltered, ExitRefused, ExitDenied, ExitOK}

// exitCodeHelp is exitMeanings as indented lines.
func exitCodeHelp() string {
	var b strings.Builder
	for i, x := range exitMeanings {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "  %3d  %s", x.code, x.meaning)
	}
	return b.String()
}

// IO is what a run of lumodash reads and writes. Nothing else of the process is used but
// the working directory (the default --env-file) and signals, so tests can run many at once.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv is the environment (main passes os.Getenv; nil is an empty environment): the
	// LumoAuth and model variables, NO_COLOR, XDG_CONFIG_HOME, XDG_STATE_HOME and HOME.
	Getenv func(string) string
}

// Run runs lumodash with args (without the program name) and returns its exit code; errors
// are printed on Stderr as "lumodash: …".
func Run(ctx context.Context, args []string, stdio IO) int {
	if stdio.Stdin == nil {
		stdio.Stdin = strings.NewReader("")
	}
	if stdio.Stdout == nil {
		stdio.Stdout = io.Discard
	}
	if stdio.Stderr == nil {
		stdio.Stderr = io.Discard
	}
	if stdio.Getenv == nil {
		stdio.Getenv = func(string) string { return "" }
	}
	root := newRoot(stdio)
	root.SetArgs(args)
	root.SetIn(stdio.Stdin)
	root.SetOut(stdio.Stdout)
	root.SetErr(stdio.Stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	fmt.Fprintln(stdio.Stderr, "lumodash:", redact.String(err.Error()))
	return exitCode(err)
}

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

// exitCode is err's code; cobra's own errors are usage errors.
func exitCode(err error) int {
	var ce *codedError
	if errors.As(err, &ce) {
		return ce.code
	}
	return ExitConfig
}

// worldError codes an error of internal/app: the user's to fix, or a part that failed.
func worldError(err error) error {
	var ce *app.ConfigError
	if errors.As(err, &ce) {
		return withCode(ExitConfig, err)
	}
	return withCode(ExitError, err)
}
