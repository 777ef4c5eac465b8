package app_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/ui"
	"github.com/lumodash/lumodash/ui/uitest"
)

// The dashboard on the embedded default, end to end over the real servers: an agent asks for
// an approval (the SDKs' require_approval); the operator opens the waiting list with p, opens
// the approval, writes notes and approves; the agent's status then says approved with those
// notes, and the gate log shows the operator's approval calls.
func TestDashboardOperatorDecidesAnApproval(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, opts := embeddedDashboard(t)
	agent, err := w.Auth.NewAgent("junior-analyst", nil)
	if err != nil {
		t.Fatal(err)
	}
	asked, err := agent.RequestApproval(ctx, auth.ApprovalRequest{TaskID: "q3-report", Reason: "email the Q3 board pack to the auditors", Impact: "high"})
	if err != nil || asked.Status != auth.ApprovalPending {
		t.Fatalf("RequestApproval: %+v, %v", asked, err)
	}

	d := drive(t, w, opts)
	d.Press("tab", "p") // p outside the prompt
	d.Pump(20*time.Second, func(s string) bool {
		return strings.Contains(s, "Waiting for the operator") && strings.Contains(s, "email the Q3 board pack")
	})
	d.Press("enter")
	d.Pump(20*time.Second, func(s string) bool { return strings.Contains(s, "a approve · d deny · n notes · esc") }) // armed
	d.Press("n")
	d.Type("checked with finance")
	d.Press("enter", "a")
	// The decision is said, and the open list is read again: nothing waits any more.
	screen := d.Pump(20*time.Second, func(s string) bool {
		return strings.Contains(s, "approval approved as the operator") && strings.Contains(s, "Nothing waits")
	})
	got, err := agent.ApprovalStatus(ctx, asked.Token)
	if err != nil || got.Status != auth.ApprovalApproved || got.ReviewNotes != "checked with finance" {
		t.Errorf("after approving in the dashboard: %+v, %v", got, err)
	}
	if !strings.Contains(screen, "approval 200") {
		t.Errorf("the gate log has no approval call:\n%s", screen)
	}
}

// embeddedDashboard is a world on the embedded default and the dashboard's options on it.
func embeddedDashboard(t *testing.T) (*app.World, ui.Options) {
	t.Helper()
	dir := t.TempDir()
	s := app.DefaultSettings(auth.MapEnv(map[string]string{"HOME": dir}))
	s.EnvFile, s.EphemeralKey = filepath.Join(dir, "none.env"), true
	s.Session.Transcript, s.Session.DemoPace = filepath.Join(dir, "t.jsonl"), 0
	w, err := app.Open(context.Background(), s, app.ScopeSessions)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	opts := w.Dashboard(ui.Options{Theme: "dark"})
	if opts.Operator == nil {
		t.Fatal("no operator on the embedded default")
	}
	return w, opts
}

// drive runs the dashboard of opts until the session has started.
func drive(t *testing.T, w *app.World, opts ui.Options) *uitest.Driver {
	t.Helper()
	m, err := ui.New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	d := uitest.New(t, m, uitest.Options{Bus: w.Bus, Width: 120, Height: 36})
	opts.Escalation.Attach(d.Post) // as ui.Run attaches the program
	d.Pump(20*time.Second, func(s string) bool { return strings.Contains(s, "BUDGET") && strings.Contains(s, "· idle") })
	return d
}

// The demo rule (approval_required: cash in the devserver's default file) in a normal
// session: asked for Acme's cash, the analyst asks for approval, the dialog opens by itself;
// approved, the figure reaches the answer; denied, the answer says the call failed and why.
func TestDashboardApprovalRequiredCall(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ key, want string }{{"a", "Cash, Q3 2026: $41.30M"}, {"d", "approval was not given (denied)"}} {
		w, opts := embeddedDashboard(t)
		d := drive(t, w, opts)
		d.Type("What was Acme's cash at the end of Q3 2026?")
		d.Press("enter")
		d.Pump(20*time.Second, func(s string) bool {
			return strings.Contains(s, "Approval requested") && strings.Contains(s, "a approve · d deny · n notes · esc")
		})
		d.Press(c.key)
		screen := d.Pump(30*time.Second, func(s string) bool { return strings.Contains(s, "· idle") && strings.Contains(s, "analyst ›") })
		if !strings.Contains(screen, c.want) {
			t.Errorf("key %s: the answer lacks %q:\n%s", c.key, c.want, screen)
		}
	}
}
