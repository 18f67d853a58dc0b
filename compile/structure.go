package compile

import (
	"regexp"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
)

// This file builds the book's structure from the blocks lowered: the
// sections the site's divs open, parts and chapters, and the book.

func (c *compiler) inSection() bool {
	for _, f := range c.divs {
		if f.kind == divSection {
			return true
		}
	}
	return false
}

func (c *compiler) openSection(pos diag.Pos) {
	c.sections++
	p := &tree.Part{Number: c.sections, Pos: pos}
	c.parts = append(c.parts, p)
	c.part, c.chapter, c.inBack = p, nil, false
}

func (c *compiler) closeDiv(pos diag.Pos) {
	if len(c.divs) == 0 {
		c.diags.Warnf(pos, "unmatched </div> ignored")
		return
	}
	f := c.divs[len(c.divs)-1]
	c.divs = c.divs[:len(c.divs)-1]
	if f.kind == divSection {
		if c.part.Heading == nil {
			c.diags.Warnf(f.pos, "section has no <h1> title")
		}
		c.chapter, c.inBack = nil, true
	}
}

// emitTop places a top-level block into the book structure: a level-1
// heading opens a part (or titles the open section), a level-2 heading
// opens a chapter, anything else joins the chapter, part or back matter
// being filled.
func (c *compiler) emitTop(b tree.Block) {
	// In the back matter only a level-1 heading (a new part) is structure;
	// other headings there are plain blocks.
	if h, ok := b.(*tree.Heading); ok && (!c.inBack || h.Level == 1) {
		switch {
		case h.Level == 1 && c.part != nil && c.inSection() && c.part.Heading == nil:
			c.setPartHeading(c.part, h)
			return
		case h.Level == 1:
			p := &tree.Part{Pos: h.Pos}
			c.setPartHeading(p, h)
			c.parts = append(c.parts, p)
			c.part, c.chapter, c.inBack = p, nil, false
			return
		case h.Level == 2 && c.part == nil && !c.inBack:
			// A handbook without an introduction heading: its chapters
			// still need a part to live in.
			c.part = &tree.Part{Pos: h.Pos}
			c.parts = append(c.parts, c.part)
			fallthrough
		case h.Level == 2 && c.part != nil:
			c.chapter = &tree.Chapter{Heading: h}
			c.part.Chapters = append(c.part.Chapters, c.chapter)
			return
		}
	}
	switch {
	case c.inBack:
		c.back = append(c.back, b)
	case c.chapter != nil:
		c.chapter.Blocks = append(c.chapter.Blocks, b)
	case c.part != nil:
		c.part.Blocks = append(c.part.Blocks, b)
	default:
		c.pre = append(c.pre, b)
	}
}

var partLabel = regexp.MustCompile(`^\s*((?:Section|Part)\s+(?:[IVXLCDM]+|\d+))\s*[:.–—-]\s*(.+?)\s*$`)

func (c *compiler) setPartHeading(p *tree.Part, h *tree.Heading) {
	h.Numbered = false // part headings carry their label in their text
	p.Heading = h
	title := h.Title()
	if m := partLabel.FindStringSubmatch(title); m != nil {
		p.Label, p.Title = m[1], m[2]
	} else {
		p.Title = strings.TrimSpace(title)
	}
}

// finishStructure reports elements still open at the end of the page.
func (c *compiler) finishStructure() {
	for i := len(c.divs) - 1; i >= 0; i-- {
		c.diags.Warnf(c.divs[i].pos, "unclosed <div>")
	}
	c.divs = nil
}

// book assembles the parts built by the lowering pass.
func (c *compiler) book() *tree.Book {
	bk := &tree.Book{Parts: c.parts, Back: c.back}
	pre := c.pre
	if len(pre) > 0 {
		if p, ok := pre[0].(*tree.Paragraph); ok && isAuthorBlock(p) {
			c.authorBlock = p
			pre = pre[1:]
		}
	}
	if len(bk.Parts) == 0 {
		if len(pre) == 0 && len(bk.Back) == 0 {
			c.diags.Errorf(diag.Pos{File: "index.md", Line: 1, Col: 1}, "empty book: index.md has no content")
			return nil
		}
		// A handbook without an <h1>: its whole text is one part.
		p := &tree.Part{ID: "", Pos: blockPos(pre)}
		bk.Parts = []*tree.Part{p}
	}
	if len(pre) > 0 {
		bk.Parts[0].Blocks = append(append([]tree.Block{}, pre...), bk.Parts[0].Blocks...)
	}
	for _, p := range bk.Parts {
		if p.Heading == nil && p.Number > 0 {
			p.Title = "Section " + tree.Roman(p.Number)
			p.Label = ""
		}
	}
	return bk
}

func blockPos(bs []tree.Block) diag.Pos {
	for _, b := range bs {
		switch b := b.(type) {
		case *tree.Paragraph:
			return b.Pos
		case *tree.Heading:
			return b.Pos
		}
	}
	return diag.Pos{}
}
