package present

import (
	"fmt"

	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
)

// Labels name an event's family in the log and the plain printer: one spelling everywhere.
const (
	LabelSession  = "SESS"
	LabelDone     = "DONE"
	LabelAuth     = "AUTH"
	LabelInfo     = "INFO"
	LabelCheck    = "CAP"
	LabelExchange = "XCHG"
	LabelMCP      = "MCP"
	LabelTool     = "TOOL"
	LabelModel    = "MODEL"
	LabelBudget   = "BUDGET"
	LabelJIT      = "JIT"
	LabelUsage    = "USAGE"
	LabelError    = "ERROR"
)

// LabelWidth is the widest label: the log pads labels to it so summaries line up.
const LabelWidth = 6

// shown says when a surface shows an event.
type shown uint8

const (
	never    shown = iota
	always         // every event of the kind
	problems       // only when its level is a problem (routine successes stay out)
)

// entry is how one kind of event reads.
type entry struct {
	label string // "" for the conversation's own lines (the prompt), which read as speech
	level func(session.Event) Level
	// summary is the one-line text after the label. Unless ownErr is set the error, if any,
	// is appended to it (and makes the event an Error).
	summary func(session.Event) string
	ownErr  bool
	// note is the conversation's line about the event, "" for none; nil: the conversation
	// never notes the kind (it shows it as a block of its own, or not at all).
	note       func(session.Event) string
	log, plain shown
	namesTool  bool // the summary names the event's tool (CallSummary need not add it)
}

func fixed(l Level) func(session.Event) Level { return func(session.Event) Level { return l } }

// entries is the presentation of every session.Kind (see the package doc).
var entries = map[session.Kind]entry{
	session.KindSessionStart:  {label: LabelSession, level: fixed(Info), summary: sessionStart, log: always, plain: always},
	session.KindSessionFinish: {label: LabelSession, level: sessionFinishLevel, summary: sessionFinish, note: sessionFinishNote, log: always, plain: always},
	session.KindPrompt:        {level: fixed(Quiet), summary: prompt, plain: always},
	session.KindRequestFinish: {label: LabelDone, level: requestFinishLevel, summary: requestFinish, ownErr: true, plain: always},

	session.KindAuthToken:     {label: LabelAuth, level: tokenLevel, summary: authToken, log: always, plain: always},
	session.KindInfoRefreshed: {label: LabelInfo, level: fixed(Quiet), summary: userinfo, log: always, plain: always},

	session.KindCapabilityCheck: {label: LabelCheck, level: checkLevel, summary: check, namesTool: true, log: always, plain: always},
	session.KindTokenExchange:   {label: LabelExchange, level: exchangeLevel, summary: exchange, log: always, plain: always},
	session.KindMCPCall:         {label: LabelMCP, level: mcpLevel, summary: mcpCall, log: always, plain: always},
	session.KindToolCall:        {label: LabelTool, level: fixed(Quiet), summary: toolCall, plain: always},
	session.KindMCPProgress:     {label: LabelMCP, level: fixed(Quiet), summary: mcpProgress, note: mcpProgress, log: always, plain: always},
	session.KindMCPMessage:      {label: LabelMCP, level: mcpMessageLevel, summary: mcpMessage, log: always, plain: always},
	session.KindToolResult:      {label: LabelTool, level: toolResultLevel, summary: toolResult, ownErr: true, namesTool: true, log: always, plain: always}, // its text says what went wrong

	session.KindModelRequest:  {label: LabelModel, level: fixed(Quiet), summary: modelRequest},
	session.KindModelDelta:    {label: LabelModel, level: fixed(Quiet), summary: modelDelta}, // streamed by the views themselves
	session.KindModelResponse: {label: LabelModel, level: fixed(Quiet), summary: modelResponse, log: always, plain: always},
	session.KindModelRetry:    {label: LabelModel, level: fixed(Warn), summary: modelRetry, log: always, plain: always},
	session.KindModelNotice:   {label: LabelModel, level: fixed(Info), summary: eventText, log: always, plain: always},
	session.KindContextTrim:   {label: LabelModel, level: fixed(Info), summary: eventText, log: always, plain: always},

	session.KindBudgetUpdate:    {label: LabelBudget, level: fixed(Quiet), summary: budgetUpdate, log: always},
	session.KindBudgetWarning:   {label: LabelBudget, level: fixed(Warn), summary: budgetWarning, log: always, plain: always},
	session.KindBudgetExhausted: {label: LabelBudget, level: fixed(Error), summary: budgetExhausted, note: budgetExhaustedNote, log: always, plain: always},

	session.KindJITRequested: {label: LabelJIT, level: fixed(Warn), summary: jitRequested, namesTool: true, note: jitRequestedNote, log: always, plain: always},
	session.KindJITPending:   {label: LabelJIT, level: fixed(Warn), summary: jitPending, note: jitPendingNote, log: always, plain: always},
	session.KindJITApproved:  {label: LabelJIT, level: fixed(OK), summary: jitApproved, note: jitApprovedNote, log: always, plain: always},
	session.KindJITDenied:    {label: LabelJIT, level: fixed(Error), summary: jitDenied, note: jitDeniedNote, log: always, plain: always},
	session.KindJITCompleted: {label: LabelJIT, level: fixed(Quiet), summary: jitCompleted, note: jitCompletedNote, log: always, plain: always},
	session.KindJITCall:      {label: LabelJIT, level: fixed(Quiet), summary: jitCall, log: always, plain: problems},

	session.KindUsageReported: {label: LabelUsage, level: usageLevel, summary: usageReported, log: always, plain: problems},
	session.KindError:         {label: LabelError, level: fixed(Error), summary: func(session.Event) string { return "" }, note: errorNote, log: always, plain: always},
}

// Label is the label of a kind ("" for a kind this version does not know).
func Label(k session.Kind) string { return entries[k].label }

// LevelOf is how the event went; an event carrying an error is an Error.
func LevelOf(e session.Event) Level {
	en, ok := entries[e.Kind]
	switch {
	case !ok:
		return Quiet
	case e.Err != nil:
		return Error
	}
	return en.level(e)
}

// Summary is the event's one-line text, safe for a terminal: what the log shows after the
// label, the plain printer after its column, the report in its event lines.
func Summary(e session.Event) string {
	en, ok := entries[e.Kind]
	if !ok {
		return safetext.Line(string(e.Kind))
	}
	return safetext.Line(withErr(en, e, en.summary(e)))
}

// CallSummary is the summary of an event of one tool call, sure to name the call's tool
// (given, since a gate.mcp event names the MCP server's tool instead): the log shows every
// row of a call with its call id and tool.
func CallSummary(e session.Event, tool string) string {
	s := Summary(e)
	if tool == "" || entries[e.Kind].namesTool {
		return s
	}
	return s + " · " + safetext.Line(tool)
}

// CallTag is a call id shortened for a log row: "#call_1_2"; a long id (OpenAI's are 29
// characters) keeps its last six, "#…Xy9ZqT". The details and the trace give it whole.
func CallTag(id string) string {
	id = safetext.Line(id)
	if r := []rune(id); len(r) > 14 {
		return "#…" + string(r[len(r)-6:])
	}
	return "#" + id
}

// Repeated is the summary of an event that stands for n identical ones (status polls the
// log folds into one row): "status 200 · pending ×7 · GET /…".
func Repeated(e session.Event, n int) string {
	if n <= 1 {
		return Summary(e)
	}
	if e.Kind == session.KindJITCall {
		return safetext.Line(withErr(entries[e.Kind], e, jitCallRepeated(e, n)))
	}
	return Summary(e) + fmt.Sprintf(" ×%d", n)
}

// Coalesces reports whether next repeats prev exactly (a JIT status poll with the same
// answer), so a view can count it on prev's line instead of adding one per poll.
func Coalesces(prev, next session.Event) bool {
	return prev.Kind == session.KindJITCall && next.Kind == session.KindJITCall && prev.Err == nil && next.Err == nil &&
		prev.Status == next.Status && prev.Endpoint == next.Endpoint && prev.HTTPStatus == next.HTTPStatus && prev.Text == next.Text
}

func withErr(en entry, e session.Event, s string) string {
	if e.Err == nil || en.ownErr {
		return s
	}
	if s == "" {
		return ErrText(e.Err)
	}
	return s + " · " + ErrText(e.Err)
}

// InLog reports whether the log pane shows the event. Prompts, tool calls and the streamed
// answer are the conversation's; the request's end is the plain printer's.
func InLog(e session.Event) bool { return entries[e.Kind].log.shows(e) }

// InPlain reports whether the plain printer writes a line for the event.
func InPlain(e session.Event) bool { return entries[e.Kind].plain.shows(e) }

func (s shown) shows(e session.Event) bool {
	return s == always || s == problems && LevelOf(e).Problem()
}

// Note is the conversation's line about the event (a JIT step, an exhausted budget, an
// error, a session that ended badly) and its level; ok is false when the conversation has
// nothing to say about it. The text is safe for a terminal.
func Note(e session.Event) (text string, level Level, ok bool) {
	en := entries[e.Kind]
	if en.note == nil {
		return "", Quiet, false
	}
	text = safetext.Line(en.note(e))
	return text, LevelOf(e), text != ""
}
