package devserver

import (
	"net/url"
	"sync"
	"testing"
)

// Many clients at once: every usage report is metered exactly once and nothing races.
func TestConcurrentUsageIsMeteredExactly(t *testing.T) {
	s, _ := startTest(t, nil)
	tok := tokenFor(t, s, "research-analyst")
	const workers, reports = 8, 10
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < reports; i++ {
				if r := callJSON(t, "POST", api(s)+"/agents/me/usage", tok, map[string]any{"model": "m", "prompt_tokens": 7, "completion_tokens": 3}); r.status != 200 {
					t.Errorf("usage = %d %v", r.status, r.body)
				}
				if r := exchange(t, s, tok, "urn:mcp:financial-data"); r.status != 200 {
					t.Errorf("exchange = %d %v", r.status, r.body)
				}
			}
		}()
	}
	wg.Wait()
	bp := budgetOf(t, s, tok)
	if bp["tokens_used_today"] != float64(15234+workers*reports*10) {
		t.Errorf("tokens_used_today = %v", bp["tokens_used_today"])
	}
	// 47 seeded + 1 token + 2 calls per iteration + this userinfo.
	if bp["api_calls_this_hour"] != float64(47+1+workers*reports*2+1) {
		t.Errorf("api_calls_this_hour = %v", bp["api_calls_this_hour"])
	}
}

func BenchmarkClientCredentials(b *testing.B) {
	s, err := Start(unmeteredConfig(), "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	id, secret, _ := s.Credentials("research-analyst")
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := postForm(b, api(s)+"/oauth/token", form, nil); r.status != 200 {
			b.Fatalf("status %d", r.status)
		}
	}
}

func BenchmarkTokenExchange(b *testing.B) {
	s, err := Start(unmeteredConfig(), "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	id, secret, _ := s.Credentials("research-analyst")
	subject := postForm(b, api(s)+"/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}, nil).str("access_token")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := exchange(b, s, subject, "urn:mcp:financial-data"); r.status != 200 {
			b.Fatalf("status %d", r.status)
		}
	}
}

// unmeteredConfig is the default world without an hourly call limit, for benchmarks.
func unmeteredConfig() Config {
	cfg := DefaultConfig()
	for i := range cfg.Agents {
		cfg.Agents[i].Budget.MaxAPICallsPerHour = 0
	}
	return cfg
}
