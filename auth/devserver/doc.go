// Package devserver is the embedded LumoAuth-compatible authorization server.
//
// It is a real HTTP server (started on 127.0.0.1 by lumodash's embedded default, or standalone by
// `lumodash serve`) that speaks the LumoAuth agent API on both path prefixes, /orgs/{id}/api/v1
// and /t/{tenant}/api/v1, each prefix its own issuer: OAuth 2.0 client credentials (with RFC
// 8707 resource indicators), RFC 8693 token exchange, RS256 JWTs and their JWKS, RFC 8414
// metadata, userinfo with capabilities and budget, introspection for resource servers, RFC 7009
// revocation, the agent endpoints (ask, me, register), push approvals decided by a reviewer, the
// JIT permission flow and lumodash's usage-report extension — every route of the official SDKs'
// tables that belongs to the agent API. It meters each agent's tokens per day and calls per hour
// and refuses with 429 once a limit is spent. Its signing key is ephemeral unless WithKeyFile
// keeps it in a file.
//
// Agents, protected resources and JIT rules come from a YAML file (LoadConfig) or the built-in
// demo world (DefaultConfig). The package must not import lumodash's auth client, whose tests
// run against it.
package devserver
