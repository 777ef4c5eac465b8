package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
)

func newRunCmd(s *app.Settings) *cobra.Command {
	ss := app.DefaultSessionSettings()
	var plain, asJSON bool
	var compare string
	cmd := &cobra.Command{
		Use:   "run [--plain | --json] [--compare A,B] PROMPT",
		Short: "Run one analyst session without the dashboard and print what happens",
		Long: "run sends one prompt to the analyst and prints each capability check, token exchange, MCP\n" +
			"call and the streamed answer (--plain, also used when stdout is not a terminal), or every\n" +
			"event as NDJSON (--json). PROMPT may be several words; \"-\" reads it from stdin.\n\n" +
			"Exit codes:\n" + exitCodeHelp() + "\n\n" +
			"With --compare A,B both agents' sessions run at once with the same prompt and the exit code is\n" +
			"the worse of the two, worst first: " + severityHelp() + ".",
		Example: `  lumodash run "Search documents for Q3 performance, then query the financial MCP for EBITDA."
  lumodash run --agent junior-analyst --json "What was EBITDA in Q3?" | jq .kind
  lumodash run --compare research-analyst,junior-analyst "What was EBITDA in Q3?"
  echo "What was revenue in FY2025?" | lumodash run -`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), stopSignals...)
			defer stop()
			if cmd.Flags().Changed("compare") {
				return runCompare(ctx, withSession(s, ss), asJSON, compare, args, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
			}
			return runHeadless(ctx, withSession(s, ss), asJSON, args, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().BoolVar(&plain, "plain", false, "print readable lines (the default)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print every event as one JSON object per line (NDJSON)")
	cmd.MarkFlagsMutuallyExclusive("plain", "json")
	cmd.Flags().StringVar(&compare, "compare", "", "run the prompt as two agents at once, e.g. research-analyst,junior-analyst: both outcomes are printed (each line or event names its agent) and the exit code is the worse")
	registerSessionFlags(cmd, &ss)
	registerOTelFlags(cmd, &s.Telemetry)
	ss.DemoPace = 0 // headless: no typing effect unless --demo-pace asks for it
	cmd.Flags().Lookup("demo-pace").DefValue = "0s"
	return cmd
}

// readPrompt takes the prompt from args, or from stdin when it is "-".
func readPrompt(args []string, stdin io.Reader) (string, error) {
	if len(args) == 1 && args[0] == "-" {
		b, err := io.ReadAll(io.LimitReader(stdin, 1<<20))
		if err != nil {
			return "", fmt.Errorf("reading the prompt from stdin: %w", err)
		}
		args = []string{string(b)}
	}
	prompt := strings.TrimSpace(strings.Join(args, " "))
	if prompt == "" {
		return "", errors.New(`no prompt: lumodash run "Search documents for Q3 performance" (or "-" to read it from stdin)`)
	}
	return prompt, nil
}

// runHeadless runs one session with a printer on the bus and maps its outcome to an exit code.
func runHeadless(ctx context.Context, s app.Settings, asJSON bool, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	prompt, err := readPrompt(args, stdin)
	if err != nil {
		return withCode(ExitConfig, err)
	}
	w, err := app.Open(ctx, s, app.ScopeSessions)
	if err != nil {
		return worldError(err)
	}
	defer w.Close()
	stderr = printTelemetryNotices(w, stderr)
	printNotices(stderr, w)
	printer := present.NewPlainPrinter(stdout)
	if asJSON {
		printer = session.NewJSONPrinter(stdout)
	}
	unsubscribe := w.Bus.Subscribe(printer)
	defer unsubscribe()
	for _, n := range w.Tools.Notices() {
		fmt.Fprintln(stderr, "note:", safetext.Line(n))
	}
	w.Escalation = app.HeadlessEscalation(stdin, stderr)
	r, err := w.NewRunner("")
	if err != nil {
		return worldError(err)
	}
	outcome := askOnce(ctx, r, prompt)
	closeErr := r.Close()
	if !asJSON {
		fmt.Fprintln(stderr, "transcript:", r.TranscriptPath())
	}
	endTelemetry(w, stderr)
	if err := outcomeError(outcome); err != nil {
		return err
	}
	if closeErr != nil {
		return withCode(ExitError, fmt.Errorf("writing the transcript: %w", closeErr))
	}
	return nil
}

// askOnce starts the session and asks prompt: the outcome of the start when it fails,
// else of the request.
func askOnce(ctx context.Context, r *app.Runner, prompt string) session.Outcome {
	if err := r.Start(ctx); err != nil {
		var se *session.StartError
		if errors.As(err, &se) {
			return se.Outcome
		}
		return session.OutcomeError
	}
	return r.Ask(ctx, prompt)
}

// outcomeExits are the documented exit codes of the session outcomes, with what to say.
var outcomeExits = map[session.Outcome]struct {
	code int
	msg  string
}{
	session.OutcomeDenied:          {ExitDenied, "a tool call was denied: the answer leaves that part out (see the capability checks above)"},
	session.OutcomeToolFailed:      {ExitToolFailed, "a tool call failed (token exchange refused, or the MCP server unreachable or failing): the answer leaves that part out (see the error above)"},
	session.OutcomeBudgetExhausted: {ExitBudget, "budget exhausted (see the budget.exhausted event for the limit and when it resets)"},
	session.OutcomeAuthError:       {ExitAuth, "the authorization server refused or failed (see the error above)"},
	session.OutcomeModelError:      {ExitModel, "the model API failed (see the error above)"},
	session.OutcomeMaxTurns:        {ExitModel, "the model kept calling tools past --max-turns"},
	session.OutcomeTruncated:       {ExitTruncated, "the answer was cut off at the model's output limit (finish_reason length): what is printed is incomplete (see the error above)"},
	session.OutcomeFiltered:        {ExitFiltered, "the provider's content filter stopped the answer (finish_reason content_filter): what is printed is incomplete or missing (see the error above)"},
	session.OutcomeRefused:         {ExitRefused, "the model refused the request: its refusal is printed as the answer"},
	session.OutcomeCancelled:       {ExitCancelled, "cancelled"},
}

// outcomeError maps a session outcome to the documented exit codes.
func outcomeError(o session.Outcome) error {
	if o == session.OutcomeOK {
		return nil
	}
	if x, ok := outcomeExits[o]; ok {
		return withCode(x.code, errors.New(x.msg))
	}
	return withCode(ExitError, fmt.Errorf("the session ended with %s", o))
}

// OutcomeExitCode is the exit code `lumodash run` ends with after a session of outcome o.
func OutcomeExitCode(o session.Outcome) int {
	if err := outcomeError(o); err != nil {
		return exitCode(err)
	}
	return ExitOK
}
