package compile

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/genai-handbook/handbook/compile/tree"
)

// TestFootnoteIDs: every footnote gets its own id, "fn-N", with a suffix
// when a heading already has that id (issue 13, item 1: the PDF linked
// every note to the first because no id was ever set). A definition
// referenced twice is one note; a reference inside a note, even to
// itself, is text with a warning instead of endless recursion.
func TestFootnoteIDs(t *testing.T) {
	src := "---\ntitle: t\n---\n<h1 id=\"intro\">Intro</h1>\n\n<h2 id=\"fn-2\">Notes</h2>\n\n" +
		"One[^a], two[^b], one again[^a].\n\n[^a]: First note.\n[^b]: Second note, which cites itself[^b] and the first[^a].\n"
	bk, diags := Load(fstest.MapFS{"index.md": {Data: []byte(src)}}, Options{})
	if bk == nil {
		t.Fatal(diags)
	}
	if err := tree.Check(bk); err != nil {
		t.Error(err)
	}
	var notes []*tree.Footnote
	tree.Walk(bk, func(_ tree.Block, in tree.Inline) bool {
		if fn, ok := in.(*tree.Footnote); ok {
			notes = append(notes, fn)
		}
		return true
	})
	if len(notes) != 3 {
		t.Fatalf("%d footnote references, want 3", len(notes))
	}
	if notes[0].ID != "fn-1" || notes[1].ID != "fn-2-1" || notes[0] != notes[2] {
		t.Errorf("ids %q %q %q (same note: %v), want fn-1, fn-2-1, and the first note again", notes[0].ID, notes[1].ID, notes[2].ID, notes[0] == notes[2])
	}
	var warned int
	for _, d := range diags {
		if strings.Contains(d.Msg, "inside a footnote") {
			warned++
		}
	}
	if warned != 2 {
		t.Errorf("want 2 warnings about references inside a note, got:\n%v", diags)
	}
}

// TestSharedFootnoteHeading: a note referenced from two chapters, with a
// heading in it, numbers and anchors that heading once, where the note is
// first referenced.
func TestSharedFootnoteHeading(t *testing.T) {
	src := "---\ntitle: t\n---\n<h1 id=\"intro\">Intro</h1>\n\n## One\n\nA note[^n].\n\n## Two\n\nAgain[^n], see [inner](#inner).\n\n[^n]: The note.\n\n    ### Inner\n\n    More.\n"
	bk, diags := Load(fstest.MapFS{"index.md": {Data: []byte(src)}}, Options{})
	if bk == nil || len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if err := tree.Check(bk); err != nil {
		t.Error(err)
	}
	l := tree.Links(bk)[0]
	if l.Target == nil || l.Target.ID != "inner" || l.Target.Chapter != 0 || l.Target.Heading.Number != "1.1" {
		t.Errorf("target %+v", l.Target)
	}
}
