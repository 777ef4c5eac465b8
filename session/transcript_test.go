package session

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTranscriptWriteReadAndPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "sessions")
	p := filepath.Join(dir, TranscriptName(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "s-1"))
	if !strings.HasSuffix(p, "20260102T030405Z-s-1.jsonl") {
		t.Errorf("name %s", p)
	}
	tw, err := CreateTranscript(p, "s-1")
	if err != nil {
		t.Fatal(err)
	}
	bus := NewBus()
	bus.SetSession("s-1")
	bus.Subscribe(tw)
	bus.Emit(Event{Kind: KindPrompt, Text: "hi <b>&</b>"})
	bus.Emit(Event{Kind: KindModelDelta, Text: "x", Session: "s-other"}) // another session: not written
	bus.Emit(Event{Kind: KindModelDelta, Text: "y"})
	// Flushed per event: readable before Close.
	got, err := ReadTranscript(p)
	if err != nil || len(got) != 2 || got[0].Text != "hi <b>&</b>" || got[1].Seq != 3 || got[0].V != SchemaVersion {
		t.Fatalf("before close: %v %+v", err, got)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	dst, _ := os.Stat(dir)
	if st.Mode().Perm() != 0o600 || dst.Mode().Perm() != 0o700 {
		t.Errorf("modes %v %v", st.Mode().Perm(), dst.Mode().Perm())
	}
	if _, err := CreateTranscript(p, "s-1"); err == nil {
		t.Error("an existing transcript was overwritten")
	}
}

func TestReadTranscriptErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		_ = os.WriteFile(p, []byte(s), 0o600)
		return p
	}
	ok := `{"v":1,"kind":"prompt","seq":1,"text":"a"}` + "\n"
	events, err := ReadTranscript(write("trunc", ok+`{"v":1,"kind":"mod`))
	if !errors.Is(err, ErrTruncated) || len(events) != 1 || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("truncated: %v %d", err, len(events))
	}
	if _, err := ReadTranscript(write("mid", ok+"garbage\n"+ok)); err == nil || errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "line 2 is not a lumodash event") {
		t.Errorf("malformed middle: %v", err)
	}
	if _, err := ReadTranscript(write("future", `{"v":2,"kind":"prompt","seq":1}`+"\n")); err == nil || !strings.Contains(err.Error(), "schema version 2") {
		t.Errorf("future: %v", err)
	}
	if _, err := ReadTranscript(write("nokind", `{"seq":1}`+"\n")); err == nil {
		t.Error("an object without version or kind was accepted")
	}
	if events, err := ReadTranscript(write("blank", ok+"\n\n"+ok)); err != nil || len(events) != 2 {
		t.Errorf("blank lines: %v %d", err, len(events))
	}
	if _, err := ReadTranscript(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file accepted")
	}
}

func BenchmarkTranscriptWriter(b *testing.B) {
	tw, err := CreateTranscript(filepath.Join(b.TempDir(), "t.jsonl"), "")
	if err != nil {
		b.Fatal(err)
	}
	defer tw.Close()
	bus := NewBus()
	bus.Subscribe(tw)
	e := Event{Kind: KindModelDelta, Turn: 2, Text: "revenue "}
	b.ReportAllocs()
	for b.Loop() {
		bus.Emit(e)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
