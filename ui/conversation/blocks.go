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
	Kind     BlockKind
	Text     string        // prompt, answer (raw Markdown, untrusted) or note text
	Final    bool          // the answer is complete (rendered as Markdown)
	Cut      string        // a final answer the model did not finish: present.CutMark
	Level    present.Level // notes
	Tool     string
	CallID   string
	Args     string
	Status   tools.Status // "" while running
	Count    int
	Duration time.Duration
	Result   string // first line of a denial or failure

	cacheWidth int
	cache      []string
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
			m.streaming.Final, m.streaming.Cut = true, present.CutMark(e)
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

// Note adds an informational line (agent switched, cancelled…).
func (m *Model) Note(level present.Level, text string) {
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
