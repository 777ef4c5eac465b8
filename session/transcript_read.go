package session

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"

	"github.com/lumodash/lumodash/internal/redact"
)

// ErrTruncated is returned (wrapped, with the events read so far) when a transcript's last
// line is incomplete, as after a crash mid-write.
var ErrTruncated = errors.New("transcript ends with an incomplete line")

// TranscriptReader reads a JSONL transcript one event at a time, so that a long transcript
// is never held in memory: replay shows its first frame at once and export keeps only
// what it reports.
type TranscriptReader struct {
	br    *bufio.Reader
	c     io.Closer
	name  string
	line  int   // lines read
	count int   // events read
	err   error // sticky: the first error (io.EOF at the end)

	raw      []byte // the line of the event Next returned last (the reader's buffer)
	redacted bool   // whether reading that event took something out of it
}

// OpenTranscript opens the transcript at path for reading; Close it when done.
func OpenTranscript(path string) (*TranscriptReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading transcript: %w", err)
	}
	r := NewTranscriptReader(f, path)
	r.c = f
	return r, nil
}

// NewTranscriptReader reads transcript lines from r; name is used in messages.
func NewTranscriptReader(r io.Reader, name string) *TranscriptReader {
	return &TranscriptReader{br: bufio.NewReaderSize(r, 64<<10), name: name}
}

// Name is the transcript's name as messages give it.
func (t *TranscriptReader) Name() string { return t.name }

// Count is the number of events read so far.
func (t *TranscriptReader) Count() int { return t.count }

// Close closes the file OpenTranscript opened.
func (t *TranscriptReader) Close() error {
	if t.c == nil {
		return nil
	}
	c := t.c
	t.c = nil
	return c.Close()
}

// Next returns the next event, io.EOF after the last, or what is wrong with the line (with
// its number): ErrTruncated, wrapped, for an incomplete last line (all complete events
// before it were returned); a malformed line elsewhere, or an event of a newer schema
// version than this build understands. An error is returned again by every later call.
func (t *TranscriptReader) Next() (Event, error) {
	for t.err == nil {
		raw, err := t.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) { // a line longer than the buffer: gather it
			var long []byte
			long, err = t.readLong(raw)
			raw = long
		}
		if err != nil && !errors.Is(err, io.EOF) {
			t.err = fmt.Errorf("reading transcript %s: %w", t.name, err)
			break
		}
		t.line++
		t.raw = nil
		complete := len(raw) > 0 && raw[len(raw)-1] == '\n'
		if raw = bytes.TrimSpace(raw); len(raw) > 0 {
			e, derr := t.decode(raw, complete)
			if derr != nil {
				t.err = derr
				break
			}
			t.count++
			return e, nil
		}
		if errors.Is(err, io.EOF) {
			t.err = io.EOF
		}
	}
	return Event{}, t.err
}

func (t *TranscriptReader) readLong(first []byte) ([]byte, error) {
	long := append([]byte(nil), first...)
	for {
		more, err := t.br.ReadSlice('\n')
		long = append(long, more...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return long, err
		}
	}
}

func (t *TranscriptReader) decode(raw []byte, complete bool) (Event, error) {
	var e Event
	if err := json.Unmarshal(raw, &e); err != nil {
		if !complete {
			return e, fmt.Errorf("transcript %s line %d: %w (%d complete events kept)", t.name, t.line, ErrTruncated, t.count)
		}
		return e, fmt.Errorf("transcript %s line %d is not a lumodash event: %v", t.name, t.line, err)
	}
	if e.V > SchemaVersion {
		return e, fmt.Errorf("transcript %s line %d has schema version %d, newer than this lumodash understands (%d): upgrade lumodash to read it", t.name, t.line, e.V, SchemaVersion)
	}
	if e.V < 1 || e.Kind == "" {
		return e, fmt.Errorf("transcript %s line %d is not a lumodash event (no schema version or kind)", t.name, t.line)
	}
	e, t.redacted = e.redacted() // a transcript written before redaction, or doctored, is shown redacted
	t.raw = raw
	return e, nil
}

// Verbatim is the line of the event Next returned last, when it can stand for the event:
// reading took nothing out of it, and nothing anywhere in the line (fields this lumodash
// does not know included, which the line keeps) could be or hide what redaction takes out
// (redact.MayHold). Otherwise, or after an error, it is nil. The line is the reader's
// buffer: use it before the next call to Next.
func (t *TranscriptReader) Verbatim() []byte {
	if t.raw == nil || t.redacted || redact.MayHold(t.raw) {
		return nil
	}
	return t.raw
}

// All yields the remaining events in order; a read error is yielded once, last (the end of
// the file is no error).
func (t *TranscriptReader) All() iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		for {
			e, err := t.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if !yield(e, err) || err != nil {
				return
			}
		}
	}
}

// ReadTranscript reads a whole JSONL transcript into memory (short transcripts and tests;
// replay and export stream with OpenTranscript). A truncated last line is reported with
// ErrTruncated alongside all complete events; any other bad line is an error.
func ReadTranscript(path string) ([]Event, error) {
	r, err := OpenTranscript(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return collect(r)
}

// DecodeTranscript reads transcript lines from r into memory; name is used in messages.
func DecodeTranscript(r io.Reader, name string) ([]Event, error) {
	return collect(NewTranscriptReader(r, name))
}

func collect(r *TranscriptReader) ([]Event, error) {
	var events []Event
	for e, err := range r.All() {
		if err != nil {
			return events, err
		}
		events = append(events, e)
	}
	return events, nil
}
