package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
)

type whoamiFlags struct {
	audience string
	json     bool
}

func newWhoamiCmd(s *app.Settings) *cobra.Command {
	wf := &whoamiFlags{}
	cmd := &cobra.Command{
		Use:   "whoami",
		Short: "Authenticate and show the agent's identity, capabilities, budget and token",
		Long: "whoami signs in with client credentials (the configured LumoAuth, or the embedded server when\n" +
			"nothing is configured) and prints who the agent is, what it may do and what budget is left.\n" +
			"The token is shown only as a fingerprint with its decoded claims.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runWhoami(cmd.Context(), *s, wf, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&wf.audience, "audience", "", "also exchange the token (RFC 8693) for this audience, e.g. urn:mcp:financial-data")
	cmd.Flags().BoolVar(&wf.json, "json", false, "print JSON instead of text")
	return cmd
}

// whoamiReport is what whoami found, also its --json shape.
type whoamiReport struct {
	Server   session.Part      `json:"server"`
	Agent    auth.Info         `json:"agent"`
	Token    auth.TokenSummary `json:"token"`
	Exchange *whoamiExchange   `json:"exchange,omitempty"`
}

type whoamiExchange struct {
	Audience string             `json:"audience"`
	Token    *auth.TokenSummary `json:"token,omitempty"`
	Error    *session.ErrorInfo `json:"error,omitempty"`
}

func runWhoami(ctx context.Context, s app.Settings, wf *whoamiFlags, out, errOut io.Writer) error {
	w, err := app.Open(ctx, s, app.ScopeAuth)
	if err != nil {
		return worldError(err)
	}
	defer w.Close()
	printNotices(errOut, w)
	as := w.Auth
	agent, err := as.NewAgent("", nil)
	if err != nil {
		return worldError(err)
	}
	rep := whoamiReport{Server: as.Part}
	if rep.Token, err = agent.Authenticate(ctx); err != nil {
		return withCode(ExitAuth, cleanError{fmt.Errorf("authenticating %s at %s: %w", as.Client.ClientID, as.Part.Host, err)})
	}
	if rep.Agent, err = agent.Info(ctx); err != nil {
		return withCode(ExitAuth, cleanError{fmt.Errorf("reading the agent's info (userinfo): %w", err)})
	}
	var exchangeErr error
	if wf.audience != "" {
		rep.Exchange = &whoamiExchange{Audience: wf.audience}
		cred, err := agent.Exchange(ctx, wf.audience)
		if err != nil {
			exchangeErr = cleanError{fmt.Errorf("token exchange for %s: %w", wf.audience, err)}
			rep.Exchange.Error = errorInfoOf(err)
		} else {
			rep.Exchange.Token = &cred.Summary
		}
	}
	if wf.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return withCode(ExitError, err)
		}
	} else {
		printWhoami(out, rep)
	}
	switch {
	case exchangeErr == nil:
		return nil
	case auth.IsBudgetExceeded(exchangeErr):
		return withCode(ExitBudget, exchangeErr)
	default:
		return withCode(ExitAuth, exchangeErr)
	}
}

// cleanError shows an error with terminal control sequences stripped (servers write parts of
// it) while keeping the chain for errors.As.
type cleanError struct{ err error }

func (e cleanError) Error() string { return safetext.Line(e.err.Error()) }
func (e cleanError) Unwrap() error { return e.err }

func errorInfoOf(err error) *session.ErrorInfo {
	info := &session.ErrorInfo{Message: safetext.Line(err.Error())}
	var oe *auth.OAuthError
	if errors.As(err, &oe) {
		info.Code, info.Status = safetext.Line(oe.Code), oe.Status
		if oe.Description != "" {
			info.Message = safetext.Line(oe.Description)
		}
	}
	return info
}
