package design

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/compile/words"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// WhatsNewID is the anchor of the "What's new" page, which a book
// compared with an earlier release (tree.Changes) has after its colophon.
const WhatsNewID = "pdf:whatsnew"

// whatsNew lays out the "What's new" page: a heading, then a list for
// each kind of change (words.Changes), each chapter linked to its place
// with its page number, which anchors (the body's, as laid out so far)
// gives; a new resource is linked to its address on screen and gives it
// in full in print, where a link is ink.
func (t *Design) whatsNew(anchors map[string]layout.Dest) *layout.Section {
	b, wd := t.book, t.wd
	f := &layout.Flow{}
	c := t.BodyCtx()
	leave := t.Enter(t.newsSect)
	defer leave()
	prev := t.Node
	defer func() { t.Node = prev }()
	f.Add(Strut(t.Geometry.TextH() * 0.05))
	heading, lists := wd.Changes(b.Changes, b.Meta.Version)
	size, lead := t.HeadingSize(2)
	_, endHeading := t.Open("H1")
	t.DisplayLines(f, t.Plain(heading, layout.Style{Face: fonts.Bold, Size: size, Color: ColText}, nil, tree.Pos{}), c, size, lead, layout.AlignLeft, WhatsNewID)
	endHeading()
	f.Add(&layout.Item{Kind: layout.ItemBlock, H: layout.Grid(c.Lead * 1.2), Keep: true, Ops: []layout.Op{{Kind: layout.OpRect, X: 0, Y: c.Lead * 0.5, W: c.W, H: 0.25, Color: ColRule}}})
	if len(lists) == 0 {
		t.Paragraph(f, []tree.Inline{&tree.Text{Text: wd.NoChanges}}, c, tree.Pos{}, layout.AlignLeft)
	}
	base := c.style()
	space := t.Fonts.Face(fonts.Regular).RuneWidth(' ', c.Size) * layout.PtMM
	// words appends s in style st, linked to l, to ws, a space apart.
	words := func(ws []layout.Word, s string, st layout.Style, l *layout.Link) []layout.Word {
		if len(ws) > 0 {
			ws[len(ws)-1].Space = space
		}
		return append(ws, t.Plain(s, st, l, tree.Pos{})...)
	}
	indent := layout.Grid(c.Size * 1.9 * layout.PtMM)
	for _, l := range lists {
		hs, hl := t.HeadingSize(4)
		_, end := t.Open("H2")
		f.Space(c.Lead * 0.6)
		items := t.DisplayLines(f, t.Plain(l.Heading, layout.Style{Face: fonts.Bold, Size: hs, Color: ColText}, nil, tree.Pos{}), c, hs, hl, layout.AlignLeft, "")
		items[0].Keep = false
		end()
		f.Space(c.Lead * 0.2)
		f.KeepNext = 2
		list := t.NewNode("L", t.parent)
		for _, e := range l.Entries {
			li := t.NewNode("LI", list)
			lbl := t.NewNode("Lbl", li)
			t.Node = t.NewNode("LBody", li)
			var ws []layout.Word
			link := func(id string) *layout.Link {
				if _, ok := anchors[id]; ok {
					return &layout.Link{Dest: id}
				}
				return nil
			}
			linked := base
			linked.Color = ColLink
			switch {
			case e.URL == "":
				st := base
				if link(e.ID) != nil {
					st = linked
				}
				ws = words(ws, e.Title, st, link(e.ID))
				if e.Detail != "" {
					ws = words(ws, strings.TrimSpace(wd.DetailSep)+" "+e.Detail, base, nil)
				}
			case t.print:
				ws = words(ws, e.Title, base, nil)
				ws = words(ws, e.URL, mono(base), nil)
				ws = words(ws, strings.TrimSpace(wd.DetailSep)+" "+e.Detail, base, nil)
			default:
				ws = words(ws, e.Title, linked, &layout.Link{URI: e.URL})
				ws = words(ws, strings.TrimSpace(wd.DetailSep)+" "+e.Detail, base, link(e.ID))
			}
			if d, ok := anchors[e.ID]; ok {
				ws[len(ws)-1].Space = 0
				ws = append(ws, t.Plain(", "+fmt.Sprintf(wd.PageRef, strconv.Itoa(d.Page+1)), base, link(e.ID), tree.Pos{})...)
			}
			for i, it := range t.TextItems(ws, c.X+indent, c.W-indent, c.Size, c.Lead, layout.AlignLeft, "li") {
				if i == 0 {
					mw := t.Fonts.Face(fonts.Regular).Width("•", c.Size) * layout.PtMM
					it.Ops = append(it.Ops, layout.Op{Kind: layout.OpText, X: c.X + indent - mw - c.Size*0.45*layout.PtMM, Y: it.Base, W: mw, Style: base, Text: "•", Node: lbl})
				}
				f.Add(it)
			}
			f.Space(c.Lead * 0.15)
		}
	}
	return &layout.Section{Kind: layout.PageTOC, Head: wd.WhatsNew, Items: f.Items}
}

// mark returns what the contents set after the title of the chapter
// whose heading's id is id: new or updated since the earlier release, or
// "".
func mark(cs *tree.Changes, wd *words.Words, id string) string {
	switch c := cs.Of(id); {
	case c == nil:
		return ""
	case c.New:
		return wd.MarkNew
	case c.Updated():
		return wd.MarkUpdated
	}
	return ""
}
