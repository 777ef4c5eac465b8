package financialmcp

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

func TestKeySetCachesAndRefetchesOnUnknownKidRateLimited(t *testing.T) {
	as := newTestAS(t)
	key, other := testKeys(t)
	clock := time.Unix(1_800_000_000, 0)
	ks := newKeySet(as.jwksURL(), http.DefaultClient)
	ks.clock = func() time.Time { return clock }
	ctx := context.Background()

	if _, err := ks.key(ctx, testKID); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.key(ctx, testKID); err != nil {
		t.Fatal(err)
	}
	if n := as.fetches.Load(); n != 1 {
		t.Fatalf("fetches after two lookups of a known kid = %d, want 1 (cached)", n)
	}

	// Unknown kid: one refetch is allowed only after jwksMinRefetch since the last attempt.
	_, err := ks.key(ctx, "rotated")
	if !errors.As(err, new(errUnknownKey)) || as.fetches.Load() != 1 {
		t.Fatalf("unknown kid right after a fetch: err %v, fetches %d; want errUnknownKey without a fetch", err, as.fetches.Load())
	}
	// The issuer rotates keys; after the rate-limit window the new kid is found by one refetch.
	as.setKeys(jose.JSONWebKey{Key: &key.PublicKey, KeyID: testKID, Algorithm: "RS256", Use: "sig"},
		jose.JSONWebKey{Key: &other.PublicKey, KeyID: "rotated", Algorithm: "RS256", Use: "sig"})
	clock = clock.Add(jwksMinRefetch)
	if got, err := ks.key(ctx, "rotated"); err != nil || got.N.Cmp(other.N) != 0 {
		t.Fatalf("rotated kid after the window: key match %v, err %v", err == nil && got.N.Cmp(other.N) == 0, err)
	}
	if n := as.fetches.Load(); n != 2 {
		t.Fatalf("fetches = %d, want 2", n)
	}
	// A burst of made-up kids costs at most one request per window.
	clock = clock.Add(jwksMinRefetch)
	for range 20 {
		_, _ = ks.key(ctx, "made-up")
	}
	if n := as.fetches.Load(); n != 3 {
		t.Fatalf("fetches after a burst of unknown kids = %d, want 3", n)
	}
	// Keys older than jwksMaxAge are refreshed even for a known kid.
	clock = clock.Add(jwksMaxAge + time.Second)
	if _, err := ks.key(ctx, testKID); err != nil || as.fetches.Load() != 4 {
		t.Fatalf("stale keys: err %v, fetches %d, want a refresh (4)", err, as.fetches.Load())
	}
}

func TestKeySetConcurrentFirstUseFetchesOnce(t *testing.T) {
	as := newTestAS(t)
	ks := newKeySet(as.jwksURL(), http.DefaultClient)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if _, err := ks.key(context.Background(), testKID); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := as.fetches.Load(); n != 1 {
		t.Errorf("16 concurrent first lookups made %d JWKS requests, want 1", n)
	}
}

func TestKeySetIgnoresNonRS256Keys(t *testing.T) {
	as := newTestAS(t)
	key, _ := testKeys(t)
	as.setKeys(
		jose.JSONWebKey{Key: &key.PublicKey, KeyID: "enc", Algorithm: "RSA-OAEP", Use: "enc"},
		jose.JSONWebKey{Key: []byte("0123456789abcdef0123456789abcdef"), KeyID: "hmac", Algorithm: "HS256"},
	)
	ks := newKeySet(as.jwksURL(), http.DefaultClient)
	if _, err := ks.key(context.Background(), "enc"); err == nil {
		t.Fatal("a JWKS with no RS256 signing key was accepted")
	}
}
