package financialmcp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode"

	"github.com/modelcontextprotocol/go-sdk/auth"
)

// protect checks the bearer token of every request to next (RFC 6750, RFC 9728):
//   - no token: 401 with resource_metadata and scope, and no error code (RFC 6750 §3.1);
//   - a presented but bad token (garbled, wrong audience, expired, revoked): 401 with
//     error="invalid_token" and what is wrong;
//   - a good token without the scope: 403 error="insufficient_scope".
//
// A verified request then passes the SDK's middleware, which hands the token's owner to the
// MCP layer, so sessions stay bound to it.
func protect(base string, v *tokenVerifier, next http.Handler) http.Handler {
	metadataURL, resourceURL := base+MetadataPath, base+MCPPath
	sdk := auth.RequireBearerToken(alreadyVerified, &auth.RequireBearerTokenOptions{
		ResourceMetadataURL: metadataURL, ClockSkew: clockSkew})(requireScope(metadataURL, next))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, present := bearerToken(r)
		if !present {
			challenge(w, http.StatusUnauthorized, metadataURL, "", "no bearer token: send one issued for "+resourceURL)
			return
		}
		info, err := v.Verify(r.Context(), token, resourceURL)
		switch {
		case errors.Is(err, auth.ErrInvalidToken):
			challenge(w, http.StatusUnauthorized, metadataURL, "invalid_token",
				strings.TrimPrefix(err.Error(), auth.ErrInvalidToken.Error()+": "))
			return
		case err != nil:
			http.Error(w, "cannot verify tokens right now: "+err.Error(), http.StatusInternalServerError)
			return
		}
		sdk.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), verifiedKey{}, info)))
	})
}

type verifiedKey struct{}

// alreadyVerified is the SDK middleware's verifier: protect has verified the token.
func alreadyVerified(ctx context.Context, _ string, _ *http.Request) (*auth.TokenInfo, error) {
	if info, ok := ctx.Value(verifiedKey{}).(*auth.TokenInfo); ok {
		return info, nil
	}
	return nil, auth.ErrInvalidToken
}

// bearerToken is the token of an Authorization: Bearer header.
func bearerToken(r *http.Request) (string, bool) {
	fields := strings.Fields(r.Header.Get("Authorization"))
	if len(fields) != 2 || !strings.EqualFold(fields[0], "Bearer") {
		return "", false
	}
	return fields[1], true
}

func requireScope(metadataURL string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := auth.TokenInfoFromContext(r.Context())
		if info == nil || !slices.Contains(info.Scopes, Scope) {
			challenge(w, http.StatusForbidden, metadataURL, "insufficient_scope", "the token lacks scope "+Scope)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// challenge answers status with a WWW-Authenticate Bearer challenge (and the same text as
// the body). code "" = no error code, for a request without a token.
func challenge(w http.ResponseWriter, status int, metadataURL, code, desc string) {
	params := []string{}
	if code != "" {
		params = append(params, fmt.Sprintf(`error="%s"`, code), fmt.Sprintf(`error_description="%s"`, quotable(desc)))
	}
	params = append(params, fmt.Sprintf(`scope="%s"`, Scope), fmt.Sprintf(`resource_metadata="%s"`, quotable(metadataURL)))
	w.Header().Set("WWW-Authenticate", "Bearer "+strings.Join(params, ", "))
	http.Error(w, desc, status)
}

// quotable makes s safe inside a quoted-string: RFC 6750 §3 allows printable ASCII but
// '"' and '\' in error_description. Quotes become apostrophes, anything else '?'.
func quotable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r > unicode.MaxASCII || r < 0x20 || r == 0x7f || r == '\\':
			return '?'
		}
		return r
	}, s)
}
