package devserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"time"
)

// oauthError is an OAuth-style error answer: {"error","error_description"} with a status.
type oauthError struct {
	status int
	code   string
	desc   string
}

func (e *oauthError) Error() string { return e.code + ": " + e.desc }

func errNotFound(desc string) *oauthError { return &oauthError{http.StatusNotFound, "not_found", desc} }
func errBadRequest(desc string) *oauthError {
	return &oauthError{http.StatusBadRequest, "invalid_request", desc}
}

func writeError(w http.ResponseWriter, e *oauthError) {
	switch {
	case e.status != http.StatusUnauthorized:
	case e.code == "invalid_client":
		w.Header().Set("WWW-Authenticate", `Basic realm="lumodash devserver"`)
	default:
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer error=%q, error_description=%q`, e.code, e.desc))
	}
	writeJSON(w, e.status, map[string]string{"error": e.code, "error_description": e.desc})
}

// writeBudgetExceeded answers 429 with Retry-After until the limit resets.
func writeBudgetExceeded(w http.ResponseWriter, desc string, resetsAt, now time.Time) {
	w.Header().Set("Retry-After", fmt.Sprint(int64(math.Ceil(resetsAt.Sub(now).Seconds()))))
	writeError(w, &oauthError{http.StatusTooManyRequests, "budget_exceeded", desc})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// decodeBody reads an optional JSON object body into dst; an empty body leaves dst as is.
func decodeBody(r *http.Request, dst any) *oauthError {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errBadRequest(fmt.Sprintf("request body is larger than %d bytes", tooBig.Limit))
		}
		return errBadRequest("reading the request body: " + err.Error())
	}
	if strings.TrimSpace(string(data)) == "" {
		return nil
	}
	if err := json.Unmarshal(data, dst); err != nil {
		return errBadRequest("request body is not the expected JSON object: " + err.Error())
	}
	return nil
}

// caller is the authenticated client behind a bearer token.
type caller struct {
	client *client
	claims tokenClaims
}

func (c *caller) has(capability string) bool {
	for _, have := range c.client.conf.Capabilities {
		if have == capability {
			return true
		}
	}
	return false
}

// bearer authenticates a request by its agent access token and meters the call. With enforce,
// a spent budget answers 429 (and the refused call is not counted); without it (userinfo) the
// call is served so a dashboard can still show the spent budget. On false the answer is written.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request, enforce bool) (*caller, bool) {
	scheme, raw, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(raw) == "" {
		writeError(w, &oauthError{http.StatusUnauthorized, "invalid_token",
			"missing bearer token: send Authorization: Bearer <access token from oauth/token>"})
		return nil, false
	}
	claims, c, why := s.verify(strings.TrimSpace(raw))
	if why == "" && !claims.primary() {
		why = "this is an exchanged token for " + strings.Join(claims.Audience, " ") + "; use the agent's own access token"
	}
	if why != "" {
		writeError(w, &oauthError{http.StatusUnauthorized, "invalid_token", why})
		return nil, false
	}
	if !s.charge(w, c, enforce) {
		return nil, false
	}
	return &caller{client: c, claims: claims}, true
}

// charge meters one API call of c. With enforce, a spent budget answers 429 (written) and
// the refused call is not counted.
func (s *Server) charge(w http.ResponseWriter, c *client, enforce bool) bool {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if enforce {
		if _, desc, resetsAt := c.meter.spent(now); desc != "" {
			writeBudgetExceeded(w, desc, resetsAt, now)
			return false
		}
	}
	c.meter.countCall(now)
	return true
}
