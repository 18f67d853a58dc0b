package design

import (
	"strings"
	"testing"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/pdf/internal/testbook"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// TestWhatsNewPage: a book with Changes gets the page after the colophon
// and before the contents, first in the outline and listed in the
// contents with its roman page number; every link on it leads to an
// anchor of the book; the contents mark the new and the updated chapter.
// A book without Changes has no such page.
func TestWhatsNewPage(t *testing.T) {
	b := testbook.Fixture()
	var chs []*tree.Chapter
	var at [][2]int
	for i, p := range b.Parts {
		for j, c := range p.Chapters {
			if c.Heading.InTOC {
				chs, at = append(chs, c), append(at, [2]int{i, j})
			}
		}
	}
	if len(chs) < 2 {
		t.Fatal("the fixture has fewer than two chapters in its contents")
	}
	change := func(k int) *tree.Change {
		return &tree.Change{ID: chs[k].Heading.ID, Part: at[k][0], Chapter: at[k][1], Title: chs[k].Heading.FullTitle()}
	}
	fresh, edited := change(0), change(1)
	fresh.New = true
	edited.Plus, edited.Minus = 12, 3
	edited.Added = []tree.Resource{{URL: "https://example.org/paper", Title: "A paper"}}
	withChanges := *b
	withChanges.Changes = &tree.Changes{Since: "v0.1", Chapters: []*tree.Change{fresh, edited, {Part: -1, Chapter: -1, Title: "Chapter 9: Gone", Removed: true}}}
	if err := tree.Check(&withChanges); err != nil {
		t.Fatal(err)
	}
	for _, opt := range []Options{{Keep: true}, {Keep: true, Print: true, Duplex: true}} {
		var ds diag.Diagnostics
		lay, err := Set(&withChanges, opt, nil, &ds)
		if err != nil {
			t.Fatal(err)
		}
		d, ok := lay.Anchors[WhatsNewID]
		if !ok || d.Page >= lay.Front {
			t.Fatalf("print %v: the page is not in the front matter: %+v", opt.Print, d)
		}
		if c := lay.Anchors[ContentsID]; c.Page <= d.Page || lay.Anchors[ColophonID].Page >= d.Page {
			t.Errorf("print %v: the page is not between the colophon and the contents", opt.Print)
		}
		if lay.Outline[0].ID != WhatsNewID || lay.Outline[1].ID != ContentsID {
			t.Errorf("print %v: the outline begins %q, %q", opt.Print, lay.Outline[0].Title, lay.Outline[1].Title)
		}
		if e := lay.TOC[0]; e.ID != WhatsNewID || e.Label != lay.Pages[d.Page].Label {
			t.Errorf("print %v: the contents' first entry %+v, want the page's, on %s", opt.Print, e, lay.Pages[d.Page].Label)
		}
		links, text := 0, ""
		for _, pg := range lay.Pages[d.Page:lay.Anchors[ContentsID].Page] {
			for _, o := range pg.Ops {
				if o.Kind == layout.OpLink && o.Link.Dest != "" {
					links++
					if _, ok := lay.Anchors[o.Link.Dest]; !ok {
						t.Errorf("print %v: a link to %q, which is nowhere", opt.Print, o.Link.Dest)
					}
				}
				if o.Kind == layout.OpText {
					text += o.Text + " "
				}
			}
		}
		if links == 0 {
			t.Errorf("print %v: no link into the book", opt.Print)
		}
		for _, w := range []string{"What’s new", "since v0.1)", "+12", "Gone", "A paper"} {
			if !strings.Contains(text, w) {
				t.Errorf("print %v: the page lacks %q: %s", opt.Print, w, text)
			}
		}
		if strings.Contains(text, "https://example.org/paper") != opt.Print {
			t.Errorf("print %v: the resource's address in full: %v", opt.Print, !opt.Print)
		}
		marks := map[string]string{}
		for _, e := range lay.TOC {
			marks[e.ID] = e.Mark
		}
		if marks[fresh.ID] != "new" || marks[edited.ID] != "updated" {
			t.Errorf("print %v: marks %q, %q", opt.Print, marks[fresh.ID], marks[edited.ID])
		}
	}
	var ds diag.Diagnostics
	plain, err := Set(b, Options{Keep: true}, nil, &ds)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := plain.Anchors[WhatsNewID]; ok || plain.TOC[0].ID == WhatsNewID {
		t.Error("a book without Changes has the page")
	}
}
