package tree

import "strings"

// Visitor is called for every block and inline in document order by Walk.
// Exactly one of b and in is non-nil. Returning false skips the node's
// children.
type Visitor func(b Block, in Inline) bool

// Walk visits every block and inline of the book in reading order: each
// part's heading, summary, blocks and chapters (heading, then blocks), then
// the back matter. Footnote content is visited where the reference stands.
func Walk(bk *Book, v Visitor) {
	for _, p := range bk.Parts {
		WalkPart(p, v)
	}
	WalkBlocks(bk.Back, v)
}

// WalkPart visits one part as Walk does.
func WalkPart(p *Part, v Visitor) {
	if p.Heading != nil {
		WalkBlocks([]Block{p.Heading}, v)
	}
	WalkInlines(p.Summary, v)
	WalkBlocks(p.Blocks, v)
	for _, c := range p.Chapters {
		WalkChapter(c, v)
	}
}

// WalkChapter visits one chapter: its heading, then its blocks.
func WalkChapter(c *Chapter, v Visitor) {
	WalkBlocks([]Block{c.Heading}, v)
	WalkBlocks(c.Blocks, v)
}

// WalkBlocks visits blocks and everything inside them.
func WalkBlocks(bs []Block, v Visitor) {
	for _, b := range bs {
		if !v(b, nil) {
			continue
		}
		switch b := b.(type) {
		case *Heading:
			WalkInlines(b.Content, v)
		case *Paragraph:
			WalkInlines(b.Content, v)
		case *List:
			for _, it := range b.Items {
				WalkBlocks(it.Blocks, v)
			}
		case *Quote:
			WalkBlocks(b.Blocks, v)
		case *Table:
			for _, c := range b.Header {
				WalkInlines(c, v)
			}
			for _, r := range b.Rows {
				for _, c := range r {
					WalkInlines(c, v)
				}
			}
		case *Figure:
			WalkInlines([]Inline{b.Image}, v)
		}
	}
}

// WalkInlines visits inlines and everything inside them.
func WalkInlines(ins []Inline, v Visitor) {
	for _, in := range ins {
		if !v(nil, in) {
			continue
		}
		switch in := in.(type) {
		case *Emph:
			WalkInlines(in.Content, v)
		case *Strong:
			WalkInlines(in.Content, v)
		case *Strike:
			WalkInlines(in.Content, v)
		case *Link:
			WalkInlines(in.Content, v)
		case *Footnote:
			WalkBlocks(in.Blocks, v)
		}
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
