package demomodel

import (
	"regexp"
	"strings"
)

// intent is what one request asks for, as the planner reads it.
type intent struct {
	metrics []string  // metrics to fetch, as the tool spells them
	unknown []string  // metric-like phrases the vocabulary lacks ("operating margin"): the tool decides
	check   []string  // metrics a document question is about: fetched at the period the document names
	periods periodAsk // the periods asked for
	docs    bool      // search the documents
	kind    string    // the kind of document named ("board memo"), "" for any
	topic   string    // what to search the documents for
	chat    bool      // a greeting or a question about the assistant: no tool helps
	context bool      // metrics or periods were taken from the previous request
}

// previous is what the last answered request was about, for follow-ups ("and for Q4?").
type previous struct {
	metrics []string
	periods []period // resolved from the tool results' labels
	kind    string
}

func (p previous) year() int {
	y := 0
	for _, q := range p.periods {
		y = max(y, q.year)
	}
	return y
}

var (
	chatRe      = regexp.MustCompile(`(?i)^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening)|thanks|thank you|help|who are you|what (?:can|do) you do|what are you)\b`)
	followUpRe  = regexp.MustCompile(`(?i)^\s*(?:and|also|now|then|ok(?:ay)?|same)\b|\b(?:what|how) about\b|\bsame (?:for|thing)\b|\binstead\b`)
	compareRe   = regexp.MustCompile(`(?i)\b(?:compare[sd]?|comparison|versus|vs\.?|against|change[sd]?|differ(?:ence)?|trend|evolve[sd]?|move[sd]?|shift(?:ed)?)\b`)
	growthRe    = regexp.MustCompile(`(?i)\b(?:grow|grew|grown|growth|increase[sd]?|decrease[sd]?|decline[sd]?|rise|rose|fell|fall|improve[sd]?)\b`)
	explainRe   = regexp.MustCompile(`(?i)\b(?:why|explain|explains|reasons?|drivers?|drove|driven|caused?|because)\b`)
	sayRe       = regexp.MustCompile(`(?i)\b(?:say|says|said|write|wrote|mention|mentions|mentioned|state|states|note|notes|cover|covers|flag|flags|flagged|list|lists)\b`)
	aboutRe     = regexp.MustCompile(`(?i)\b(?:say|says|said|write|wrote|mention|note|notes)\s+(?:about|on|regarding|of)\s+(.+?)\s*[?.!]*$`)
	docQueryRes = []*regexp.Regexp{
		regexp.MustCompile(`(?i)\b(?:documents?|docs|files|reports?|memos?|filings?)\s+(?:for|about|on|regarding|mentioning|covering|related to)\s+(.+?)(?:\s*[,.;!?]|\s+then\b|\s+and\s+(?:then\s+)?(?:query|get|fetch|look|check|tell|show|find|give)\b|$)`),
		regexp.MustCompile(`(?i)\bsearch(?:\s+for)?\s+(.+?)\s+in\s+(?:the\s+)?(?:company\s+)?(?:documents?|docs|files|reports?)\b`),
		regexp.MustCompile(`(?i)\b(?:search|find|look\s+up|look\s+for)\s+(?:for\s+)?(.+?)(?:\s*[,.;!?]|\s+then\b|$)`),
	}
	filler = regexp.MustCompile(`(?i)\b(?:what|whats|what's|which|who|how|did|does|do|is|are|was|were|will|would|could|can|should|the|a|an|our|its|their|in|on|of|for|to|about|say|says|said|tell|me|us|please|show|give|find|search|look|up|company|acme|corp|and|that|this|there|any|all|mention|mentions|mentioned|write|wrote|latest|recent|documents?|docs|files)\b`)
)

// readIntent reads the request's prompt; prev is the request before it, for follow-ups.
func readIntent(prompt string, ts toolset, prev previous) intent {
	var in intent
	kind, kindLoc := askedKind(prompt)
	in.kind = kind
	topic, fromCommand := docTopic(prompt)
	in.docs = ts.docs != "" && (topic != "" || kind != "" || docWords.MatchString(prompt) || forwardWords.MatchString(prompt) || explainRe.MatchString(prompt))

	rest := prompt
	if topic != "" {
		rest = strings.Replace(rest, topic, " ", 1)
	}
	if ts.fin != "" {
		in.metrics, in.unknown = ts.metricsIn(rest)
		if topic != "" && !fromCommand && kind != "" {
			in.check, _ = ts.metricsIn(topic)
		}
	}
	isFollowUp := followUpRe.MatchString(prompt)
	contextYear := 0
	if isFollowUp {
		contextYear = prev.year()
	}
	in.periods = readPeriods(prompt, contextYear)
	if ts.fin != "" && len(in.metrics)+len(in.unknown)+len(in.check) == 0 && kind == "" && topic == "" && len(prev.metrics) > 0 && (isFollowUp || !in.periods.empty()) {
		in.metrics, in.context = prev.metrics, true
	}
	if len(in.metrics)+len(in.unknown) > 0 && in.periods.empty() && len(prev.periods) > 0 && (isFollowUp || in.context) {
		in.periods.list, in.context = prev.periods, true
	}
	if kind == "" && in.docs && isFollowUp && prev.kind != "" {
		in.kind = prev.kind
	}
	if len(in.periods.list) == 1 && in.periods.lastN == 0 && !in.periods.yoy && !in.periods.qoq && !in.periods.since {
		switch {
		case growthRe.MatchString(prompt) && !compareRe.MatchString(prompt):
			in.periods.yoy = true
		case compareRe.MatchString(prompt) || growthRe.MatchString(prompt):
			in.periods.qoq = true
		}
	}
	mapped := len(in.metrics)+len(in.unknown)+len(in.check) > 0
	switch {
	case !mapped && !in.docs && chatRe.MatchString(prompt):
		in.chat = true
	case !mapped && ts.docs != "":
		in.docs = true // a question the figures cannot answer may be in the documents
	}
	if in.docs && topic == "" {
		topic = contentWords(prompt, kindLoc)
		if explainRe.MatchString(prompt) || topic == "" {
			topic = strings.TrimSpace(contentWords(explainRe.ReplaceAllString(prompt, " "), nil))
		}
	}
	in.topic = topic
	return in
}

// docTopic is what a prompt asks to search for: the phrase after "documents about",
// "search for" or "say about". fromCommand says the prompt told the planner to search.
func docTopic(prompt string) (topic string, fromCommand bool) {
	clean := func(q string) string {
		q = strings.TrimSpace(strings.Trim(strings.TrimSpace(q), `"'`))
		q = strings.TrimPrefix(strings.TrimPrefix(q, "the "), "for ")
		return strings.TrimSpace(q)
	}
	for _, re := range docQueryRes {
		if m := re.FindStringSubmatch(prompt); m != nil {
			if q := clean(m[1]); q != "" && !docWords.MatchString(q) {
				return q, true
			}
		}
	}
	if m := aboutRe.FindStringSubmatch(prompt); m != nil && sayRe.MatchString(prompt) {
		if _, loc := askedKind(m[1]); loc == nil {
			return clean(m[1]), false
		}
	}
	return "", false
}

// contentWords is the prompt without its question words, the document kind it names (at
// kindLoc) and punctuation: what a person would type into a search box.
func contentWords(prompt string, kindLoc []int) string {
	s := prompt
	if kindLoc != nil && len(strings.ToLower(s)) == len(s) { // kindLoc indexes the lower-cased prompt
		s = s[:kindLoc[0]] + " " + s[kindLoc[1]:]
	}
	s = sayRe.ReplaceAllString(s, " ")
	s = filler.ReplaceAllString(s, " ")
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`?!.,;:"()`, r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
