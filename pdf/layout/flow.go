package layout

import (
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/qr"
)

// This file is the typesetter's core: breaking words into lines, lines
// into flow items, and a flow into pages. We paginate ourselves because
// maroto never splits a row and cannot keep a heading with what follows.
//
// Lengths are millimetres. Inside an item y grows downwards from the
// item's top; on a page y is measured from the page's top edge, as in
// gofpdf.

// OpKind says what an op draws.
type OpKind uint8

const (
	OpText  OpKind = iota // s in style st, baseline at y
	OpRect                // a filled rectangle x, y, w, h
	OpImage               // file scaled into x, y, w, h
	OpLink                // a clickable area x, y, w, h (an annotation, not ink)
	OpQR                  // the QR code qr of s, x, y, w×w (drawn by annotate)
)

// Op is one drawing operation. A book has one per word, so the fields
// are ordered to leave no padding (128 bytes).
type Op struct {
	X, Y, W, H float64
	Style      Style
	Text       string
	File       *tree.File
	Link       *Link
	QR         *qr.Code
	// Node is the element of the document's structure the op draws part
	// of (see Node); nil for an artifact: running heads, folios, rules,
	// backgrounds, decoration.
	Node  *Node
	Kind  OpKind
	Color RGB // rectangles
	// ref is, for an OpText, 1 + the index in its typesetter's refIDs of
	// the anchor whose page label ends Text (frag.ref); 0 for none. (A
	// small number, not the id: it fits where the struct has padding, and
	// a long book has millions of operations.)
	ref uint32
	// Broken marks the text of a word the line breaker broke, ending in
	// the hyphen it added; Rest the rest of such a word, the first text
	// of the next line. (A tagged PDF reads the two as one word.)
	Broken, Rest bool
}

// ItemKind classifies flow items for the page breaker and the tests.
type ItemKind uint8

const (
	ItemLine  ItemKind = iota // a line of text (paragraph, code, heading, table row)
	ItemSpace                 // vertical space, dropped at the top of a page
	ItemBlock                 // an image or a rule: unbreakable, not a text line
)

// Item is one unbreakable slice of a flow.
type Item struct {
	Kind    ItemKind
	H       float64
	Base    float64 // baseline of the first text line, from the item's top
	Keep    bool    // no page break directly before this item
	Ops     []Op
	Anchors []string // ids of headings drawn by this item
	Heading bool     // part of a heading
	Tag     string   // what the item is, for Dump: "p", "h", "li", "code", …
	Ragged  bool     // a line the breaker could not justify (set flush left)
	Hyph    bool     // a line that ends in a hyphen the breaker added
	// Mark is the running head from this item on (a chapter's title on
	// its first item); "" for no change.
	Mark string
	// Chapter marks the first item of a Chapter, which never starts in
	// the last quarter of a page.
	Chapter bool
	// SrcBlock and srcWord are where the item's text begins in the book
	// tree: the block, and the index of the first of its words (see
	// tree.IsWordSpace) that begins in the item, -1 when none does.
	// SrcBlock is nil for what only this edition has (Resources, the
	// study plan, the front matter).
	SrcBlock tree.Block
	SrcWord  int
	// Float numbers the figure or table this item belongs to (0: none):
	// a Float that does not fit on the page moves to the top of the next
	// one, and the text after it fills the space it leaves.
	Float  int
	Group  int // the paragraph or code block it belongs to (0: none)
	Idx, N int // line index in its group and the group's line count
}

// Flow is a sequence of items being built.
type Flow struct {
	Items    []*Item
	KeepNext int // the next keepNext text items may not be separated from what precedes them
}

// Add appends it, applying the keep-with-previous rule of a heading.
func (f *Flow) Add(it *Item) {
	if f.KeepNext > 0 {
		it.Keep = true
		if it.Kind != ItemSpace {
			f.KeepNext--
		}
	}
	f.Items = append(f.Items, it)
}

// Space appends vertical Space h; adjacent spaces collapse to the larger.
func (f *Flow) Space(h float64) {
	h = Grid(h)
	if n := len(f.Items); n > 0 && f.Items[n-1].Kind == ItemSpace {
		if f.Items[n-1].H < h {
			f.Items[n-1].H = h
		}
		return
	}
	f.Add(&Item{Kind: ItemSpace, H: h})
}

// TrimSpace removes trailing space items.
func (f *Flow) TrimSpace() {
	for n := len(f.Items); n > 0 && f.Items[n-1].Kind == ItemSpace; n-- {
		f.Items = f.Items[:n-1]
	}
}

// Align of a line.
type Align uint8

const (
	AlignJustify Align = iota
	AlignLeft
	AlignCenter
	AlignRight
)

// Width returns the natural width of words set on one line.
func Width(ws []Word) float64 {
	w := 0.0
	for i, x := range ws {
		w += x.W
		if i < len(ws)-1 {
			w += x.Space
		}
	}
	return w
}

// Render draws ws into ops with the line starting at x0, baseline at
// base; width is the measure used for justification and alignment.
func (t *Setter) Render(l Line, x0, width, base float64, al Align) []Op {
	ws := l.Words
	nat := Width(ws)
	// ratio is the justification's adjustment of every space: its
	// stretch (or shrink) times ratio is added to it.
	// Only justified lines stretch; any line shrinks its spaces
	// when it is wider than the measure (the breaker chose it counting on
	// that: the last line of a paragraph, say).
	ratio := 0.0
	if len(ws) > 1 {
		st, sh := 0.0, 0.0
		for _, w := range ws[:len(ws)-1] {
			st += w.Stretch
			sh += w.Shrink
		}
		switch d := width - nat; {
		case d > 0 && st > 0 && al == AlignJustify && !l.Hard && !l.Ragged:
			ratio = d / st
		case d < 0 && sh > 0:
			ratio = max(d/sh, -1)
		}
	}
	switch al {
	case AlignCenter:
		x0 += (width - nat) / 2
	case AlignRight:
		x0 += width - nat
	}
	n := 0
	for _, w := range ws {
		n += len(w.Frags)
	}
	ops := make([]Op, 0, n)
	lk := -1 // index in ops of the link rectangle being extended
	first, lastText := true, -1
	x := x0
	for i, w := range ws {
		for _, f := range w.Frags {
			face := t.Fonts.Face(f.Style.Face)
			asc, desc := face.Ascent(f.Style.Size)*PtMM, face.Descent(f.Style.Size)*PtMM
			ops = append(ops, Op{Kind: OpText, X: x, Y: base - f.Style.Rise, W: f.W, Style: f.Style, Text: f.Text, Link: f.Link, ref: t.refIndex(f.Ref), Node: t.Node})
			if l.Rest && first {
				ops[len(ops)-1].Rest = true
			}
			first = false
			lastText = len(ops) - 1
			if f.Style.Strike {
				th := f.Style.Size * 0.06 * PtMM
				ops = append(ops, Op{Kind: OpRect, X: x, Y: base - f.Style.Size*0.3*PtMM - th/2, W: f.W, H: th, Color: f.Style.Color})
			}
			if f.Link != nil {
				if lk >= 0 && ops[lk].Link == f.Link {
					ops[lk].W = x + f.W - ops[lk].X
				} else {
					ops = append(ops, Op{Kind: OpLink, X: x, Y: base - asc, W: f.W, H: asc + desc, Link: f.Link, Node: t.Node})
					lk = len(ops) - 1
				}
			} else {
				lk = -1
			}
			x += f.W
		}
		if i < len(ws)-1 {
			x += w.Space
			if ratio > 0 {
				x += ratio * w.Stretch
			} else {
				x += ratio * w.Shrink
			}
		}
	}
	if l.Added && lastText >= 0 {
		ops[lastText].Broken = true
	}
	return ops
}

// Baseline returns the Baseline offset from a line's top for text of
// size pt in a line of height lead: the glyph box centred in the line.
func (t *Setter) Baseline(size, lead float64) float64 {
	f := t.Fonts.Face(fonts.Regular)
	asc, desc := f.Ascent(size)*PtMM, f.Descent(size)*PtMM
	return Grid((lead-asc-desc)/2 + asc)
}

// TextItems sets words as lines at x (from the text area's left) in a
// measure of width, one item per line, grouped for widow and orphan
// control and tagged for Dump.
func (t *Setter) TextItems(ws []Word, x, width, size, lead float64, al Align, tag string) []*Item {
	lines := t.Lines(ws, width, al)
	g := t.NewGroup()
	base := t.Baseline(size, lead)
	items := make([]*Item, len(lines))
	for i, l := range lines {
		a := al
		if a == AlignJustify && l.Hard {
			a = AlignLeft
		}
		items[i] = &Item{
			Kind: ItemLine, H: Grid(lead), Base: base, Tag: tag, Ragged: l.Ragged && al == AlignJustify, Hyph: l.Added,
			SrcBlock: t.Src, SrcWord: l.Src - 1,
			Ops:   t.Render(l, x, width, base, a),
			Group: g, Idx: i, N: len(lines),
			// No orphan (a single first line at a page's foot), no
			// widow (a single last line at a page's head), and no word
			// broken across a page (a line ending in a hyphen stays
			// with the next).
			Keep: i > 0 && (i < 2 || len(lines)-i < 2 || lines[i-1].Hyphen),
		}
	}
	return items
}

// Page is one typeset Page.
type Page struct {
	Kind      PageKind
	Head      string   // running head; "" for none
	Folio     string   // the printed page number; "" for none
	Label     string   // the page label a viewer shows (also for pages without a folio)
	VersoHead string   // running head on a verso, when it differs from head (print)
	Ops       []Op     // content, in page coordinates
	Furniture []Op     // running head, folio and rules: outside the text area
	Placed    []Placed // the layout record, for tests (kept only with Options.Keep)
	Recto     bool     // a right-hand page (odd-numbered in the body); every page of a one-sided document
	// SrcBlock and srcWord are where the first text of the book tree on
	// the page begins (see item); SrcBlock is nil when there is none.
	SrcBlock tree.Block
	SrcWord  int
}

// Shift moves everything drawn on pg by dx, dy.
func (pg *Page) Shift(dx, dy float64) {
	for _, ops := range [][]Op{pg.Ops, pg.Furniture} {
		for i := range ops {
			ops[i].X += dx
			ops[i].Y += dy
		}
	}
	for i := range pg.Placed {
		pg.Placed[i].X += dx
		pg.Placed[i].Y += dy
	}
}

// PageKind distinguishes pages for the running head and the tests.
type PageKind uint8

const (
	PageBody   PageKind = iota
	PageOpener          // a part or chapter opener: no running head
	PageCover
	PageTitle
	PageTOC
	PageBlank // a verso left blank so that the next page is a recto (print); ruled for notes in the body
	PageNotes // a ruled page for the reader's notes that pads a booklet's signature
)

// Placed is an item Placed on a page at y (page coordinates).
type Placed struct {
	Item *Item
	X, Y float64 // the item's origin on the page
}

// Dest is where an anchor was placed.
type Dest struct {
	Page int     // index into the pages it was placed on
	Y    float64 // top of the heading, page coordinates
	X    float64
}

// Section is a run of pages: a part opener with its blocks, a chapter, the
// table of contents, the credits.
type Section struct {
	Kind      PageKind // of the first page; the others are pgBody (or pgTOC)
	Head      string   // running head of the following pages
	VersoHead string   // running head of the following versos, when different (print)
	Recto     bool     // starts on a right-hand page in two-sided print
	Items     []*Item
}

// breakable reports whether a page may break before items[j]: the item
// is not kept with what precedes it and, when it is vertical space (which
// a break drops), neither is the item after the space.
func breakable(items []*Item, j int) bool {
	if items[j].Keep {
		return false
	}
	n := j
	for n < len(items) && items[n].Kind == ItemSpace {
		n++
	}
	return n == len(items) || n == j || !items[n].Keep
}

// Since returns the items added to f after it had start items. Trimming
// trailing space can remove items from before start (an empty quote or
// list item adds only space), so start is clamped.
func (f *Flow) Since(start int) []*Item { return f.Items[min(start, len(f.Items)):] }
