package app

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/tools"
)

// operatorClient is the embedded server's seeded reviewer (capability jit.approve).
const operatorClient = "operator"

// jitConfig is the escalation of one session: the settings, the person in the loop (the
// dashboard, a terminal, or nobody) and, on the embedded server, the operator who decides
// pending requests. Against a real LumoAuth the owner decides elsewhere and lumodash polls.
func (w *World) jitConfig(human tools.Escalation) (tools.JITConfig, error) {
	ss := w.settings.Session
	cfg := tools.JITConfig{Mode: ss.JITMode, Timeout: ss.JITTimeout, Human: human}
	if cfg.Mode == "" {
		cfg.Mode = tools.JITModeAsk
	}
	if cfg.Mode == tools.JITModeOff || !w.Auth.Embedded || w.Auth.Dev == nil {
		return cfg, nil
	}
	if _, _, ok := w.Auth.Dev.Credentials(operatorClient); !ok {
		return cfg, nil // a custom devserver world without the operator: requests just wait
	}
	// No hook: the operator's own token must not replace the agent's on screen.
	op, err := w.Auth.NewAgent(operatorClient, nil)
	if err != nil {
		return cfg, err
	}
	cfg.Reviewer = op
	return cfg, nil
}

// HeadlessEscalation asks JIT questions on the terminal when stdin is one; nil otherwise
// (then --jit ask refuses with a hint to use --jit auto, and pending requests wait for
// --jit-timeout).
func HeadlessEscalation(stdin io.Reader, out io.Writer) tools.Escalation {
	f, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return nil
	}
	return NewTermEscalation(stdin, out)
}

// TermEscalation asks JIT questions on a terminal, one line per answer.
type TermEscalation struct {
	lines <-chan string
	out   io.Writer
}

// NewTermEscalation reads answers from in and writes questions to out.
func NewTermEscalation(in io.Reader, out io.Writer) *TermEscalation {
	lines := make(chan string)
	go func() { // reads until stdin closes; a question not waiting for it drops nothing else
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			lines <- strings.ToLower(strings.TrimSpace(sc.Text()))
		}
		close(lines)
	}()
	return &TermEscalation{lines: lines, out: out}
}

func (t *TermEscalation) read(ctx context.Context) (string, error) {
	select {
	case l, ok := <-t.lines:
		if !ok {
			return "", errors.New("stdin closed before an answer")
		}
		return l, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Confirm implements tools.Escalation.
func (t *TermEscalation) Confirm(ctx context.Context, q tools.JITQuestion) (bool, error) {
	fmt.Fprintf(t.out, "JIT     %s needs '%s' (risk %s): %s\n        send a just-in-time request? [y/N] ",
		safetext.Line(q.Tool), safetext.Line(q.Capability), safetext.Line(cmp.Or(q.Risk, "decided by the server")), safetext.Line(q.Justification))
	l, err := t.read(ctx)
	return l == "y" || l == "yes", err
}

// Review implements tools.Escalation.
func (t *TermEscalation) Review(ctx context.Context, q tools.JITQuestion) (tools.JITDecision, error) {
	fmt.Fprintf(t.out, "JIT     %s awaits a decision (risk %s, %s left). As the embedded operator: [a]pprove / [d]eny / enter to keep waiting: ",
		safetext.Line(q.RequestID), safetext.Line(q.Risk), time.Until(q.Deadline).Round(time.Second))
	for {
		l, err := t.read(ctx)
		switch {
		case err != nil:
			return tools.JITDecision{}, err
		case l == "a" || l == "approve":
			return tools.JITDecision{Approve: true, Notes: "approved by the operator at the terminal"}, nil
		case l == "d" || l == "deny":
			return tools.JITDecision{Notes: "denied by the operator at the terminal"}, nil
		}
	}
}
