package design

import (
	"strings"
	"testing"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/pdf/internal/testbook"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// recorder is a Matter that records the calls the design makes, and adds
// a page after the body.
type recorder struct {
	d     *Design
	calls []string
	open  bool // a section has begun and not ended
	t     *testing.T
}

func (r *recorder) Begin(d *Design) { r.d = d; r.calls = append(r.calls, "begin") }
func (r *recorder) Section() {
	if r.open {
		r.t.Error("a section begins before the last one ended")
	}
	r.open = true
	r.calls = append(r.calls, "section")
}
func (r *recorder) End(f *layout.Flow, c Ctx, e *Entry) {
	if !r.open {
		r.t.Error("a section ends that never began")
	}
	r.open = false
	name := "end credits"
	if e != nil {
		name = "end " + e.ID
		if e.Part {
			name += " part"
		}
	}
	r.calls = append(r.calls, name)
}
func (r *recorder) Link(in *Inliner, l *tree.Link, st layout.Style, parens bool) {
	in.Inlines(l.Content, st, nil)
	r.calls = append(r.calls, "link")
}
func (r *recorder) Mark(in *Inliner, url, title string, st layout.Style) {
	r.calls = append(r.calls, "mark")
}
func (r *recorder) Colophon(f *layout.Flow, c Ctx) {
	r.open = false
	r.calls = append(r.calls, "colophon")
}
func (r *recorder) After() (*layout.Section, *TOCEntry) {
	r.calls = append(r.calls, "after")
	f := &layout.Flow{}
	r.d.DisplayLines(f, r.d.Plain("Added", layout.Style{Size: 10}, nil, tree.Pos{}), r.d.BodyCtx(), 10, 5, layout.AlignLeft, "added")
	return &layout.Section{Kind: layout.PageOpener, Head: "Added", Items: f.Items}, &TOCEntry{Title: "Added", ID: "added", Chapter: -1, Extra: true}
}
func (r *recorder) Blank() *layout.Page { r.calls = append(r.calls, "blank"); return &layout.Page{} }
func (r *recorder) Pad(body []*layout.Page, front int, starts []int, anchors map[string]layout.Dest) []*layout.Page {
	r.calls = append(r.calls, "pad")
	return body
}

// TestMatter: the design calls a Matter in the book's order — a section
// for the title page's links ended by the colophon, then each part's
// opening and each chapter begun and ended with its entry, the credits,
// a link's setting handed over, the page after the body set and listed
// in the contents — and without one (the screen edition) sets the same
// book.
func TestMatter(t *testing.T) {
	b := testbook.Fixture()
	r := &recorder{t: t}
	var ds diag.Diagnostics
	lay, err := Set(b, Options{Print: true, Keep: true}, r, &ds)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(r.calls, ",")
	var want []string
	want = append(want, "begin")
	for _, p := range b.Parts {
		want = append(want, "section", "end "+p.ID+" part")
		for _, ch := range p.Chapters {
			want = append(want, "section", "end "+ch.Heading.ID)
		}
	}
	if len(b.Back) > 0 {
		want = append(want, "section", "end credits")
	}
	want = append(want, "after", "section", "colophon")
	// Links are set where they stand; the order of the rest is checked.
	if rest := strings.ReplaceAll(strings.ReplaceAll(got, ",link", ""), ",mark", ""); rest != strings.Join(want, ",") {
		t.Errorf("calls:\n%s\nwant:\n%s", rest, strings.Join(want, ","))
	}
	if !strings.Contains(got, "link") {
		t.Error("no link of the book was handed to the Matter")
	}
	if e := lay.TOC[len(lay.TOC)-1]; e.ID != "added" || e.Label == "" {
		t.Errorf("the page after the body is not the contents' last entry with a page: %+v", e)
	}
	if _, ok := lay.Anchors["added"]; !ok {
		t.Error("the page after the body was not placed")
	}
	if lay.Outline[0].Title != "Contents" || lay.Outline[0].ID != ContentsID {
		t.Errorf("the outline begins with %+v, want the contents page", lay.Outline[0])
	}

	screen, err := Set(b, Options{Keep: true}, nil, &ds)
	if err != nil {
		t.Fatal(err)
	}
	if len(screen.Pages) == 0 || len(screen.TOC) != len(lay.TOC)-1 {
		t.Errorf("the screen edition: %d pages, %d contents entries (print: %d)", len(screen.Pages), len(screen.TOC), len(lay.TOC))
	}
	for _, pg := range screen.Pages {
		if pg.Kind == layout.PageOpener && pg.Head != "" && pg.Furniture != nil {
			for _, o := range pg.Furniture {
				if o.Kind == layout.OpText && o.Text == pg.Head {
					t.Errorf("page %s: an opener with a running head", pg.Label)
				}
			}
		}
	}
}
