package app_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/record"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui"
)

// Compare mode's dashboards: each side its own agent, bus and JIT dialogs, no agent switcher;
// a side's runner reports on its own bus only.
func TestCompareDashboardGivesEachSideItsOwnBus(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := app.DefaultSettings(auth.MapEnv(map[string]string{"HOME": dir}))
	s.EnvFile, s.Session.Transcript = filepath.Join(dir, "none.env"), filepath.Join(dir, "t.jsonl")
	ctx := context.Background()
	w, err := app.Open(ctx, s, app.ScopeSessions)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	agents := [2]string{"research-analyst", "junior-analyst"}
	sides := w.CompareDashboard(ui.Options{}, agents)
	if sides[0].Bus == sides[1].Bus || sides[0].Bus == w.Bus || sides[0].Escalation == nil || sides[0].Escalation == sides[1].Escalation {
		t.Fatalf("the sides share a bus or a JIT dialog: %+v", sides)
	}
	var logs [3]record.Log[session.Event]
	for i, b := range []*session.Bus{sides[0].Bus, sides[1].Bus, w.Bus} {
		b.Subscribe(&logs[i])
	}
	for i, opts := range sides {
		if opts.Agent != agents[i] || len(opts.Agents) != 0 {
			t.Errorf("side %d: agent %q, switcher %v", i, opts.Agent, opts.Agents)
		}
		r, err := opts.NewRunner(opts.Agent)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		_ = r.Close()
	}
	for i, agent := range agents {
		starts := logs[i].Where(func(e session.Event) bool { return e.Kind == session.KindSessionStart })
		if len(starts) != 1 || starts[0].Agent.ClientID != agent {
			t.Errorf("side %d's bus saw starts %+v, want %s's only", i, starts, agent)
		}
	}
	if n := logs[2].Len(); n != 0 {
		t.Errorf("the world's own bus saw %d events of the sides", n)
	}
}
