package faultserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Status answers with code, the headers and body, without asking the real server.
func Status(code int, header map[string]string, body string) Fault {
	return func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(code)
		fmt.Fprint(w, body)
	}
}

// OAuthError answers with an OAuth-style error body.
func OAuthError(code int, errCode, description string) Fault {
	b, _ := json.Marshal(map[string]string{"error": errCode, "error_description": description})
	return Status(code, nil, string(b))
}

// Delay waits d (or until the client gives up) and then forwards.
func Delay(d time.Duration) Fault {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		PeekBody(r) // a read body lets the server notice the client hanging up
		select {
		case <-r.Context().Done():
			return
		case <-time.After(d):
		}
		next.ServeHTTP(w, r)
	}
}

// Hang never answers; it returns when the client gives up (or after a minute).
func Hang(w http.ResponseWriter, r *http.Request, _ http.Handler) {
	PeekBody(r)
	select {
	case <-r.Context().Done():
	case <-time.After(time.Minute):
	}
}

// When applies f to requests matching match, and forwards the others.
func When(match func(*http.Request) bool, f Fault) Fault {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if match(r) {
			f(w, r, next)
			return
		}
		next.ServeHTTP(w, r)
	}
}

// Any matches every request.
func Any(*http.Request) bool { return true }

// Path matches requests whose path contains part.
func Path(part string) func(*http.Request) bool {
	return func(r *http.Request) bool { return strings.Contains(r.URL.Path, part) }
}

// Form matches form posts with field=value (e.g. grant_type=client_credentials).
func Form(field, value string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		if r.Method != http.MethodPost || !strings.Contains(r.Header.Get("Content-Type"), "form") {
			return false
		}
		vals, _ := url.ParseQuery(string(PeekBody(r)))
		return vals.Get(field) == value
	}
}

// BodyContains matches requests whose body contains s (e.g. "tools/call").
func BodyContains(s string) func(*http.Request) bool {
	return func(r *http.Request) bool { return bytes.Contains(PeekBody(r), []byte(s)) }
}

// After matches only from the nth matching request on (1-based), counting with its own counter.
func After(n int64, match func(*http.Request) bool) func(*http.Request) bool {
	var seen atomic.Int64
	return func(r *http.Request) bool {
		if !match(r) {
			return false
		}
		return seen.Add(1) >= n
	}
}

// Once matches only the first matching request.
func Once(match func(*http.Request) bool) func(*http.Request) bool {
	var seen atomic.Int64
	return func(r *http.Request) bool { return match(r) && seen.Add(1) == 1 }
}

// RewriteJSON forwards, then lets edit change the decoded JSON object answer.
func RewriteJSON(edit func(map[string]any)) Fault {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var m map[string]any
		if json.Unmarshal(body, &m) == nil {
			edit(m)
			body, _ = json.Marshal(m)
		}
		for k, vs := range rec.Header() {
			if k != "Content-Length" {
				w.Header()[k] = vs
			}
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}
}
