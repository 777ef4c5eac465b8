package cli

import (
	"os"
	"strings"
	"testing"
)

// Every documented exit code has its place in the order compare mode picks the worse by, and
// the order is the one the README gives.
func TestExitSeverityRanksEveryCode(t *testing.T) {
	ranked := map[int]bool{}
	for _, c := range exitSeverity {
		if ranked[c] {
			t.Errorf("exit code %d ranked twice", c)
		}
		ranked[c] = true
	}
	for _, x := range exitMeanings {
		if !ranked[x.code] {
			t.Errorf("exit code %d (%s) has no place in exitSeverity", x.code, x.meaning)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if order := severityHelp(); !strings.Contains(strings.ReplaceAll(string(readme), "\n", " "), order) {
		t.Errorf("the README does not give compare mode's order of exit codes, %s", order)
	}
	cases := []struct {
		a, b  int
		worse bool
	}{
		{ExitDenied, ExitOK, true}, {ExitOK, ExitDenied, false}, {ExitBudget, ExitDenied, true},
		{ExitToolFailed, ExitDenied, true}, {ExitAuth, ExitBudget, true}, {ExitCancelled, ExitError, true},
		{ExitDenied, ExitDenied, false}, {99, ExitAuth, true}, {ExitRefused, ExitTruncated, false},
	}
	for _, c := range cases {
		if got := worseExit(c.a, c.b); got != c.worse {
			t.Errorf("worseExit(%d, %d) = %v, want %v", c.a, c.b, got, c.worse)
		}
	}
}
