package diff

import (
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
)

// load compiles the txtar tree in file.
func load(t *testing.T, file string) *tree.Book {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	bk, diags := compile.Load(fsys, compile.Options{})
	if bk == nil {
		t.Fatalf("%s: %v", file, diags)
	}
	return bk
}

// dump is the changes' part of tree.Dump.
func dump(t *testing.T, cs *tree.Changes) string {
	var sb strings.Builder
	if err := tree.Dump(&sb, &tree.Book{Changes: cs}); err != nil {
		t.Fatal(err)
	}
	_, out, _ := strings.Cut(sb.String(), "changes since")
	return "changes since" + out
}

// TestCompare: the fixture's changes, each listed once, and nothing for
// the untouched chapter, whose text was re-wrapped.
func TestCompare(t *testing.T) {
	old, book := load(t, "testdata/v01.txtar"), load(t, "testdata/v02.txtar")
	cs := Compare(old, book, "v0.1")
	got := dump(t, cs)
	want := `changes since v0.1
  chapter #edited "Chapter 2: Edited": text +6 -3
    + https://example.com/paper "a paper"
    + https://example.com/video "a video"
    - https://example.com/old "old notes"
  chapter #oldname "Chapter 3: New Name": renamed from "Old Name"
  chapter #wanders "Chapter 4: Wanders": moved from "Section II: More"
  chapter #fresh "Chapter 5: Fresh": new
  chapter # "Chapter 3: Goes Away": removed
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	book.Changes = cs
	if err := tree.Check(book); err != nil {
		t.Error(err)
	}
	if c := cs.Of("fresh"); c == nil || !c.New {
		t.Errorf("Of(fresh) = %+v", c)
	}
	if c := cs.Of("stays"); c != nil {
		t.Errorf("Of(stays) = %+v, want nil", c)
	}
	if got := Compare(book, book, "v0.2"); len(got.Chapters) != 0 {
		t.Errorf("a book compared with itself: %s", dump(t, got))
	}
}

// TestRenamedID: a chapter whose id changed with its title (the
// handbook's ids are made from titles) is found by its text.
func TestRenamedID(t *testing.T) {
	a := &tree.Book{Parts: []*tree.Part{{ID: "p", Title: "P", Chapters: []*tree.Chapter{chap("old-title", "Old Title", "one two three four five six seven eight nine ten")}}}}
	b := &tree.Book{Parts: []*tree.Part{{ID: "p", Title: "P", Chapters: []*tree.Chapter{chap("new-title", "New Title", "one two three four five six seven eight nine ten eleven")}}}}
	got := dump(t, Compare(a, b, "v1"))
	want := `changes since v1
  chapter #new-title "New Title": renamed from "Old Title", text +1 -0
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func chap(id, title, text string) *tree.Chapter {
	return &tree.Chapter{Heading: &tree.Heading{Level: 2, ID: id, Content: []tree.Inline{&tree.Text{Text: title}}},
		Blocks: []tree.Block{&tree.Paragraph{Content: []tree.Inline{&tree.Text{Text: text}}}}}
}

func TestCommon(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a b c", "a b c", 3}, {"a b c", "a x c", 2}, {"a b c d", "b d", 2}, {"x y", "a b", 0}, {"a b a", "b a b", 2},
	} {
		if got := common(strings.Fields(c.a), strings.Fields(c.b)); got != c.want {
			t.Errorf("common(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
