// Package reliability is lumodash's reliability suite, apart from the code it drives: the
// real embedded servers (devserver, financial MCP server, demo model), each behind a
// fault-injecting proxy (internal/faultserver), and lumodash run through its exported
// entry points only — cli.Run as a user runs it, app.Open for the dashboard and the knobs
// that are not flags, ui/uitest for the dashboard's frames. The tests are in
// reliability_test; RELIABILITY.md says what each injects and observes.
package reliability
