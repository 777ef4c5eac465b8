package devserver

import (
	"fmt"
	"math"
	"time"
)

// meter counts an agent's model tokens per UTC day and API calls per clock hour.
// It is guarded by the Server's mutex.
type meter struct {
	maxTokens, maxCalls int64
	tokens, calls       int64
	day, hour           time.Time // start of the current windows
}

func newMeter(b BudgetConfig, now time.Time) *meter {
	m := &meter{maxTokens: b.MaxTokensPerDay, maxCalls: b.MaxAPICallsPerHour,
		tokens: b.TokensUsedToday, calls: b.APICallsThisHour}
	m.day, m.hour = windows(now)
	return m
}

// windows returns the start of the UTC day and of the hour containing now.
func windows(now time.Time) (day, hour time.Time) {
	now = now.UTC()
	return now.Truncate(24 * time.Hour), now.Truncate(time.Hour)
}

// roll resets the counters whose window has passed.
func (m *meter) roll(now time.Time) {
	day, hour := windows(now)
	if !day.Equal(m.day) {
		m.day, m.tokens = day, 0
	}
	if !hour.Equal(m.hour) {
		m.hour, m.calls = hour, 0
	}
}

// spent says which limit, if any, is used up: "tokens/day" or "calls/hour", with a description
// naming the numbers and when the limit resets.
func (m *meter) spent(now time.Time) (limit, desc string, resetsAt time.Time) {
	m.roll(now)
	switch {
	case m.maxTokens > 0 && m.tokens >= m.maxTokens:
		resetsAt = m.day.Add(24 * time.Hour)
		return "tokens/day", fmt.Sprintf("tokens/day budget spent (%d of %d tokens used today); resets at %s",
			m.tokens, m.maxTokens, resetsAt.Format(time.RFC3339)), resetsAt
	case m.maxCalls > 0 && m.calls >= m.maxCalls:
		resetsAt = m.hour.Add(time.Hour)
		return "calls/hour", fmt.Sprintf("calls/hour budget spent (%d of %d API calls this hour); resets at %s",
			m.calls, m.maxCalls, resetsAt.Format(time.RFC3339)), resetsAt
	}
	return "", "", time.Time{}
}

func (m *meter) countCall(now time.Time) {
	m.roll(now)
	m.calls = addSaturating(m.calls, 1)
}

// addTokens meters n ≥ 0 tokens; negative n is ignored so usage never goes down.
func (m *meter) addTokens(now time.Time, n int64) {
	m.roll(now)
	m.tokens = addSaturating(m.tokens, n)
}

// addSaturating adds n ≥ 0 to v, stopping at math.MaxInt64 instead of wrapping to a
// negative count that no limit would ever reach.
func addSaturating(v, n int64) int64 {
	switch {
	case n <= 0:
		return v
	case v > math.MaxInt64-n:
		return math.MaxInt64
	}
	return v + n
}

// budgetPolicy is userinfo's budget_policy: every LumoAuth field (null when not configured)
// plus our reset-time extension.
type budgetPolicy struct {
	MaxTokensPerDay         int64    `json:"max_tokens_per_day"`
	TokensUsedToday         int64    `json:"tokens_used_today"`
	MaxAPICallsPerHour      int64    `json:"max_api_calls_per_hour"`
	APICallsThisHour        int64    `json:"api_calls_this_hour"`
	MaxCostPerMonthUSD      *float64 `json:"max_cost_per_month_usd"`
	AllowedModels           []string `json:"allowed_models"`
	RequireApprovalAboveUSD *float64 `json:"require_approval_above_usd"`
	TokensResetAt           string   `json:"tokens_reset_at"`
	CallsResetAt            string   `json:"calls_reset_at"`
}

func (m *meter) policy(b BudgetConfig, now time.Time) budgetPolicy {
	m.roll(now)
	return budgetPolicy{
		MaxTokensPerDay: m.maxTokens, TokensUsedToday: m.tokens,
		MaxAPICallsPerHour: m.maxCalls, APICallsThisHour: m.calls,
		MaxCostPerMonthUSD: b.MaxCostPerMonthUSD, AllowedModels: b.AllowedModels,
		RequireApprovalAboveUSD: b.RequireApprovalAboveUSD,
		TokensResetAt:           m.day.Add(24 * time.Hour).Format(time.RFC3339),
		CallsResetAt:            m.hour.Add(time.Hour).Format(time.RFC3339),
	}
}
