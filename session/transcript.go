package session

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// TranscriptWriter is a Sink that appends every event of one session to a JSONL file,
// flushed after each event so that a crash or a kill loses nothing already shown.
type TranscriptWriter struct {
	mu      sync.Mutex
	f       *os.File
	w       *bufio.Writer
	enc     *json.Encoder
	session string // only this session's events are written ("" = all)
	err     error  // first write error, returned by Close
	path    string
}

// TranscriptDir is $XDG_STATE_HOME/lumodash/sessions, falling back to
// $HOME/.local/state/lumodash/sessions, with the environment read through getenv.
func TranscriptDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "lumodash", "sessions"), nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("transcript: neither XDG_STATE_HOME nor HOME is set; pass --transcript PATH")
	}
	return filepath.Join(home, ".local", "state", "lumodash", "sessions"), nil
}

// TranscriptName is the file name for a session started at t: time first, so names sort.
func TranscriptName(t time.Time, sessionID string) string {
	return t.UTC().Format("20060102T150405Z") + "-" + sessionID + ".jsonl"
}

// CreateTranscript creates the transcript file at path (mode 0600; a missing parent
// directory is created with mode 0700). It refuses to overwrite an existing file.
// sessionID, when set, limits the transcript to that session's events.
func CreateTranscript(path, sessionID string) (*TranscriptWriter, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("transcript: creating directory for %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("transcript: %w (choose another --transcript path)", err)
	}
	w := bufio.NewWriterSize(f, 32<<10)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &TranscriptWriter{f: f, w: w, enc: enc, session: sessionID, path: path}, nil
}

// Path is where the transcript is written.
func (t *TranscriptWriter) Path() string { return t.path }

// Emit writes e as one line and flushes it to the file.
func (t *TranscriptWriter) Emit(e Event) {
	if t.session != "" && e.Session != "" && e.Session != t.session {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.err != nil || t.f == nil {
		return
	}
	if err := t.enc.Encode(e); err != nil {
		t.err = fmt.Errorf("transcript %s: %w", t.path, err)
		return
	}
	if err := t.w.Flush(); err != nil {
		t.err = fmt.Errorf("transcript %s: %w", t.path, err)
	}
}

// Err is the first write error, if any.
func (t *TranscriptWriter) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// Close flushes and closes the file; it returns the first error met while writing.
func (t *TranscriptWriter) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.f == nil {
		return t.err
	}
	ferr := t.w.Flush()
	cerr := t.f.Close()
	t.f = nil
	return errors.Join(t.err, ferr, cerr)
}

// ErrTruncated is returned (wrapped, with the events read so far) when a transcript's last
// line is incomplete, as after a crash mid-write.
var ErrTruncated = errors.New("transcript ends with an incomplete line")

// ReadTranscript reads a JSONL transcript. A truncated last line is reported with
// ErrTruncated alongside all complete events; a malformed line elsewhere, or an event of a
// newer schema version than this build understands, is an error.
func ReadTranscript(path string) ([]Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading transcript: %w", err)
	}
	defer f.Close()
	return DecodeTranscript(f, path)
}

// DecodeTranscript reads transcript lines from r; name is used in messages.
func DecodeTranscript(r io.Reader, name string) ([]Event, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var events []Event
	for line := 1; ; line++ {
		raw, err := br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return events, fmt.Errorf("reading transcript %s: %w", name, err)
		}
		complete := len(raw) > 0 && raw[len(raw)-1] == '\n'
		raw = bytes.TrimSpace(raw)
		if len(raw) > 0 {
			var e Event
			if uerr := json.Unmarshal(raw, &e); uerr != nil {
				if !complete {
					return events, fmt.Errorf("transcript %s line %d: %w (%d complete events kept)", name, line, ErrTruncated, len(events))
				}
				return events, fmt.Errorf("transcript %s line %d is not a lumodash event: %v", name, line, uerr)
			}
			if e.V > SchemaVersion {
				return events, fmt.Errorf("transcript %s line %d has schema version %d, newer than this lumodash understands (%d): upgrade lumodash to read it", name, line, e.V, SchemaVersion)
			}
			if e.V < 1 || e.Kind == "" {
				return events, fmt.Errorf("transcript %s line %d is not a lumodash event (no schema version or kind)", name, line)
			}
			events = append(events, e.Redacted())
		}
		if errors.Is(err, io.EOF) {
			return events, nil
		}
	}
}
