package demomodel

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// call is one planned tool call.
type call struct {
	Name string
	Args map[string]string
}

func (c call) argsJSON() string {
	b, _ := json.Marshal(c.Args) // map keys marshal sorted: deterministic
	return string(b)
}

func (c call) key() string { return c.Name + c.argsJSON() }

// outcome is a call made in this request and what came back, read into what the answer
// needs: a figure, document hits, or the reason it failed.
type outcome struct {
	call   call
	status string // "ok", "denied", "failed", or "missing" (no result came back)
	text   string // the result, without its status prefix
	fig    *figure
	hits   []docHit
}

// figure is one value a financial tool returned, e.g. "Acme Corp EBITDA, Q3 2026: $4.21M".
type figure struct {
	metric  string // as the call asked for it
	name    string // how the answer names it
	period  period
	label   string // the period as the tool wrote it
	value   float64
	unit    string // "$", "%" or "" (a count)
	display string // the value as the tool wrote it
}

// docHit is one document a search returned.
type docHit struct{ title, path, passage string }

// readOutcome reads a tool result. Financial results and search results are parsed into
// figures and hits; the status prefixes the runner adds ("Error: …", "DENIED: …") say
// whether the call failed and why.
func readOutcome(c call, res string, answered bool, ts toolset) outcome {
	o := outcome{call: c, status: "ok", text: strings.TrimSpace(res)}
	if !answered {
		o.status = "missing"
		return o
	}
	upper := strings.ToUpper(o.text)
	for _, prefix := range []string{"DENIED:", "ERROR:"} {
		if strings.HasPrefix(upper, prefix) {
			o.text = strings.TrimSpace(o.text[len(prefix):])
			o.status = "failed"
			if prefix == "DENIED:" || deniedRe.MatchString(o.text) {
				o.status = "denied"
			}
		}
	}
	if o.status != "ok" {
		return o
	}
	switch c.Name {
	case ts.fin:
		o.fig = readFigure(o.text, c.Args[ts.metric])
	case ts.docs:
		o.hits = readHits(o.text)
	}
	return o
}

var deniedRe = regexp.MustCompile(`(?i)\b(?:lacks?|denied|declined|refused|forbidden|not allowed|not permitted)\b`)

var (
	figureLineRe = regexp.MustCompile(`^(.+), ([^,:\n]+): (\S+)$`)
	amountRe     = regexp.MustCompile(`^(-)?(\$)?(-)?([0-9][0-9,]*(?:\.[0-9]+)?)([KMB])?(%)?$`)
)

// readFigure reads "<company> <metric name>, <period>: <value>"; nil when the text is not one.
func readFigure(text, metric string) *figure {
	m := figureLineRe.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return nil
	}
	value, unit, ok := parseAmount(m[3])
	if !ok {
		return nil
	}
	p, ok := parsePeriodLabel(m[2])
	if !ok {
		return nil
	}
	return &figure{metric: metric, name: humanMetric(metric), period: p, label: m[2], value: value, unit: unit, display: m[3]}
}

// parseAmount reads "$4.21M", "-$310K", "18.4%" or "1,427".
func parseAmount(s string) (value float64, unit string, ok bool) {
	m := amountRe.FindStringSubmatch(s)
	if m == nil || (m[2] != "" && m[6] != "") {
		return 0, "", false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(m[4], ",", ""), 64)
	if err != nil {
		return 0, "", false
	}
	v *= map[string]float64{"": 1, "K": 1e3, "M": 1e6, "B": 1e9}[m[5]]
	if m[1] != "" || m[3] != "" {
		v = -v
	}
	switch {
	case m[2] != "":
		unit = "$"
	case m[6] != "":
		unit = "%"
	}
	return v, unit, true
}

var (
	hitLineRe  = regexp.MustCompile(`^\s*\d+[.)]\s+(.+?)\s+\(([^,()]+),\s*score\s+[0-9.]+\)\s*$`)
	listItemRe = regexp.MustCompile(`^\s*(?:\d+[.)]|[-*•])\s+(.+)$`)
	titleCutRe = regexp.MustCompile(`\s+(?:—|–|\|)\s+|\s+\(`)
	countRe    = regexp.MustCompile(`(?i)\b(?:found|matched)\s+(\d+)\b`)
)

// readHits reads a search result: numbered hits "1. Title (path, score 1.2)", each with
// its snippet on the next line, or any list of titles another search tool returns.
func readHits(text string) []docHit {
	var hits []docHit
	for _, line := range strings.Split(text, "\n") {
		if m := hitLineRe.FindStringSubmatch(line); m != nil {
			hits = append(hits, docHit{title: strings.TrimSpace(m[1]), path: m[2]})
			continue
		}
		if m := listItemRe.FindStringSubmatch(line); m != nil {
			title := strings.TrimSpace(m[1])
			if loc := titleCutRe.FindStringIndex(title); loc != nil && loc[0] > 0 {
				title = title[:loc[0]]
			}
			if title = strings.Trim(title, "*#\"' "); title != "" {
				hits = append(hits, docHit{title: title})
			}
			continue
		}
		if l := strings.TrimSpace(line); l != "" && len(hits) > 0 && hits[len(hits)-1].passage == "" && !countRe.MatchString(l) {
			hits[len(hits)-1].passage = l
		}
	}
	return hits
}

// errorCoverage reads the range an unknown-period error names ("covers 2024-Q1 … 2026-Q3").
var coverageRe = regexp.MustCompile(`(?i)covers\s+(\S+)\s*(?:…|\.\.\.|to|-|–)\s*(\S+)`)

func errorCoverage(text string) (first, last period, ok bool) {
	m := coverageRe.FindStringSubmatch(text)
	if m == nil {
		return period{}, period{}, false
	}
	first, ok1 := parsePeriodLabel(m[1])
	last, ok2 := parsePeriodLabel(m[2])
	return first, last, ok1 && ok2
}

var validMetricsRe = regexp.MustCompile(`(?i)valid metrics:\s*([a-z0-9_, ]+)`)

// errorMetrics reads the metric names an unknown-metric error lists.
func errorMetrics(text string) []string {
	m := validMetricsRe.FindStringSubmatch(text)
	if m == nil {
		return nil
	}
	var out []string
	for _, s := range strings.Split(m[1], ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// argsOf decodes a tool call's JSON arguments into strings.
func argsOf(raw string) map[string]string {
	var m map[string]any
	_ = json.Unmarshal([]byte(raw), &m)
	out := map[string]string{}
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		} else {
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}
