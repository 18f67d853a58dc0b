package pipeline

import (
	"bufio"
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// module is this repository's module path.
const module = "github.com/genai-handbook/handbook/"

// packages returns every package of the module (tests left out) with the
// packages it imports directly, as paths relative to the module root for
// the module's own.
func packages(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	pkgs := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(strings.ReplaceAll(sc.Text(), module, ""))
		pkgs[f[0]] = f[1:]
	}
	return pkgs
}

// TestArchitecture holds the packages to the shape docs/ARCHITECTURE.md
// describes: each library confined to the package that wraps it, the
// backends independent of each other and of the CLI, the PDF's layers
// importing downwards only.
func TestArchitecture(t *testing.T) {
	pkgs := packages(t)
	// confined: a library (import path prefix) → the packages that may
	// import it.
	confined := map[string][]string{
		"github.com/johnfercher/maroto":  {"pdf/writer"},
		"github.com/phpdave11/gofpdf":    {"pdf/writer"},
		"codeberg.org/go-pdf/fpdf":       {"pdf/writer"},
		"github.com/pdfcpu/pdfcpu":       {"pdf/writer"},
		"github.com/go-shiori/go-epub":   {"epub"},
		"github.com/yuin/goldmark":       {"compile"},
		"github.com/pgaskin/kepubify":    {"epub/kepub"},
		"github.com/spf13/cobra":         {"cmd/handbook"},
		"github.com/go-text/typesetting": {"fonts"},
	}
	// never: packages (a pattern) → what they must not import. A pattern
	// "x/..." matches x and every package under it; "x" only x.
	never := []struct{ from, banned []string }{
		{[]string{"cmd/..."}, []string{"epub/...", "pdf/..."}},
		{[]string{"compile", "compile/tree", "compile/backend", "compile/words", "compile/diff", "content/..."}, []string{"epub/...", "pdf/...", "cmd/...", "compile/pipeline"}},
		{[]string{"compile/diff"}, []string{"compile", "compile/backend", "content/..."}},
		{[]string{"content/..."}, []string{"compile/..."}},
		{[]string{"epub/..."}, []string{"pdf/...", "compile/pipeline", "cmd/..."}},
		{[]string{"pdf/..."}, []string{"epub/...", "compile/pipeline", "cmd/..."}},
		{[]string{"pdf/layout"}, []string{"pdf/design", "pdf/edition", "pdf/writer", "pdf", "compile/words"}},
		{[]string{"pdf/design"}, []string{"pdf/edition", "pdf/writer", "pdf"}},
		{[]string{"pdf/edition"}, []string{"pdf/writer", "pdf"}},
		{[]string{"pdf/writer"}, []string{"pdf/design", "pdf/edition", "pdf", "compile/..."}},
		{[]string{"pdf/font"}, []string{"pdf/layout", "pdf/design", "pdf/edition", "pdf/writer", "pdf", "compile/..."}},
		{[]string{"fonts"}, []string{"compile/...", "content/...", "epub/...", "pdf/...", "cmd/..."}},
	}
	var names []string
	for p := range pkgs {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		for _, imp := range pkgs[p] {
			for lib, allowed := range confined {
				if strings.HasPrefix(imp, lib) && !contains(allowed, p) {
					t.Errorf("%s imports %s, which only %s may import", p, imp, strings.Join(allowed, ", "))
				}
			}
			for _, r := range never {
				if !matchAny(r.from, p) {
					continue
				}
				for _, b := range r.banned {
					if match(b, imp) {
						t.Errorf("%s imports %s (%s must not import %s)", p, imp, p, b)
					}
				}
			}
		}
	}
	// go-epub is used in one file of package epub, which says why.
	var users []string
	files, _ := filepath.Glob("../../epub/*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, is := range af.Imports {
			if path, _ := strconv.Unquote(is.Path.Value); strings.HasPrefix(path, "github.com/go-shiori/go-epub") {
				users = append(users, filepath.Base(f))
			}
		}
	}
	if len(users) != 1 {
		t.Errorf("go-epub is imported by %v, want one file of package epub", users)
	}
}

// match reports whether package p matches pattern: "x/..." is x and
// every package under it, "x" is x.
func match(pattern, p string) bool {
	if root, ok := strings.CutSuffix(pattern, "/..."); ok {
		return p == root || strings.HasPrefix(p, root+"/")
	}
	return p == pattern
}

func matchAny(patterns []string, p string) bool {
	for _, pat := range patterns {
		if match(pat, p) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestSizes: no Go file over 600 lines and no package over 3,000 lines,
// tests left out; the CLI at most 1,500 lines. Small files and packages
// are what a newcomer can read.
func TestSizes(t *testing.T) {
	pkgLines := map[string]int{}
	err := filepath.Walk("../..", func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() && (strings.HasPrefix(info.Name(), ".") && path != "../.." || info.Name() == "testdata") {
			return filepath.SkipDir
		}
		if info.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n := bytes.Count(data, []byte("\n"))
		rel, _ := filepath.Rel("../..", path)
		if n > 600 {
			t.Errorf("%s: %d lines, more than 600", rel, n)
		}
		pkgLines[filepath.Dir(rel)] += n
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, n := range pkgLines {
		limit := 3000
		if p == "cmd/handbook" {
			limit = 1500
		}
		if n > limit {
			t.Errorf("package %s: %d lines, more than %d", p, n, limit)
		}
	}
	if pkgLines["pdf/layout"] == 0 || pkgLines["cmd/handbook"] == 0 {
		t.Fatalf("found no packages under ../.. (%d)", len(pkgLines))
	}
}
