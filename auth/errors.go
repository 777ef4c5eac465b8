package auth

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/lumodash/lumodash/internal/redact"
)

// Error codes lumodash gives to failures the server did not name.
const (
	CodeInvalidResponse = "invalid_response" // the server answered something that is not the protocol
	CodeUnreachable     = "unreachable"      // the request got no HTTP answer (refused, timeout…)
	CodeBudgetExceeded  = "budget_exceeded"  // LumoAuth's 429 answer
)

func (e *OAuthError) Error() string {
	var b strings.Builder
	b.WriteString("auth: ")
	if e.Endpoint != "" {
		b.WriteString(e.Endpoint)
		b.WriteString(": ")
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, "HTTP %d", e.Status)
		if e.Code != "" || e.Description != "" {
			b.WriteString(" ")
		}
	}
	b.WriteString(e.Code)
	if e.Description != "" {
		if e.Code != "" {
			b.WriteString(": ")
		}
		b.WriteString(e.Description)
	}
	return b.String()
}

// Unwrap exposes the underlying cause, e.g. context.DeadlineExceeded.
func (e *OAuthError) Unwrap() error { return e.Err }

// IsBudgetExceeded reports whether err is the server refusing because the budget is spent
// (HTTP 429 or error budget_exceeded).
func IsBudgetExceeded(err error) bool {
	var oe *OAuthError
	return errors.As(err, &oe) && (oe.Status == http.StatusTooManyRequests || oe.Code == CodeBudgetExceeded)
}

// errorBody is an OAuth-style error answer; SDKs read error_description → message → detail → error.
type errorBody struct {
	Error            json.RawMessage `json:"error"`
	ErrorDescription string          `json:"error_description"`
	Message          string          `json:"message"`
	Detail           string          `json:"detail"`
}

// parseErrorAnswer builds the OAuthError of a non-2xx answer (or a 2xx that carries "error").
func (a *Agent) parseErrorAnswer(endpoint string, status int, body []byte) *OAuthError {
	e := &OAuthError{Endpoint: endpoint, Status: status}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		var code string
		if json.Unmarshal(eb.Error, &code) != nil {
			// Some servers nest {"error":{"code","message"}}.
			var nested struct{ Code, Message string }
			if json.Unmarshal(eb.Error, &nested) == nil {
				code, eb.Message = nested.Code, cmp.Or(eb.Message, nested.Message)
			}
		}
		e.Code = code
		e.Description = cmp.Or(eb.ErrorDescription, eb.Message, eb.Detail)
	}
	if e.Code == "" && status == http.StatusTooManyRequests {
		e.Code = CodeBudgetExceeded
	}
	if e.Description == "" && e.Code == "" {
		e.Description = describeStatus(status, body)
	}
	e.Description = a.redact(e.Description)
	e.Code = a.redact(e.Code)
	return e
}

// describeStatus says what an answer without an OAuth error body means.
func describeStatus(status int, body []byte) string {
	s := http.StatusText(status)
	switch {
	case status >= 500:
		s = "the server failed (" + s + "); try again later"
	case status == http.StatusNotFound:
		s = "not found; check LUMOAUTH_URL and LUMOAUTH_ORG_ID/LUMOAUTH_TENANT"
	}
	if snippet := bodySnippet(body); snippet != "" {
		s += " — " + snippet
	}
	return s
}

// bodySnippet is a short, single-line excerpt of a response body for error messages.
func bodySnippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if !utf8.ValidString(s) {
		return ""
	}
	if len(s) > 120 {
		s = s[:120]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}

// transportError describes a request that got no HTTP answer.
func (a *Agent) transportError(endpoint string, err error) *OAuthError {
	e := &OAuthError{Endpoint: endpoint, Code: CodeUnreachable, Err: err}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		e.Description = fmt.Sprintf("no answer within the time limit (request timeout %s)", a.cfg.timeout())
	case errors.Is(err, context.Canceled):
		e.Description = "cancelled"
	default:
		e.Description = fmt.Sprintf("cannot reach the authorization server at %s: %v (is LUMOAUTH_URL right and the server up?)",
			a.cfg.BaseURL, rootCause(err))
	}
	e.Description = a.redact(e.Description)
	return e
}

// invalidResponse describes a 2xx answer that breaks the protocol.
func (a *Agent) invalidResponse(endpoint string, status int, what string, cause error) *OAuthError {
	return &OAuthError{Endpoint: endpoint, Status: status, Code: CodeInvalidResponse,
		Description: a.redact(what), Err: cause}
}

func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// redact removes the client secret, every token the process holds and anything shaped like
// a token from s (internal/redact).
func (a *Agent) redact(s string) string { return redact.String(s) }
