package devserver

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for WithClock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testStart is 12:00:00 UTC, so the hour window resets at 13:00 and the day at midnight.
var testStart = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// startTest starts the default world (or cfg) on a random port with a fake clock.
func startTest(t *testing.T, cfg *Config) (*Server, *fakeClock) {
	t.Helper()
	c := DefaultConfig()
	if cfg != nil {
		c = *cfg
	}
	clock := &fakeClock{t: testStart}
	s, err := Start(c, "127.0.0.1:0", WithClock(clock.Now))
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, clock
}

// reply is a decoded JSON answer.
type reply struct {
	status int
	header http.Header
	body   map[string]any
}

func (r reply) str(key string) string { v, _ := r.body[key].(string); return v }
func (r reply) num(key string) float64 {
	v, _ := r.body[key].(float64)
	return v
}

func send(t testing.TB, req *http.Request) reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	out := reply{status: resp.StatusCode, header: resp.Header, body: map[string]any{}}
	if len(data) > 0 && json.Unmarshal(data, &out.body) != nil {
		t.Fatalf("%s %s: answer is not a JSON object: %q", req.Method, req.URL, data)
	}
	return out
}

// postForm posts a form to prefix+path; basic, when non-nil, is {id, secret}.
func postForm(t testing.TB, target string, form url.Values, basic []string) reply {
	t.Helper()
	req, _ := http.NewRequest("POST", target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic != nil {
		req.SetBasicAuth(basic[0], basic[1])
	}
	return send(t, req)
}

// callJSON sends method url with a bearer token and an optional JSON body.
func callJSON(t testing.TB, method, target, token string, body any) reply {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = strings.NewReader(string(data))
	}
	req, _ := http.NewRequest(method, target, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return send(t, req)
}

// api is the /orgs/ prefix of s.
func api(s *Server) string { return s.Issuer() }

// legacyAPI is the /t/ prefix of s.
func legacyAPI(s *Server) string { return s.URL() + "/t/acme-corp/api/v1" }

// tokenFor obtains agent's access token with client credentials in the body.
func tokenFor(t testing.TB, s *Server, agent string) string {
	t.Helper()
	id, secret, ok := s.Credentials(agent)
	if !ok {
		t.Fatalf("no credentials for %s", agent)
	}
	r := postForm(t, api(s)+"/oauth/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {id}, "client_secret": {secret}}, nil)
	if r.status != 200 || r.str("access_token") == "" {
		t.Fatalf("client credentials for %s: %d %v", agent, r.status, r.body)
	}
	return r.str("access_token")
}

// exchange exchanges subject for audience without client authentication.
func exchange(t testing.TB, s *Server, subject, audience string) reply {
	t.Helper()
	return postForm(t, api(s)+"/oauth/token", url.Values{"grant_type": {grantTokenExchange},
		"subject_token": {subject}, "subject_token_type": {tokenTypeAccessToken}, "audience": {audience}}, nil)
}

// wantError asserts an OAuth error answer and that its description mentions each of mention.
func wantError(t *testing.T, r reply, status int, code string, mention ...string) {
	t.Helper()
	if r.status != status || r.str("error") != code {
		t.Fatalf("want %d %s, got %d %v", status, code, r.status, r.body)
	}
	for _, m := range mention {
		if !strings.Contains(r.str("error_description"), m) {
			t.Errorf("error_description %q does not mention %q", r.str("error_description"), m)
		}
	}
}
