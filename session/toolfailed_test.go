package session

import (
	"errors"
	"testing"

	"github.com/lumodash/lumodash/tools"
)

func TestToolFailedTellsOutsideFailuresFromModelMistakes(t *testing.T) {
	gate := func(stage string, err error) error { return &tools.GateError{Stage: stage, Tool: "t", Err: err} }
	cases := []struct {
		name string
		out  tools.Outcome
		want bool
	}{
		{"ok", tools.Outcome{Status: tools.StatusOK}, false},
		{"denied", tools.Outcome{Status: tools.StatusDenied, Err: gate(tools.StageCheck, tools.ErrDenied)}, false},
		{"bad arguments", tools.Outcome{Status: tools.StatusFailed, Err: gate(tools.StageArgs, errors.New("metric: required"))}, false},
		{"unknown tool", tools.Outcome{Status: tools.StatusFailed}, false},
		{"tool-reported error", tools.Outcome{Status: tools.StatusFailed, Err: gate(tools.StageCall, &tools.ToolError{Msg: "unknown metric"})}, false},
		{"check could not be made", tools.Outcome{Status: tools.StatusFailed, Err: gate(tools.StageCheck, errors.New("userinfo: HTTP 500"))}, true},
		{"exchange failed", tools.Outcome{Status: tools.StatusFailed, Err: gate(tools.StageExchange, errors.New("invalid_target"))}, true},
		{"server unreachable", tools.Outcome{Status: tools.StatusFailed, Err: gate(tools.StageCall, errors.New("connection refused"))}, true},
	}
	for _, c := range cases {
		if got := toolFailed(c.out); got != c.want {
			t.Errorf("%s: toolFailed = %v, want %v", c.name, got, c.want)
		}
	}
}
