package financialmcp

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func BenchmarkLookup(b *testing.B) {
	for b.Loop() {
		if _, err := Lookup("EBITDA", "Q3 2026"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify measures the per-request cost of checking a bearer JWT (keys cached).
func BenchmarkVerify(b *testing.B) {
	as := newTestAS(b)
	key, _ := testKeys(b)
	v := &tokenVerifier{issuers: []string{as.issuer()}, resource: DefaultResource, now: func() time.Time { return testNow },
		keys: newKeySet(as.jwksURL(), http.DefaultClient)}
	token := sign(b, key, testKID, as.claims())
	ctx := context.Background()
	for b.Loop() {
		if _, err := v.Verify(ctx, token, "http://127.0.0.1:1/mcp"); err != nil {
			b.Fatal(err)
		}
	}
}
