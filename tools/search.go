package tools

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/safetext"
)

//go:embed corpus
var corpusFS embed.FS

// Search defaults.
const (
	DefaultSearchResults = 3
	MaxSearchResults     = 10
)

// DocumentSearch is the search_company_documents tool: ranked full-text search (BM25 with a
// title boost) over a folder of Markdown and text documents, indexed once at construction.
// Safe for concurrent use.
type DocumentSearch struct {
	docs   []document
	ix     *index
	source string // the folder, or "embedded corpus"
}

// NewDocumentSearch indexes the documents under dir, or the embedded Acme Corp sample
// corpus when dir is "". Files it cannot index are skipped; notices say which and why.
// An error means dir itself cannot be read.
func NewDocumentSearch(dir string) (*DocumentSearch, []string, error) {
	var fsys fs.FS
	source := dir
	if dir == "" {
		sub, err := fs.Sub(corpusFS, "corpus")
		if err != nil {
			return nil, nil, err
		}
		fsys, source = sub, "embedded corpus"
	} else {
		var err error
		if fsys, err = dirFS(dir); err != nil {
			return nil, nil, err
		}
	}
	return newDocumentSearch(fsys, source)
}

func newDocumentSearch(fsys fs.FS, source string) (*DocumentSearch, []string, error) {
	docs, notices, err := loadDocuments(fsys)
	if err != nil {
		return nil, notices, fmt.Errorf("reading documents from %s: %w", source, err)
	}
	if len(docs) == 0 {
		notices = append(notices, fmt.Sprintf("no Markdown or text documents found in %s: search_company_documents will find nothing", source))
	}
	return &DocumentSearch{docs: docs, ix: buildIndex(docs), source: source}, notices, nil
}

// Len is the number of indexed documents.
func (s *DocumentSearch) Len() int { return len(s.docs) }

// Source is the indexed folder, or "embedded corpus".
func (s *DocumentSearch) Source() string { return s.source }

// Name implements Tool.
func (s *DocumentSearch) Name() string { return "search_company_documents" }

// Description implements Tool.
func (s *DocumentSearch) Description() string {
	return "Search internal company documents (reports, board updates, memos) for the given query. Returns the best matching documents with a snippet."
}

// Parameters implements Tool.
func (s *DocumentSearch) Parameters() map[string]any {
	return map[string]any{
		"type": "object",
		"properties": map[string]any{
			"query":       map[string]any{"type": "string", "description": "What to search for, e.g. \"Q3 performance\"."},
			"max_results": map[string]any{"type": "integer", "minimum": 1, "maximum": MaxSearchResults, "description": fmt.Sprintf("How many documents to return (default %d, at most %d).", DefaultSearchResults, MaxSearchResults)},
		},
		"required":             []string{"query"},
		"additionalProperties": false,
	}
}

// Capability implements Tool.
func (s *DocumentSearch) Capability() string { return "read:documents" }

// Audience implements Tool: the search is local, no exchanged token needed.
func (s *DocumentSearch) Audience() string { return "" }

// SearchHit is one ranked document.
type SearchHit struct {
	Title, Path, Snippet string
	Score                float64
}

// Search returns the top limit documents for query; limit < 1 means the default, and it is
// capped at MaxSearchResults.
func (s *DocumentSearch) Search(query string, limit int) []SearchHit {
	if limit < 1 {
		limit = DefaultSearchResults
	}
	q := terms(query)
	hits := s.ix.search(q, min(limit, MaxSearchResults))
	out := make([]SearchHit, len(hits))
	for i, h := range hits {
		d := s.docs[h.doc]
		out[i] = SearchHit{Title: safetext.Line(d.Title), Path: safetext.Line(d.Path), Score: h.score, Snippet: safetext.Line(snippet(d.Text, q))}
	}
	return out
}

// Call implements Tool.
func (s *DocumentSearch) Call(ctx context.Context, raw json.RawMessage, _ *auth.Credential) (Result, error) {
	var args struct {
		Query      string `json:"query"`
		MaxResults int    `json:"max_results"`
	}
	if err := json.Unmarshal(nonEmpty(raw), &args); err != nil {
		return Result{}, &ArgsError{Msg: err.Error()}
	}
	query := strings.TrimSpace(args.Query)
	if query == "" {
		return Result{}, &ArgsError{Field: "query", Msg: "is empty; say what to search for"}
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	hits := s.Search(query, args.MaxResults)
	shown := safetext.Line(query)
	if len(hits) == 0 {
		return Result{Text: fmt.Sprintf("No documents match '%s' (searched %d documents). Try other words.", shown, len(s.docs))}, nil
	}
	var b strings.Builder
	noun := "documents"
	if len(hits) == 1 {
		noun = "document"
	}
	fmt.Fprintf(&b, "Found %d %s matching '%s':\n", len(hits), noun, shown)
	for i, h := range hits {
		fmt.Fprintf(&b, "%d. %s (%s, score %.2f)\n   %s\n", i+1, h.Title, h.Path, h.Score, h.Snippet)
	}
	return Result{Text: strings.TrimRight(b.String(), "\n"), Count: len(hits)}, nil
}

func nonEmpty(raw json.RawMessage) json.RawMessage {
	if len(strings.TrimSpace(string(raw))) == 0 {
		return json.RawMessage("{}")
	}
	return raw
}
