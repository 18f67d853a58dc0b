package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/backend"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/epub"
	"github.com/genai-handbook/handbook/pdf"
)

// build compiles index (an index.md) and builds its EPUB and A4 screen
// PDF into dir.
func build(t *testing.T, index, dir string) {
	t.Helper()
	src := Source{FS: fstest.MapFS{"index.md": {Data: []byte(index)}}}
	bk, diags := Compile(src, compile.Options{})
	if bk == nil {
		t.Fatal(diags)
	}
	_, err := Build(context.Background(), bk, Options{Source: src, Books: []backend.Backend{epub.Book{}, pdf.Screen{Paper: "a4"}}, Out: dir, Checksums: true})
	if err != nil {
		t.Fatal(err)
	}
}

// files reads every visible file of dir.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			out[e.Name()] = data
		}
	}
	return out
}

// TestKilledCommitIsFinished: a build killed between the renames that put
// its books in place leaves new books beside old ones (issue 26, case
// 10); the journal it wrote first lets the next clean (or build) finish
// those renames before anything else, so the directory holds one build's
// whole set and SHA256SUMS matches it.
func TestKilledCommitIsFinished(t *testing.T) {
	const head = "---\ntitle: T\n---\nAn Author \\\n[v1.0](https://example.com) (June 5, 2024)\n\n<h1 id=\"intro\">Intro</h1>\n\n<h2>One</h2>\n\n"
	out, fresh := t.TempDir(), t.TempDir()
	build(t, head+"The first build's sentence.\n", out)
	build(t, head+"The second build's sentence, which the killed build had made.\n", fresh)
	next := files(t, fresh)

	// What the killed build had done: staged every file, written its
	// journal, renamed the first file only.
	names := make([]string, 0, len(next))
	for n := range next {
		names = append(names, n)
	}
	sort.Strings(names)
	var staged []*BookReport
	for _, name := range names {
		tmp, err := stage(filepath.Join(out, name), next[name])
		if err != nil {
			t.Fatal(err)
		}
		staged = append(staged, &BookReport{Path: filepath.Join(out, name), tmp: tmp})
	}
	var journal strings.Builder
	for _, r := range staged {
		fmt.Fprintf(&journal, "%s\t%s\n", filepath.Base(r.tmp), filepath.Base(r.Path))
	}
	os.WriteFile(filepath.Join(out, JournalName), []byte(journal.String()), 0o644)
	if err := os.Rename(staged[0].tmp, staged[0].Path); err != nil {
		t.Fatal(err)
	}
	mixed, same := files(t, out), 0
	for name, data := range next {
		if bytes.Equal(mixed[name], data) {
			same++
		}
	}
	if same != 1 {
		t.Fatalf("the simulated kill left %d of %d files new, want 1", same, len(next))
	}

	src := Source{FS: fstest.MapFS{"index.md": {Data: []byte(head + "x\n")}}}
	bk, _ := Compile(src, compile.Options{})
	rep, err := Clean(context.Background(), out, bk, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Finished) != len(next)-1 {
		t.Errorf("Clean finished %v; want every file but the first renamed", rep.Finished)
	}
	got := files(t, out)
	for name, data := range next {
		if !bytes.Equal(got[name], data) {
			t.Errorf("%s is not the killed build's", name)
		}
	}
	for _, e := range mustReadDir(t, out) {
		if strings.HasPrefix(e, ".") && e != LockName {
			t.Errorf("hidden file left: %s", e)
		}
	}
}

func mustReadDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestKoboEditionIsABook: a Kobo edition (.kepub.epub) is a book of the
// output directory: SHA256SUMS lists it, and --clean and clean know its
// other versions (its extension is cut whole: "v0.1.kepub" is no
// version) and leave other handbooks' alone.
func TestKoboEditionIsABook(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{
		"s-v0.1.epub", "s-v0.1.kepub.epub", "s-v0.1-print.pdf",
		"s-v0.2.epub", "s-v0.2.kepub.epub", "s-v0.2-print.pdf",
		"s-handbook-v0.1.kepub.epub", "other-v0.1.kepub.epub", "s-v0.1.kepub.epub.txt", ".s-v0.1.kepub.epub",
	} {
		os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644)
	}
	books, err := booksIn(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(books, " "); got != "other-v0.1.kepub.epub s-handbook-v0.1.kepub.epub s-v0.1-print.pdf s-v0.1.epub s-v0.1.kepub.epub s-v0.2-print.pdf s-v0.2.epub s-v0.2.kepub.epub" {
		t.Errorf("books: %s", got)
	}
	bk := &tree.Book{Meta: tree.Meta{Slug: "s", Version: "v0.2"}}
	other, err := otherVersions(dir, bk)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(other, " "); got != "s-v0.1-print.pdf s-v0.1.epub s-v0.1.kepub.epub" {
		t.Errorf("other versions: %s", got)
	}
	if _, exts := suffixes(); strings.Join(exts, " ") != ".kepub.epub .epub .pdf" {
		t.Errorf("extensions %v, want the registered backends', longest first", exts)
	}
}
