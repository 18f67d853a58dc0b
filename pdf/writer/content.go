package writer

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/font"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// This file writes the pages' content streams. They are ours, not
// gofpdf's: gofpdf's UTF-8 fonts map one character to one glyph (its
// text operator shows code points, "<0047…> Tj"), which can express
// neither a ligature nor kerning, and it has no marked content. Text is
// drawn as the glyphs fonts.Shape chose, in Type0 fonts of our own
// (package font), with kerning as TJ adjustments; every drawing is
// marked content of a structure element or an artifact (tags.go).

// faceName is the /Font resource name of a face.
func faceName(st fonts.Style) string { return "F" + strconv.Itoa(int(st)) }

// pager makes the content streams of one drawing's pages.
type pager struct {
	fs *fonts.Set
	h  float64 // the pages' height, mm
	// pages are the drawing's pages: a word broken at a page's end
	// continues on the next.
	pages []*layout.Page
	// spans holds, per element, the Span of the word broken at the end
	// of its last line, until its rest is drawn.
	spans map[*elem]*elem
	used  map[fonts.Style]*font.Used // the glyphs drawn, per face
	tags  *structure                 // nil: untagged
	gs    []fonts.Glyph              // scratch: a run's glyphs
	// seen lists, per face, the texts already recorded in used: a word
	// recurs thousands of times, its glyphs need recording once.
	seen map[fonts.Style]map[string]bool
}

func newPager(fs *fonts.Set, h float64, tags *structure, pages []*layout.Page) *pager {
	return &pager{fs: fs, h: h, pages: pages, spans: map[*elem]*elem{}, used: map[fonts.Style]*font.Used{}, tags: tags, seen: map[fonts.Style]map[string]bool{}}
}

// stream returns the content stream of page i, pg, whose images gofpdf
// named images (in the order pg draws them).
func (p *pager) stream(i int, pg *layout.Page, images []string) []byte {
	c := &canvas{p: p, page: i}
	for _, ops := range [][]layout.Op{pg.Furniture, pg.Ops} {
		for j := 0; j < len(ops); j++ {
			o := &ops[j]
			switch o.Kind {
			case layout.OpText:
				n := p.run(ops[j:])
				c.text(ops[j:j+n], ops[j+n:])
				j += n - 1
			case layout.OpRect:
				c.mark(p.elem(o), "")
				c.fill(o.Color)
				c.b = appendNums(c.b, o.X*k, (p.h-o.Y-o.H)*k, o.W*k, o.H*k)
				c.b = append(c.b, " re f\n"...)
			case layout.OpImage:
				if len(images) == 0 {
					continue // gofpdf could not use it (see render)
				}
				c.mark(p.elem(o), "")
				c.b = append(c.b, "q "...)
				c.b = appendNums(c.b, o.W*k, 0, 0, o.H*k, o.X*k, (p.h-o.Y-o.H)*k)
				c.b = append(c.b, " cm /"...)
				c.b = append(c.b, images[0]...)
				c.b = append(c.b, " Do Q\n"...)
				images = images[1:]
			case layout.OpQR:
				if o.QR == nil {
					continue
				}
				c.mark(p.elem(o), "")
				c.fill(layout.RGB{})
				c.b = appendQR(c.b, o, p.h)
			}
		}
	}
	c.end()
	return c.b
}

// elem returns the structure element o is content of; nil for an
// artifact or an untagged drawing.
func (p *pager) elem(o *layout.Op) *elem {
	if p.tags == nil {
		return nil
	}
	return p.tags.content(o)
}

// run returns how many text operations from ops[0] on are drawn as one
// text object: of one element, face, size and colour, on one baseline,
// left to right. A broken word's halves are runs of their own: each
// carries its own /ActualText.
func (p *pager) run(ops []layout.Op) int {
	first := &ops[0]
	if first.Broken || first.Rest {
		return 1
	}
	n := 1
	for n < len(ops) {
		o := &ops[n]
		// Of the same element: the same node, and the same link, if any
		// (compared, not looked up: looking a Link up makes it, and it
		// must be made where its text is drawn, after this run's).
		if o.Kind != layout.OpText || o.Style != first.Style || o.Y != first.Y || o.X < ops[n-1].X || o.Broken || o.Rest || o.Node != first.Node || o.Link != first.Link {
			break
		}
		n++
	}
	return n
}

// canvas is one page's content stream as it is written.
type canvas struct {
	p    *pager
	page int
	b    []byte
	// The marked content open: of element cur (nil: an artifact),
	// open or not; with /ActualText it ends with its run.
	open, actual bool
	cur          *elem
	// The fill colour set, if any.
	color    layout.RGB
	hasColor bool
}

// mark makes what follows content of e (nil: an artifact), with actual
// as its /ActualText when not "" (or, for actual == "\x00", an empty
// one: the rest of a word whose first half stands for all of it).
func (c *canvas) mark(e *elem, actual string) {
	if c.p.tags == nil {
		return
	}
	if c.open && c.cur == e && !c.actual && actual == "" {
		return
	}
	c.end()
	c.open, c.cur, c.actual = true, e, actual != ""
	if e == nil {
		c.b = append(c.b, "/Artifact BMC\n"...)
		return
	}
	mcid := c.p.tags.mark(c.page, e)
	c.b = append(c.b, '/')
	c.b = append(c.b, e.role...)
	c.b = append(c.b, " <</MCID "...)
	c.b = strconv.AppendInt(c.b, int64(mcid), 10)
	if actual != "" {
		if actual == "\x00" {
			actual = ""
		}
		c.b = append(c.b, " /ActualText "...)
		c.b = append(c.b, textString(actual)...)
	}
	c.b = append(c.b, ">> BDC\n"...)
}

// end closes the marked content open.
func (c *canvas) end() {
	if c.open {
		c.b = append(c.b, "EMC\n"...)
		c.open = false
	}
}

// fill sets the fill colour.
func (c *canvas) fill(col layout.RGB) {
	if c.hasColor && c.color == col {
		return
	}
	c.color, c.hasColor = col, true
	c.b = appendNums(c.b, float64(col.R)/255, float64(col.G)/255, float64(col.B)/255)
	c.b = append(c.b, " rg\n"...)
}

// nextText returns the first text operation of ops, nil if none.
func nextText(ops []layout.Op) *layout.Op {
	for i := range ops {
		if ops[i].Kind == layout.OpText {
			return &ops[i]
		}
	}
	return nil
}

// text draws a run of text operations (see run) as one text object: the
// first at its place, each next one where its operation says, with a
// space glyph between two words (so that text extraction and the
// structure read a space) and an adjustment of the pen otherwise. A run
// that ends a word (the next text drawn, first of after, the operations
// that follow on the page, is on another line or apart from it) ends
// with a space glyph too: the structure's text joins
// marked content without spaces of its own, and read "lineend" where a
// line ended in "line" and the next began with "end".
func (c *canvas) text(ops, after []layout.Op) {
	p := c.p
	next := nextText(after)
	first := &ops[0]
	st := first.Style
	face := p.fs.Face(st.Face)
	// A word hyphenated at a line's end is a Span of its own, whose
	// /ActualText is the whole word: its first half's marked content
	// carries it too (what viewers copy), its rest an empty one.
	actual := ""
	e := p.elem(first)
	switch {
	case first.Broken:
		rest := restOf(after, first)
		if rest == "" && c.page+1 < len(p.pages) {
			rest = restOf(p.pages[c.page+1].Ops, first)
		}
		actual = strings.TrimSuffix(first.Text, "-") + rest
		if e != nil {
			sp := p.tags.span(e, actual)
			p.spans[e] = sp
			e = sp
		}
	case first.Rest:
		actual = "\x00"
		if sp := p.spans[e]; sp != nil {
			delete(p.spans, e)
			e = sp
		}
	}
	c.mark(e, actual)
	c.fill(st.Color)
	size := st.Size
	c.b = append(c.b, "BT /"...)
	c.b = append(c.b, faceName(st.Face)...)
	c.b = append(c.b, ' ')
	c.b = appendNum(c.b, size)
	c.b = append(c.b, " Tf 1 0 0 1 "...)
	c.b = appendNums(c.b, first.X*k, (p.h-first.Y)*k)
	c.b = append(c.b, " Tm\n"...)
	gs := p.gs[:0]
	pen := first.X * k // points
	for i := range ops {
		o := &ops[i]
		shaped := face.Shape(o.Text)
		p.record(st.Face, face, o.Text, shaped)
		if i > 0 {
			gap := o.X*k - pen // points
			if gap > size*0.05 && !strings.HasSuffix(ops[i-1].Text, " ") && !strings.HasPrefix(o.Text, " ") {
				sp := p.space(st.Face, face)
				sp.Advance = gap * 1000 / size
				gs = append(gs, sp)
			} else if len(gs) > 0 {
				gs[len(gs)-1].Advance += gap * 1000 / size
			}
			pen = o.X * k
		}
		for _, g := range shaped {
			gs = append(gs, g)
			pen += g.Advance * size / 1000
		}
	}
	if last := &ops[len(ops)-1]; endsWord(last, next, pen) {
		gs = append(gs, p.space(st.Face, face))
	}
	c.b = font.AppendTJ(c.b, face, gs, size)
	c.b = append(c.b, "ET\n"...)
	p.gs = gs[:0]
	if actual != "" {
		c.end()
	}
}

// endsWord reports whether text operation o, whose text ends at pen
// (points), ends a word: it does not end in a space or a broken word's
// hyphen, and the next text is on another line (o not ending in a dash,
// which joins what follows) or apart from o on its line: after a space,
// or to its left.
func endsWord(o, next *layout.Op, pen float64) bool {
	if o.Broken || strings.HasSuffix(o.Text, " ") || o.Text == "" {
		return false
	}
	if next == nil {
		return true
	}
	if next.Y != o.Y {
		r, _ := utf8.DecodeLastRuneInString(o.Text)
		return !strings.ContainsRune("-‐–—/", r)
	}
	// Apart: after a space, or back to the left of the pen (a list's
	// next label, a contents line's leader drawn after its number).
	gap := next.X*k - pen
	return (gap > next.Style.Size*0.05 || gap < -next.Style.Size*0.05) && !strings.HasPrefix(next.Text, " ")
}

// restOf returns the rest of the word broken operation o ends: the text
// of the first operation of ops marked as a rest, "" if none.
func restOf(ops []layout.Op, o *layout.Op) string {
	for i := range ops {
		if ops[i].Kind == layout.OpText && ops[i].Rest && ops[i].Node == o.Node {
			return ops[i].Text
		}
	}
	return ""
}

// record notes the glyphs of text in face st, once per text.
func (p *pager) record(st fonts.Style, face *fonts.Font, text string, gs []fonts.Glyph) {
	seen := p.seen[st]
	if seen == nil {
		seen = map[string]bool{}
		p.seen[st] = seen
	}
	if seen[text] {
		return
	}
	seen[text] = true
	u := p.used[st]
	if u == nil {
		u = &font.Used{}
		p.used[st] = u
	}
	u.AddRun(text, gs)
}

// space returns face st's space glyph, recorded as drawn.
func (p *pager) space(st fonts.Style, face *fonts.Font) fonts.Glyph {
	gs := face.Shape(" ")
	p.record(st, face, " ", gs)
	if len(gs) == 0 {
		return fonts.Glyph{}
	}
	return gs[0]
}

// appendNums appends numbers separated by spaces, each as num formats it.
func appendNums(b []byte, fs ...float64) []byte {
	for i, f := range fs {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendNum(b, f)
	}
	return b
}
