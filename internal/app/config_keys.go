package app

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lumodash/lumodash/tools"
)

// unknownField is how the YAML decoder words a key no field takes.
var unknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type (\S+)$`)

// sections are the types a configuration key can belong to, by the name the decoder gives
// them, with where they are in the file.
var sections = map[string]struct {
	where string
	typ   reflect.Type
}{
	"app.Config":          {"at the top level", reflect.TypeFor[Config]()},
	"app.mcpServerConfig": {"in an mcp_servers entry", reflect.TypeFor[mcpServerConfig]()},
	"app.modelPrice":      {"in a prices entry", reflect.TypeFor[modelPrice]()},
	"tools.ToolInfo":      {"in an mcp_servers tools entry", reflect.TypeFor[tools.ToolInfo]()},
}

// keyErrors rewords the decoder's unknown-field errors for people: every unknown key with
// its line, the closest known key ("did you mean theme?") and the keys allowed there. Other
// errors are returned as they are.
func keyErrors(path string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return fmt.Errorf("configuration file %s: %w (see the README's Configuration section for the keys)", path, err)
	}
	lines := make([]string, 0, len(te.Errors))
	for _, e := range te.Errors {
		m := unknownField.FindStringSubmatch(e)
		if m == nil {
			lines = append(lines, e)
			continue
		}
		sec, known := sections[m[3]]
		if !known {
			lines = append(lines, e)
			continue
		}
		keys := yamlKeys(sec.typ)
		s := fmt.Sprintf("line %s: unknown key %q %s", m[1], m[2], sec.where)
		if near := closest(m[2], keys); near != "" {
			s += fmt.Sprintf(" — did you mean %s?", near)
		}
		lines = append(lines, s+" (known keys: "+strings.Join(keys, ", ")+")")
	}
	return fmt.Errorf("configuration file %s:\n  %s", path, strings.Join(lines, "\n  "))
}

// yamlKeys are the keys a struct type takes, in declaration order.
func yamlKeys(t reflect.Type) []string {
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}

// closest is the known key nearest to key, if it is near enough to be a slip: at most a
// third of its letters different (and at least one allowed).
func closest(key string, known []string) string {
	best, bestD := "", max(len(key)/3, 1)+1
	for _, k := range known {
		if d := editDistance(strings.ToLower(key), k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance of a and b: insertions, deletions,
// substitutions and swaps of two neighbouring letters ("nmae" is one slip from "name").
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
