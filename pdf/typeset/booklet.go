package typeset

import "strconv"

// This file imposes a booklet: the A5 pages of the print edition two-up
// on landscape A4 sheets, in saddle-stitch order. Imposition happens on
// the display list, before anything is drawn: each sheet side is a page
// whose ops are those of its two A5 pages, moved into place. pdfcpu has
// an imposition (api.Booklet), but its writer stamps the clock into the
// document information and the file identifier, so its output is not
// reproducible; imposing the display list also keeps the QR codes
// vector, the links clickable and the outline working on the sheets.

// Sheet is one side of a booklet sheet.
type Sheet struct {
	Left, Right int   // indices into layout.Pages of the pages on its halves
	Page        *Page // the side as drawn: both pages' ops, moved into place
}

// Sheet geometry: landscape A4 holds two A5 pages with half a millimetre
// to spare, split between the outer edges.
const (
	SheetW = 297.0
	SheetH = 210.0
)

// SheetX returns the x offset of a page on the left or right half.
func SheetX(right bool, pageW float64) float64 {
	x := (SheetW - 2*pageW) / 2
	if right {
		x += pageW
	}
	return x
}

// impose pads lay.Pages with blank pages to a multiple of four and
// returns the sheet sides in the order they are printed: for sheet s
// (from 0) of a booklet of n pages, the front holds pages n−2s (left) and
// 2s+1 (right), counting from 1, and the back 2s+2 (left) and n−2s−1
// (right). Printed two-sided (flip on the short edge), stacked and folded,
// the pages read in order.
func impose(lay *Layout) []*Sheet {
	last := len(lay.Pages) - lay.Front // the last page's number
	for len(lay.Pages)%4 != 0 {
		last++
		lay.Pages = append(lay.Pages, &Page{Kind: PageBlank, Label: strconv.Itoa(last), Recto: len(lay.Pages)%2 == 0})
	}
	n := len(lay.Pages)
	var sides []*Sheet
	for s := 0; s < n/4; s++ {
		sides = append(sides,
			lay.side(n-1-2*s, 2*s),
			lay.side(2*s+1, n-2-2*s))
	}
	return sides
}

// side builds the sheet side with pages l and r (indices).
func (lay *Layout) side(l, r int) *Sheet {
	pg := &Page{Kind: PageBody, Recto: true}
	for i, idx := range []int{l, r} {
		src := lay.Pages[idx]
		dx := SheetX(i == 1, lay.Geometry.W)
		dy := (SheetH - lay.Geometry.H) / 2
		for _, o := range src.Furniture {
			o.X += dx
			o.Y += dy
			pg.Furniture = append(pg.Furniture, o)
		}
		for _, o := range src.Ops {
			o.X += dx
			o.Y += dy
			pg.Ops = append(pg.Ops, o)
		}
	}
	return &Sheet{Left: l, Right: r, Page: pg}
}

// Drawing is what render draws and annotate annotates: the layout's pages
// or a booklet's sheet sides, with the anchors moved accordingly.
type Drawing struct {
	Pages    []*Page
	Marks    [][]Op          // per drawn page, its links and QR codes (for annotate), in drawing order
	Geometry *Geometry       // the drawn pages' size and body type
	Anchors  map[string]Dest // anchor id → drawn page and position
	TOC      []TOCEntry
	Front    int // front-matter pages for the page labels; -1: no labels
}

// Drawing returns what to draw for lay.
func (lay *Layout) Drawing() *Drawing {
	d := lay.sheets()
	// What annotate needs of a page is kept apart, so that render may
	// release the rest of it once drawn.
	d.Marks = make([][]Op, len(d.Pages))
	for i, pg := range d.Pages {
		for _, ops := range [][]Op{pg.Furniture, pg.Ops} {
			for _, o := range ops {
				if o.Kind == OpLink || o.Kind == OpQR {
					d.Marks[i] = append(d.Marks[i], o)
				}
			}
		}
	}
	return d
}

// sheets returns lay's pages or, for a booklet, its sheet sides.
func (lay *Layout) sheets() *Drawing {
	if lay.Sheets == nil {
		return &Drawing{Pages: lay.Pages, Geometry: lay.Geometry, Anchors: lay.Anchors, TOC: lay.TOC, Front: lay.Front}
	}
	g := *lay.Geometry
	g.W, g.H = SheetW, SheetH
	d := &Drawing{Geometry: &g, Anchors: map[string]Dest{}, TOC: lay.TOC, Front: -1}
	where := make([]Dest, len(lay.Pages)) // page index → sheet side and offset
	for i, s := range lay.Sheets {
		d.Pages = append(d.Pages, s.Page)
		where[s.Left] = Dest{Page: i, X: SheetX(false, lay.Geometry.W)}
		where[s.Right] = Dest{Page: i, X: SheetX(true, lay.Geometry.W)}
	}
	dy := (SheetH - lay.Geometry.H) / 2
	for id, a := range lay.Anchors {
		w := where[a.Page]
		d.Anchors[id] = Dest{Page: w.Page, X: a.X + w.X, Y: a.Y + dy}
	}
	return d
}
