// Package session runs the research-analyst agent: the OpenAI tool-calling loop with
// streaming, usage and cost, the budget guard and cancellation. It defines Event, the one
// vocabulary of what happened, consumed by the TUI, the headless printer and the JSONL
// transcript.
package session
