package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

func newCallCmd(s *app.Settings) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "call TOOL [key=value…]",
		Short: "Run one tool through the gate without a model and print each step",
		Long: `Run one tool through the gate — capability check, token exchange (when the tool needs
one), call, result — as the configured agent, and print each step. Arguments are key=value
pairs converted to the tool's parameter types. The quickest way to see permission gating:

  lumodash call search_company_documents query="Q3 performance"
  lumodash call query_financial_mcp metric=EBITDA period=2026-Q3
  lumodash call --agent junior-analyst query_financial_mcp metric=EBITDA   # denied

Exit codes: 0 ok, 5 denied, 3 token exchange or authorization server failure,
2 usage: an unknown tool, or arguments that do not fit its parameters (not key=value, an
unknown parameter, a value of the wrong type, a required one missing), 1 the tool ran and
failed or rejected a value (e.g. an unknown metric).`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runCall(cmd, *s, asJSON, args) },
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the steps as NDJSON, one object per line")
	return cmd
}

func runCall(cmd *cobra.Command, s app.Settings, asJSON bool, args []string) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), stopSignals...)
	defer stop()
	w, err := app.Open(ctx, s, app.ScopeTools)
	if err != nil {
		return worldError(err)
	}
	defer w.Close()
	printNotices(cmd.ErrOrStderr(), w)
	agent, err := w.Auth.NewAgent("", nil)
	if err != nil {
		return worldError(err)
	}
	at, err := w.Tools.Tools(ctx, agent, tools.ClientHooks{Events: serverEventPrinter(cmd.ErrOrStderr())})
	if err != nil {
		return withCode(ExitError, err)
	}
	defer at.Close()
	reg := at.Registry
	for _, n := range w.Tools.Notices() {
		fmt.Fprintln(cmd.ErrOrStderr(), "notice:", n)
	}

	if len(args) == 0 {
		return withCode(ExitConfig, fmt.Errorf("name the tool to call; available: %s", strings.Join(reg.Names(), ", ")))
	}
	tool, ok := reg.Lookup(args[0])
	if !ok {
		return withCode(ExitConfig, fmt.Errorf("unknown tool %q; available: %s", args[0], strings.Join(reg.Names(), ", ")))
	}
	raw, err := keyValueArgs(tool.Parameters(), args[1:])
	if err != nil {
		return withCode(ExitConfig, fmt.Errorf("%s: %w", tool.Name(), err))
	}

	out := cmd.OutOrStdout()
	gate := tools.NewGate(agent, stepPrinter(out, asJSON))
	res := gate.Call(ctx, tool, "call-1", raw)
	if !asJSON && res.Status == tools.StatusOK {
		fmt.Fprintln(out, res.Text) // a refusal or failure is said once, on stderr, as the error
	}
	return callExit(res)
}

// callExit maps a gate Outcome to the command's exit code.
func callExit(res tools.Outcome) error {
	if res.Status == tools.StatusOK {
		return nil
	}
	var ge *tools.GateError
	stage := ""
	if errors.As(res.Err, &ge) {
		stage = ge.Stage
	}
	msg := errors.New(strings.TrimPrefix(firstLine(res.Text), "Error: "))
	switch {
	case res.Status == tools.StatusDenied:
		return withCode(ExitDenied, msg)
	case stage == tools.StageExchange || stage == tools.StageCheck:
		return withCode(ExitAuth, msg)
	case stage == tools.StageArgs:
		return withCode(ExitConfig, msg)
	}
	return withCode(ExitError, msg)
}

// keyValueArgs turns key=value pairs into a JSON object, typing each value by the tool's
// schema: integer, number and boolean parameters are parsed, arrays and objects read as
// JSON, the rest kept as strings.
func keyValueArgs(schema map[string]any, pairs []string) (json.RawMessage, error) {
	props, _ := schema["properties"].(map[string]any)
	obj := map[string]any{}
	for _, p := range pairs {
		key, val, ok := strings.Cut(p, "=")
		if !ok || key == "" {
			return nil, fmt.Errorf("argument %q is not key=value (parameters: %s)", p, paramList(props))
		}
		if _, dup := obj[key]; dup {
			return nil, fmt.Errorf("argument %q given twice", key)
		}
		prop, known := props[key].(map[string]any)
		if !known && len(props) > 0 {
			return nil, fmt.Errorf("unknown parameter %q (parameters: %s)", key, paramList(props))
		}
		v, err := typedValue(prop, val)
		if err != nil {
			return nil, fmt.Errorf("parameter %q: %w", key, err)
		}
		obj[key] = v
	}
	return json.Marshal(obj)
}

func typedValue(prop map[string]any, val string) (any, error) {
	typ, _ := prop["type"].(string)
	switch typ {
	case "string":
		return val, nil
	case "integer":
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", val)
		}
		return n, nil
	case "number":
		f, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", val)
		}
		return f, nil
	case "boolean":
		b, err := strconv.ParseBool(val)
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", val)
		}
		return b, nil
	case "array", "object":
		var v any
		if err := json.Unmarshal([]byte(val), &v); err != nil {
			return nil, fmt.Errorf("expected JSON %s: %v", typ, err)
		}
		return v, nil
	}
	var v any // untyped: JSON when it parses, else the string
	if json.Unmarshal([]byte(val), &v) == nil {
		return v, nil
	}
	return val, nil
}

func paramList(props map[string]any) string {
	if len(props) == 0 {
		return "none"
	}
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// stepPrinter prints gate steps as lines or NDJSON. Steps of one call arrive in order.
func stepPrinter(w io.Writer, asJSON bool) func(tools.Step) {
	var mu sync.Mutex
	enc := json.NewEncoder(w)
	return func(s tools.Step) {
		mu.Lock()
		defer mu.Unlock()
		if asJSON {
			_ = enc.Encode(stepJSONOf(s))
			return
		}
		fmt.Fprintln(w, stepLine(s))
	}
}

// serverEventPrinter writes what MCP servers send during the call (progress, log messages,
// the requests answered) to w, one line each: stdout stays the steps'.
func serverEventPrinter(w io.Writer) func(tools.ServerEvent) {
	var mu sync.Mutex
	return func(e tools.ServerEvent) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(w, "mcp:", present.Summary(session.ServerEvent(e)))
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
