package present

import (
	"fmt"
	"io"
	"sync"

	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
)

// NewPlainPrinter returns a Sink that writes readable lines (`run --plain`): each capability
// check, token exchange and MCP call, the tool calls and the answer as it streams. Untrusted
// text is sanitised.
func NewPlainPrinter(w io.Writer) session.Sink { return &plainPrinter{w: w} }

type plainPrinter struct {
	mu        sync.Mutex
	w         io.Writer
	streaming bool // inside a streamed answer (no newline written yet)
}

func (p *plainPrinter) Emit(e session.Event) {
	e = Displayable(e)
	p.mu.Lock()
	defer p.mu.Unlock()
	if e.Kind == session.KindModelDelta {
		if !p.streaming {
			fmt.Fprint(p.w, AnswerPrefix+" ")
			p.streaming = true
		}
		fmt.Fprint(p.w, safetext.Clean(e.Text))
		return
	}
	if mark := CutMark(e); mark != "" && p.streaming {
		fmt.Fprint(p.w, " "+mark)
	}
	line := PlainLine(e)
	if line == "" {
		return
	}
	if p.streaming {
		fmt.Fprintln(p.w)
		p.streaming = false
	}
	fmt.Fprintln(p.w, line)
}

// plainColumn is where the plain printer's summaries start (a label and its padding).
const plainColumn = 8

// PlainLine renders one event as the plain printer does, "" for events it leaves out: the
// label in its column, then the summary; sanitised.
func PlainLine(e session.Event) string {
	if !InPlain(e) {
		return ""
	}
	if l := Label(e.Kind); l != "" {
		return fmt.Sprintf("%-*s%s", plainColumn, l, Summary(e))
	}
	return Summary(e)
}
