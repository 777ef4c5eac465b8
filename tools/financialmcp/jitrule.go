package financialmcp

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/auth"
)

// JITRule marks get_metric calls that need a just-in-time grant even from a token that holds
// the scope: calls for Metric (or a margin computed from it), for a period overlapping
// Period, or both when both are set. Reason is told to the agent and its reviewer.
type JITRule struct {
	Metric, Period, Reason string
}

// rule is a JITRule resolved against the dataset.
type rule struct {
	JITRule
	metric   *metricDef      // nil = any metric
	quarters map[[2]int]bool // year and quarter covered; nil = any period
}

// compileRules resolves the rules' metrics and periods, so a typo fails at start, not never.
func compileRules(rules []JITRule) ([]rule, error) {
	out := make([]rule, 0, len(rules))
	for i, r := range rules {
		c := rule{JITRule: r}
		if strings.TrimSpace(r.Metric) == "" && strings.TrimSpace(r.Period) == "" {
			return nil, fmt.Errorf("financialmcp: JIT rule %d names neither a metric nor a period", i+1)
		}
		if r.Metric != "" {
			def, err := resolveMetric(r.Metric)
			if err != nil {
				return nil, fmt.Errorf("financialmcp: JIT rule %d: %w", i+1, err)
			}
			c.metric = def
		}
		if r.Period != "" {
			qs, err := periodQuarters(r.Period)
			if err != nil {
				return nil, fmt.Errorf("financialmcp: JIT rule %d: %w", i+1, err)
			}
			c.quarters = map[[2]int]bool{}
			for _, q := range qs {
				c.quarters[[2]int{q.Year, q.Q}] = true
			}
		}
		out = append(out, c)
	}
	return out, nil
}

func periodQuarters(s string) ([]quarter, error) {
	p, err := parsePeriod(s)
	if err != nil {
		return nil, err
	}
	return p.quarters()
}

// matches says whether get_metric(metric, period) falls under r. A call the dataset cannot
// answer matches nothing: the tool itself explains the error.
func (r rule) matches(metric, period string) bool {
	def, err := resolveMetric(metric)
	if err != nil {
		return false
	}
	if r.metric != nil && def != r.metric && !slices.Contains(def.ratioOf[:], r.metric.Metric) {
		return false
	}
	if r.quarters == nil {
		return true
	}
	qs, err := periodQuarters(period)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(qs, func(q quarter) bool { return r.quarters[[2]int{q.Year, q.Q}] })
}

// jitGate refuses the MCP requests the rules cover unless the token carries the grant.
type jitGate struct {
	rules      []rule
	capability string // the grant must name it, e.g. mcp:financial
	identifier string // the resource the grant is for, e.g. urn:mcp:financial-data
}

// maxMessage bounds the MCP request bodies the gate reads.
const maxMessage = 1 << 20

func (g *jitGate) wrap(base string, next http.Handler) http.Handler {
	if len(g.rules) == 0 {
		return next
	}
	metadataURL := base + MetadataPath
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxMessage+1))
		switch {
		case err != nil:
			http.Error(w, "reading the request: "+err.Error(), http.StatusBadRequest)
			return
		case len(body) > maxMessage:
			http.Error(w, fmt.Sprintf("an MCP message over %d bytes is not accepted", maxMessage), http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if hit, ok := g.refused(body, auth.TokenInfoFromContext(r.Context())); ok {
			g.refuse(w, metadataURL, hit)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// refused finds a tools/call of get_metric (one message or a batch) that a rule covers and
// the token's grants do not.
func (g *jitGate) refused(body []byte, info *auth.TokenInfo) (rule, bool) {
	type call struct {
		Method string `json:"method"`
		Params struct {
			Name      string `json:"name"`
			Arguments struct {
				Metric string `json:"metric"`
				Period string `json:"period"`
			} `json:"arguments"`
		} `json:"params"`
	}
	var msgs []call
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '[' {
		_ = json.Unmarshal(trimmed, &msgs)
	} else {
		var one call
		if json.Unmarshal(trimmed, &one) == nil {
			msgs = []call{one}
		}
	}
	if g.granted(info) {
		return rule{}, false
	}
	for _, m := range msgs {
		if m.Method != "tools/call" || m.Params.Name != "get_metric" {
			continue
		}
		for _, r := range g.rules {
			if r.matches(m.Params.Arguments.Metric, m.Params.Arguments.Period) {
				return r, true
			}
		}
	}
	return rule{}, false
}

// granted says whether the token carries a JIT grant of the capability for this resource.
func (g *jitGate) granted(info *auth.TokenInfo) bool {
	if info == nil {
		return false
	}
	grants, _ := info.Extra[extraGrants].([]grantDetail)
	return slices.ContainsFunc(grants, func(d grantDetail) bool {
		return d.Type == "agent_capability" && slices.Contains(d.Actions, g.capability) &&
			(d.Identifier == "" || d.Identifier == g.identifier)
	})
}

// required is the authorization details object a refused call needs.
func (g *jitGate) required() map[string]any {
	return map[string]any{"type": "agent_capability", "actions": []string{g.capability}, "identifier": g.identifier}
}

// refuse answers 403 the way LumoAuth's JIT guide and the SDKs' call_with_escalation read it:
// WWW-Authenticate error="insufficient_authorization_details", the details in the
// Insufficient-Authorization-Details header (standard base64 of one JSON object) and, in the
// body, the same as authorization_details_hint.
func (g *jitGate) refuse(w http.ResponseWriter, metadataURL string, r rule) {
	details := g.required()
	encoded, _ := json.Marshal(details)
	what := "this call"
	switch {
	case r.Metric != "" && r.Period != "":
		what = r.metric.Metric + " for " + r.Period
	case r.Metric != "":
		what = r.metric.Metric
	case r.Period != "":
		what = "figures for " + r.Period
	}
	desc := fmt.Sprintf("%s needs a just-in-time grant of %s, even for an agent that holds it", what, g.capability)
	if r.Reason != "" {
		desc += " (" + r.Reason + ")"
	}
	desc += "; request it with these authorization_details and retry with the token exchanged from the grant"
	w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer error="insufficient_authorization_details", error_description="%s", resource_metadata="%s"`,
		quotable(desc), quotable(metadataURL)))
	w.Header().Set("Insufficient-Authorization-Details", base64.StdEncoding.EncodeToString(encoded))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusForbidden)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": "insufficient_authorization_details",
		"error_description": desc, "authorization_details_hint": details})
}

// Matches says whether get_metric(metric, period) falls under r, as the server's own rules
// match (aliases, margins computed from the metric, overlapping periods); an error names a
// metric or period of r that the dataset does not know. Agents use it for rules of their own
// (lumodash's approval_required).
func (r JITRule) Matches(metric, period string) (bool, error) {
	rs, err := compileRules([]JITRule{r})
	if err != nil {
		return false, err
	}
	return rs[0].matches(metric, period), nil
}
