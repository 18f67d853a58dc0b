package design

import (
	"fmt"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// This file lays out the book's divisions: part openers, chapters, the
// credits, the colophon, the cover and the title page.

// Strut returns an invisible block of height h; unlike a space it is not
// dropped at the top of a page, so openers can start lower.
func Strut(h float64) *layout.Item { return &layout.Item{Kind: layout.ItemBlock, H: layout.Grid(h)} }

// DisplayLines sets words as left-aligned (or centred) display lines that
// stay together, e.g. a title.
func (t *Design) DisplayLines(f *layout.Flow, ws []layout.Word, c Ctx, size, lead float64, al layout.Align, anchor string) []*layout.Item {
	items := t.TextItems(ws, c.X, c.W, size, lead, al, "h")
	for i, it := range items {
		it.Heading = true
		it.Keep = i > 0
		it.Group = 0
	}
	if anchor != "" && len(items) > 0 {
		items[0].Anchors = append(items[0].Anchors, anchor)
	}
	for _, it := range items {
		f.Add(it)
	}
	return items
}

// part lays out a part opener and the blocks before its first chapter.
func (t *Design) part(p *tree.Part) *layout.Section {
	if t.matter != nil {
		t.matter.Section()
	}
	f := &layout.Flow{}
	c := t.BodyCtx()
	b := t.Geometry.Body
	leave := t.Enter(t.NewNode("Part", t.doc))
	defer leave()
	f.Add(Strut(t.Geometry.TextH() * 0.04))
	title := p.Title
	_, endHeading := t.Open("H1")
	if p.Label != "" {
		st := layout.Style{Face: fonts.Bold, Size: b * 1.1, Color: ColAccent}
		t.DisplayLines(f, t.Plain(strings.ToUpper(p.Label), st, nil, p.Pos), c, st.Size, layout.Grid(st.Size*1.6*layout.PtMM), layout.AlignLeft, "")
		f.Space(b * 0.6 * layout.PtMM)
	}
	size := b * 2.1
	st := layout.Style{Face: fonts.Bold, Size: size, Color: ColText}
	var ws []layout.Word
	if p.Heading != nil && p.Label == "" {
		ws, _ = t.words(p.Heading.Content, st, p.Pos)
	} else {
		ws = t.Plain(title, st, nil, p.Pos)
	}
	items := t.DisplayLines(f, ws, c, size, layout.Grid(size*1.22*layout.PtMM), layout.AlignLeft, p.ID)
	if p.Heading != nil && p.Heading.ID != p.ID {
		items[0].Anchors = append(items[0].Anchors, p.Heading.ID)
	}
	endHeading()
	f.Add(&layout.Item{Kind: layout.ItemBlock, H: layout.Grid(c.Lead * 1.2), Keep: true, Ops: []layout.Op{{Kind: layout.OpRect, X: 0, Y: c.Lead * 0.65, W: 22, H: 0.9, Color: ColAccent}}})
	if p.Summary != nil {
		_, end := t.Open("P")
		defer end()
		gs := layout.Style{Face: fonts.Italic, Size: b * 1.1, Color: ColText}
		lead := layout.Grid(gs.Size * 1.45 * layout.PtMM)
		goal := t.Plain(t.wd.Goal, gs.Bold(), nil, p.Pos)
		goal[len(goal)-1].Space = t.Fonts.Face(fonts.Italic).RuneWidth(' ', gs.Size) * layout.PtMM
		sw, notes := t.words(p.Summary, gs, p.Pos)
		t.notes = append(t.notes, notes...)
		for _, it := range t.TextItems(append(goal, sw...), 0, c.W*0.9, gs.Size, lead, layout.AlignLeft, "goal") {
			it.Keep = true
			f.Add(it)
		}
		end()
	}
	f.Space(c.Lead * 1.2)
	if p.Heading != nil {
		// The opener (label, title, goal) begins at the heading.
		for i, it := range f.Items {
			it.SrcBlock, it.SrcWord = tree.Block(p.Heading), -1
			if i == 0 {
				it.SrcWord = 0
			}
		}
	}
	full := p.FullTitle()
	t.blocks(f, p.Blocks, c)
	t.notesBlock(f, c)
	if t.matter != nil {
		t.matter.End(f, c, &Entry{Title: full, ID: p.ID, Part: true, Words: p.Words})
	}
	for _, ch := range p.Chapters {
		t.chapter(f, ch)
	}
	return &layout.Section{Kind: layout.PageOpener, Head: full, VersoHead: full, Recto: true, Items: f.Items}
}

// chapter lays out a chapter into its part's flow. Chapters run on: a
// chapter opens with generous space above its label and title, and on a
// new page only when it would otherwise start in the last quarter of one
// (see paginate). Its title becomes the running head.
func (t *Design) chapter(f *layout.Flow, ch *tree.Chapter) {
	if t.matter != nil {
		t.matter.Section()
	}
	c := t.BodyCtx()
	b := t.Geometry.Body
	h := ch.Heading
	leave := t.Enter(t.NewNode("Sect", t.parent))
	defer leave()
	f.Space(c.Lead * 1.8)
	first := len(f.Items)
	anchor := h.ID
	_, endHeading := t.Open("H2")
	if lbl := h.Label(); lbl != "" {
		st := layout.Style{Face: fonts.Bold, Size: b * 0.95, Color: ColAccent}
		t.DisplayLines(f, t.Plain(strings.ToUpper(lbl), st, nil, h.Pos), c, st.Size, layout.Grid(st.Size*1.5*layout.PtMM), layout.AlignLeft, anchor)
		anchor = ""
	}
	size, lead := t.HeadingSize(2)
	st := layout.Style{Face: fonts.Bold, Size: size, Color: ColText}
	ws, notes := t.words(h.Content, st, h.Pos)
	t.notes = append(t.notes, notes...)
	t.DisplayLines(f, ws, c, size, lead, layout.AlignLeft, anchor)
	endHeading()
	f.Add(&layout.Item{Kind: layout.ItemBlock, H: layout.Grid(c.Lead * 0.7), Keep: true, Ops: []layout.Op{{Kind: layout.OpRect, X: 0, Y: c.Lead * 0.25, W: c.W, H: 0.25, Color: ColRule}}})
	f.Items[first].Chapter = true
	f.Items[first].Mark = h.FullTitle()
	// The opening's lines begin the heading's block.
	for i, it := range f.Items[first:] {
		it.SrcBlock, it.SrcWord = tree.Block(h), -1
		if i == 0 {
			it.SrcWord = 0
		}
	}
	f.KeepNext = 3
	t.blocks(f, ch.Blocks, c)
	t.notesBlock(f, c)
	if t.matter != nil {
		t.matter.End(f, c, &Entry{Title: h.FullTitle(), ID: h.ID, Words: ch.Words})
	}
}

// back lays out the credits, the book's back matter, into the flow of the
// last part: they run on after its last chapter, as on the site, opening
// like a chapter.
func (t *Design) back(f *layout.Flow, bs []tree.Block) {
	if t.matter != nil {
		t.matter.Section()
	}
	c := t.BodyCtx()
	leave := t.Enter(t.NewNode("Sect", t.doc))
	defer leave()
	f.Space(c.Lead * 2)
	first := len(f.Items)
	size, lead := t.HeadingSize(2)
	st := layout.Style{Face: fonts.Bold, Size: size, Color: ColText}
	_, endHeading := t.Open("H1")
	t.DisplayLines(f, t.Plain(t.wd.Credits, st, nil, tree.Pos{}), c, size, lead, layout.AlignLeft, CreditsID)
	endHeading()
	f.Add(&layout.Item{Kind: layout.ItemBlock, H: layout.Grid(c.Lead * 0.7), Keep: true, Ops: []layout.Op{{Kind: layout.OpRect, X: 0, Y: c.Lead * 0.25, W: c.W, H: 0.25, Color: ColRule}}})
	f.Items[first].Chapter = true
	f.Items[first].Mark = t.wd.Credits
	f.KeepNext = 3
	t.blocks(f, bs, c)
	t.notesBlock(f, c)
	if t.matter != nil {
		t.matter.End(f, c, nil)
	}
}

// Anchor ids of the pages this package adds. They cannot clash with the
// compiler's ids, which never contain a colon.
const (
	CreditsID  = "pdf:credits"
	ColophonID = "pdf:colophon"
	ContentsID = "pdf:contents"
)

// colophon lays out the title page's verso: what the book is, by whom,
// which version and from where, how to cite it, and how it was made; in
// the print edition also how to read that edition, with the Resources
// list of the links on these two pages.
func (t *Design) colophon(opt Options, paper string) *layout.Section {
	f := &layout.Flow{}
	c := t.BodyCtx()
	c.Size = t.Geometry.Body * 0.9
	c.Lead = layout.Grid(t.Geometry.Lead * 0.9)
	leave := t.Enter(t.colophonSect)
	defer leave()
	f.Add(Strut(t.Geometry.TextH() * 0.04))
	size, lead := t.HeadingSize(4)
	st := layout.Style{Face: fonts.Bold, Size: size, Color: ColText}
	_, endHeading := t.Open("H2")
	t.DisplayLines(f, t.Plain(t.wd.Colophon, st, nil, tree.Pos{}), c, size, lead, layout.AlignLeft, ColophonID)
	endHeading()
	f.Space(c.Lead * 0.5)
	f.KeepNext = 2
	m := t.book.Meta
	txt := func(s string) tree.Inline { return &tree.Text{Text: s} }
	para := func(ins ...tree.Inline) { t.Paragraph(f, ins, c, tree.Pos{}, layout.AlignLeft) }
	what := m.Title
	if m.Subtitle != "" {
		what += ": " + m.Subtitle
	}
	para(&tree.Emph{Content: []tree.Inline{txt(what)}}, txt("."))
	if m.Author != "" {
		ins := []tree.Inline{txt(fmt.Sprintf(t.wd.By, m.Author))}
		for i, l := range m.AuthorLinks {
			sep := ", "
			if i == 0 {
				sep = " ("
			}
			ins = append(ins, txt(sep), l)
		}
		if len(m.AuthorLinks) > 0 {
			ins = append(ins, txt(")"))
		}
		para(append(ins, txt("."))...)
	}
	if m.Version != "" || m.Date != "" || m.SourceURL != "" {
		var ins []tree.Inline
		if vd := strings.Join(versionDate(m), ", "); vd != "" {
			ins = append(ins, txt(t.wd.Version+vd))
		}
		if m.SourceURL != "" {
			if len(ins) > 0 {
				ins = append(ins, txt(t.wd.AndFromSource))
			} else {
				ins = append(ins, txt(t.wd.FromSource))
			}
			ins = append(ins, &tree.Link{URL: m.SourceURL, Content: []tree.Inline{txt(m.SourceURL)}})
		}
		para(append(ins, txt("."))...)
	}
	if cite := citation(t.book.Back); cite != nil {
		para(txt(t.wd.ToCite))
		t.code(f, cite, c)
	}
	made := t.wd.TypesetPDF
	if opt.Generator != "" {
		made += fmt.Sprintf(t.wd.TypesetBy, opt.Generator)
	}
	if paper != "" {
		made += fmt.Sprintf(t.wd.TypesetFor, t.wd.Paper(paper))
	}
	if !opt.Created.IsZero() {
		made += fmt.Sprintf(t.wd.TypesetOn, opt.Created.UTC().Format(t.wd.DateFormat))
	}
	fontNote := t.Fonts.Credit
	if fontNote == "" {
		fontNote = fmt.Sprintf(t.wd.SetIn, t.Fonts.Name)
	}
	para(txt(made + ". " + fontNote))
	if t.matter != nil {
		t.matter.Colophon(f, c)
	}
	return &layout.Section{Kind: layout.PageTitle, Items: f.Items}
}

// citation returns the citation block of the credits: their first code
// block, or nil.
func citation(back []tree.Block) *tree.CodeBlock {
	for _, b := range back {
		if cb, ok := b.(*tree.CodeBlock); ok {
			return cb
		}
	}
	return nil
}

// The cover's palette: the EPUB's cover's (package epub draws it as an
// image with the same layout), so that the books look like one product.
// The print edition sets the same cover in black on white.
var (
	colCoverBG     = layout.RGB{R: 0x17, G: 0x1f, B: 0x2c} // deep slate
	colCoverInk    = layout.RGB{R: 0xf4, G: 0xf1, B: 0xea} // warm white
	colCoverMuted  = layout.RGB{R: 0xc3, G: 0xcb, B: 0xd8}
	colCoverFaint  = layout.RGB{R: 0x8d, G: 0x99, B: 0xad}
	colCoverAccent = layout.RGB{R: 0xe3, G: 0xa5, B: 0x34} // amber
)

// cover draws the cover: the EPUB cover's layout on the page. Its
// measures are the EPUB cover's, a 1600 × 2560 px image, scaled to the
// page's width: a rule across the top, the title (as large as fits in
// four lines), a short rule and the subtitle, and at the foot the author,
// the version and date, and a rule. The screen edition sets it on a
// slate field; the print edition in black on white.
func (t *Design) cover() *layout.Page {
	g := t.Geometry
	m := t.book.Meta
	pg := &layout.Page{Kind: layout.PageCover}
	// The cover is decoration: the title page says the same as text.
	prev := t.Node
	t.Node = nil
	defer func() { t.Node = prev }()
	bg, ink, muted, faint, accent := colCoverBG, colCoverInk, colCoverMuted, colCoverFaint, colCoverAccent
	if t.print {
		ink, muted, faint, accent = ColInk, ColInk, ColInk, ColInk
	} else {
		pg.Furniture = append(pg.Furniture, layout.Op{Kind: layout.OpRect, X: 0, Y: 0, W: g.W, H: g.H, Color: bg})
	}
	px := g.W / 1600                                         // mm per pixel of the EPUB cover
	ypx := func(y float64) float64 { return y / 2560 * g.H } // a height on the EPUB cover, on the page
	pt := func(size float64) float64 { return size * px / layout.PtMM }
	mx := 150 * px
	w := g.W - 2*mx
	rule := func(x, y, w, h float64, c layout.RGB) {
		pg.Furniture = append(pg.Furniture, layout.Op{Kind: layout.OpRect, X: x, Y: y, W: w, H: h, Color: c})
	}
	set := func(s string, st layout.Style, y, lead float64) float64 {
		for i, l := range t.Lines(t.Plain(s, st, nil, tree.Pos{}), w, layout.AlignLeft) {
			if i > 0 {
				y += lead
			}
			pg.Furniture = append(pg.Furniture, t.Render(l, mx, w, y, layout.AlignLeft)...)
		}
		return y
	}
	rule(mx, ypx(220), w, 8*px, accent)

	// The title: the largest size, down from 180 px, at which it takes
	// at most four lines.
	size := 180.0
	for ; size > 60; size -= 10 {
		lines := t.Lines(t.Plain(m.Title, layout.Style{Face: fonts.Bold, Size: pt(size)}, nil, tree.Pos{}), w, layout.AlignLeft)
		if len(lines) <= 4 && layout.Width(lines[0].Words) <= w {
			break
		}
	}
	y := set(m.Title, layout.Style{Face: fonts.Bold, Size: pt(size), Color: ink}, ypx(560), size*1.12*px)
	y += 110 * px
	rule(mx, y, 320*px, 14*px, accent)
	y += 14 * px
	if m.Subtitle != "" {
		set(m.Subtitle, layout.Style{Face: fonts.Regular, Size: pt(80), Color: muted}, y+110*px, 110*px)
	}
	foot := g.H - ypx(380)
	if m.Author != "" {
		set(m.Author, layout.Style{Face: fonts.Regular, Size: pt(88), Color: ink}, foot, 100*px)
	}
	vd := versionDate(m)
	if t.print {
		vd = append(vd, t.wd.PrintEdition)
	}
	if len(vd) > 0 {
		set(strings.Join(vd, " · "), layout.Style{Face: fonts.Mono, Size: pt(52), Color: faint}, foot+110*px, 70*px)
	}
	rule(mx, g.H-ypx(228), w, 8*px, accent)
	return pg
}

// versionDate lists the version and the date, those the book has.
func versionDate(m tree.Meta) []string {
	var vd []string
	if m.Version != "" {
		vd = append(vd, m.Version)
	}
	if m.Date != "" {
		vd = append(vd, m.Date)
	}
	return vd
}

// titlePage draws the title page: title, subtitle, author and the
// author's links, version (linked to the source) and date.
func (t *Design) titlePage() *layout.Page {
	if t.matter != nil {
		t.matter.Section() // the author's links, listed on the verso
	}
	g := t.Geometry
	m := t.book.Meta
	pg := &layout.Page{Kind: layout.PageTitle}
	c := t.BodyCtx()
	y := g.Top + g.TextH()*0.18
	leave := t.Enter(t.titleSect)
	defer leave()
	add := func(ws []layout.Word, size, lead float64) {
		_, end := t.Open("P")
		defer end()
		for _, l := range t.Lines(ws, c.W, layout.AlignCenter) {
			y += lead
			pg.Ops = append(pg.Ops, t.Render(l, g.Left, c.W, y, layout.AlignCenter)...)
		}
	}
	ts := layout.Style{Face: fonts.Bold, Size: g.Body * 2.4, Color: ColText}
	add(t.Plain(m.Title, ts, nil, tree.Pos{}), ts.Size, layout.Grid(ts.Size*1.2*layout.PtMM))
	if m.Subtitle != "" {
		ss := layout.Style{Face: fonts.Italic, Size: g.Body * 1.3, Color: ColMuted}
		y += 3
		add(t.Plain(m.Subtitle, ss, nil, tree.Pos{}), ss.Size, layout.Grid(ss.Size*1.4*layout.PtMM))
	}
	pg.Ops = append(pg.Ops, layout.Op{Kind: layout.OpRect, X: g.W/2 - 12, Y: y + 9, W: 24, H: 0.6, Color: ColAccent})
	y += 18
	if m.Author != "" {
		as := layout.Style{Face: fonts.Regular, Size: g.Body * 1.35, Color: ColText}
		add(t.Plain(m.Author, as, nil, tree.Pos{}), as.Size, layout.Grid(as.Size*1.4*layout.PtMM))
	}
	base := layout.Style{Face: fonts.Regular, Size: g.Body, Color: ColText}
	lead := layout.Grid(g.Body * 1.6 * layout.PtMM)
	if len(m.AuthorLinks) > 0 {
		var ws []layout.Word
		for i, l := range m.AuthorLinks {
			lw, _ := t.words([]tree.Inline{l}, base, l.Pos)
			if i < len(m.AuthorLinks)-1 && len(lw) > 0 {
				lw = append(lw, t.Plain("·", layout.Style{Face: fonts.Regular, Size: g.Body, Color: ColMuted}, nil, tree.Pos{})...)
				lw[len(lw)-2].Space = t.Fonts.Face(fonts.Regular).RuneWidth(' ', g.Body) * layout.PtMM
			}
			if len(lw) > 0 {
				lw[len(lw)-1].Space = t.Fonts.Face(fonts.Regular).RuneWidth(' ', g.Body) * layout.PtMM
			}
			ws = append(ws, lw...)
		}
		y += 2
		add(ws, g.Body, lead)
	}
	var ws []layout.Word
	if m.Version != "" {
		var l *layout.Link
		st := base
		if m.VersionURL != "" {
			l = &layout.Link{URI: m.VersionURL, Source: true}
			st.Color = ColLink
		}
		in := &Inliner{Words: t.Setter.Words(tree.Pos{}), t: t} // not the book's text: no block records its words
		in.Text(m.Version, st, l)
		if l != nil && t.matter != nil {
			t.matter.Mark(in, m.VersionURL, t.wd.SourceOfVersion, base)
		}
		ws = append(ws, in.Done()...)
	}
	if m.Date != "" {
		if len(ws) > 0 {
			ws[len(ws)-1].Space = t.Fonts.Face(fonts.Regular).RuneWidth(' ', g.Body) * layout.PtMM
			ws = append(ws, t.Plain("·", layout.Style{Face: fonts.Regular, Size: g.Body, Color: ColMuted}, nil, tree.Pos{})...)
			ws[len(ws)-1].Space = t.Fonts.Face(fonts.Regular).RuneWidth(' ', g.Body) * layout.PtMM
		}
		ws = append(ws, t.Plain(m.Date, base, nil, tree.Pos{})...)
	}
	if len(ws) > 0 {
		y += 6
		add(ws, g.Body, lead)
	}
	return pg
}
