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

// TestOneDurationAndTimeFormat: the details use the rows' duration format and one time
// format (UTC, to the second) for every time, never Go's default renderings.
func TestOneDurationAndTimeFormat(t *testing.T) {
	at := time.Date(2026, 11, 27, 12, 28, 51, 698170645, time.UTC)
	e := session.Event{Kind: session.KindMCPCall, Time: at, Server: "financial", Tool: "get_metric", Status: "ok", Duration: 2781 * time.Microsecond}
	r, _ := RowFor(e)
	fields := map[string]string{}
	for _, f := range Details(r) {
		fields[f.Name] = f.Value
	}
	if fields["duration"] != "2 ms" || !strings.Contains(r.Summary, "2 ms") {
		t.Errorf("duration %q, row %q: want 2 ms in both", fields["duration"], r.Summary)
	}
	if fields["time"] != "2026-11-27 12:28:51 UTC" {
		t.Errorf("time %q", fields["time"])
	}
	ap := session.Event{Kind: session.KindJITApproved, Time: at, RequestID: "jit_1", Capability: "mcp:financial", TTL: 5 * time.Minute}
	r, _ = RowFor(ap)
	for _, f := range Details(r) {
		if f.Name == "ttl" && f.Value != "5m00s" {
			t.Errorf("ttl %q", f.Value)
		}
	}
	if !strings.Contains(r.Summary, "ttl 5m00s") {
		t.Errorf("row %q", r.Summary)
	}
	for d, want := range map[time.Duration]string{300 * time.Microsecond: "<1 ms", 12 * time.Millisecond: "12 ms", 1500 * time.Millisecond: "1.5 s", 90 * time.Second: "1m30s", 2 * time.Hour: "2h00m"} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}
