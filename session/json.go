package session

import (
	"encoding/json"
	"io"
	"sync"
)

// NewJSONPrinter returns a Sink that writes each event as one JSON line (NDJSON).
func NewJSONPrinter(w io.Writer) Sink {
	p := &jsonPrinter{enc: json.NewEncoder(w)}
	p.enc.SetEscapeHTML(false)
	return p
}

type jsonPrinter struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func (p *jsonPrinter) Emit(e Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.enc.Encode(e)
}
