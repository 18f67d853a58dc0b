// Package typeset lays a book tree out as pages of positioned items: text
// runs with their face and size, rectangles, images, link areas, QR codes
// and anchors, with the table of contents and the page labels. It breaks
// paragraphs into lines, lines into pages (with keeps, widows and
// orphans), and knows the two editions' designs: the screen edition, and
// the print edition with its resource lists, page references, study plan
// and booklet imposition.
//
// It knows nothing of the PDF format or of the libraries that write one:
// package pdf draws a Layout. Dump prints a Layout as plain text, the
// oracle of the layout tests. Lengths are millimetres, y grows downwards
// from the page's top edge.
package typeset

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/hyphen"
	"github.com/genai-handbook/handbook/pdf/layout"
	"github.com/genai-handbook/handbook/pdf/qr"
)

// Options configures Typeset. The zero value sets the screen edition on
// A4 in the Go fonts.
type Options struct {
	// Paper is "a4", "letter" or "a5". Default "a4".
	Paper string
	// Print sets the print edition: numbered references and Resources
	// lists for external links, page references for internal ones, black
	// ink, a study plan. Default false: the screen edition.
	Print bool
	// Duplex lays the print edition out for two-sided printing: mirrored
	// margins, part openers on right-hand pages. Ignored on screen.
	Duplex bool
	// Booklet imposes the print edition's A5 pages on A4 sheets
	// (Layout.Sheets), in signatures (Layout.Signatures). It needs Print,
	// Duplex and Paper "a5".
	Booklet bool
	// SignatureSheets is the most sheets a booklet's signature may have
	// (four pages a sheet). Default (0) 8 sheets, 32 pages; negative is
	// an error. Ignored unless Booklet.
	SignatureSheets int
	// Creep is a booklet's creep compensation in mm per sheet, about the
	// paper's thickness: the pages of a signature's sheet s (0 the
	// outermost) are drawn s × Creep nearer the fold (see impose).
	// Default (0) 0.1 mm; negative: none. Ignored unless Booklet.
	Creep float64
	// Fonts are the faces to set the book in. Default fonts.Default().
	Fonts *fonts.Set
	// Generator names the program in the colophon. Default "".
	Generator string
	// Created is the date the colophon gives. Default (zero): not given.
	Created time.Time
	// Cache holds what Typeset calls on the same book share; pass one
	// Cache to every edition of a build. Default nil: a cache of this
	// call's own.
	Cache *layout.Cache
	// QR encodes the print edition's QR codes; pass one Encoder to every
	// edition of a build. Default nil: an Encoder of this call's own.
	QR *qr.Encoder
	// Keep records, on every page, the items placed on it and keeps
	// every page's operations (tests). Default false.
	Keep bool
	// Discard leaves the body pages without their items' drawing
	// operations, for a caller that wants only what typesetting finds
	// (diagnostics, pages, QR codes, the page map) and not the drawing:
	// a long book's operations are hundreds of megabytes. Default false.
	Discard bool
	// setAgain sets the print edition again whenever a page label was
	// wrong, rather than correcting it in place (patchRefs): the tests
	// compare the two.
	setAgain bool
}

// edition is the validated form of the edition options.
type edition struct {
	print   bool // the print edition: references, page refs, ink
	duplex  bool // two-sided: mirrored margins, recto openers
	booklet bool // impose on sheets
	// A booklet's signatures: at most sheets sheets each; the pages of
	// sheet s drawn s × creep (mm, ≥ 0) nearer the fold.
	sheets int
	creep  float64
}

// Booklet defaults (Options.SignatureSheets, Options.Creep).
const (
	defaultSignatureSheets = 8
	defaultCreep           = 0.1 // mm: office paper of 80 g/m² is about 0.1 mm thick
)

// Typeset lays out b. It never modifies b. Problems found on the way
// (characters no font can draw, QR codes that cannot be encoded, page
// references that did not settle) are returned as diagnostics, sorted.
func Typeset(b *tree.Book, opt Options) (*Layout, diag.Diagnostics, error) {
	if b == nil {
		return nil, nil, fmt.Errorf("typeset: nil book")
	}
	g, err := paperGeometry(opt.Paper, opt.Print)
	if err != nil {
		return nil, nil, err
	}
	if opt.Fonts == nil {
		opt.Fonts = fonts.Default()
	}
	ed := edition{print: opt.Print, duplex: opt.Print && opt.Duplex, booklet: opt.Booklet && opt.Print && opt.Duplex}
	if ed.booklet {
		ed.sheets, ed.creep = opt.SignatureSheets, opt.Creep
		switch {
		case ed.sheets < 0:
			return nil, nil, fmt.Errorf("typeset: %d sheets a signature", ed.sheets)
		case ed.sheets == 0:
			ed.sheets = defaultSignatureSheets
		}
		switch {
		case ed.creep < 0:
			ed.creep = 0
		case ed.creep == 0:
			ed.creep = defaultCreep
		}
		// The innermost sheet's pages move by the most; past half the
		// inner margin there would be little white left at the fold for
		// the staples or the thread.
		if sh := ed.creep * float64(ed.sheets-1); sh > g.Left/2 {
			return nil, nil, fmt.Errorf("typeset: creep of %g mm a sheet over %d sheets would move the innermost pages %.1f mm, more than half the %g mm inner margin", ed.creep, ed.sheets, sh, g.Left)
		}
	}
	var ds diag.Diagnostics
	lay := typeset(b, g, ed, opt, opt.Keep, &ds)
	ds.Sort()
	return lay, ds, nil
}

// Layout is the typeset book: its pages with everything drawn on them,
// where each anchor landed and the table of contents.
type Layout struct {
	Pages    []*layout.Page
	Front    int                    // number of front-matter pages (numbered i, ii, …)
	Anchors  map[string]layout.Dest // anchor id → page index (into Pages) and position
	TOC      []TOCEntry
	Geometry *layout.Geometry
	ed       edition
	Passes   int               // typesetting passes until the page references settled
	Refs     map[string]string // print: anchor id → page label printed in a page reference
	// A booklet's signatures, in order: together they hold Pages, each
	// a multiple of four of them.
	Signatures []Signature
	// A booklet's sheet sides, in file order after Instructions.
	Sheets []*Sheet
	// A booklet's first sheet, on the sheets' paper: how to print, fold
	// and bind the booklet, and a blank back (so that, printed two-sided,
	// every sheet after it keeps its own front and back). It is no page
	// of the book.
	Instructions []*layout.Page
	// Resources are the print edition's Resources lists in book order:
	// the title page's, then each Section's opening pages' and each
	// chapter's that has links, then the credits'.
	Resources [][]Resource
	// Plan is the print edition's study plan, row by row.
	Plan []PlanRow
	// QRCodes is the number of QR codes drawn.
	QRCodes int
	// PageMap is where each page begins in the book tree, in page order:
	// a map of this edition's pages that an e-book can mark its text
	// with.
	PageMap []tree.PageStart
}

// Dump writes lay as plain text, the oracle of the layout tests (see
// the engine's Dump); lay must be set with Options.Keep.
func (lay *Layout) Dump(w io.Writer) error { return layout.Dump(w, lay.Pages, lay.Anchors) }

// maxPasses bounds the print edition's typesetting passes. A page
// reference's text ("p. 99" or "p. 100") can move what follows it, so
// the book is set again with the pages the previous pass found until
// nothing moves; in practice the second pass settles it.
const maxPasses = 5

// typeset lays out the whole book. The print edition is set until its
// page references are right (see maxPasses).
//
// With keep, every page records the items placed on it (for tests).
func typeset(b *tree.Book, g *layout.Geometry, ed edition, opt Options, keep bool, diags *diag.Diagnostics) *Layout {
	var refs map[string]string
	var qrs map[string]*qr.Code
	cache := opt.Cache
	if cache == nil {
		cache = &layout.Cache{}
	}
	enc := opt.QR
	if enc == nil {
		enc = &qr.Encoder{}
	}
	if ed.print {
		var wait func()
		qrs, wait = encodeURLs(b, enc)
		defer wait() // the codes' modules are drawn once this returns
	}
	for pass := 1; ; pass++ {
		var d diag.Diagnostics
		e := layout.New(layout.Options{Geometry: g, Fonts: opt.Fonts, Hyphen: hyphen.ForLanguage(b.Meta.Language), Cache: cache, Keep: keep, Discard: opt.Discard, Diags: &d})
		t := &typesetter{Setter: e, ed: ed, book: b, refs: refs, used: map[string]string{}, loose: map[string]string{}, qrs: qrs, qrEnc: enc, noteSet: map[*tree.Footnote]bool{}}
		lay := t.layout(opt)
		lay.Passes = pass
		if !ed.print {
			*diags = append(*diags, d...)
			return lay
		}
		actual := map[string]string{}
		settled := true
		for _, used := range []map[string]string{t.used, t.loose} {
			for id, printed := range used {
				a := ""
				if dd, ok := lay.Anchors[id]; ok {
					a = lay.Pages[dd.Page].Label
				}
				actual[id] = a
				if a != printed {
					settled = false
				}
			}
		}
		if !settled && !opt.setAgain && t.patchRefs(lay, actual) {
			settled = true
		}
		if settled || pass == maxPasses {
			if !settled {
				d.Warnf(tree.Pos{}, "pdf: page references did not settle after %d passes; some may be off by a page", pass)
			}
			lay.Refs = t.used
			for id, l := range t.loose {
				if _, ok := lay.Refs[id]; !ok {
					lay.Refs[id] = l
				}
			}
			if ed.booklet {
				// Imposed once, on the pass that stays: imposing copies
				// every page's operations.
				lay.Sheets = impose(lay, ed.creep)
				lay.Instructions = t.instructions(lay)
			}
			*diags = append(*diags, d...)
			return lay
		}
		refs = actual
	}
}

// layout lays out the whole book once.
func (t *typesetter) layout(opt Options) *Layout {
	b, g := t.book, t.Geometry
	var body []*layout.Page
	var starts []int // booklet: where each section starts in body
	anchors := map[string]layout.Dest{}
	t.anchors = anchors
	t.toc = tocEntries(b)
	// Each section is paginated as soon as it is set, so that the items
	// of only one are in memory besides the pages: the display list of
	// a long book is hundreds of megabytes. (Pagination changes nothing
	// that setting the next section reads.)
	paginate := func(s *layout.Section) {
		switch {
		case t.ed.booklet && s.Recto:
			// It starts a signature, which starts on a recto; the
			// signatures are padded below.
			starts = append(starts, len(body))
		case s.Recto:
			t.toRecto(&body)
		}
		t.Paginate(s, &body, anchors)
		t.nbody = len(body)
	}
	for i, p := range b.Parts {
		s := t.part(p)
		if i == len(b.Parts)-1 && len(b.Back) > 0 {
			// The credits run on after the last part.
			f := &layout.Flow{Items: s.Items}
			t.back(f, b.Back)
			s.Items = f.Items
		}
		paginate(s)
	}
	if len(b.Parts) == 0 && len(b.Back) > 0 {
		f := &layout.Flow{}
		t.back(f, b.Back)
		paginate(&layout.Section{Kind: layout.PageBody, Items: f.Items})
	}
	if t.ed.print {
		paginate(t.studyPlan())
	}
	toc := t.toc

	// The front matter. Its anchors are indices into front, the body's
	// are shifted past it below.
	frontAnchors := map[string]layout.Dest{}
	front := []*layout.Page{t.cover()}
	t.toRecto(&front)
	front = append(front, t.titlePage())
	nbody := len(t.resLists)
	t.Paginate(t.colophon(opt, g.Name), &front, frontAnchors)
	// The title page's list is set last but comes first in the book.
	t.resLists = append(t.resLists[nbody:], t.resLists[:nbody]...)
	t.toRecto(&front)
	tocAt := len(front)
	// contents sets the table of contents with the body pages' numbers
	// as anchors has them.
	contents := func() {
		for i := range toc {
			if d, ok := anchors[toc[i].ID]; ok {
				toc[i].Label = strconv.Itoa(d.Page + 1)
			}
		}
		front = front[:tocAt]
		delete(frontAnchors, ContentsID) // placed again, on the same spot
		t.Paginate(t.tocSection(toc), &front, frontAnchors)
		t.toRecto(&front) // so that page 1 is a recto
	}
	contents()
	var sigs []Signature
	if t.ed.booklet {
		// The Notes pages that pad the signatures move the body's page
		// numbers, so the contents are set again. How many pages they
		// take does not depend on the numbers (these have a column of
		// fixed width), so the signatures planned stay right.
		sigs = signatures(len(front), len(body), starts, t.ed.sheets)
		body = t.pad(body, len(front), sigs, anchors)
		n := len(front)
		contents()
		if len(front) != n {
			panic("typeset: layout: the contents changed length when the booklet's padding moved its page numbers")
		}
	}

	lay := &Layout{Front: len(front), Anchors: map[string]layout.Dest{}, TOC: toc, Geometry: g, ed: t.ed, Signatures: sigs, Resources: t.resLists, Plan: t.planRows}
	for id, d := range anchors {
		d.Page += len(front)
		lay.Anchors[id] = d
	}
	for id, d := range frontAnchors {
		lay.Anchors[id] = d
	}
	for i, pg := range front {
		pg.Label = strings.ToLower(tree.Roman(i + 1))
		if pg.Kind == layout.PageTOC {
			pg.Folio = pg.Label
		}
	}
	for i, pg := range body {
		if pg.Kind == layout.PageBlank && t.ed.print {
			// A verso left blank before a Section's opener is ruled for
			// the reader's notes.
			pg = t.notesPage()
			body[i] = pg
		}
		pg.Label = strconv.Itoa(i + 1)
		if pg.Kind != layout.PageBlank {
			pg.Folio = pg.Label
		}
	}
	lay.Pages = append(front, body...)
	// Two-sided printing: even indices are rectos. Versos are the recto
	// design mirrored: everything moves left by the difference of the
	// margins, so the inner margin is on the right.
	dx := g.Right - g.Left
	for i, pg := range lay.Pages {
		pg.Recto = !t.ed.duplex || i%2 == 0
		t.furniture(pg)
		if !pg.Recto && dx != 0 && pg.Kind != layout.PageCover {
			pg.Shift(dx, 0)
		}
	}
	for id, d := range lay.Anchors {
		if !lay.Pages[d.Page].Recto {
			d.X += dx
			lay.Anchors[id] = d
		}
	}
	if t.ed.print {
		for _, pg := range lay.Pages {
			ink(pg)
		}
		lay.QRCodes = t.QRPlaced()
	}
	// The page map: a page without text of the book tree begins where
	// the next page's does.
	lay.PageMap = make([]tree.PageStart, len(lay.Pages))
	var next tree.PageStart
	for i := len(lay.Pages) - 1; i >= 0; i-- {
		pg := lay.Pages[i]
		if pg.SrcBlock != nil {
			next = tree.PageStart{Block: pg.SrcBlock, Word: pg.SrcWord}
		}
		next.Label = pg.Label
		lay.PageMap[i] = next
	}
	return lay
}

// toRecto appends a blank page to *pages when the next page would be a
// verso of a two-sided print.
func (t *typesetter) toRecto(pages *[]*layout.Page) {
	if t.ed.duplex && len(*pages)%2 == 1 {
		*pages = append(*pages, &layout.Page{Kind: layout.PageBlank})
	}
}

// furniture adds the running head (with a hairline under it) and the
// folio to a page: centred on screen, on the outer edge in print, where
// a verso's head names the part and a recto's the chapter.
func (t *typesetter) furniture(pg *layout.Page) {
	g := t.Geometry
	st := layout.Style{Face: fonts.Italic, Size: g.Body * 0.85, Color: colMuted}
	// place returns the x of a piece of furniture w wide.
	place := func(w float64) float64 {
		switch {
		case !t.ed.print:
			return g.Left + (g.TextW()-w)/2
		case pg.Recto:
			return g.Left + g.TextW() - w
		}
		return g.Left
	}
	head := pg.Head
	if !pg.Recto && pg.VersoHead != "" {
		head = pg.VersoHead
	}
	if head != "" {
		face := t.Fonts.Face(st.Face)
		s := head
		max := g.TextW()
		if face.Width(s, st.Size)*layout.PtMM > max {
			rs := []rune(s)
			for len(rs) > 1 && face.Width(string(rs)+"…", st.Size)*layout.PtMM > max {
				rs = rs[:len(rs)-1]
			}
			s = strings.TrimSpace(string(rs)) + "…"
		}
		s = t.Drawable(s, face, tree.Pos{})
		w := face.Width(s, st.Size) * layout.PtMM
		pg.Furniture = append(pg.Furniture,
			layout.Op{Kind: layout.OpText, X: place(w), Y: g.HeadY, W: w, Style: st, Text: s},
			layout.Op{Kind: layout.OpRect, X: g.Left, Y: g.HeadY + 2.2, W: g.TextW(), H: 0.2, Color: colRule})
	}
	if pg.Folio != "" {
		fs := layout.Style{Face: fonts.Regular, Size: g.Body * 0.9, Color: colMuted}
		w := t.Fonts.Face(fs.Face).Width(pg.Folio, fs.Size) * layout.PtMM
		pg.Furniture = append(pg.Furniture, layout.Op{Kind: layout.OpText, X: place(w), Y: g.FootY, W: w, Style: fs, Text: pg.Folio})
	}
}

// typesetter holds the state of one Write.
type typesetter struct {
	*layout.Setter
	ed       edition
	lastPara int // index in its flow of the last paragraph set by blocks
	book     *tree.Book

	toc     []TOCEntry // headings that go in the table of contents, in order
	notes   []*tree.Footnote
	noteSet map[*tree.Footnote]bool // notes already set
	headFor map[string]string       // anchor id → running head of its section

	// The print edition's references.
	refs     map[string]string      // anchor id → page label found by the previous pass; nil in the first
	used     map[string]string      // anchor id → page label printed by this pass in page references
	loose    map[string]string      // anchor id → page label printed by this pass elsewhere
	anchors  map[string]layout.Dest // the body's anchors placed so far in this pass (body page indices)
	nbody    int                    // the body's pages so far
	cites    *citeList              // the external links of the section being set
	qrs      map[string]*qr.Code    // URL → its QR code, encoded once for all passes
	qrEnc    *qr.Encoder            // encodes the codes of addresses found while setting (see cite)
	nsec     int                    // sections with a citeList so far, for anchor ids
	plan     []planEntry            // the study plan: chapters (and parts) with their resources
	resLists [][]Resource           // the Resources lists set, in order
	planRows []PlanRow              // the study plan as set
}
