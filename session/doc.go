// Package session runs the research-analyst agent: the OpenAI tool-calling loop with
// streaming, usage and cost, the budget guard and cancellation. It defines Event, the one
// vocabulary of what happened, consumed by the TUI, the headless printers and the JSONL
// transcript, and Summarize, which rebuilds a session from its events. How an event reads
// on screen is internal/present's.
package session
