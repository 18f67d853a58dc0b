package edition

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/compile/words"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/design"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// This file makes a booklet: the A5 pages of the print edition two-up on
// landscape A4 sheets, in signatures (a few sheets folded together once
// and stitched through the fold; the signatures stacked in order make the
// book), each in saddle-stitch order. A book of a hundred pages on one
// signature of 25 sheets can be neither folded flat nor stapled, so
// every Section starts a signature of at most Options.SignatureSheets
// sheets, and a longer one takes several.
//
// Imposition happens on the display list, before anything is drawn: each
// sheet side is a page whose ops are those of its two A5 pages, moved
// into place. pdfcpu has an imposition (api.Booklet), but its writer
// stamps the clock into the document information and the file
// identifier, so its output is not reproducible; imposing the display
// list also keeps the QR codes vector, the links clickable and the
// outline working on the sheets.

// Signature is one of a booklet's signatures: Layout.Pages[First :
// First+Pages], printed on Pages/4 sheets.
type Signature struct {
	First int // index into Layout.Pages of its first page
	Pages int // a multiple of four
	Pad   int // of them, the Notes pages at its end that make it a multiple of four
}

// Sheets returns the number of sheets sg is printed on.
func (sg Signature) Sheets() int { return sg.Pages / 4 }

// Sheet is one side of a booklet sheet.
type Sheet struct {
	Left, Right int          // indices into Layout.Pages of the pages on its halves
	Page        *layout.Page // the side as drawn: both pages' ops, moved into place
	Signature   int          // index into Layout.Signatures
	Index       int          // the sheet's place in its signature, 0 the outermost
	Back        bool         // the back of the sheet (printed second)
	// Creep is how far both pages are moved toward the fold (the sheet's
	// vertical centre line) to make up for creep, in mm: Index times the
	// creep a sheet (see impose).
	Creep float64
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

// Fold marks: short hairlines on a sheet's fold line, at its top and
// bottom edges. They start a little inside the edge because most desktop
// printers cannot print the outermost 3–5 mm; they end well above the A5
// page's running head and below its folio, which sit in its margins at
// the outer edge anyway, so they cross no text.
const (
	FoldMarkInset = 3.0  // mm from the sheet's edge to a mark's end
	FoldMarkLen   = 6.0  // mm
	foldMarkW     = 0.15 // mm: a hairline that a laser printer still draws
)

// signatures plans a booklet's signatures. The book is nf pages of front
// matter followed by nb body pages whose sections start at the body
// indices starts. Each section starts a signature, the first one with
// the front matter before it (the cover is the first signature's first
// page); a section that does not fit in one signature of at most max
// sheets takes as few as will hold it, of sheet counts as equal as may
// be, the thicker first (signatures of one thickness fold and stack more
// neatly than a full one and a thin one). The last signature of a
// section is padded at its end with Notes pages to a multiple of four.
func signatures(nf, nb int, starts []int, max int) []Signature {
	cuts := []int{0}
	for _, s := range starts {
		if s > 0 && nf+s > cuts[len(cuts)-1] {
			cuts = append(cuts, nf+s)
		}
	}
	cuts = append(cuts, nf+nb)
	var sigs []Signature
	first := 0 // in the padded book
	for i := 1; i < len(cuts); i++ {
		n := cuts[i] - cuts[i-1] // the section's pages
		if n <= 0 {
			continue
		}
		sheets := (n + 3) / 4
		k := (sheets + max - 1) / max
		for j := 0; j < k; j++ {
			sh := sheets / k
			if j < sheets%k {
				sh++
			}
			take := min(4*sh, n)
			n -= take
			sigs = append(sigs, Signature{First: first, Pages: 4 * sh, Pad: 4*sh - take})
			first += 4 * sh
		}
	}
	return sigs
}

// pad returns body with the signatures' Notes pages inserted (body
// follows nf pages of front matter), and moves the anchors on body pages
// with them. A padding page is a page of the book: the page numbers
// after it move on.
func (t *printMatter) pad(body []*layout.Page, nf int, sigs []Signature, anchors map[string]layout.Dest) []*layout.Page {
	out := make([]*layout.Page, 0, len(body)+4*len(sigs))
	moved := make([]int, len(body)) // body index → padded body index
	next := -nf                     // the next page of the book, as a body index
	for _, sg := range sigs {
		for end := next + sg.Pages - sg.Pad; next < end; next++ {
			if next >= 0 {
				moved[next] = len(out)
				out = append(out, body[next])
			}
		}
		for range sg.Pad {
			out = append(out, t.notesPage())
		}
	}
	if next != len(body) {
		panic(fmt.Sprintf("edition: pad: the signatures hold %d of %d body pages", next, len(body)))
	}
	for id, d := range anchors {
		d.Page = moved[d.Page]
		anchors[id] = d
	}
	return out
}

// notesGap is the distance between the rules of a Notes page, a
// comfortable line for handwriting (ruled paper has 7–9 mm).
const notesGap = 8.0

// notesPage returns a page for the reader's notes: the title "Notes" and
// light hairline rules, evenly spaced, across the text area. It pads a
// booklet's signature where a blank page would otherwise be; it gets a
// folio like any page of the book, and no running head.
func (t *printMatter) notesPage() *layout.Page {
	g := t.Geometry
	pg := &layout.Page{Kind: layout.PageNotes}
	// A page for handwriting: its title and rules are decoration.
	prev := t.Node
	t.Node = nil
	defer func() { t.Node = prev }()
	size, lead := t.HeadingSize(3)
	st := layout.Style{Face: fonts.Bold, Size: size, Color: design.ColText}
	base := g.Top + t.Baseline(size, lead)
	ws := t.Plain(t.Wording().Notes, st, nil, tree.Pos{})
	pg.Ops = append(pg.Ops, t.Render(layout.Line{Words: ws, Hard: true}, g.Left, g.TextW(), base, layout.AlignLeft)...)
	const th = 0.15
	for y := base + notesGap; y+th <= g.H-g.Bottom; y += notesGap {
		pg.Ops = append(pg.Ops, layout.Op{Kind: layout.OpRect, X: g.Left, Y: y, W: g.TextW(), H: th, Color: design.ColRule})
	}
	return pg
}

// impose returns the sheet sides of lay's signatures in the order they
// are printed. For sheet s (from 0, the outermost) of a signature of n
// pages, the front holds its pages n−2s (left) and 2s+1 (right),
// counting from 1 within the signature, and the back 2s+2 (left) and
// n−2s−1 (right). Printed two-sided (flip on the short edge), each
// signature's sheets stacked and folded, the pages read in order.
//
// Creep: the sheets of a signature are folded together, one inside the
// other, and each fold wraps around the sheets inside it. So the fold of
// sheet s lies the thickness of the s sheets around it further from the
// spine (the outermost fold) than theirs, and its pages reach that much
// further toward the fore-edge; measured from the spine, or from the
// fore-edge once it is trimmed flush, an inner page's text would sit
// s × thickness nearer the fore-edge than an outer one's. The issue
// speaks of the inner pages being "shifted outward": that is the paper,
// and the compensation goes the other way. The pages of sheet s are drawn
// s × creep nearer the sheet's fold line, its vertical centre (the left
// page moves right, the right page left, on both sides of the sheet), so
// that once folded every page's text sits where the outermost sheet's
// does. Printers call this shingling, moving the inner pages toward the
// spine.
func impose(lay *Book, creep float64) []*Sheet {
	var sides []*Sheet
	for k, sg := range lay.Signatures {
		n := sg.Pages
		pg := func(i int) int { return sg.First + i - 1 } // the signature's page i, from 1
		for s := 0; s < n/4; s++ {
			c := float64(s) * creep
			sides = append(sides,
				lay.side(&Sheet{Left: pg(n - 2*s), Right: pg(2*s + 1), Signature: k, Index: s, Creep: c}),
				lay.side(&Sheet{Left: pg(2*s + 2), Right: pg(n - 2*s - 1), Signature: k, Index: s, Back: true, Creep: c}))
		}
	}
	return sides
}

// side draws sh's two pages on its Page, moved into place, with the fold
// marks.
func (lay *Book) side(sh *Sheet) *Sheet {
	pg := &layout.Page{Kind: layout.PageBody, Recto: true}
	dy := (SheetH - lay.Geometry.H) / 2
	for i, idx := range []int{sh.Left, sh.Right} {
		src := lay.Pages[idx]
		dx := SheetX(false, lay.Geometry.W) + sh.Creep // toward the fold: right
		if i == 1 {
			dx = SheetX(true, lay.Geometry.W) - sh.Creep // left
		}
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
	x := SheetW/2 - foldMarkW/2
	pg.Furniture = append(pg.Furniture,
		layout.Op{Kind: layout.OpRect, X: x, Y: FoldMarkInset, W: foldMarkW, H: FoldMarkLen, Color: design.ColInk},
		layout.Op{Kind: layout.OpRect, X: x, Y: SheetH - FoldMarkInset - FoldMarkLen, W: foldMarkW, H: FoldMarkLen, Color: design.ColInk})
	sh.Page = pg
	return sh
}

// instructions returns the booklet's first sheet: a page that says how to
// print, fold and bind the booklet, with a table of its signatures, and
// a blank back.
func (t *printMatter) instructions(lay *Book) []*layout.Page {
	pg := &layout.Page{Kind: layout.PageTitle, Recto: true}
	const (
		margin = 20.0
		gap    = 14.0
	)
	leftW := layout.Grid((SheetW - 2*margin - gap) * 0.53)
	body := t.Geometry.Body
	reg := layout.Style{Face: fonts.Regular, Size: body, Color: design.ColInk}
	lead := layout.Grid(body * 1.45 * layout.PtMM)
	// set sets text in style st from x, w wide, its first line's top at
	// y, and returns the y below it.
	set := func(text string, st layout.Style, x, w, y, lead float64) float64 {
		base := t.Baseline(st.Size, lead)
		for _, l := range t.Lines(t.Plain(text, st, nil, tree.Pos{}), w, layout.AlignLeft) {
			pg.Ops = append(pg.Ops, t.Render(l, x, w, y+base, layout.AlignLeft)...)
			y += lead
		}
		return y
	}

	sigs := lay.Signatures
	sheets, pages := 0, 0
	counts := make([]string, len(sigs))
	same := true
	for i, sg := range sigs {
		sheets += sg.Sheets()
		pages += sg.Pages
		counts[i] = strconv.Itoa(sg.Sheets())
		same = same && sg.Sheets() == sigs[0].Sheets()
	}
	wd := t.Wording()
	plural := func(n int) string { return words.Count(n, wd.Sheet, wd.SheetPlural) }
	var of string
	switch {
	case len(sigs) == 1:
		of = fmt.Sprintf(wd.BookletOneSig, plural(sheets))
	case same:
		of = fmt.Sprintf(wd.BookletSameSigs, len(sigs), plural(sigs[0].Sheets()))
	default:
		of = fmt.Sprintf(wd.BookletMixedSigs, len(sigs), strings.Join(counts[:len(counts)-1], ", "), counts[len(counts)-1])
	}

	x, w := margin, leftW
	ts := layout.Style{Face: fonts.Bold, Size: body * 1.7, Color: design.ColInk}
	y := set(wd.BookletHow, ts, x, w, margin, layout.Grid(ts.Size*1.3*layout.PtMM))
	y += lead * 0.6
	what := wd.BookletThisBook
	if m := t.Book().Meta.Title; m != "" {
		what = fmt.Sprintf(wd.BookletThisFile, m)
	}
	y = set(fmt.Sprintf(wd.BookletIntro, what, pages, plural(sheets), of), reg, x, w, y, lead)
	steps := wd.BookletSteps
	num := body * 1.1 * layout.PtMM * 2.2 // the hanging indent of the steps
	for i, s := range steps {
		y += lead * 0.5
		n := strconv.Itoa(i+1) + "."
		pg.Ops = append(pg.Ops, layout.Op{Kind: layout.OpText, X: x, Y: y + t.Baseline(body, lead), W: t.Fonts.Face(fonts.Bold).Width(n, body) * layout.PtMM, Style: reg.Bold(), Text: n})
		y = set(s, reg, x+num, w-num, y, lead)
	}
	if c := t.ed.creep; c > 0 {
		y += lead
		set(fmt.Sprintf(wd.BookletCreep, strconv.FormatFloat(c, 'f', -1, 64)), reg.Italic(), x, w, y, lead)
	}

	// The table of signatures, on the right. A book cut into very many
	// signatures gets a smaller table rather than one that runs off the
	// sheet.
	x = margin + leftW + gap
	w = SheetW - margin - x
	y = set(wd.BookletSignatures, layout.Style{Face: fonts.Bold, Size: body * 1.2, Color: design.ColInk}, x, w, margin, layout.Grid(ts.Size*1.3*layout.PtMM))
	y += lead * 0.4
	ss := reg
	tl := lead
	if need := float64(len(sigs)+1) * tl; y+need > SheetH-margin {
		f := (SheetH - margin - y) / need
		ss.Size *= f
		tl = layout.Grid(tl * f)
	}
	cols := []float64{0, 0.2, 0.42, 0.7} // fractions of w where the columns start
	row := func(st layout.Style, cells ...string) {
		base := y + t.Baseline(st.Size, tl)
		for i, c := range cells {
			cw := t.Fonts.Face(st.Face).Width(c, st.Size) * layout.PtMM
			pg.Ops = append(pg.Ops, layout.Op{Kind: layout.OpText, X: x + cols[i]*w, Y: base, W: cw, Style: st, Text: c})
		}
		y += tl
	}
	row(ss.Bold(), wd.BookletColumns[:]...)
	pg.Ops = append(pg.Ops, layout.Op{Kind: layout.OpRect, X: x, Y: y - tl*0.12, W: w, H: 0.2, Color: design.ColInk})
	sheet := 0 // sheets before the signature
	for i, sg := range sigs {
		file := 2*sheet + 3 // the instruction sheet's two sides come first
		last := sg.First + sg.Pages - 1
		pages := span(lay.Pages[sg.First].Label, lay.Pages[last].Label)
		if f := lay.Front; sg.First < f && last >= f {
			// The front matter is numbered apart: "i–x, 1–18".
			pages = span(lay.Pages[sg.First].Label, lay.Pages[f-1].Label) + ", " + span(lay.Pages[f].Label, lay.Pages[last].Label)
		}
		row(ss, strconv.Itoa(i+1),
			span(strconv.Itoa(sheet+1), strconv.Itoa(sheet+sg.Sheets())),
			span(strconv.Itoa(file), strconv.Itoa(file+2*sg.Sheets()-1)),
			pages)
		sheet += sg.Sheets()
	}
	design.Ink(pg)
	return []*layout.Page{pg, {Kind: layout.PageBlank, Recto: false}}
}

// span returns the range from a to b: "a–b", or "a" when they are one.
func span(a, b string) string {
	if a == b {
		return a
	}
	return a + "–" + b
}

// Drawing returns what to draw for lay: its pages or, for a booklet,
// its instruction sheet and sheet sides, with every anchor moved to the
// side its page is drawn on, by as much as the page was moved there.
func (lay *Book) Drawing() *layout.Drawing {
	if lay.Sheets == nil {
		return lay.Layout.Drawing()
	}
	g := *lay.Geometry
	g.W, g.H = SheetW, SheetH
	d := &layout.Drawing{Geometry: &g, Anchors: map[string]layout.Dest{}, Outline: lay.Outline, Front: -1}
	d.Pages = append(d.Pages, lay.Instructions...)
	where := make([]layout.Dest, len(lay.Pages)) // page index → sheet side and offset
	for _, s := range lay.Sheets {
		i := len(d.Pages)
		d.Pages = append(d.Pages, s.Page)
		where[s.Left] = layout.Dest{Page: i, X: SheetX(false, lay.Geometry.W) + s.Creep}
		where[s.Right] = layout.Dest{Page: i, X: SheetX(true, lay.Geometry.W) - s.Creep}
	}
	dy := (SheetH - lay.Geometry.H) / 2
	for id, a := range lay.Anchors {
		w := where[a.Page]
		d.Anchors[id] = layout.Dest{Page: w.Page, X: a.X + w.X, Y: a.Y + dy}
	}
	d.Marks = layout.Marks(d.Pages)
	return d
}
