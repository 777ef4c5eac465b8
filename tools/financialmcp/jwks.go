package financialmcp

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"golang.org/x/sync/singleflight"
)

// Key-set refresh policy: keys are refetched when they are older than jwksMaxAge, or once when
// a token names an unknown kid (key rotation) — but never more often than jwksMinRefetch, so a
// flood of tokens with made-up kids cannot turn into a flood of requests to the JWKS endpoint.
const (
	jwksMaxAge      = 10 * time.Minute
	jwksMinRefetch  = 10 * time.Second
	jwksMaxBodySize = 1 << 20
	minRSABits      = 2048
)

// keySet caches the authorization server's RS256 signing keys by kid.
type keySet struct {
	url    string
	client *http.Client
	clock  func() time.Time // wall clock for the refresh policy (not the token clock)

	group singleflight.Group

	mu        sync.Mutex
	keys      map[string]*rsa.PublicKey
	fetchedAt time.Time // last successful fetch
	triedAt   time.Time // last attempt
	gen       int       // successful fetches so far
}

func newKeySet(url string, client *http.Client) *keySet {
	return &keySet{url: url, client: client, clock: time.Now}
}

// errUnknownKey is returned when no key matches a token's kid even after a permitted refetch.
type errUnknownKey struct{ kid string }

func (e errUnknownKey) Error() string {
	if e.kid == "" {
		return "the token has no kid and the JWKS holds more than one signing key"
	}
	return fmt.Sprintf("no signing key with kid %q in the authorization server's JWKS", clip(e.kid))
}

// key returns the public key for kid ("" is accepted when the set holds exactly one key).
func (k *keySet) key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	now := k.clock()
	k.mu.Lock()
	stale := k.keys == nil || now.Sub(k.fetchedAt) > jwksMaxAge
	key, found := k.find(kid)
	mayRefetch := now.Sub(k.triedAt) >= jwksMinRefetch
	gen := k.gen
	k.mu.Unlock()

	if found && !stale {
		return key, nil
	}
	if stale || mayRefetch {
		if err := k.refresh(ctx, gen); err != nil && !found {
			return nil, err
		}
		k.mu.Lock()
		key, found = k.find(kid)
		k.mu.Unlock()
	}
	if !found {
		return nil, errUnknownKey{kid}
	}
	return key, nil
}

// find must be called with mu held.
func (k *keySet) find(kid string) (*rsa.PublicKey, bool) {
	if kid == "" && len(k.keys) == 1 {
		for _, key := range k.keys {
			return key, true
		}
	}
	key, ok := k.keys[kid]
	return key, ok && kid != ""
}

// refresh fetches the key set unless it changed since the caller saw generation seen;
// concurrent callers share one request.
func (k *keySet) refresh(ctx context.Context, seen int) error {
	_, err, _ := k.group.Do("jwks", func() (any, error) {
		k.mu.Lock()
		if k.gen != seen {
			k.mu.Unlock()
			return nil, nil // another caller just fetched
		}
		k.triedAt = k.clock()
		k.mu.Unlock()
		keys, err := k.fetch(ctx)
		if err != nil {
			return nil, err
		}
		k.mu.Lock()
		k.keys, k.fetchedAt = keys, k.clock()
		k.gen++
		k.mu.Unlock()
		return nil, nil
	})
	return err
}

func (k *keySet) fetch(ctx context.Context) (map[string]*rsa.PublicKey, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.url, nil)
	if err != nil {
		return nil, fmt.Errorf("JWKS URL %q: %w", k.url, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := k.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching the authorization server's JWKS: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching the authorization server's JWKS at %s: HTTP %d", k.url, resp.StatusCode)
	}
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(io.LimitReader(resp.Body, jwksMaxBodySize)).Decode(&set); err != nil {
		return nil, fmt.Errorf("reading the JWKS at %s: %w", k.url, err)
	}
	keys := make(map[string]*rsa.PublicKey)
	for _, jwk := range set.Keys {
		pub, ok := jwk.Key.(*rsa.PublicKey)
		if !ok || (jwk.Use != "" && jwk.Use != "sig") || (jwk.Algorithm != "" && jwk.Algorithm != string(jose.RS256)) {
			continue // not an RS256 signing key: never used, whatever a token's header says
		}
		if pub.N.BitLen() < minRSABits {
			continue
		}
		keys[jwk.KeyID] = pub
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("the JWKS at %s holds no RS256 signing key", k.url)
	}
	return keys, nil
}
