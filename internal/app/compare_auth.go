package app

import (
	"fmt"
	"strings"

	"github.com/lumodash/lumodash/auth"
)

// compareVariable is the variable holding one agent's credential for compare mode on a real
// server: AGENT_<NAME>_CLIENT_ID or AGENT_<NAME>_CLIENT_SECRET, NAME upper-cased with every
// other character than a letter or digit as "_" (junior-analyst → AGENT_JUNIOR_ANALYST_…).
func compareVariable(agent, what string) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, agent)
	return "AGENT_" + name + "_" + what
}

// agentCredentials is the client of agent on the real server: its own variables when its
// secret is set (the client id defaults to the name), else the configured client when agent
// is its client id. The secret comes only from the environment (or the dotenv file).
func agentCredentials(client auth.Config, env func(string) string, agent string) (auth.Config, bool) {
	if secret := env(compareVariable(agent, "CLIENT_SECRET")); secret != "" {
		c := client
		c.ClientID, c.ClientSecret = agent, secret
		if id := env(compareVariable(agent, "CLIENT_ID")); id != "" {
			c.ClientID = id
		}
		return c, true
	}
	return client, agent == client.ClientID
}

// checkCompareCredentials says which variables to set for an agent the real server cannot
// be signed in as.
func (a *AuthSide) checkCompareCredentials(agents [2]string) error {
	for _, name := range agents {
		if _, ok := a.credentials(name); !ok {
			return configError(fmt.Errorf("--compare: no credentials for agent %q on the real authorization server %s: set %s (and %s when its client id is not %q) in the environment or the dotenv file, or name the configured client %s",
				name, hostOf(a.Client.BaseURL), compareVariable(name, "CLIENT_SECRET"), compareVariable(name, "CLIENT_ID"), name, a.Client.ClientID))
		}
	}
	return nil
}
