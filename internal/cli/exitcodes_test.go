package cli

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The README's exit-code table and run --help list the same codes, and every exit code a
// session outcome maps to is among them.
func TestExitCodesAreDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(readme), "### Exit codes")
	table, _, _ = strings.Cut(table, "\n## ")
	inREADME := map[int]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\| (\d+) \|`).FindAllStringSubmatch(table, -1) {
		n, _ := strconv.Atoi(m[1])
		inREADME[n] = true
	}
	help := exitCodeHelp()
	inHelp := map[int]bool{}
	for _, x := range exitMeanings {
		inHelp[x.code] = true
		if !inREADME[x.code] {
			t.Errorf("exit code %d (%s) is not in the README's table", x.code, x.meaning)
		}
		if !regexp.MustCompile(`(?m)^\s+` + strconv.Itoa(x.code) + `  \S`).MatchString(help) {
			t.Errorf("run --help does not list exit code %d:\n%s", x.code, help)
		}
	}
	for n := range inREADME {
		if !inHelp[n] {
			t.Errorf("the README lists exit code %d, which run --help does not", n)
		}
	}
	for o, x := range outcomeExits {
		if !inHelp[x.code] {
			t.Errorf("outcome %s exits %d, which is not documented", o, x.code)
		}
	}
}
