package session

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
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
