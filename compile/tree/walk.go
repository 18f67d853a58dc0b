package tree

import "strings"

// Visitor is called for every block and inline in document order by Walk.
// Exactly one of b and in is non-nil. Returning false skips the node's
// children.
type Visitor func(b Block, in Inline) bool

// Walk visits every block and inline of the book in reading order: each
// part's heading, summary, blocks and chapters (heading, then blocks), then
// the back matter. Footnote content is visited where the reference stands;
// a note referenced more than once is visited at every reference, its
// content only at the first.
func Walk(bk *Book, v Visitor) {
	w := &walker{v: v}
	for _, p := range bk.Parts {
		w.part(p)
	}
	w.blocks(bk.Back)
}

// WalkPart visits one part as Walk does.
func WalkPart(p *Part, v Visitor) { (&walker{v: v}).part(p) }

// WalkChapter visits one chapter: its heading, then its blocks.
func WalkChapter(c *Chapter, v Visitor) { (&walker{v: v}).chapter(c) }

// WalkBlocks visits blocks and everything inside them.
func WalkBlocks(bs []Block, v Visitor) { (&walker{v: v}).blocks(bs) }

// WalkInlines visits inlines and everything inside them.
func WalkInlines(ins []Inline, v Visitor) { (&walker{v: v}).inlines(ins) }

// walker is one walk: the visitor and the footnotes whose content it has
// visited, so that a note referenced many times costs its size once.
type walker struct {
	v    Visitor
	seen map[*Footnote]bool
}

func (w *walker) part(p *Part) {
	if p.Heading != nil {
		w.block(p.Heading)
	}
	w.inlines(p.Summary)
	w.blocks(p.Blocks)
	for _, c := range p.Chapters {
		w.chapter(c)
	}
}

func (w *walker) chapter(c *Chapter) {
	w.block(c.Heading)
	w.blocks(c.Blocks)
}

func (w *walker) blocks(bs []Block) {
	for _, b := range bs {
		w.block(b)
	}
}

func (w *walker) block(b Block) {
	if !w.v(b, nil) {
		return
	}
	switch b := b.(type) {
	case *Heading:
		w.inlines(b.Content)
	case *Paragraph:
		w.inlines(b.Content)
	case *List:
		for _, it := range b.Items {
			w.blocks(it.Blocks)
		}
	case *Quote:
		w.blocks(b.Blocks)
	case *Table:
		for _, c := range b.Header {
			w.inlines(c)
		}
		for _, r := range b.Rows {
			for _, c := range r {
				w.inlines(c)
			}
		}
	case *Figure:
		w.inline(b.Image)
	}
}

func (w *walker) inlines(ins []Inline) {
	for _, in := range ins {
		w.inline(in)
	}
}

func (w *walker) inline(in Inline) {
	if !w.v(nil, in) {
		return
	}
	switch in := in.(type) {
	case *Emph:
		w.inlines(in.Content)
	case *Strong:
		w.inlines(in.Content)
	case *Strike:
		w.inlines(in.Content)
	case *Link:
		w.inlines(in.Content)
	case *Footnote:
		if w.seen[in] {
			return
		}
		if w.seen == nil {
			w.seen = map[*Footnote]bool{}
		}
		w.seen[in] = true
		w.blocks(in.Blocks)
	}
}

// PlainText returns the text of inlines without markup: link text without
// URLs, code as its text, line breaks as spaces, images as their alt text,
// footnotes left out.
func PlainText(ins []Inline) string {
	var sb strings.Builder
	plainText(&sb, ins)
	return sb.String()
}

func plainText(sb *strings.Builder, ins []Inline) {
	for _, in := range ins {
		switch in := in.(type) {
		case *Text:
			sb.WriteString(in.Text)
		case *Code:
			sb.WriteString(in.Text)
		case *Emph:
			plainText(sb, in.Content)
		case *Strong:
			plainText(sb, in.Content)
		case *Strike:
			plainText(sb, in.Content)
		case *Link:
			plainText(sb, in.Content)
		case *LineBreak:
			sb.WriteByte(' ')
		case *Image:
			sb.WriteString(in.Alt)
		case *Footnote:
			// a note's text is not part of the sentence it hangs on
		}
	}
}

// Links returns every link of the book in reading order.
func Links(bk *Book) []*Link {
	var ls []*Link
	Walk(bk, func(_ Block, in Inline) bool {
		if l, ok := in.(*Link); ok {
			ls = append(ls, l)
		}
		return true
	})
	return ls
}
