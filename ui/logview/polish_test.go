package logview

import (
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/session"
)

func poll(text string, code int) session.Event {
	return session.Event{Kind: session.KindJITCall, Time: time.Unix(1_800_000_000, 0), Status: "status", HTTPStatus: code, Text: text,
		Endpoint: "GET /api/v1/tenants/acme-corp/ai/agents/jit/requests/jit_4666279581aa"}
}

// TestJITPollsCoalesce: identical status polls update one row ("×7"); a changed answer, an
// error or another event starts a new row.
func TestJITPollsCoalesce(t *testing.T) {
	m := New(0)
	for range 7 {
		m.Add(poll("pending · risk high", 200))
	}
	if m.Len() != 1 {
		t.Fatalf("7 identical polls made %d rows", m.Len())
	}
	r, _ := m.Selected()
	if !strings.HasPrefix(r.Summary, "status 200 · pending · risk high ×7 · GET /api") || r.Repeat != 7 {
		t.Errorf("coalesced row %q (repeat %d)", r.Summary, r.Repeat)
	}
	m.Add(poll("approved · risk high · ttl 5m0s", 200))
	m.Add(poll("approved · risk high · ttl 5m0s", 503))
	failed := poll("approved · risk high · ttl 5m0s", 503)
	failed.Err = &session.ErrorInfo{Message: "unavailable"}
	m.Add(failed)
	m.Add(failed)
	if m.Len() != 5 {
		t.Errorf("changed answers and errors must add rows: %d rows", m.Len())
	}
}
