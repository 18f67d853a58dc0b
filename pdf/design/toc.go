package design

import (
	"math"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/compile/words"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// TOCEntry is one line of the table of contents and one outline item.
type TOCEntry struct {
	Level   int    // 0: part (or Credits, Colophon), 1: chapter, 2: level-3 heading
	Title   string // as printed: "Section I: …", "Chapter 2: …", "2.1 …"
	ID      string // the anchor it links to
	Chapter int    // the chapter it is in (see tree.Entry), for the outline
	Extra   bool   // a page this package adds (Credits, Colophon), not a part
	Label   string // printed page number, set after pagination
	Mark    string // after the title: a chapter new or updated since the earlier release (tree.Changes); "" for none
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
		te := TOCEntry{Level: e.Level, Title: e.Title, ID: e.ID, Chapter: e.Chapter}
		if e.Level == 1 {
			te.Mark = mark(b.Changes, words.For(b.Meta.Language), e.ID)
		}
		out = append(out, te)
	}
	return out
}

// tocSection lays out the table of contents. Every entry is a link; its
// page number is right-aligned after a dot leader whose dots line up
// from entry to entry.
func (t *Design) tocSection(entries []TOCEntry) *layout.Section {
	f := &layout.Flow{}
	c := t.BodyCtx()
	b := t.Geometry.Body
	f.Add(Strut(t.Geometry.TextH() * 0.05))
	size, lead := t.HeadingSize(2)
	st := layout.Style{Face: fonts.Bold, Size: size, Color: ColText}
	leave := t.Enter(t.content)
	defer leave()
	_, endHeading := t.Open("H1")
	t.DisplayLines(f, t.Plain(t.wd.Contents, st, nil, tree.Pos{}), c, size, lead, layout.AlignLeft, ContentsID)
	endHeading()
	list := t.NewNode("TOC", t.parent)
	prev := t.Node
	defer func() { t.Node = prev }()
	f.Add(&layout.Item{Kind: layout.ItemBlock, H: layout.Grid(c.Lead * 1.4), Keep: true, Ops: []layout.Op{{Kind: layout.OpRect, X: 0, Y: c.Lead * 0.6, W: c.W, H: 0.25, Color: ColRule}}})

	reg := t.Fonts.Face(fonts.Regular)
	numW := reg.Width("0000", b) * layout.PtMM
	gap := b * 0.5 * layout.PtMM
	right := c.W
	dot := ". "
	step := reg.Width(dot, b) * layout.PtMM
	for _, e := range entries {
		es := layout.Style{Face: fonts.Regular, Size: b, Color: ColText}
		indent, elead := 0.0, c.Lead
		switch e.Level {
		case 0:
			es = es.Bold()
			f.Space(c.Lead * 0.7)
		case 1:
			indent = layout.Grid(b * 1.6 * layout.PtMM)
		default:
			indent = layout.Grid(b * 3.6 * layout.PtMM)
			es.Size = b * 0.92
			es.Color = ColMuted
			elead = layout.Grid(c.Lead * 0.92)
		}
		t.Node = t.NewNode("TOCI", list)
		ws := t.Plain(e.Title, es, nil, tree.Pos{})
		if e.Mark != "" {
			ws[len(ws)-1].Space = reg.RuneWidth(' ', es.Size) * layout.PtMM
			ws = append(ws, t.Plain(e.Mark, layout.Style{Face: fonts.Italic, Size: es.Size * 0.78, Color: ColAccent}, nil, tree.Pos{})...)
		}
		avail := right - indent - numW - 3*gap
		lines := t.Lines(ws, avail, layout.AlignLeft)
		base := t.Baseline(es.Size, elead)
		l := &layout.Link{Dest: e.ID}
		for i, ln := range lines {
			it := &layout.Item{Kind: layout.ItemLine, H: elead, Base: base, Keep: i > 0, Tag: "toc"}
			it.Ops = t.Render(ln, indent, avail, base, layout.AlignLeft)
			it.Ops = append(it.Ops, layout.Op{Kind: layout.OpLink, X: indent, Y: 0, W: right - indent, H: elead, Link: l, Node: t.Node})
			if i == len(lines)-1 {
				num := e.Label
				ns := es
				ns.Face = fonts.Regular
				if e.Level == 0 {
					ns.Face = fonts.Bold
				}
				nw := t.Fonts.Face(ns.Face).Width(num, ns.Size) * layout.PtMM
				it.Ops = append(it.Ops, layout.Op{Kind: layout.OpText, X: right - nw, Y: base, W: nw, Style: ns, Text: num, Node: t.Node})
				// Leader dots on a grid anchored at the right so that they
				// line up in every entry.
				end := indent + layout.Width(ln.Words) + gap
				xr := right - numW - gap
				if k := int(math.Floor((xr - end) / step)); k > 0 {
					ds := layout.Style{Face: fonts.Regular, Size: b, Color: ColRule}
					s := strings.Repeat(dot, k)
					it.Ops = append(it.Ops, layout.Op{Kind: layout.OpText, X: xr - float64(k)*step, Y: base, W: float64(k) * step, Style: ds, Text: strings.TrimRight(s, " ")})
				}
			}
			f.Add(it)
		}
	}
	return &layout.Section{Kind: layout.PageTOC, Head: t.wd.Contents, Items: f.Items}
}

// outline returns the document outline of a table of contents: the
// contents page (titled contents), then parts (open) with their chapters (closed) and the
// chapters' sections, then the credits and the colophon.
func outline(toc []TOCEntry, contents string) []layout.Bookmark {
	items := []*layout.Bookmark{{Title: contents, ID: ContentsID}}
	if len(toc) > 0 && toc[0].ID == WhatsNewID {
		// The page before the contents.
		items = []*layout.Bookmark{{Title: toc[0].Title, ID: WhatsNewID}, items[0]}
		toc = toc[1:]
	}
	var part, chap *layout.Bookmark
	var kids = map[*layout.Bookmark][]*layout.Bookmark{}
	chapOf := -1 // the chapter chap is the item of
	for _, e := range toc {
		it := &layout.Bookmark{Title: e.Title, ID: e.ID}
		switch {
		case e.Level == 0:
			items = append(items, it)
			part, chap = it, nil
		case e.Level == 1 && part != nil:
			kids[part] = append(kids[part], it)
			chap, chapOf = it, e.Chapter
		case e.Level >= 2 && chap != nil && e.Chapter >= 0 && e.Chapter == chapOf:
			kids[chap] = append(kids[chap], it)
		case e.Level >= 2 && part != nil:
			kids[part] = append(kids[part], it)
		default:
			items = append(items, it)
		}
	}
	// tree copies the pointers' tree into values; top-level entries are
	// open, those under them closed.
	var tree func([]*layout.Bookmark, bool) []layout.Bookmark
	tree = func(bs []*layout.Bookmark, top bool) []layout.Bookmark {
		out := make([]layout.Bookmark, len(bs))
		for i, b := range bs {
			out[i] = *b
			out[i].Open = top && len(kids[b]) > 0
			if k := kids[b]; len(k) > 0 {
				out[i].Kids = tree(k, false)
			}
		}
		return out
	}
	return tree(items, true)
}
