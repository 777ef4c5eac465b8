// Package auth is the LumoAuth agent client: configuration from the environment, the
// client-credentials token source with early renewal, agent info (capabilities and budget)
// from userinfo, RFC 8693 token exchange with a per-audience cache, the JIT permission flow and
// the usage-report extension.
//
// It has no UI and knows nothing of tools or sessions. It reports what it does through a Hook
// as Reports; raw tokens never leave the package except in the HTTP requests that need them.
package auth
