package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/lumodash/lumodash/internal/redact"
	"github.com/lumodash/lumodash/tools"
)

// maxParallelTools bounds the tool calls of one model turn that run at once.
const maxParallelTools = 4

// runTools runs the calls of one model turn. Independent calls run concurrently (at most
// maxParallelTools at once), each through the gate; every event carries its call id, the
// tool.call events come first in the model's order, and the outcomes are returned in that
// order, which is the order of the results in the history.
func (r *Runner) runTools(ctx context.Context, turn int, calls []modelCall) []tools.Outcome {
	for _, c := range calls {
		r.emit(Event{Kind: KindToolCall, Turn: turn, CallID: c.id, Tool: c.name, Args: c.args})
	}
	outs := make([]tools.Outcome, len(calls))
	slots := make(chan struct{}, maxParallelTools)
	var wg sync.WaitGroup
	for i, c := range calls {
		wg.Go(func() {
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
			case <-ctx.Done():
			}
			if ctx.Err() != nil {
				outs[i] = r.notRun(turn, c, "Error: cancelled by the user before the tool ran.")
				return
			}
			outs[i] = r.runTool(ctx, turn, c)
		})
	}
	wg.Wait()
	return outs
}

// notRun reports a call that was not run.
func (r *Runner) notRun(turn int, c modelCall, text string) tools.Outcome {
	r.emit(Event{Kind: KindToolResult, Turn: turn, CallID: c.id, Tool: c.name, Status: Status(tools.StatusFailed), Text: text,
		Err: &ErrorInfo{Code: "cancelled", Message: "cancelled before the tool ran"}})
	return tools.Outcome{Status: tools.StatusFailed, Text: text}
}

// runTool runs one tool call the model asked for. Unknown tools are answered here; all
// others go through the gate, which checks the capability, validates the arguments,
// exchanges a token when needed and reports each step. Nothing here panics on bad input.
func (r *Runner) runTool(ctx context.Context, turn int, c modelCall) tools.Outcome {
	var t tools.Tool
	ok := false
	if r.cfg.Tools != nil {
		t, ok = r.cfg.Tools.Lookup(c.name)
	}
	if !ok {
		text := fmt.Sprintf("Error: there is no tool named %q. The available tools are: %s.", c.name, strings.Join(r.toolNames(), ", "))
		r.emit(Event{Kind: KindToolResult, Turn: turn, CallID: c.id, Tool: c.name, Status: Status(tools.StatusFailed), Text: text,
			Err: &ErrorInfo{Code: "unknown_tool", Message: fmt.Sprintf("the model called an unknown tool %q", c.name)}})
		return tools.Outcome{Status: tools.StatusFailed, Text: text}
	}
	r.cfg.Bus.expectCall(c.id, c.name, t.Audience())
	out := r.gate.Call(ctx, t, c.id, json.RawMessage(c.args))
	out.Text = capToolText(redact.String(out.Text)) // the model's provider sees no token either
	if ctx.Err() != nil && out.Status != tools.StatusOK {
		out.Text = "Error: cancelled by the user while the tool was running."
	}
	return out
}

// toolFailed reports whether a tool call failed for a reason outside the model: the check
// could not be made, the exchange failed, or the tool's server failed. Arguments that do not
// fit the schema, unknown tools and errors the tool reports about its request (an unknown
// metric) are the model's to correct within the request.
func toolFailed(out tools.Outcome) bool {
	var ge *tools.GateError
	var te *tools.ToolError
	return out.Status == tools.StatusFailed && errors.As(out.Err, &ge) && ge.Stage != tools.StageArgs && !errors.As(out.Err, &te)
}

// maxToolText is the most of one tool result given to the model: a runaway result (an MCP
// server answering megabytes) would otherwise blow the budget and the context window of
// every later turn. The tool.result event and the transcript keep the full text.
const maxToolText = 64 << 10

func capToolText(s string) string {
	if len(s) <= maxToolText {
		return s
	}
	cut := clipText(s, maxToolText)
	return cut + fmt.Sprintf("\n[lumodash: the tool result was %d bytes; only the first %d were given to the model]", len(s), len(cut))
}

// clipText is s cut to at most n bytes, at a character boundary.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func (r *Runner) toolNames() []string {
	if r.cfg.Tools == nil || len(r.cfg.Tools.Tools()) == 0 {
		return []string{"(none)"}
	}
	var names []string
	for _, t := range r.cfg.Tools.Tools() {
		names = append(names, t.Name())
	}
	return names
}
