package session

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestKindsListsEveryKind: every Kind constant declared in the package is in Kinds, so tests
// ranging over Kinds (the presentation layer's) see a new kind as soon as it is declared.
func TestKindsListsEveryKind(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var declared []Kind
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				v := spec.(*ast.ValueSpec)
				if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "Kind" {
					continue
				}
				for _, val := range v.Values {
					s, err := strconv.Unquote(val.(*ast.BasicLit).Value)
					if err != nil {
						t.Fatal(err)
					}
					declared = append(declared, Kind(s))
				}
			}
		}
	}
	if len(declared) < 20 {
		t.Fatalf("found only %d Kind constants: %v", len(declared), declared)
	}
	for _, k := range declared {
		if !slices.Contains(Kinds, k) {
			t.Errorf("Kind %q is declared but not in Kinds", k)
		}
	}
	if len(Kinds) != len(declared) {
		t.Errorf("Kinds has %d entries, %d kinds are declared", len(Kinds), len(declared))
	}
}
