// Package conversation is the dashboard's conversation pane: the analyst's prompts, the
// streamed answer (Markdown rendered once complete) and each tool call inline with its
// status and duration. Blocks are bounded and their rendering cached per width, and only
// what is visible is rendered.
package conversation

import (
	"strings"
	"time"

	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
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
	Kind      BlockKind
	Text      string        // prompt, answer (raw Markdown, untrusted) or note text
	Final     bool          // the answer is complete (rendered as Markdown)
	Cut       string        // a final answer the model did not finish: present.CutMark
	Level     present.Level // notes
	Tool      string
	CallID    string
	Args      string
	Status    tools.Status // "" while running
	Count     int
	Duration  time.Duration
	Result    string // first line of a denial or failure
	Steps     []Step // the call's JIT steps, shown between the call and its status
	Cancelled bool   // an answer the request's cancellation cut short

	cacheWidth int
	cache      []string
	stream     *streamCache    // a streaming answer's finished lines
	grow       strings.Builder // a streaming answer's text, grown without copying it per chunk
}

// appendText adds a streamed chunk to the answer's text.
func (b *Block) appendText(s string) {
	if b.grow.String() != b.Text { // Text was set otherwise: grow from it (equal strings sharing memory compare at once)
		b.grow.Reset()
		b.grow.WriteString(b.Text)
	}
	b.grow.WriteString(s)
	b.Text = b.grow.String()
}

// Step is one JIT step of a tool call, as the conversation says it.
type Step struct {
	Kind  session.Kind
	Text  string
	Level present.Level
}

func (b *Block) invalidate() { b.cache = nil }

// DefaultCapacity bounds the blocks kept in memory.
const DefaultCapacity = 2000

// Apply folds one event into the conversation: prompts, answers and tool calls as blocks,
// and the note present.Note has for other events.
func (m *Model) Apply(e session.Event) {
	switch e.Kind {
	case session.KindPrompt:
		m.push(&Block{Kind: KindPrompt, Text: e.Text})
		m.streaming = nil
	case session.KindModelDelta:
		if m.streaming == nil {
			m.streaming = m.push(&Block{Kind: KindAnswer})
		}
		m.streaming.appendText(e.Text)
		m.streaming.invalidate()
	case session.KindModelResponse:
		if e.Text != "" {
			if m.streaming == nil {
				m.streaming = m.push(&Block{Kind: KindAnswer})
			}
			m.streaming.Text = e.Text
		}
		if m.streaming != nil {
			m.streaming.Final, m.streaming.Cut = true, present.CutMark(e)
			m.streaming.invalidate()
		}
		m.streaming = nil
	case session.KindToolCall:
		m.streaming = nil
		m.push(&Block{Kind: KindTool, Tool: e.Tool, CallID: e.CallID, Args: e.Args})
	case session.KindJITRequested, session.KindJITPending, session.KindJITApproved, session.KindJITDenied, session.KindMCPProgress:
		if e.CallID != "" {
			if b := m.findTool(e.CallID, ""); b != nil {
				b.addStep(e)
				return
			}
		}
		if text, level, ok := present.Note(e); ok {
			m.Note(level, text)
		}
	case session.KindRequestFinish:
		if m.streaming != nil { // the answer stopped before the model finished it
			m.streaming.Final, m.streaming.Cancelled = true, true
			m.streaming.invalidate()
			m.streaming = nil
		}
		if text, level, ok := present.Note(e); ok {
			m.Note(level, text)
		}
	case session.KindToolResult:
		b := m.findTool(e.CallID, e.Tool)
		if b == nil {
			b = m.push(&Block{Kind: KindTool, Tool: e.Tool, CallID: e.CallID})
		}
		b.Status, b.Count, b.Duration = tools.Status(e.Status), e.Count, e.Duration
		if b.Status != tools.StatusOK {
			b.Result = firstLine(e.Text)
			if b.Result == "" && e.Err != nil {
				b.Result = e.Err.Message
			}
		}
		b.invalidate()
	default:
		if text, level, ok := present.Note(e); ok {
			m.Note(level, text)
		}
	}
}

// Note adds an informational line (agent switched, cancelled…) and returns it, so that a
// line saying something is under way can later say how it ended (Renote).
func (m *Model) Note(level present.Level, text string) *Block {
	m.streaming = nil
	return m.push(&Block{Kind: KindNote, Level: level, Text: text})
}

// Renote rewrites a note added before (nil: none).
func (m *Model) Renote(b *Block, level present.Level, text string) {
	if b == nil || b.Kind != KindNote {
		return
	}
	b.Level, b.Text = level, text
	b.invalidate()
}

// addStep adds a JIT step (or the server's progress, kept to its latest) to a tool call. A decision resolves the steps before it: they
// stop looking urgent, and the wait reads as past.
func (b *Block) addStep(e session.Event) {
	text, level, _ := present.Note(e)
	if e.Kind == session.KindJITApproved || e.Kind == session.KindJITDenied {
		for i := range b.Steps {
			b.Steps[i].Level = present.Quiet
			if b.Steps[i].Kind == session.KindJITPending {
				b.Steps[i].Text = present.JITWaitedNote(e)
			}
		}
	}
	if n := len(b.Steps); e.Kind == session.KindMCPProgress && n > 0 && b.Steps[n-1].Kind == e.Kind {
		b.Steps[n-1].Text = text // progress moves on one line
	} else {
		b.Steps = append(b.Steps, Step{Kind: e.Kind, Text: text, Level: level})
	}
	b.invalidate()
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
