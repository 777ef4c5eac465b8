package app

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"

	"github.com/lumodash/lumodash/auth/devserver"
)

// printServeBanner prints the server's addresses, both issuers, the signing key and, per
// client, the shell exports that the LumoAuth SDKs read. Printing AGENT_CLIENT_SECRET here is
// intended: it is this demo server's own credential for its own seeded client, and handing it
// to SDK clients is what serve is for.
func printServeBanner(out io.Writer, dev *devserver.Server, cfg devserver.Config, key SigningKey, listen string) {
	fmt.Fprintf(out, "lumodash serve · embedded LumoAuth-compatible authorization server · %s (%s)\n",
		cfg.OrganizationName, cfg.Organization)
	addr := hostOf(dev.URL())
	if listen != addr {
		addr += " (listening on " + listen + ")"
	}
	fmt.Fprintf(out, "  address %s\n  issuer  %s  (current API, /orgs/{org}: LUMOAUTH_ORG_ID)\n  issuer  %s  (legacy API, /t/{tenant}: LUMOAUTH_TENANT)\n  jwks    %s\n  key     %s\n\n",
		addr, dev.Issuer(), dev.LegacyIssuer(), dev.JWKSURL(), key.File)
	for _, a := range cfg.Agents {
		_, secret, _ := dev.Credentials(a.ClientID)
		role := "capabilities: " + strings.Join(a.Capabilities, ", ")
		switch {
		case a.IdentityType == "user":
			role = "reviewer: approves or denies JIT requests and approvals; " + role
		case a.IdentityType == "service":
			role = "service client: resource servers use it to introspect tokens"
			if len(a.Capabilities) > 0 {
				role += "; " + strings.Join(a.Capabilities, ", ")
			}
		}
		fmt.Fprintf(out, "# %s — %s (%s)\n", a.ClientID, a.Name, role)
		for _, kv := range [][2]string{{"LUMOAUTH_URL", dev.URL()}, {"LUMOAUTH_TENANT", cfg.Organization},
			{"LUMOAUTH_ORG_ID", cfg.Organization}, {"AGENT_CLIENT_ID", a.ClientID}, {"AGENT_CLIENT_SECRET", secret}} {
			fmt.Fprintf(out, "export %s=%s\n", kv[0], shellQuote(kv[1]))
		}
		fmt.Fprintln(out)
	}
}

// publicURL is raw with an every-interface host (0.0.0.0, ::) replaced by public.
func publicURL(raw, public string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsUnspecified() {
		return raw
	}
	u.Host = net.JoinHostPort(public, u.Port())
	return u.String()
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe characters.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@%+=,", r)) {
			safe = false
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
