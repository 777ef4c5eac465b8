package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxBody caps how much of an answer is read.
const maxBody = 1 << 20

// answer is one HTTP exchange's outcome.
type answer struct {
	status   int
	header   http.Header
	body     []byte
	duration time.Duration
}

func (r answer) ok() bool { return r.status >= 200 && r.status < 300 }

// send makes one request bounded by Config.Timeout and ctx. A missing answer is an *OAuthError.
func (a *Agent) send(ctx context.Context, method, endpoint string, body []byte, contentType, bearer string) (answer, error) {
	path := a.cfg.path(endpoint)
	ctx, cancel := context.WithTimeout(ctx, a.cfg.timeout())
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.cfg.URL(endpoint), rd)
	if err != nil {
		return answer{}, a.invalidResponse(path, 0, "cannot build the request: "+err.Error(), err)
	}
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	start := time.Now()
	resp, err := a.http.Do(req)
	if err != nil {
		return answer{duration: time.Since(start)}, a.transportError(path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	ans := answer{status: resp.StatusCode, header: resp.Header, body: data, duration: time.Since(start)}
	if err != nil {
		return ans, a.transportError(path, err)
	}
	return ans, nil
}

// sendForm posts an application/x-www-form-urlencoded body.
func (a *Agent) sendForm(ctx context.Context, endpoint string, form url.Values) (answer, error) {
	return a.send(ctx, http.MethodPost, endpoint, []byte(form.Encode()), "application/x-www-form-urlencoded", "")
}

// authedJSON calls an endpoint with the agent's bearer token and a JSON body (in may be nil),
// decoding a 2xx answer into out (may be nil). A 401 drops the token and retries once with a
// new one, since the server may have revoked or forgotten it.
func (a *Agent) authedJSON(ctx context.Context, method, endpoint string, in, out any) (answer, error) {
	path := a.cfg.path(endpoint)
	var body []byte
	contentType := ""
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return answer{}, a.invalidResponse(path, 0, "cannot encode the request: "+err.Error(), err)
		}
		contentType = "application/json"
	}
	var ans answer
	for attempt := 0; ; attempt++ {
		tok, err := a.ownToken(ctx)
		if err != nil {
			return answer{}, err
		}
		ans, err = a.send(ctx, method, endpoint, body, contentType, tok.raw)
		if err != nil {
			return ans, err
		}
		if ans.status == http.StatusUnauthorized && attempt == 0 {
			a.dropToken(tok)
			continue
		}
		break
	}
	if !ans.ok() {
		return ans, a.parseErrorAnswer(path, ans.status, ans.body)
	}
	if out != nil {
		if err := json.Unmarshal(ans.body, out); err != nil {
			return ans, a.invalidResponse(path, ans.status, "malformed JSON in the answer: "+err.Error()+" — "+bodySnippet(ans.body), err)
		}
	}
	return ans, nil
}

// escape makes an id safe as one path segment.
func escape(id string) string { return url.PathEscape(strings.TrimSpace(id)) }
