package financialmcp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Introspection lets the server ask the authorization server (RFC 7662) whether a token is
// still active: any token may be revoked before it expires (RFC 7009), and one from a
// just-in-time grant stops when its task completes. Without it tokens are checked offline
// (signature, issuer, audience, expiry) only. The client must be a resource-server client
// (identity type service) of the authorization server.
type Introspection struct {
	URL          string // e.g. {issuer}/oauth/introspect
	ClientID     string // this server's client at the authorization server
	ClientSecret string
}

// introspector asks the introspection endpoint.
type introspector struct {
	conf Introspection
	http *http.Client
}

// active reports whether the authorization server still considers token active.
func (i *introspector) active(ctx context.Context, token string) (bool, error) {
	form := url.Values{"token": {token}, "token_type_hint": {"access_token"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, i.conf.URL, strings.NewReader(form.Encode()))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(url.QueryEscape(i.conf.ClientID), url.QueryEscape(i.conf.ClientSecret))
	resp, err := i.http.Do(req)
	if err != nil {
		return false, fmt.Errorf("introspection unreachable: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return false, fmt.Errorf("introspection answered HTTP %d", resp.StatusCode)
	}
	var ans struct {
		Active bool `json:"active"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return false, fmt.Errorf("introspection answer is not JSON: %w", err)
	}
	return ans.Active, nil
}
