package auth

import (
	"fmt"
	"strings"
	"testing"
)

// A Config or Credential printed by mistake (a log line, an error) must not show the secret.
func TestPrintingHidesSecrets(t *testing.T) {
	cfg := Config{BaseURL: "https://auth.example", ClientID: "agent-1", ClientSecret: "s3cret-value-123"}
	cred := &Credential{Audience: "urn:mcp:financial-data", Summary: TokenSummary{Fingerprint: "ab12cd34"}, raw: "eyJraw.token.value"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{cfg, &cfg, *cred, cred} {
			got := fmt.Sprintf(verb, v)
			if strings.Contains(got, "s3cret-value-123") || strings.Contains(got, "eyJraw.token.value") {
				t.Errorf("Sprintf(%q, %T) leaks a secret: %s", verb, v, got)
			}
		}
		if got := fmt.Sprintf(verb, cfg); !strings.Contains(got, "agent-1") || !strings.Contains(got, redactedSecret) {
			t.Errorf("Sprintf(%q, Config) = %s, want the client id and %s", verb, got, redactedSecret)
		}
		if got := fmt.Sprintf(verb, cred); !strings.Contains(got, "ab12cd34") || !strings.Contains(got, "urn:mcp:financial-data") {
			t.Errorf("Sprintf(%q, Credential) = %s, want the audience and fingerprint", verb, got)
		}
	}
}
