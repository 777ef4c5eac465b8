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
	dir := t.TempDir()
	s := app.DefaultSettings(auth.MapEnv(map[string]string{"HOME": dir}))
	s.EnvFile, s.EphemeralKey = filepath.Join(dir, "none.env"), true
	s.Session.Transcript, s.Session.DemoPace = filepath.Join(dir, "t.jsonl"), 0
	ctx := context.Background()
	w, err := app.Open(ctx, s, app.ScopeSessions)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	opts := w.Dashboard(ui.Options{Theme: "dark"})
	if opts.Operator == nil {
		t.Fatal("no operator on the embedded default")
	}
	agent, err := w.Auth.NewAgent("junior-analyst", nil)
	if err != nil {
		t.Fatal(err)
	}
	asked, err := agent.RequestApproval(ctx, auth.ApprovalRequest{TaskID: "q3-report", Reason: "email the Q3 board pack to the auditors", Impact: "high"})
	if err != nil || asked.Status != auth.ApprovalPending {
		t.Fatalf("RequestApproval: %+v, %v", asked, err)
	}

	m, err := ui.New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	d := uitest.New(t, m, uitest.Options{Bus: w.Bus, Width: 120, Height: 36})
	d.Pump(20*time.Second, func(s string) bool { return strings.Contains(s, "BUDGET") })
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
