package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/safetext"
)

// printWhoami writes the report as aligned text. Every server-provided string goes through
// safetext.Line; tokens appear only as fingerprints.
func printWhoami(w io.Writer, r whoamiReport) {
	now := time.Now()
	info := r.Agent
	server := safetext.Line(r.Server.Name) + " · " + r.Server.Host
	if r.Server.Embedded {
		server += " · EMBEDDED"
	}
	fmt.Fprintf(w, "%-13s %s (%s)\n", "Agent", safetext.Line(info.Name), safetext.Line(info.AgentID))
	fmt.Fprintf(w, "%-13s %s · %s\n", "Subject", safetext.Line(info.Subject), safetext.Line(info.IdentityType))
	fmt.Fprintf(w, "%-13s %s\n", "Organization", safetext.Line(info.Organization))
	fmt.Fprintf(w, "%-13s %s\n", "Server", server)
	caps := make([]string, len(info.Capabilities))
	for i, c := range info.Capabilities {
		caps[i] = safetext.Line(c)
	}
	if len(caps) == 0 {
		caps = []string{"(none)"}
	}
	fmt.Fprintf(w, "%-13s %s\n", "Capabilities", strings.Join(caps, ", "))

	b := info.Budget
	fmt.Fprintln(w, "Budget")
	fmt.Fprintf(w, "  %-11s %s\n", "tokens/day", budgetLine(b.TokensUsedToday, b.MaxTokensPerDay, b.TokensResetAt, now))
	fmt.Fprintf(w, "  %-11s %s\n", "calls/hour", budgetLine(b.APICallsThisHour, b.MaxAPICallsPerHour, b.CallsResetAt, now))
	if b.MaxCostPerMonthUSD != nil {
		fmt.Fprintf(w, "  %-11s max $%.2f\n", "cost/month", *b.MaxCostPerMonthUSD)
	}
	if b.RequireApprovalAboveUSD != nil {
		fmt.Fprintf(w, "  %-11s above $%.2f\n", "approval", *b.RequireApprovalAboveUSD)
	}
	if len(b.AllowedModels) > 0 {
		models := make([]string, len(b.AllowedModels))
		for i, m := range b.AllowedModels {
			models[i] = safetext.Line(m)
		}
		fmt.Fprintf(w, "  %-11s %s\n", "models", strings.Join(models, ", "))
	}

	fmt.Fprintf(w, "%-13s %s\n", "Token", tokenSummaryLine(r.Token, now))
	printClaims(w, r.Token.Claims)
	if x := r.Exchange; x != nil {
		switch {
		case x.Error != nil:
			fmt.Fprintf(w, "%-13s %s · FAILED · %s %s\n", "Exchange", safetext.Line(x.Audience), x.Error.Code+":", x.Error.Message)
		case x.Token != nil:
			fmt.Fprintf(w, "%-13s %s · %s\n", "Exchange", safetext.Line(x.Audience), tokenSummaryLine(*x.Token, now))
			printClaims(w, x.Token.Claims)
		}
	}
}

func tokenSummaryLine(t auth.TokenSummary, now time.Time) string {
	s := "sha256:" + safetext.Line(t.Fingerprint)
	if t.Scope != "" {
		s += " · scope " + safetext.Line(t.Scope)
	}
	if !t.ExpiresAt.IsZero() {
		s += " · expires " + whenLine(t.ExpiresAt, now)
	}
	return s
}

func printClaims(w io.Writer, c auth.Claims) {
	rows := [][2]string{{"iss", c.Issuer}, {"sub", c.Subject}, {"aud", strings.Join(c.Audience, " ")}, {"scope", c.Scope},
		{"client_id", c.ClientID}, {"agent_name", c.AgentName}, {"org", c.Org}, {"token_use", c.TokenUse}, {"jti", c.JTI}}
	for _, row := range rows {
		if row[1] != "" {
			fmt.Fprintf(w, "  %-11s %s\n", row[0], safetext.Line(row[1]))
		}
	}
	if !c.IssuedAt.IsZero() {
		fmt.Fprintf(w, "  %-11s %s\n", "iat", c.IssuedAt.UTC().Format(time.RFC3339))
	}
	if !c.ExpiresAt.IsZero() {
		fmt.Fprintf(w, "  %-11s %s\n", "exp", c.ExpiresAt.UTC().Format(time.RFC3339))
	}
}

// budgetLine renders "15,599 of 100,000 (16%) · resets 2026-11-28 00:00 UTC (in 11h42m)".
func budgetLine(used, limit int64, resetsAt, now time.Time) string {
	s := present.UsedOf(used, limit) // the percentage rounded as the dashboard's gauges round it
	if limit > 0 && used >= limit {
		s += " · SPENT"
	}
	if !resetsAt.IsZero() {
		s += " · resets " + whenLine(resetsAt, now)
	}
	return s
}

// whenLine renders an instant in UTC with the time left until it.
func whenLine(t, now time.Time) string {
	s := t.UTC().Format("2006-01-02 15:04 UTC")
	if d := t.Sub(now).Round(time.Second); d > 0 {
		return s + " (in " + numfmt.Duration(d) + ")"
	}
	return s + " (passed)"
}
