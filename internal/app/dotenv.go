package app

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/lumodash/lumodash/auth"
)

// holdsCredential reports whether a dotenv variable holds a credential: the agent's client
// secret, the model API key, or anything named like a secret.
func holdsCredential(key string) bool {
	return key == auth.EnvClientSecret || key == EnvOpenAIKey ||
		strings.HasSuffix(key, "_SECRET") || strings.HasSuffix(key, "_API_KEY") || strings.HasSuffix(key, "_TOKEN")
}

// dotenvNotices warns when the dotenv file holds a credential and other users may read it:
// the secret is as good as shared, and the fix is one command.
func dotenvNotices(path string, dotenv map[string]string) []string {
	var held []string
	for k, v := range dotenv {
		if v != "" && holdsCredential(k) {
			held = append(held, k)
		}
	}
	if len(held) == 0 {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	slices.Sort(held)
	who := "other users"
	if fi.Mode().Perm()&0o007 == 0 {
		who = "its group"
	}
	return []string{fmt.Sprintf("%s holds %s but %s can read it (mode %04o): restrict it with chmod 600 %s",
		path, strings.Join(held, ", "), who, fi.Mode().Perm(), path)}
}
