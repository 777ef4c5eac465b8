package financialmcp

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth/devserver"
)

// world is the embedded authorization server with this MCP server trusting it, wired as
// lumodash wires them: introspection as the financial-mcp client, the JIT rules of the
// devserver file, the server's URL as the resource's second name.
type world struct {
	dev *devserver.Server
	mcp *Server
}

func startWorld(t *testing.T, mod func(*Options)) *world {
	t.Helper()
	dev, err := devserver.Start(devserver.DefaultConfig(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })
	var opts Options
	if mod != nil {
		mod(&opts)
	}
	srv, err := StartEmbedded(dev, "127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return &world{dev: dev, mcp: srv}
}

// form posts a form to the devserver and decodes the JSON answer.
func (w *world) form(t *testing.T, prefix, path string, v url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(w.dev.URL()+prefix+path, v)
	if err != nil {
		t.Fatal(err)
	}
	return decodeAnswer(t, resp)
}

func (w *world) api(t *testing.T, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = strings.NewReader(string(data))
	}
	req, _ := http.NewRequest(method, w.dev.Issuer()+path, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return decodeAnswer(t, resp)
}

func decodeAnswer(t *testing.T, resp *http.Response) (int, map[string]any) {
	t.Helper()
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	if len(strings.TrimSpace(string(data))) > 0 {
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("answer is not JSON: %q", data)
		}
	}
	return resp.StatusCode, out
}

// agentToken is agent's own token from the given prefix ("/orgs/acme-corp/api/v1" or "/t/…").
func (w *world) agentToken(t *testing.T, prefix, agent string) string {
	t.Helper()
	id, secret, _ := w.dev.Credentials(agent)
	status, body := w.form(t, prefix, "/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}})
	if status != 200 {
		t.Fatalf("token for %s: %d %v", agent, status, body)
	}
	return body["access_token"].(string)
}

// exchanged trades subject for a token for the financial resource, as the SDKs do.
func (w *world) exchanged(t *testing.T, prefix, subject string) string {
	t.Helper()
	status, body := w.form(t, prefix, "/oauth/token", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:token-exchange"},
		"subject_token": {subject}, "subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"}, "audience": {DefaultResource}})
	if status != 200 {
		t.Fatalf("exchange: %d %v", status, body)
	}
	return body["access_token"].(string)
}

// mcpSession is a raw streamable-HTTP MCP session, to see the HTTP answers themselves.
type mcpSession struct {
	url, token, id string
	next           int
}

func openSession(t *testing.T, mcpURL, token string) *mcpSession {
	t.Helper()
	s := &mcpSession{url: mcpURL, token: token}
	resp := s.post(t, "initialize", map[string]any{"protocolVersion": "2025-06-18", "capabilities": map[string]any{},
		"clientInfo": map[string]any{"name": "world-test", "version": "0"}})
	if resp.StatusCode != 200 {
		t.Fatalf("initialize = %d %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	s.id = resp.Header.Get("Mcp-Session-Id")
	resp.Body.Close()
	note, _ := http.NewRequest("POST", mcpURL, strings.NewReader(`{"jsonrpc":"2.0","method":"notifications/initialized"}`))
	s.headers(note)
	if r, err := http.DefaultClient.Do(note); err == nil {
		r.Body.Close()
	}
	return s
}

func (s *mcpSession) headers(req *http.Request) {
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Authorization", "Bearer "+s.token)
	if s.id != "" {
		req.Header.Set("Mcp-Session-Id", s.id)
		req.Header.Set("Mcp-Protocol-Version", "2025-06-18")
	}
}

func (s *mcpSession) post(t *testing.T, method string, params any) *http.Response {
	t.Helper()
	s.next++
	msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": s.next, "method": method, "params": params})
	req, _ := http.NewRequest("POST", s.url, strings.NewReader(string(msg)))
	s.headers(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// callMetric calls get_metric and returns the HTTP answer and, on 200, the result's text.
func (s *mcpSession) callMetric(t *testing.T, metric, period string) (*http.Response, string) {
	t.Helper()
	resp := s.post(t, "tools/call", map[string]any{"name": "get_metric", "arguments": map[string]any{"metric": metric, "period": period}})
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return resp, string(data)
	}
	// The answer is one JSON-RPC message, possibly as a server-sent event.
	text := string(data)
	if i := strings.Index(text, "data: "); i >= 0 {
		text = strings.TrimSpace(strings.SplitN(text[i+6:], "\n", 2)[0])
	}
	var msg struct {
		Result struct {
			Content []struct {
				Text string `json:"text"`
			} `json:"content"`
			IsError bool `json:"isError"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(text), &msg); err != nil || len(msg.Result.Content) == 0 {
		t.Fatalf("tools/call answer %q: %v", data, err)
	}
	return resp, fmt.Sprintf("%s%s", map[bool]string{true: "error: "}[msg.Result.IsError], msg.Result.Content[0].Text)
}
