package demomodel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// apiError is an error answer as the OpenAI API writes it: an HTTP status and
// {"error": {"message", "type", "param", "code"}}, param and code null when they do not
// apply. The official SDKs read all four (openai-node's APIError: status, code, param, type).
type apiError struct {
	status  int
	message string
	kind    string // "invalid_request_error"
	param   *string
	code    *string
}

func (e *apiError) Error() string { return e.message }

func str(s string) *string { return &s }

// badRequest is a 400 invalid_request_error; an empty param or code is null.
func badRequest(param, code, message string) *apiError {
	e := &apiError{status: http.StatusBadRequest, message: message, kind: "invalid_request_error"}
	if param != "" {
		e.param = str(param)
	}
	if code != "" {
		e.code = str(code)
	}
	return e
}

// The OpenAI API's messages for the faults a request can have, as it words them.

func errMissing(param string) *apiError {
	return badRequest(param, "missing_required_parameter", fmt.Sprintf("Missing required parameter: '%s'.", param))
}

func errUnknownParam(param string) *apiError {
	return badRequest(param, "unknown_parameter", fmt.Sprintf("Unknown parameter: '%s'.", param))
}

func errType(param, want string, got json.RawMessage) *apiError {
	return badRequest(param, "invalid_type", fmt.Sprintf("Invalid type for '%s': expected %s, but got %s instead.", param, want, jsonKind(got)))
}

func errValue(param, got string, supported []string) *apiError {
	return badRequest(param, "invalid_value", fmt.Sprintf("Invalid value: '%s'. Supported values are: %s.", clip(got), quoteList(supported)))
}

func errBelow(param string, min, got float64, integer bool) *apiError {
	kind := map[bool]string{true: "integer", false: "decimal"}[integer]
	return badRequest(param, kind+"_below_min_value", fmt.Sprintf("Invalid '%s': %s below minimum value. Expected a value >= %g, but got %g instead.", param, kind, min, got))
}

func errAbove(param string, max, got float64, integer bool) *apiError {
	kind := map[bool]string{true: "integer", false: "decimal"}[integer]
	return badRequest(param, kind+"_above_max_value", fmt.Sprintf("Invalid '%s': %s above maximum value. Expected a value <= %g, but got %g instead.", param, kind, max, got))
}

var errBadJSON = badRequest("", "", "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. "+
	"The OpenAI API expects a JSON payload, but what was sent was not valid JSON. "+
	"The lumodash demo model answers as the OpenAI API does; check the body your client sends.)")

var errNoModel = badRequest("", "", "you must provide a model parameter")

func errModelNotFound(model string) *apiError {
	return &apiError{status: http.StatusNotFound, kind: "invalid_request_error", code: str("model_not_found"),
		message: fmt.Sprintf("The model `%s` does not exist or you do not have access to it. The demo endpoint serves %s.", clip(model), quoteList(modelIDs()))}
}

// writeError writes e as the OpenAI API does.
func writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": e.message, "type": e.kind, "param": e.param, "code": e.code}})
}

// jsonKind names a JSON value's type the way OpenAI's error messages do.
func jsonKind(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	if bytes.ContainsAny(t, ".eE") {
		return "a decimal number"
	}
	return "an integer"
}

// quoteList writes 'a', 'b', and 'c' as OpenAI lists supported values.
func quoteList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = "'" + v + "'"
	}
	switch len(q) {
	case 1:
		return q[0]
	case 2:
		return q[0] + " and " + q[1]
	}
	out := ""
	for i, v := range q {
		switch {
		case i == len(q)-1:
			out += ", and " + v
		case i > 0:
			out += ", " + v
		default:
			out += v
		}
	}
	return out
}

// clip shortens what a client sent before an error message echoes it.
func clip(s string) string {
	r := []rune(s)
	if len(r) <= 64 {
		return s
	}
	return string(r[:61]) + "..."
}
