// Package design sets a book tree in the handbook's design, on the
// layout engine (package layout): the cover, the title page and its
// colophon, the table of contents, part openers and chapter openings,
// the text's blocks (paragraphs, headings, lists, code, quotes, tables,
// figures, footnotes), running heads and folios; page sizes, type sizes,
// colours and faces are set here, in one place (Paper, the palette).
//
// An edition adds its own matter through the Matter interface (package
// edition); Set with a nil Matter is the screen edition.
package design

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/compile/words"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/hyphen"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// Options configures Set. The zero value sets the screen design on
// A4 in the default fonts.
type Options struct {
	// Paper is "a4", "letter" or "a5". Default "a4".
	Paper string
	// Print sets the design for paper: a binding gutter, black ink, no
	// tints, folios on the outer edge. Default false: the screen design.
	Print bool
	// Duplex lays the pages out for two-sided printing: mirrored margins,
	// part openers on right-hand pages. Ignored without Print.
	Duplex bool
	// Booklet starts a part opener where Matter.Pad starts a signature,
	// rather than on a right-hand page. Ignored without Print and Duplex.
	Booklet bool
	// Fonts are the faces to set the book in. Default fonts.Default().
	Fonts *fonts.Set
	// Generator names the program in the colophon. Default "".
	Generator string
	// Created is the date the colophon gives. Default (zero): not given.
	Created time.Time
	// Cache holds the broken paragraphs that calls on the same book
	// share. Default nil: a cache of this call's own.
	Cache *layout.Cache
	// Keep records, on every page, the items placed on it and keeps
	// every page's operations (tests). Default false.
	Keep bool
	// Discard leaves the body pages without their items' drawing
	// operations (see layout.Options.Discard). Default false.
	Discard bool
}

// Matter is what an edition adds to the design, called as the book is
// set: the print edition's references, Resources lists, study plan,
// Notes pages and signatures (package edition). A nil Matter adds
// nothing: the screen edition.
type Matter interface {
	// Begin starts setting the book with d.
	Begin(d *Design)
	// Section starts a section's references: a part's opening, a
	// chapter, the credits, or the links of the title page and colophon.
	Section()
	// End ends the section into f, set in c; e describes a part's
	// opening or a chapter, nil for the credits.
	End(f *layout.Flow, c Ctx, e *Entry)
	// Link sets a link of the book's text into in, in style st; parens
	// reports that it ends a parenthesis.
	Link(in *Inliner, l *tree.Link, st layout.Style, parens bool)
	// Mark adds the reference to url after the words of in (an image
	// shown as its alt text, the title page's version).
	Mark(in *Inliner, url, title string, st layout.Style)
	// Colophon adds to the colophon, set in c, and ends the front
	// matter's section.
	Colophon(f *layout.Flow, c Ctx)
	// After returns a section to set after the body, with its contents
	// entry; nil for none.
	After() (*layout.Section, *TOCEntry)
	// Blank returns the page that takes the place of a blank verso
	// before a part opener.
	Blank() *layout.Page
	// Pad returns the body pages padded as the edition binds them (a
	// booklet's signatures), given the front matter's length and where
	// the part openers start, moving the anchors with their pages.
	Pad(body []*layout.Page, front int, starts []int, anchors map[string]layout.Dest) []*layout.Page
}

// Entry describes a part's opening or a chapter as it ends.
type Entry struct {
	Title string // the full title, as the running head gives it
	ID    string // its anchor
	Part  bool   // a part's opening pages
	Words int    // the words its text has (tree.ReadingWords)
}

// Layout is the typeset book: its pages with everything drawn on them,
// where each anchor landed and the table of contents.
type Layout struct {
	Pages    []*layout.Page
	Front    int                    // number of front-matter pages (numbered i, ii, …)
	Anchors  map[string]layout.Dest // anchor id → page index (into Pages) and position
	TOC      []TOCEntry
	Outline  []layout.Bookmark // the document outline: the contents page, then TOC as a tree
	Geometry *layout.Geometry
	// QRCodes is the number of QR codes drawn.
	QRCodes int
	// PageMap is where each page begins in the book tree, in page order:
	// a map of this edition's pages that an e-book can mark its text
	// with.
	PageMap []tree.PageStart
}

// Dump writes lay as plain text, the oracle of the layout tests (see
// layout.Dump); lay must be set with Options.Keep.
func (lay *Layout) Dump(w io.Writer) error { return layout.Dump(w, lay.Pages, lay.Anchors) }

// Drawing returns what to draw for lay.
func (lay *Layout) Drawing() *layout.Drawing {
	return &layout.Drawing{Pages: lay.Pages, Marks: layout.Marks(lay.Pages), Geometry: lay.Geometry, Anchors: lay.Anchors, Outline: lay.Outline, Front: lay.Front}
}

// Set lays b out once in the book's design, with m's matter. It never
// modifies b. Problems found on the way are added to diags.
func Set(b *tree.Book, opt Options, m Matter, diags *diag.Diagnostics) (*Layout, error) {
	g, err := Paper(opt.Paper, opt.Print)
	if err != nil {
		return nil, err
	}
	if opt.Fonts == nil {
		opt.Fonts = fonts.Default()
	}
	e := layout.New(layout.Options{Geometry: g, Fonts: opt.Fonts, Hyphen: hyphen.ForLanguage(b.Meta.Language), Cache: opt.Cache, Keep: opt.Keep, Discard: opt.Discard, Diags: diags})
	duplex := opt.Print && opt.Duplex
	t := &Design{Setter: e, print: opt.Print, duplex: duplex, booklet: duplex && opt.Booklet, matter: m, book: b, wd: words.For(b.Meta.Language), noteSet: map[*tree.Footnote]bool{}}
	if m != nil {
		m.Begin(t)
	}
	return t.layout(opt), nil
}

// Design sets a book in the handbook's design: it holds the state of one
// Set, and is what a Matter sets its own pages with.
type Design struct {
	*layout.Setter
	print, duplex, booklet bool // Options.Print, Duplex and Booklet, as they apply
	matter                 Matter
	wd                     *words.Words // the words the book prints in its language
	lastPara               int          // index in its flow of the last paragraph set by blocks
	book                   *tree.Book

	toc     []TOCEntry // headings that go in the table of contents, in order
	notes   []*tree.Footnote
	noteSet map[*tree.Footnote]bool // notes already set
	headFor map[string]string       // anchor id → running head of its section

	// The document's structure (see layout.Node): its root, the element
	// new blocks go into, and the front matter's sections, made before
	// the body (which is set first) so that they come first.
	doc, parent                      *layout.Node
	titleSect, colophonSect, content *layout.Node
	newsSect                         *layout.Node // the "What's new" page's, when the book has one

	anchors map[string]layout.Dest // the body's anchors placed so far (body page indices)
	nbody   int                    // the body's pages so far
}

// Wording returns the words the book prints in its language.
func (t *Design) Wording() *words.Words { return t.wd }

// Open makes a structure element of role in the current container
// (Enter) and sets the text that follows in it; end sets text in the
// element it was set in before.
func (t *Design) Open(role string) (n *layout.Node, end func()) {
	prev := t.Node
	n = t.NewNode(role, t.parent)
	t.Node = n
	return n, func() { t.Node = prev }
}

// Enter makes n the container of the elements made next; leave restores
// the one before.
func (t *Design) Enter(n *layout.Node) (leave func()) {
	prev := t.parent
	t.parent = n
	return func() { t.parent = prev }
}

// Container returns the element new blocks go into.
func (t *Design) Container() *layout.Node { return t.parent }

// Book returns the book being set.
func (t *Design) Book() *tree.Book { return t.book }

// Anchor returns where anchor id was placed in the body so far, as an
// index into the body's pages.
func (t *Design) Anchor(id string) (layout.Dest, bool) {
	d, ok := t.anchors[id]
	return d, ok
}

// BodyPages returns the number of body pages set so far.
func (t *Design) BodyPages() int { return t.nbody }

// layout lays out the whole book once.
func (t *Design) layout(opt Options) *Layout {
	b, g := t.book, t.Geometry
	var body []*layout.Page
	var starts []int // booklet: where each section starts in body
	anchors := map[string]layout.Dest{}
	t.anchors = anchors
	t.toc = tocEntries(b)
	t.doc = t.NewNode("Document", nil)
	t.parent = t.doc
	t.titleSect = t.NewNode("Sect", t.doc)
	t.colophonSect = t.NewNode("Sect", t.doc)
	if b.Changes != nil {
		t.newsSect = t.NewNode("Sect", t.doc)
		t.toc = append([]TOCEntry{{Level: 0, Title: t.wd.WhatsNew, ID: WhatsNewID, Chapter: -1, Extra: true}}, t.toc...)
	}
	t.content = t.NewNode("Sect", t.doc)
	// Each section is paginated as soon as it is set, so that the items
	// of only one are in memory besides the pages: the display list of
	// a long book is hundreds of megabytes. (Pagination changes nothing
	// that setting the next section reads.)
	paginate := func(s *layout.Section) {
		switch {
		case t.booklet && s.Recto:
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
	if t.matter != nil {
		if s, e := t.matter.After(); s != nil {
			t.toc = append(t.toc, *e)
			paginate(s)
		}
	}
	toc := t.toc

	// The front matter. Its anchors are indices into front, the body's
	// are shifted past it below.
	frontAnchors := map[string]layout.Dest{}
	front := []*layout.Page{t.cover()}
	t.toRecto(&front)
	front = append(front, t.titlePage())
	t.Paginate(t.colophon(opt, g.Name), &front, frontAnchors)
	t.toRecto(&front)
	tocAt := len(front)
	// contents sets the "What's new" page, when the book has one, and
	// the table of contents, with the body pages' numbers as anchors has
	// them.
	contents := func() {
		front = front[:tocAt]
		delete(frontAnchors, ContentsID) // placed again, on the same spot
		delete(frontAnchors, WhatsNewID)
		if b.Changes != nil {
			t.Paginate(t.whatsNew(anchors), &front, frontAnchors)
			t.toRecto(&front)
		}
		for i := range toc {
			if d, ok := anchors[toc[i].ID]; ok {
				toc[i].Label = strconv.Itoa(d.Page + 1)
			} else if d, ok := frontAnchors[toc[i].ID]; ok && toc[i].ID == WhatsNewID {
				toc[i].Label = strings.ToLower(tree.Roman(d.Page + 1))
			}
		}
		t.Paginate(t.tocSection(toc), &front, frontAnchors)
		t.toRecto(&front) // so that page 1 is a recto
	}
	contents()
	if t.booklet && t.matter != nil {
		// The Notes pages that pad the signatures move the body's page
		// numbers, so the contents are set again. How many pages they
		// take does not depend on the numbers (these have a column of
		// fixed width), so the signatures planned stay right.
		body = t.matter.Pad(body, len(front), starts, anchors)
		n := len(front)
		contents()
		if len(front) != n {
			panic("design: layout: the contents changed length when the booklet's padding moved its page numbers")
		}
	}

	lay := &Layout{Front: len(front), Anchors: map[string]layout.Dest{}, TOC: toc, Outline: outline(toc, t.wd.Contents), Geometry: g}
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
		if pg.Kind == layout.PageBlank && t.matter != nil {
			pg = t.matter.Blank()
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
		pg.Recto = !t.duplex || i%2 == 0
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
	if t.print {
		for _, pg := range lay.Pages {
			Ink(pg)
		}
	}
	lay.QRCodes = t.QRPlaced()
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
func (t *Design) toRecto(pages *[]*layout.Page) {
	if t.duplex && len(*pages)%2 == 1 {
		*pages = append(*pages, &layout.Page{Kind: layout.PageBlank})
	}
}

// furniture adds the running head (with a hairline under it) and the
// folio to a page: centred on screen, on the outer edge in print, where
// a verso's head names the part and a recto's the chapter.
func (t *Design) furniture(pg *layout.Page) {
	g := t.Geometry
	st := layout.Style{Face: fonts.Italic, Size: g.Body * 0.85, Color: ColMuted}
	// place returns the x of a piece of furniture w wide.
	place := func(w float64) float64 {
		switch {
		case !t.print:
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
			layout.Op{Kind: layout.OpRect, X: g.Left, Y: g.HeadY + 2.2, W: g.TextW(), H: 0.2, Color: ColRule})
	}
	if pg.Folio != "" {
		fs := layout.Style{Face: fonts.Regular, Size: g.Body * 0.9, Color: ColMuted}
		w := t.Fonts.Face(fs.Face).Width(pg.Folio, fs.Size) * layout.PtMM
		pg.Furniture = append(pg.Furniture, layout.Op{Kind: layout.OpText, X: place(w), Y: g.FootY, W: w, Style: fs, Text: pg.Folio})
	}
}
