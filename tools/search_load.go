package tools

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"unicode/utf8"
)

// MaxDocumentSize is the largest file indexed; bigger files are skipped with a notice.
const MaxDocumentSize = 2 << 20

// document is one indexed file.
type document struct {
	Title string
	Path  string // slash-separated, relative to the folder
	Text  string
}

var docExtensions = map[string]bool{".md": true, ".markdown": true, ".txt": true, ".text": true}

// loadDocuments reads every Markdown or text file under fsys. Files it cannot index
// (binary, empty, too big, not UTF-8, not a regular file, unreadable) are skipped, each
// with a notice saying why.
func loadDocuments(fsys fs.FS) (docs []document, notices []string, err error) {
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, walkErr error) error {
		if walkErr != nil {
			if p == "." {
				return walkErr
			}
			notices = append(notices, fmt.Sprintf("skipped %s: %v", p, walkErr))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		base := path.Base(p)
		if p != "." && strings.HasPrefix(base, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil // hidden files (.DS_Store, .gitkeep) are not documents
		}
		if d.IsDir() {
			return nil
		}
		if !docExtensions[strings.ToLower(path.Ext(p))] {
			notices = append(notices, fmt.Sprintf("skipped %s: not a Markdown or text file (.md, .markdown, .txt)", p))
			return nil
		}
		doc, why := readDocument(fsys, p, d)
		if why != "" {
			notices = append(notices, fmt.Sprintf("skipped %s: %s", p, why))
			return nil
		}
		docs = append(docs, doc)
		return nil
	})
	return docs, notices, err
}

// readDocument reads one file, or says why it cannot be indexed.
func readDocument(fsys fs.FS, p string, d fs.DirEntry) (document, string) {
	if !d.Type().IsRegular() {
		return document{}, "not a regular file"
	}
	info, err := d.Info()
	if err != nil {
		return document{}, "unreadable: " + err.Error()
	}
	switch {
	case info.Size() == 0:
		return document{}, "empty"
	case info.Size() > MaxDocumentSize:
		return document{}, fmt.Sprintf("%d bytes, larger than the %d MiB limit", info.Size(), MaxDocumentSize>>20)
	}
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return document{}, "unreadable: " + err.Error()
	}
	switch {
	case len(data) > MaxDocumentSize: // grew since the stat
		return document{}, fmt.Sprintf("larger than the %d MiB limit", MaxDocumentSize>>20)
	case bytes.IndexByte(data, 0) >= 0:
		return document{}, "binary (contains NUL bytes)"
	case !utf8.Valid(data):
		return document{}, "not UTF-8 text"
	case len(bytes.TrimSpace(data)) == 0:
		return document{}, "empty"
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	title, body := splitTitle(text, p)
	return document{Title: title, Path: p, Text: body}, ""
}

// splitTitle returns the document's title and its text without the heading line that
// carried it (so the title is neither indexed twice nor repeated in snippets).
func splitTitle(text, p string) (title, body string) {
	title = titleOf(text, p)
	first, rest, _ := strings.Cut(strings.TrimLeft(text, " \t\r\n"), "\n")
	if strings.HasPrefix(first, "#") && strings.TrimSpace(strings.TrimLeft(first, "#")) == title {
		return title, rest
	}
	return title, text
}

// titleOf is the first Markdown heading (or front-matter title), else the file name.
func titleOf(text, p string) string {
	for i, line := range strings.SplitN(text, "\n", 40) {
		line = strings.TrimSpace(line)
		if i < 20 && strings.HasPrefix(line, "title:") {
			if t := strings.Trim(strings.TrimSpace(strings.TrimPrefix(line, "title:")), `"'`); t != "" {
				return t
			}
		}
		if strings.HasPrefix(line, "#") {
			if t := strings.TrimSpace(strings.TrimLeft(line, "#")); t != "" {
				return t
			}
		}
	}
	name := strings.TrimSuffix(path.Base(p), path.Ext(p))
	return strings.NewReplacer("-", " ", "_", " ").Replace(name)
}

// dirFS opens dir for loadDocuments, with a clear error when it is not a folder.
func dirFS(dir string) (fs.FS, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("document folder %s: %w (pass an existing folder with --docs)", dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("document folder %s is a file, not a folder (pass a folder of .md/.txt files with --docs)", dir)
	}
	return os.DirFS(dir), nil
}
