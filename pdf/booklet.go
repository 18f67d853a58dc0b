package pdf

import "strconv"

// This file imposes a booklet: the A5 pages of the print edition two-up
// on landscape A4 sheets, in saddle-stitch order. Imposition happens on
// the display list, before anything is drawn: each sheet side is a page
// whose ops are those of its two A5 pages, moved into place. pdfcpu has
// an imposition (api.Booklet), but its writer stamps the clock into the
// document information and the file identifier, so its output is not
// reproducible; imposing the display list also keeps the QR codes
// vector, the links clickable and the outline working on the sheets.

// sheetSide is one side of a booklet sheet.
type sheetSide struct {
	left, right int   // indices into layout.Pages of the pages on its halves
	page        *page // the side as drawn: both pages' ops, moved into place
}

// Sheet geometry: landscape A4 holds two A5 pages with half a millimetre
// to spare, split between the outer edges.
const (
	sheetW = 297.0
	sheetH = 210.0
)

// sheetX returns the x offset of a page on the left or right half.
func sheetX(right bool, pageW float64) float64 {
	x := (sheetW - 2*pageW) / 2
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
func impose(lay *layout) []*sheetSide {
	last := len(lay.Pages) - lay.Front // the last page's number
	for len(lay.Pages)%4 != 0 {
		last++
		lay.Pages = append(lay.Pages, &page{kind: pgBlank, label: strconv.Itoa(last), recto: len(lay.Pages)%2 == 0})
	}
	n := len(lay.Pages)
	var sides []*sheetSide
	for s := 0; s < n/4; s++ {
		sides = append(sides,
			lay.side(n-1-2*s, 2*s),
			lay.side(2*s+1, n-2-2*s))
	}
	return sides
}

// side builds the sheet side with pages l and r (indices).
func (lay *layout) side(l, r int) *sheetSide {
	pg := &page{kind: pgBody, recto: true}
	for i, idx := range []int{l, r} {
		src := lay.Pages[idx]
		dx := sheetX(i == 1, lay.geom.w)
		dy := (sheetH - lay.geom.h) / 2
		for _, o := range src.furn {
			o.x += dx
			o.y += dy
			pg.furn = append(pg.furn, o)
		}
		for _, o := range src.ops {
			o.x += dx
			o.y += dy
			pg.ops = append(pg.ops, o)
		}
	}
	return &sheetSide{left: l, right: r, page: pg}
}

// drawing is what render draws and annotate annotates: the layout's pages
// or a booklet's sheet sides, with the anchors moved accordingly.
type drawing struct {
	pages   []*page
	marks   [][]op          // per drawn page, its links and QR codes (for annotate), in drawing order
	geom    *geometry       // the drawn pages' size and body type
	anchors map[string]dest // anchor id → drawn page and position
	toc     []tocEntry
	front   int // front-matter pages for the page labels; -1: no labels
}

// drawing returns what to draw for lay.
func (lay *layout) drawing() *drawing {
	d := lay.sheets()
	// What annotate needs of a page is kept apart, so that render may
	// release the rest of it once drawn.
	d.marks = make([][]op, len(d.pages))
	for i, pg := range d.pages {
		for _, ops := range [][]op{pg.furn, pg.ops} {
			for _, o := range ops {
				if o.kind == opLink || o.kind == opQR {
					d.marks[i] = append(d.marks[i], o)
				}
			}
		}
	}
	return d
}

// sheets returns lay's pages or, for a booklet, its sheet sides.
func (lay *layout) sheets() *drawing {
	if lay.Sheets == nil {
		return &drawing{pages: lay.Pages, geom: lay.geom, anchors: lay.Anchors, toc: lay.TOC, front: lay.Front}
	}
	g := *lay.geom
	g.w, g.h = sheetW, sheetH
	d := &drawing{geom: &g, anchors: map[string]dest{}, toc: lay.TOC, front: -1}
	where := make([]dest, len(lay.Pages)) // page index → sheet side and offset
	for i, s := range lay.Sheets {
		d.pages = append(d.pages, s.page)
		where[s.left] = dest{page: i, x: sheetX(false, lay.geom.w)}
		where[s.right] = dest{page: i, x: sheetX(true, lay.geom.w)}
	}
	dy := (sheetH - lay.geom.h) / 2
	for id, a := range lay.Anchors {
		w := where[a.page]
		d.anchors[id] = dest{page: w.page, x: a.x + w.x, y: a.y + dy}
	}
	return d
}
