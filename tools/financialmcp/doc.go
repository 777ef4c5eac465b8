// Package financialmcp is the embedded financial-metrics MCP server of the lumodash demo world.
//
// It serves the fictional company Acme Corp's quarterly financials (FY2024 Q1 … FY2026 Q3) as
// two MCP tools, get_metric and list_metrics, over the streamable HTTP transport of the official
// MCP Go SDK. Every request must carry a bearer JWT issued by the configured authorization server
// (either LumoAuth prefix's issuer; verified against its JWKS, RS256 only) for this resource —
// named urn:mcp:financial-data or by its URL — with scope financial:read; the agent's own
// client-credentials token is refused because its audience is the issuer. With introspection
// configured every token is also checked with the authorization server, so revoked tokens are
// refused at once. JIT rules make some calls (the headcount, in the demo world) need a
// just-in-time grant even for an agent holding the scope: 403 insufficient_authorization_details
// names what to request. Protected-resource metadata (RFC 9728) is served at
// /.well-known/oauth-protected-resource and names the server's URL as the resource.
//
// The dataset is also available directly through Lookup and Metrics, which the corpus tests use
// to keep the sample documents in tools/corpus consistent with the numbers the server returns.
package financialmcp
