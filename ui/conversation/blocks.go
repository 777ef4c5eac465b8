// Package conversation is the dashboard's conversation pane: the analyst's prompts, the
// streamed answer (Markdown rendered once complete) and each tool call inline with its
// status and duration. Blocks are bounded and their rendering cached per width, and only
// what is visible is rendered.
package conversation

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui/logview"
)

// BlockKind says what a block shows.
type BlockKind int

// Block kinds.
const (
	KindPrompt BlockKind = iota
	KindAnswer
	KindTool
	KindNote
)

// Block is one item of the conversation.
type Block struct {
	Kind     BlockKind
	Text     string // prompt, answer (raw Markdown, untrusted) or note text
	Final    bool   // the answer is complete (rendered as Markdown)
	Level    int    // notes: 0 info, 1 warning, 2 alarm
	Tool     string
	CallID   string
	Args     string
	Status   string // "", ok, denied, failed
	Count    int
	Duration time.Duration
	Result   string // first line of a denial or failure

	cacheWidth int
	cache      []string
}

func (b *Block) invalidate() { b.cache = nil }

// DefaultCapacity bounds the blocks kept in memory.
const DefaultCapacity = 2000

// Apply folds one event into the conversation.
func (m *Model) Apply(e session.Event) {
	switch e.Kind {
	case session.KindPrompt:
		m.push(&Block{Kind: KindPrompt, Text: e.Text})
		m.streaming = nil
	case session.KindModelDelta:
		if m.streaming == nil {
			m.streaming = m.push(&Block{Kind: KindAnswer})
		}
		m.streaming.Text += e.Text
		m.streaming.invalidate()
	case session.KindModelResponse:
		if e.Text != "" {
			if m.streaming == nil {
				m.streaming = m.push(&Block{Kind: KindAnswer})
			}
			m.streaming.Text = e.Text
		}
		if m.streaming != nil {
			m.streaming.Final = true
			m.streaming.invalidate()
		}
		m.streaming = nil
	case session.KindToolCall:
		m.streaming = nil
		m.push(&Block{Kind: KindTool, Tool: e.Tool, CallID: e.CallID, Args: e.Args})
	case session.KindToolResult:
		b := m.findTool(e.CallID, e.Tool)
		if b == nil {
			b = m.push(&Block{Kind: KindTool, Tool: e.Tool, CallID: e.CallID})
		}
		b.Status, b.Count, b.Duration = e.Status, e.Count, e.Duration
		if e.Status != "ok" {
			b.Result = firstLine(e.Text)
			if b.Result == "" && e.Err != nil {
				b.Result = e.Err.Message
			}
		}
		b.invalidate()
	case session.KindBudgetExhausted:
		m.Note(2, cmp.Or(e.Text, "budget exhausted: "+e.Limit))
	case session.KindJITRequested:
		m.Note(1, fmt.Sprintf("JIT: requested %s for %s (risk %s)", e.Capability, e.Tool, cmp.Or(e.Risk, "unknown")))
	case session.KindJITPending:
		m.Note(1, fmt.Sprintf("JIT: %s awaits a human decision", e.Capability))
	case session.KindJITApproved:
		note := fmt.Sprintf("JIT: %s granted for %s; retrying the call", e.Capability, logview.Duration(e.TTL))
		if e.Reason != "" {
			note += " (" + e.Reason + ")"
		}
		m.Note(0, note)
	case session.KindJITDenied:
		m.Note(2, "JIT: "+e.Status+": "+e.Reason)
	case session.KindJITCompleted:
		if e.Err != nil {
			m.Note(2, "JIT: completing the task failed: "+e.Err.Message)
		}
	case session.KindError:
		if e.Err != nil {
			m.Note(2, "error: "+e.Err.Message)
		}
	case session.KindSessionFinish:
		if e.Outcome != "" && e.Outcome != session.OutcomeOK {
			m.Note(1, "session ended: "+string(e.Outcome))
		}
	}
}

// Note adds an informational line (agent switched, cancelled…).
func (m *Model) Note(level int, text string) {
	m.streaming = nil
	m.push(&Block{Kind: KindNote, Level: level, Text: text})
}

func (m *Model) push(b *Block) *Block {
	if len(m.blocks) >= m.capacity {
		drop := len(m.blocks) - m.capacity + 1
		clear(m.blocks[:drop])
		m.blocks = append(m.blocks[:0], m.blocks[drop:]...)
	}
	m.blocks = append(m.blocks, b)
	return b
}

// findTool looks back a little for the tool block a result belongs to.
func (m *Model) findTool(callID, tool string) *Block {
	for i := len(m.blocks) - 1; i >= 0 && i >= len(m.blocks)-50; i-- {
		b := m.blocks[i]
		if b.Kind == KindTool && b.Status == "" && (b.CallID == callID || callID == "" && b.Tool == tool) {
			return b
		}
	}
	return nil
}

func firstLine(s string) string {
	s = safetext.Clean(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
