package layout

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/hyphen"
)

// These tests drive the engine alone, on a small page, with no book
// design: what they check holds for any design that uses it.

// page is a small page: 60 mm of text width, ten 5 mm lines.
var page = Geometry{Name: "test", W: 100, H: 80, Left: 20, Right: 20, Top: 15, Bottom: 15, Body: 10, Lead: 5}

func newSetter(t *testing.T, diags *diag.Diagnostics) *Setter {
	t.Helper()
	g := page
	return New(Options{Geometry: &g, Fonts: fonts.Default(), Hyphen: hyphen.ForLanguage("en"), Keep: true, Diags: diags})
}

var body = Style{Face: fonts.Regular, Size: 10}

const text = "The engine breaks a paragraph into lines of one measure, stretching and shrinking the spaces between words so that every line but the last fills it exactly, and it hyphenates a word where that makes the spacing more even."

// TestJustified: every line of a justified paragraph but the last ends
// at the measure, and the last is set at its natural spacing; the words
// come out in order.
func TestJustified(t *testing.T) {
	var ds diag.Diagnostics
	s := newSetter(t, &ds)
	const width = 60.0
	lines := s.Lines(s.Plain(text, body, nil, tree.Pos{}), width, AlignJustify)
	if len(lines) < 4 {
		t.Fatalf("%d lines, want at least 4", len(lines))
	}
	var got []string
	for i, l := range lines {
		ops := s.Render(l, 0, width, 10, AlignJustify)
		end := 0.0
		for _, o := range ops {
			end = math.Max(end, o.X+o.W)
			got = append(got, o.Text)
		}
		switch last := i == len(lines)-1; {
		case !last && math.Abs(end-width) > 0.01:
			t.Errorf("line %d ends at %.2f mm, want %.2f", i+1, end, width)
		case last && end > width:
			t.Errorf("the last line ends at %.2f mm, past the measure", end)
		}
	}
	joined := strings.Join(got, " ")
	joined = strings.ReplaceAll(joined, "- ", "")
	if strings.Join(strings.Fields(joined), " ") != text {
		t.Errorf("the lines read\n%s\nwant\n%s", joined, text)
	}
	if len(ds) > 0 {
		t.Errorf("diagnostics: %v", ds)
	}
}

// TestTooWide: a token wider than the measure is broken between its
// characters, none of its lines past the measure, and reported once.
func TestTooWide(t *testing.T) {
	var ds diag.Diagnostics
	s := newSetter(t, &ds)
	word := strings.Repeat("x", 80)
	lines := s.Lines(s.Plain(word, body, nil, tree.Pos{File: "a.md", Line: 3}), 30, AlignLeft)
	if len(lines) < 3 {
		t.Fatalf("%d lines, want the token broken over at least 3", len(lines))
	}
	var all strings.Builder
	for _, l := range lines {
		if w := Width(l.Words); w > 30+0.01 {
			t.Errorf("a line %.2f mm wide in a 30 mm measure", w)
		}
		for _, w := range l.Words {
			for _, f := range w.Frags {
				all.WriteString(f.Text)
			}
		}
	}
	if all.String() != word {
		t.Errorf("the token's lines hold %q", all.String())
	}
	if len(ds) != 1 || !strings.Contains(ds[0].String(), "wider than a line") {
		t.Errorf("diagnostics %v, want one saying the token is wider than a line", ds)
	}
}

// tpara is a paragraph of a test flow: lines of text, after a heading
// or not.
type tpara struct {
	heading bool
	lines   int
}

// flow returns the flow of paras: each paragraph's lines grouped, each
// heading kept with the two lines after it.
func flow(t *testing.T, s *Setter, paras ...tpara) *Flow {
	t.Helper()
	f := &Flow{}
	src := strings.Fields(text)
	for i, p := range paras {
		if p.heading {
			for _, it := range s.TextItems(s.Plain("Heading", body.Bold(), nil, tree.Pos{}), 0, 60, 10, 5, AlignLeft, "h") {
				it.Heading = true
				if i == 0 {
					it.Anchors = []string{"first"}
				}
				f.Add(it)
			}
			f.KeepNext = 2
		}
		// Words enough for p.lines lines at about 7 words a line, cut
		// to p.lines by the line count.
		var ws []string
		for len(ws) < p.lines*14 {
			ws = append(ws, src[len(ws)%len(src)])
		}
		var items []*Item
		for n := len(ws); n > 0; n-- {
			items = s.TextItems(s.Plain(strings.Join(ws[:n], " "), body, nil, tree.Pos{}), 0, 60, 10, 5, AlignJustify, "p")
			if len(items) <= p.lines {
				break
			}
		}
		if len(items) != p.lines {
			t.Fatalf("a paragraph of %d lines, want %d", len(items), p.lines)
		}
		for _, it := range items {
			f.Add(it)
		}
		f.Space(2)
	}
	return f
}

// TestPaginate: pages hold what fits; a heading never ends a page; no
// paragraph leaves a single line at the foot or the head of a page; the
// anchors land on the page of their item.
func TestPaginate(t *testing.T) {
	var ds diag.Diagnostics
	s := newSetter(t, &ds)
	var pages []*Page
	anchors := map[string]Dest{}
	// The text area holds ten lines. A heading and a paragraph of 10
	// lines would leave its last line alone on the next page (a widow); a
	// paragraph after 7 lines and a space would have its first line alone
	// at the foot (an orphan).
	s.Paginate(&Section{Kind: PageBody, Items: flow(t, s, tpara{true, 10}, tpara{true, 6}, tpara{false, 5}, tpara{true, 3}, tpara{false, 9}).Items}, &pages, anchors)
	if len(pages) < 3 {
		t.Fatalf("%d pages, want at least 3", len(pages))
	}
	var dump bytes.Buffer
	if err := Dump(&dump, pages, anchors); err != nil {
		t.Fatal(err)
	}
	for pi, pg := range pages {
		n := len(pg.Placed)
		if n == 0 {
			t.Fatalf("page %d is empty\n%s", pi+1, dump.String())
		}
		bottom := 0.0
		for _, pl := range pg.Placed {
			bottom = math.Max(bottom, pl.Y+pl.Item.H-page.Top)
		}
		if bottom > page.TextH()+1e-6 {
			t.Errorf("page %d: filled to %.2f mm of %.2f", pi+1, bottom, page.TextH())
		}
		last := pg.Placed[n-1].Item
		for k := n - 1; k >= 0 && last.Kind == ItemSpace; k-- {
			last = pg.Placed[k].Item
		}
		if last.Heading && pi < len(pages)-1 {
			t.Errorf("page %d ends with a heading\n%s", pi+1, dump.String())
		}
		for _, pl := range pg.Placed {
			it := pl.Item
			if it.Kind != ItemLine || it.Tag != "p" {
				continue
			}
			if it.Idx == 0 && it.N > 1 && pl == pg.Placed[n-1] {
				t.Errorf("page %d: an orphan (a paragraph's first line alone at the foot)", pi+1)
			}
			if it.Idx == it.N-1 && it.N > 1 && pl == firstLine(pg) {
				t.Errorf("page %d: a widow (a paragraph's last line alone at the head)", pi+1)
			}
		}
	}
	if d, ok := anchors["first"]; !ok || d.Page != 0 {
		t.Errorf("anchor first at %+v (found %v), want page 0", d, ok)
	}
	if !strings.Contains(dump.String(), "anchor first y=") {
		t.Errorf("Dump lists no anchor:\n%s", dump.String())
	}
}

// firstLine returns the first text line placed on pg.
func firstLine(pg *Page) Placed {
	for _, pl := range pg.Placed {
		if pl.Item.Kind == ItemLine {
			return pl
		}
	}
	return Placed{}
}

// TestCacheSame: a Setter with a shared cache breaks a paragraph as one
// without, and the cache keeps it.
func TestCacheSame(t *testing.T) {
	var ds diag.Diagnostics
	c := &Cache{}
	g := page
	a := New(Options{Geometry: &g, Fonts: fonts.Default(), Cache: c, Diags: &ds})
	b := newSetter(t, &ds)
	b.hyph = nil // as a: no patterns
	la := a.Lines(a.Plain(text, body, nil, tree.Pos{}), 60, AlignJustify)
	if c.Len() != 1 {
		t.Fatalf("the cache keeps %d paragraphs, want 1", c.Len())
	}
	la2 := a.Lines(a.Plain(text, body, nil, tree.Pos{}), 60, AlignJustify)
	lb := b.Lines(b.Plain(text, body, nil, tree.Pos{}), 60, AlignJustify)
	for _, other := range [][]Line{la2, lb} {
		if len(other) != len(la) {
			t.Fatalf("%d lines, want %d", len(other), len(la))
		}
		for i := range la {
			if Width(la[i].Words) != Width(other[i].Words) || len(la[i].Words) != len(other[i].Words) {
				t.Errorf("line %d differs", i+1)
			}
		}
	}
}
