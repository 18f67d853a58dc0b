package typeset

import (
	"math"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
)

// TOCEntry is one line of the table of contents and one outline item.
type TOCEntry struct {
	Level   int    // 0: part (or Credits, Colophon), 1: chapter, 2: level-3 heading
	Title   string // as printed: "Section I: …", "Chapter 2: …", "2.1 …"
	ID      string // the anchor it links to
	Chapter int    // the chapter it is in (see tree.Entry), for the outline
	Extra   bool   // a page this package adds (Credits, Colophon), not a part
	Label   string // printed page number, set after pagination
}

// tocEntries returns the book's table of contents (tree.Entry) as this
// package lists it: the back matter, when the book has one, links to the
// credits' opening.
func tocEntries(b *tree.Book) []TOCEntry {
	out := make([]TOCEntry, 0, len(b.Contents)+1)
	for _, e := range b.Contents {
		if e.Back {
			if len(b.Back) > 0 {
				out = append(out, TOCEntry{Level: 0, Title: e.Title, ID: CreditsID, Chapter: -1, Extra: true})
			}
			continue
		}
		out = append(out, TOCEntry{Level: e.Level, Title: e.Title, ID: e.ID, Chapter: e.Chapter})
	}
	return out
}

// tocSection lays out the table of contents. Every entry is a link; its
// page number is right-aligned after a dot leader whose dots line up
// from entry to entry.
func (t *typesetter) tocSection(entries []TOCEntry) *Section {
	f := &Flow{}
	c := t.bodyCtx()
	b := t.g.Body
	f.Add(strut(t.g.TextH() * 0.05))
	size, lead := t.headingSize(2)
	st := Style{Face: fonts.Bold, Size: size, Color: colText}
	t.displayLines(f, t.plainWords("Contents", st, nil, tree.Pos{}), c, size, lead, AlignLeft, ContentsID)
	f.Add(&Item{Kind: ItemBlock, h: Grid(c.lead * 1.4), Keep: true, Ops: []Op{{Kind: OpRect, X: 0, Y: c.lead * 0.6, W: c.w, H: 0.25, Color: colRule}}})

	reg := t.fs.Face(fonts.Regular)
	numW := reg.Width("0000", b) * PtMM
	gap := b * 0.5 * PtMM
	right := c.w
	dot := ". "
	step := reg.Width(dot, b) * PtMM
	for _, e := range entries {
		es := Style{Face: fonts.Regular, Size: b, Color: colText}
		indent, elead := 0.0, c.lead
		switch e.Level {
		case 0:
			es = es.Bold()
			f.Space(c.lead * 0.7)
		case 1:
			indent = Grid(b * 1.6 * PtMM)
		default:
			indent = Grid(b * 3.6 * PtMM)
			es.Size = b * 0.92
			es.Color = colMuted
			elead = Grid(c.lead * 0.92)
		}
		ws := t.plainWords(e.Title, es, nil, tree.Pos{})
		avail := right - indent - numW - 3*gap
		lines := t.breakLines(ws, avail, AlignLeft)
		base := t.baseline(es.Size, elead)
		l := &Link{Dest: e.ID}
		for i, ln := range lines {
			it := &Item{Kind: ItemLine, h: elead, Base: base, Keep: i > 0, Tag: "toc"}
			it.Ops = t.renderLine(ln, indent, avail, base, AlignLeft)
			it.Ops = append(it.Ops, Op{Kind: OpLink, X: indent, Y: 0, W: right - indent, H: elead, Link: l})
			if i == len(lines)-1 {
				num := e.Label
				ns := es
				ns.Face = fonts.Regular
				if e.Level == 0 {
					ns.Face = fonts.Bold
				}
				nw := t.fs.Face(ns.Face).Width(num, ns.Size) * PtMM
				it.Ops = append(it.Ops, Op{Kind: OpText, X: right - nw, Y: base, W: nw, Style: ns, Text: num})
				// Leader dots on a grid anchored at the right so that they
				// line up in every entry.
				end := indent + lineWidth(ln.Words) + gap
				xr := right - numW - gap
				if k := int(math.Floor((xr - end) / step)); k > 0 {
					ds := Style{Face: fonts.Regular, Size: b, Color: colRule}
					s := strings.Repeat(dot, k)
					it.Ops = append(it.Ops, Op{Kind: OpText, X: xr - float64(k)*step, Y: base, W: float64(k) * step, Style: ds, Text: strings.TrimRight(s, " ")})
				}
			}
			f.Add(it)
		}
	}
	return &Section{Kind: PageTOC, Head: "Contents", Items: f.Items}
}
