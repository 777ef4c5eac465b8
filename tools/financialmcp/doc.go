// Package financialmcp is the embedded financial-metrics MCP server of the lumodash demo world.
//
// It serves the fictional company Acme Corp's quarterly financials (FY2024 Q1 … FY2026 Q3) as
// two MCP tools, get_metric and list_metrics, over the streamable HTTP transport of the official
// MCP Go SDK. Every request must carry a bearer JWT issued by the configured authorization server
// (verified against its JWKS, RS256 only) for the resource urn:mcp:financial-data with scope
// financial:read; the agent's own client-credentials token is refused because its audience is the
// issuer. Protected-resource metadata (RFC 9728) is served at /.well-known/oauth-protected-resource.
//
// The dataset is also available directly through Lookup and Metrics, which the corpus tests use
// to keep the sample documents in tools/corpus consistent with the numbers the server returns.
package financialmcp
