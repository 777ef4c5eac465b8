package app

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lumodash/lumodash/internal/telemetry"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/ui"
)

// ParseCompare reads a --compare value: two different agent names separated by a comma.
func ParseCompare(value string) ([2]string, error) {
	var agents [2]string
	parts := strings.Split(value, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	const how = "(e.g. --compare research-analyst,junior-analyst)"
	switch {
	case len(parts) != 2:
		return agents, configError(fmt.Errorf("--compare takes two agents separated by a comma, got %d in %q %s", len(parts), value, how))
	case parts[0] == "" || parts[1] == "":
		return agents, configError(fmt.Errorf("--compare %q: an agent name is empty %s", value, how))
	case parts[0] == parts[1]:
		return agents, configError(fmt.Errorf("--compare %q names %s twice: compare mode sets two different agents side by side %s", value, parts[0], how))
	}
	copy(agents[:], parts)
	return agents, nil
}

// CheckCompare makes sure both agents can be run before either session starts: seeded
// agents of the embedded server, or agents with credentials of their own in the environment
// on a real server (see CompareCredentials).
func (w *World) CheckCompare(agents [2]string) error {
	if w.Auth.Embedded && w.Auth.Dev != nil {
		known := w.Auth.Dev.AgentNames()
		for _, a := range agents {
			if !slices.Contains(known, a) {
				return configError(fmt.Errorf("--compare: unknown agent %q on the embedded server; choose two of: %s", a, strings.Join(known, ", ")))
			}
		}
		return nil
	}
	return w.Auth.checkCompareCredentials(agents)
}

// NewSideBus is a bus for one session of compare mode, which the world's telemetry (if any)
// listens to as it does to World.Bus. Each session needs its own: a bus stamps one session
// id at a time and correlates one gate call's token exchange, so two sessions running at
// once on one bus would mix their events up.
func (w *World) NewSideBus() *session.Bus {
	b := session.NewBus()
	if tel := w.Telemetry(); tel != nil {
		b.Subscribe(tel)
	}
	return b
}

// CompareDashboard is the options of compare mode's two dashboards: each the world's
// dashboard (World.Dashboard) for one agent, on a bus of its own (NewSideBus) and, when JIT
// is on, with JIT dialogs of its own, so that each question is asked on its agent's side.
func (w *World) CompareDashboard(display ui.Options, agents [2]string) [2]ui.Options {
	var sides [2]ui.Options
	for i, agent := range agents {
		opts := w.Dashboard(display)
		bus := w.NewSideBus()
		var esc tools.Escalation
		if opts.Escalation != nil {
			opts.Escalation = ui.NewEscalation(opts.Escalation.Reviewer)
			esc = opts.Escalation
		}
		opts.Bus, opts.Agent, opts.Agents = bus, agent, nil
		opts.NewRunner = func(agent string) (ui.Runner, error) {
			r, err := w.NewRunnerOn(bus, esc, agent)
			if err != nil {
				return nil, err // not a typed nil in the interface
			}
			return r, nil
		}
		sides[i] = opts
	}
	// The export-failure notice goes to the first side's log (nothing shows World.Bus here).
	first := sides[0].Bus
	w.SetTelemetryNotice(func(msg string) { first.Emit(telemetry.NoticeEvent(msg)) })
	return sides
}
