package auth

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lumodash/lumodash/internal/numfmt"
)

const userinfoEndpoint = "/oauth/userinfo"

// Info returns the agent's identity, capabilities and budget: the cached copy while it is
// younger than the max age (WithInfoMaxAge), else a fresh one. Concurrent callers share one
// request.
func (a *Agent) Info(ctx context.Context) (Info, error) {
	if info, ok := a.freshInfo(); ok {
		return info, nil
	}
	return a.RefreshInfo(ctx)
}

// RefreshInfo asks the server now (joining a request already in flight).
func (a *Agent) RefreshInfo(ctx context.Context) (Info, error) {
	v, err := a.shared(ctx, "info", userinfoEndpoint, func(ctx context.Context) (any, error) {
		return a.fetchInfo(ctx)
	})
	if err != nil {
		return Info{}, err
	}
	return cloneInfo(v.(*Info)), nil
}

// CachedInfo returns the last info fetched, however old, without I/O.
func (a *Agent) CachedInfo() (Info, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.info == nil {
		return Info{}, false
	}
	return cloneInfo(a.info), true
}

// HasCapability reports whether the agent holds capability (exact match), from info no older
// than the max age.
func (a *Agent) HasCapability(ctx context.Context, capability string) (bool, error) {
	a.mu.Lock()
	if a.infoFreshLocked(false) { // capabilities do not move with usage
		has := slices.Contains(a.info.Capabilities, capability)
		a.mu.Unlock()
		return has, nil
	}
	a.mu.Unlock()
	info, err := a.RefreshInfo(ctx)
	if err != nil {
		return false, err
	}
	return slices.Contains(info.Capabilities, capability), nil
}

// BudgetExhausted says whether a budget limit is spent: tokens per day (when its max > 0),
// then API calls per hour (when its max > 0), and when that limit resets.
func (a *Agent) BudgetExhausted(ctx context.Context) (BudgetStatus, error) {
	info, err := a.Info(ctx)
	if err != nil {
		return BudgetStatus{}, err
	}
	return budgetStatus(info.Budget), nil
}

func budgetStatus(p BudgetPolicy) BudgetStatus {
	st := BudgetStatus{Policy: p}
	switch {
	case p.MaxTokensPerDay > 0 && p.TokensUsedToday >= p.MaxTokensPerDay:
		st.Exhausted, st.Limit, st.ResetsAt = true, "tokens/day", p.TokensResetAt
	case p.MaxAPICallsPerHour > 0 && p.APICallsThisHour >= p.MaxAPICallsPerHour:
		st.Exhausted, st.Limit, st.ResetsAt = true, "calls/hour", p.CallsResetAt
	}
	return st
}

func (a *Agent) freshInfo() (Info, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.infoFreshLocked(true) {
		return Info{}, false
	}
	return cloneInfo(a.info), true
}

// infoFreshLocked says whether the cached info may be served; budgetToo also requires that
// no usage was reported since it was fetched.
func (a *Agent) infoFreshLocked(budgetToo bool) bool {
	return a.info != nil && !(budgetToo && a.infoStale) && a.now().Sub(a.info.FetchedAt) < a.infoMaxAge
}

func (a *Agent) fetchInfo(ctx context.Context) (*Info, error) {
	path := a.cfg.path(userinfoEndpoint)
	var w infoWire
	ans, err := a.authedJSON(ctx, http.MethodGet, userinfoEndpoint, nil, &w)
	if err != nil {
		a.report(Report{Kind: ReportInfoFailed, Duration: ans.duration, Method: http.MethodGet, Endpoint: path,
			Status: ans.status, Err: err, Detail: "userinfo failed"})
		return nil, err
	}
	now := a.now()
	info := w.info(now)
	a.mu.Lock()
	a.info, a.infoStale = info, false
	a.mu.Unlock()
	shown := cloneInfo(info)
	a.report(Report{Kind: ReportInfoRefreshed, Duration: ans.duration, Method: http.MethodGet, Endpoint: path,
		Status: ans.status, Info: &shown, Detail: describeInfo(info)})
	return info, nil
}

// infoWire is the userinfo answer; numbers and times are read leniently.
type infoWire struct {
	Subject      string     `json:"sub"`
	Name         string     `json:"name"`
	AgentID      string     `json:"agent_id"`
	IdentityType string     `json:"identity_type"`
	Capabilities []string   `json:"capabilities"`
	Budget       budgetWire `json:"budget_policy"`
	Organization string     `json:"organization"`
	Tenant       string     `json:"tenant"`
	JIT          []JITOffer `json:"jit_requestable"`
}

type budgetWire struct {
	MaxTokensPerDay         flexInt  `json:"max_tokens_per_day"`
	TokensUsedToday         flexInt  `json:"tokens_used_today"`
	MaxAPICallsPerHour      flexInt  `json:"max_api_calls_per_hour"`
	APICallsThisHour        flexInt  `json:"api_calls_this_hour"`
	MaxCostPerMonthUSD      *float64 `json:"max_cost_per_month_usd"`
	AllowedModels           []string `json:"allowed_models"`
	RequireApprovalAboveUSD *float64 `json:"require_approval_above_usd"`
	TokensResetAt           flexTime `json:"tokens_reset_at"`
	CallsResetAt            flexTime `json:"calls_reset_at"`
}

func (w infoWire) info(now time.Time) *Info {
	b := w.Budget
	policy := BudgetPolicy{
		MaxTokensPerDay: int64(b.MaxTokensPerDay), TokensUsedToday: int64(b.TokensUsedToday),
		MaxAPICallsPerHour: int64(b.MaxAPICallsPerHour), APICallsThisHour: int64(b.APICallsThisHour),
		MaxCostPerMonthUSD: b.MaxCostPerMonthUSD, AllowedModels: b.AllowedModels,
		RequireApprovalAboveUSD: b.RequireApprovalAboveUSD,
		TokensResetAt:           time.Time(b.TokensResetAt),
		CallsResetAt:            time.Time(b.CallsResetAt),
	}
	if policy.TokensResetAt.IsZero() {
		policy.TokensResetAt = NextUTCMidnight(now)
	}
	if policy.CallsResetAt.IsZero() {
		policy.CallsResetAt = NextFullHour(now)
	}
	caps := w.Capabilities
	if caps == nil {
		caps = []string{}
	}
	return &Info{
		Subject: w.Subject, Name: w.Name, AgentID: w.AgentID, IdentityType: w.IdentityType,
		Capabilities: caps, Budget: policy,
		Organization:   cmp.Or(w.Organization, w.Tenant),
		FetchedAt:      now,
		JITRequestable: w.JIT,
	}
}

// NextUTCMidnight is when a per-day budget resets if the server does not say.
func NextUTCMidnight(now time.Time) time.Time {
	return now.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
}

// NextFullHour is when a per-hour budget resets if the server does not say.
func NextFullHour(now time.Time) time.Time {
	return now.UTC().Truncate(time.Hour).Add(time.Hour)
}

func cloneInfo(i *Info) Info {
	c := *i
	c.Capabilities = slices.Clone(i.Capabilities)
	c.Budget.AllowedModels = slices.Clone(i.Budget.AllowedModels)
	c.JITRequestable = slices.Clone(i.JITRequestable)
	return c
}

func describeInfo(i *Info) string {
	caps := numfmt.Group(int64(len(i.Capabilities))) + " capabilities"
	if len(i.Capabilities) == 1 {
		caps = "1 capability"
	}
	parts := []string{caps}
	if b := i.Budget; b.MaxTokensPerDay > 0 {
		parts = append(parts, "tokens "+numfmt.Group(b.TokensUsedToday)+"/"+numfmt.Group(b.MaxTokensPerDay))
	}
	if b := i.Budget; b.MaxAPICallsPerHour > 0 {
		parts = append(parts, "calls "+numfmt.Group(b.APICallsThisHour)+"/"+numfmt.Group(b.MaxAPICallsPerHour))
	}
	return strings.Join(parts, " · ")
}
