// Package present is lumodash's presentation layer: pure functions that turn session events
// and domain values into the text every view shows — the log pane, the headless plain
// printer, the Markdown report, the conversation's notes, the sidebar and the dialogs — so
// each event and each quantity reads the same everywhere (as lazygit's
// pkg/gui/presentation). Quantities on plain values (counts, money, percentages, durations,
// times of day) come from internal/numfmt, which the session's own messages use too.
//
// One table (entries, in kinds.go) says, for each session.Kind, its label, its level (for
// colour and for leaving out routine events), its one-line summary, its note in the
// conversation and where it is shown. Views ask this package; none of them switches over
// event kinds to word an event.
//
// # Adding an event kind
//
//  1. In session: declare the Kind, add it to session.Kinds, and emit it.
//  2. Here: add its entry to the table, with a summary function beside the others of its
//     family (summary_*.go), and a case to TestEverySummary.
//
// Nothing else: the log, the plain printer, the report's event lines and the details dialog
// pick it up. TestEveryKindHasAnEntry fails until step 2 is done.
package present
