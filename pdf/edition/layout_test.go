package edition

import (
	"fmt"
	"testing"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/pdf/design"
	"github.com/genai-handbook/handbook/pdf/internal/testbook"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// layoutOf typesets b with opt, keeping the layout record, and fails the
// test on an error.
func layoutOf(t testing.TB, b *tree.Book, opt Options) *Book {
	t.Helper()
	opt.Keep = true
	lay, _, err := Typeset(b, opt)
	if err != nil {
		t.Fatal(err)
	}
	return lay
}

// TestLayoutRules checks the typesetter's layout record on every book and
// paper: nothing drawn outside the text area, no heading in the last two
// lines of a page, no widow or orphan line.
func TestLayoutRules(t *testing.T) {
	for _, bk := range testbook.All(t) {
		for _, p := range []string{"a4", "letter", "a5"} {
			lay := layoutOf(t, bk.Tree, Options{Paper: p})
			checkLayout(t, bk.Name+"/"+p, lay)
		}
	}
}

// checkLayout checks the layout rules on every page from the layout
// record: text, images, rules and QR codes inside the text area (mirrored
// on the versos of a two-sided print), QR codes with their quiet zone
// clear, no widows or orphans. (checkPageRules checks the rules a dump
// shows.)
func checkLayout(t *testing.T, name string, lay *Book) {
	g := lay.Geometry
	const eps = 0.01
	for _, pg := range lay.Pages {
		where := func() string { return name + " page " + pg.Label }
		if pg.Kind == layout.PageCover {
			continue
		}
		left, right := g.Left, g.Right
		if !pg.Recto {
			left, right = right, left
		}
		for _, o := range pg.Ops {
			if o.Kind != layout.OpText && o.Kind != layout.OpImage && o.Kind != layout.OpRect && o.Kind != layout.OpQR {
				continue
			}
			top := o.Y
			if o.Kind == layout.OpText {
				top = o.Y - o.Style.Size*layout.PtMM*0.75
			}
			bottom := o.Y + o.H
			if o.X < left-eps || o.X+o.W > g.W-right+eps || top < g.Top-eps || bottom > g.H-g.Bottom+eps {
				t.Errorf("%s: %q drawn outside the text area at x=%.1f..%.1f y=%.1f..%.1f", where(), o.Text, o.X, o.X+o.W, top, bottom)
			}
		}
		checkQuietZones(t, where(), pg)
		if len(pg.Placed) > 0 {
			last := pg.Placed[len(pg.Placed)-1]
			if last.Y+last.Item.H > g.H-g.Bottom+eps {
				t.Errorf("%s: content runs into the bottom margin", where())
			}
		}
	}
	// Widows and orphans: a paragraph or code block split across pages has
	// at least two lines on each.
	type key struct{ group, page int }
	count := map[key]int{}
	pagesOf := map[int][]int{}
	for pi, pg := range lay.Pages {
		for _, pl := range pg.Placed {
			if g := pl.Item.Group; g != 0 {
				k := key{g, pi}
				if count[k] == 0 {
					pagesOf[g] = append(pagesOf[g], pi)
				}
				count[k]++
			}
		}
	}
	for g, ps := range pagesOf {
		if len(ps) < 2 {
			continue
		}
		for _, p := range ps {
			if n := count[key{g, p}]; n < 2 {
				t.Errorf("%s: page %s has a single line (widow or orphan) of a paragraph spanning pages %v", name, lay.Pages[p].Label, ps)
			}
		}
	}
}

func firstText(it *layout.Item) string {
	for _, o := range it.Ops {
		if o.Kind == layout.OpText {
			return o.Text
		}
	}
	return ""
}

// TestPrintLayoutRules checks the layout rules (see checkLayout) on the
// print edition of every book on every paper and on the booklet.
func TestPrintLayoutRules(t *testing.T) {
	for _, bk := range testbook.All(t) {
		for _, o := range []Options{{Print: true, Duplex: true}, {Print: true, Duplex: true, Paper: "letter"}, {Print: true, Duplex: true, Paper: "a5"}, {Print: true, Duplex: true, Paper: "a5", Booklet: true}, {Print: true}} {
			name := fmt.Sprintf("%s/%+v", bk.Name, o)
			o.Keep = true
			lay, ds, err := Typeset(bk.Tree, o)
			if err != nil {
				t.Fatal(err)
			}
			checkLayout(t, name, lay)
			if len(ds) > 0 {
				t.Errorf("%s: diagnostics: %v", name, ds)
			}
			// Ink: black text, no tints.
			for _, pg := range lay.Pages {
				for _, o := range append(append([]layout.Op(nil), pg.Ops...), pg.Furniture...) {
					if o.Kind == layout.OpText && o.Style.Color != design.ColInk || o.Kind == layout.OpRect && o.Color != design.ColInk && o.Color != design.ColGrey {
						t.Errorf("%s page %s: %q drawn in %v", name, pg.Label, o.Text, o.Style.Color)
					}
					if o.Kind == layout.OpRect && o.W > 2 && o.H > 2 {
						t.Errorf("%s page %s: a tinted area %.0f×%.0f mm", name, pg.Label, o.W, o.H)
					}
				}
			}
		}
	}
}

// checkQuietZones asserts that nothing is drawn within four modules of a
// QR code, the margin of white a scanner needs to find it.
func checkQuietZones(t *testing.T, where string, pg *layout.Page) {
	t.Helper()
	all := append(append([]layout.Op(nil), pg.Ops...), pg.Furniture...)
	for i, q := range all {
		if q.Kind != layout.OpQR || q.QR == nil {
			continue
		}
		m := q.W / float64(q.QR.N)
		if q.W < 18-1e-9 || m < 0.45-1e-9 {
			t.Errorf("%s: QR code for %s is %.1f mm (%.2f mm modules)", where, q.Text, q.W, m)
		}
		z0x, z0y, z1x, z1y := q.X-4*m, q.Y-4*m, q.X+q.W+4*m, q.Y+q.W+4*m
		for j, o := range all {
			if j == i || o.Kind == layout.OpLink {
				continue
			}
			x0, y0, x1, y1 := o.X, o.Y, o.X+o.W, o.Y+o.H
			if o.Kind == layout.OpText {
				y0, y1 = o.Y-o.Style.Size*layout.PtMM*0.75, o.Y+o.Style.Size*layout.PtMM*0.25
			}
			if x0 < z1x && x1 > z0x && y0 < z1y && y1 > z0y {
				t.Errorf("%s: %q drawn in the quiet zone of the QR code for %s", where, o.Text, q.Text)
			}
		}
	}
}
