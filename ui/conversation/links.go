package conversation

import (
	"net/url"
	"strings"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/styles"
)

// markdownOptions are the renderer's options for a standard style: links are drawn as their
// text followed by the target in parentheses, "report (javascript:…)", so where a link
// points is always visible (the target is never hidden behind its text).
func markdownOptions(style string, width int) []glamour.TermRendererOption {
	opts := []glamour.TermRendererOption{glamour.WithWordWrap(max(width-2, 10))}
	base, ok := styles.DefaultStyles[style]
	if !ok {
		return append(opts, glamour.WithStandardStyle(style))
	}
	cfg := *base
	cfg.Link.BlockPrefix, cfg.Link.BlockSuffix = "(", ")"
	return append(opts, glamour.WithStyles(cfg))
}

// keepHyperlinks removes the OSC 8 hyperlinks glamour puts around every link in rendered
// Markdown, except — when the user asked for links (--links, links: true) — those to an
// http or https target. The model's text is untrusted: a javascript:, file: or look-alike
// link must not become something a click opens. The text and the visible target stay.
func keepHyperlinks(rendered string, allow bool) string {
	const open = "\x1b]8;"
	if !strings.Contains(rendered, open) {
		return rendered
	}
	var b strings.Builder
	b.Grow(len(rendered))
	for {
		i := strings.Index(rendered, open)
		if i < 0 {
			b.WriteString(rendered)
			return b.String()
		}
		b.WriteString(rendered[:i])
		seq, rest := cutOSC(rendered[i:])
		if allow && webTarget(seq) {
			b.WriteString(seq)
		}
		rendered = rest
	}
}

// cutOSC splits s, which starts with an OSC sequence, after its terminator (BEL or ST); an
// unterminated sequence takes the rest of s.
func cutOSC(s string) (seq, rest string) {
	for i := 2; i < len(s); i++ {
		switch {
		case s[i] == '\a':
			return s[:i+1], s[i+1:]
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return s[:i+2], s[i+2:]
		}
	}
	return s, ""
}

// webTarget reports whether an OSC 8 sequence opens a link to an http(s) URL with a host
// (the closing sequence, with no target, is kept with its opener).
func webTarget(seq string) bool {
	body := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b]8;"), "\a"), "\x1b\\")
	_, target, ok := strings.Cut(body, ";")
	if !ok {
		return false
	}
	if target == "" {
		return true
	}
	u, err := url.Parse(target)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
