package tools

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/record"
)

// fakeTool is a local tool with no capability and no audience, so the gate needs no agent.
type fakeTool struct {
	name   string
	params map[string]any
	call   func(args json.RawMessage) (Result, error)
}

func (f *fakeTool) Name() string               { return f.name }
func (f *fakeTool) Description() string        { return "test tool" }
func (f *fakeTool) Parameters() map[string]any { return f.params }
func (f *fakeTool) Capability() string         { return "" }
func (f *fakeTool) Audience() string           { return "" }
func (f *fakeTool) Call(_ context.Context, args json.RawMessage, _ *auth.Credential) (Result, error) {
	return f.call(args)
}

type stepLog struct{ record.Log[Step] }

func (l *stepLog) kinds() string {
	var k []string
	for _, s := range l.All() {
		k = append(k, string(s.Kind))
	}
	return strings.Join(k, ",")
}

var searchSchema = (&DocumentSearch{}).Parameters()

func TestGateValidatesArgsNamingTheField(t *testing.T) {
	called := false
	tool := &fakeTool{name: "t", params: searchSchema, call: func(json.RawMessage) (Result, error) { called = true; return Result{Text: "ok"}, nil }}
	cases := map[string]string{
		`{`:                                "not valid JSON",
		`[1]`:                              "expected a JSON object",
		`{}`:                               `"query": is required`,
		`{"query": 3}`:                     `"query": must be string, got a number`,
		`{"query":"x","max_results":"5"}`:  `"max_results": must be integer, got a string`,
		`{"query":"x","max_results":2.5}`:  `"max_results": must be integer`,
		`{"query":"x","max_results":11}`:   `"max_results": must be at most 10`,
		`{"query":"x","max_results":0}`:    `"max_results": must be at least 1`,
		`{"query":"x","limit":3}`:          `"limit": is not a parameter`,
		`{"query":"x"} {"again":true}`:     "trailing data",
		`{"query":"x","max_results":null}`: "", // null = absent
		`{"query":"x","max_results":10}`:   "",
		"  ":                               `"query": is required`,
	}
	for args, want := range cases {
		var log stepLog
		called = false
		out := NewGate(nil, log.Emit).Call(context.Background(), tool, "c1", json.RawMessage(args))
		if want == "" {
			if out.Status != StatusOK || !called {
				t.Errorf("%s: %+v", args, out)
			}
			continue
		}
		if out.Status != StatusFailed || called || !strings.Contains(out.Text, want) {
			t.Errorf("%s: status %s called %v text %q, want failed naming %q", args, out.Status, called, out.Text, want)
		}
		var ge *GateError
		var ae *ArgsError
		if !errors.As(out.Err, &ge) || ge.Stage != StageArgs || !errors.As(out.Err, &ae) {
			t.Errorf("%s: err %v is not a GateError{args}", args, out.Err)
		}
		if log.kinds() != "check,result" {
			t.Errorf("%s: steps %s", args, log.kinds())
		}
	}
}

func TestGateRecoversFromPanic(t *testing.T) {
	var log stepLog
	tool := &fakeTool{name: "boom", params: map[string]any{"type": "object"}, call: func(json.RawMessage) (Result, error) { panic("kaboom") }}
	out := NewGate(nil, log.Emit).Call(context.Background(), tool, "c1", nil)
	if out.Status != StatusFailed || !strings.Contains(out.Text, "crashed") || strings.Contains(out.Text, "goroutine") {
		t.Errorf("outcome = %+v", out)
	}
	if out.Err == nil || !strings.Contains(out.Err.Error(), "kaboom") {
		t.Errorf("err = %v", out.Err)
	}
	if log.kinds() != "check,result" {
		t.Errorf("steps %s", log.kinds())
	}
}

func TestGateToolErrorAndCleanText(t *testing.T) {
	tool := &fakeTool{name: "t", params: map[string]any{"type": "object"}, call: func(json.RawMessage) (Result, error) {
		return Result{}, errors.New("disk \x1b[2Jon fire")
	}}
	out := NewGate(nil, nil).Call(context.Background(), tool, "c", nil)
	if out.Status != StatusFailed || out.Text != "Error: disk on fire" {
		t.Errorf("%+v", out)
	}
	ok := &fakeTool{name: "t", params: map[string]any{"type": "object"}, call: func(json.RawMessage) (Result, error) {
		return Result{Text: "fine \x1b]0;title\x07text", Count: 2}, nil
	}}
	var log stepLog
	out = NewGate(nil, log.Emit).Call(context.Background(), ok, "c", nil)
	if out.Status != StatusOK || out.Text != "fine text" || out.Count != 2 {
		t.Errorf("%+v", out)
	}
	last := log.All()[log.Len()-1]
	if last.Kind != StepResult || last.Status != StatusOK || last.Count != 2 || last.CallID != "c" {
		t.Errorf("result step %+v", last)
	}
	if first := log.All()[0]; first.Kind != StepCheck || !first.Allowed || first.Reason != "no capability required" {
		t.Errorf("check step %+v", first)
	}
}

func TestRegistry(t *testing.T) {
	a := &fakeTool{name: "a"}
	r := NewRegistry(a, &fakeTool{name: "b"})
	if err := r.Add(&fakeTool{name: "a"}); err == nil {
		t.Error("duplicate accepted")
	}
	if err := r.Add(&fakeTool{name: "bad name!"}); err == nil {
		t.Error("bad name accepted")
	}
	if err := r.Add(nil); err == nil {
		t.Error("nil accepted")
	}
	if got, ok := r.Lookup("a"); !ok || got != a {
		t.Error("lookup")
	}
	if len(r.Tools()) != 2 || strings.Join(r.Names(), ",") != "a,b" {
		t.Errorf("tools %v", r.Names())
	}
}
