package typeset

import (
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
)

// This file lays out the book's divisions: part openers, chapters, the
// credits, the colophon, the cover and the title page.

// strut returns an invisible block of height h; unlike a space it is not
// dropped at the top of a page, so openers can start lower.
func strut(h float64) *item { return &item{kind: kBlock, h: grid(h)} }

// displayLines sets words as left-aligned (or centred) display lines that
// stay together, e.g. a title.
func (t *typesetter) displayLines(f *flow, ws []word, c bctx, size, lead float64, al alignment, anchor string) []*item {
	items := t.textItems(ws, c.x, c.w, size, lead, al, "h")
	for i, it := range items {
		it.heading = true
		it.keep = i > 0
		it.group = 0
	}
	if anchor != "" && len(items) > 0 {
		items[0].anchors = append(items[0].anchors, anchor)
	}
	for _, it := range items {
		f.add(it)
	}
	return items
}

// part lays out a part opener and the blocks before its first chapter.
func (t *typesetter) part(p *tree.Part) *section {
	if t.ed.print {
		t.newCites()
	}
	f := &flow{}
	c := t.bodyCtx()
	b := t.g.Body
	f.add(strut(t.g.textH() * 0.16))
	title := p.Title
	if title == "" && p.Heading != nil {
		title = p.Heading.Title()
	}
	if p.Label != "" {
		st := Style{Face: fonts.Bold, Size: b * 1.1, Color: colAccent}
		t.displayLines(f, t.plainWords(strings.ToUpper(p.Label), st, nil, p.Pos), c, st.Size, grid(st.Size*1.6*PtMM), alignLeft, "")
		f.space(b * 0.6 * PtMM)
	}
	size := b * 2.3
	st := Style{Face: fonts.Bold, Size: size, Color: colText}
	var ws []word
	if p.Heading != nil && p.Label == "" {
		ws, _ = t.words(p.Heading.Content, st, p.Pos)
	} else {
		ws = t.plainWords(title, st, nil, p.Pos)
	}
	items := t.displayLines(f, ws, c, size, grid(size*1.22*PtMM), alignLeft, p.ID)
	if p.Heading != nil && p.Heading.ID != p.ID {
		items[0].anchors = append(items[0].anchors, p.Heading.ID)
	}
	f.add(&item{kind: kBlock, h: grid(c.lead * 1.4), keep: true, ops: []Op{{Kind: OpRect, X: 0, Y: c.lead * 0.8, W: 22, H: 0.9, Color: colAccent}}})
	if p.Summary != nil {
		gs := Style{Face: fonts.Italic, Size: b * 1.1, Color: colText}
		lead := grid(gs.Size * 1.45 * PtMM)
		goal := t.plainWords("Goal:", gs.bold(), nil, p.Pos)
		goal[len(goal)-1].space = t.fs.Face(fonts.Italic).RuneWidth(' ', gs.Size) * PtMM
		sw, notes := t.words(p.Summary, gs, p.Pos)
		t.notes = append(t.notes, notes...)
		for _, it := range t.textItems(append(goal, sw...), 0, c.w*0.9, gs.Size, lead, alignLeft, "goal") {
			it.keep = true
			f.add(it)
		}
	}
	f.space(c.lead * 2)
	full := title
	if p.Label != "" {
		full = p.Label + ": " + title
	}
	t.toc = append(t.toc, TOCEntry{Level: 0, Title: full, ID: p.ID, Part: p.Number})
	t.blocks(f, p.Blocks, c)
	t.notesBlock(f, c)
	if t.ed.print {
		t.resourcesBlock(f, c)
		t.plan = append(t.plan, planEntry{title: full, id: p.ID, part: true, res: t.cites.list})
	}
	return &section{kind: PageOpener, head: full, recto: true, items: f.items}
}

// partTitle returns the part's title as its opener and the running heads
// give it: "Section I: Foundations of …".
func partTitle(p *tree.Part) string {
	title := p.Title
	if title == "" && p.Heading != nil {
		title = p.Heading.Title()
	}
	if p.Label != "" {
		return p.Label + ": " + title
	}
	return title
}

// chapter lays out a chapter of part p, starting on a new page.
func (t *typesetter) chapter(ch *tree.Chapter, p *tree.Part) *section {
	if t.ed.print {
		t.newCites()
	}
	f := &flow{}
	c := t.bodyCtx()
	b := t.g.Body
	h := ch.Heading
	f.add(strut(t.g.textH() * 0.05))
	anchor := h.ID
	if lbl := h.Label(); lbl != "" {
		st := Style{Face: fonts.Bold, Size: b * 1.05, Color: colAccent}
		t.displayLines(f, t.plainWords(strings.ToUpper(lbl), st, nil, h.Pos), c, st.Size, grid(st.Size*1.7*PtMM), alignLeft, anchor)
		anchor = ""
	}
	size, lead := t.headingSize(2)
	st := Style{Face: fonts.Bold, Size: size, Color: colText}
	ws, notes := t.words(h.Content, st, h.Pos)
	t.notes = append(t.notes, notes...)
	t.displayLines(f, ws, c, size, lead, alignLeft, anchor)
	f.add(&item{kind: kBlock, h: grid(c.lead * 1.6), keep: true, ops: []Op{{Kind: OpRect, X: 0, Y: c.lead * 0.7, W: c.w, H: 0.25, Color: colRule}}})
	f.keepNext = 2
	if h.InTOC {
		t.toc = append(t.toc, TOCEntry{Level: 1, Title: h.FullTitle(), ID: h.ID})
	}
	t.blocks(f, ch.Blocks, c)
	t.notesBlock(f, c)
	if t.ed.print {
		t.resourcesBlock(f, c)
		t.plan = append(t.plan, planEntry{title: h.FullTitle(), id: h.ID, res: t.cites.list})
	}
	return &section{kind: PageOpener, head: h.FullTitle(), vhead: partTitle(p), recto: true, items: f.items}
}

// back lays out the credits: the book's back matter, on a new page.
func (t *typesetter) back(bs []tree.Block) *section {
	if t.ed.print {
		t.newCites()
	}
	f := &flow{}
	c := t.bodyCtx()
	f.add(strut(t.g.textH() * 0.05))
	size, lead := t.headingSize(2)
	st := Style{Face: fonts.Bold, Size: size, Color: colText}
	t.displayLines(f, t.plainWords("Credits", st, nil, tree.Pos{}), c, size, lead, alignLeft, CreditsID)
	f.add(&item{kind: kBlock, h: grid(c.lead * 1.6), keep: true, ops: []Op{{Kind: OpRect, X: 0, Y: c.lead * 0.7, W: c.w, H: 0.25, Color: colRule}}})
	t.blocks(f, bs, c)
	t.notesBlock(f, c)
	t.resourcesBlock(f, c)
	t.cites = nil
	t.toc = append(t.toc, TOCEntry{Level: 0, Title: "Credits", ID: CreditsID, Extra: true})
	return &section{kind: PageOpener, head: "Credits", recto: true, items: f.items}
}

// Anchor ids of the pages this package adds. They cannot clash with the
// compiler's ids, which never contain a colon.
const (
	CreditsID  = "pdf:credits"
	ColophonID = "pdf:colophon"
	ContentsID = "pdf:contents"
)

// colophon lays out the last page: how and from what the book was made.
func (t *typesetter) colophon(opt Options, paper string) *section {
	f := &flow{}
	c := t.bodyCtx()
	c.size = t.g.Body * 0.9
	c.lead = grid(t.g.lead * 0.9)
	f.add(strut(t.g.textH() * 0.45))
	size, lead := t.headingSize(4)
	st := Style{Face: fonts.Bold, Size: size, Color: colText}
	t.displayLines(f, t.plainWords("Colophon", st, nil, tree.Pos{}), c, size, lead, alignLeft, ColophonID)
	f.space(c.lead * 0.5)
	m := t.book.Meta
	para := func(s string) {
		for _, it := range t.textItems(t.plainWords(s, c.style(), nil, tree.Pos{}), 0, c.w, c.size, c.lead, alignLeft, "p") {
			f.add(it)
		}
		f.space(c.lead * 0.5)
	}
	what := m.Title
	if m.Version != "" {
		what += ", " + m.Version
	}
	if m.Date != "" {
		what += " (" + m.Date + ")"
	}
	para(what + ".")
	made := "This PDF was typeset"
	if opt.Generator != "" {
		made += " by " + opt.Generator
	}
	if m.SourceURL != "" {
		made += " from the source at " + m.SourceURL
	}
	para(made + ", on " + strings.ToUpper(paper[:1]) + paper[1:] + " paper, on " + opt.Created.UTC().Format("January 2, 2006") + ".")
	fontNote := t.fs.Credit
	if fontNote == "" {
		fontNote = "Set in " + t.fs.Name + "."
	}
	para(fontNote)
	t.toc = append(t.toc, TOCEntry{Level: 0, Title: "Colophon", ID: ColophonID, Extra: true})
	return &section{kind: PageOpener, head: "Colophon", items: f.items}
}

// cover draws the cover page: a dark band with the title, the author
// below.
func (t *typesetter) cover() *Page {
	if t.ed.print {
		return t.printCover()
	}
	g := t.g
	m := t.book.Meta
	pg := &Page{Kind: PageCover}
	band := grid(g.H * 0.58)
	pg.Furniture = append(pg.Furniture, Op{Kind: OpRect, X: 0, Y: 0, W: g.W, H: band, Color: colCover})
	pg.Furniture = append(pg.Furniture, Op{Kind: OpRect, X: g.Left, Y: band - 14, W: 30, H: 1.2, Color: colPale})
	c := t.bodyCtx()
	size := g.Body * 3.1
	st := Style{Face: fonts.Bold, Size: size, Color: colWhite}
	lines := t.breakLines(t.plainWords(m.Title, st, nil, tree.Pos{}), c.w, alignLeft)
	lead := grid(size * 1.15 * PtMM)
	y := band - 22 - float64(len(lines))*lead
	if m.Subtitle != "" {
		y -= 14
	}
	y = t.setLines(pg, lines, c.w, y, lead)
	if m.Subtitle != "" {
		y = t.setSubtitle(pg, Style{Face: fonts.Italic, Size: g.Body * 1.45, Color: colPale}, c.w, y+6)
	}
	if m.Author != "" {
		as := Style{Face: fonts.Regular, Size: g.Body * 1.45, Color: colText}
		for _, l := range t.breakLines(t.plainWords(m.Author, as, nil, tree.Pos{}), c.w, alignLeft) {
			pg.Furniture = append(pg.Furniture, t.renderLine(l, g.Left, c.w, band+22, alignLeft)...)
		}
	}
	if vd := versionDate(m); len(vd) > 0 {
		vs := Style{Face: fonts.Regular, Size: g.Body, Color: colMuted}
		ws := t.plainWords(strings.Join(vd, " · "), vs, nil, tree.Pos{})
		pg.Furniture = append(pg.Furniture, t.renderLine(line{words: ws, hard: true}, g.Left, c.w, band+31, alignLeft)...)
	}
	return pg
}

// setLines draws lines flush left on pg's furniture, each lead below the
// one before, starting one lead below y; it returns the last baseline.
func (t *typesetter) setLines(pg *Page, lines []line, w, y, lead float64) float64 {
	for _, l := range lines {
		y += lead
		pg.Furniture = append(pg.Furniture, t.renderLine(l, t.g.Left, w, y, alignLeft)...)
	}
	return y
}

// setSubtitle draws the book's subtitle in style ss below y (the covers'
// shared layout) and returns its last baseline.
func (t *typesetter) setSubtitle(pg *Page, ss Style, w, y float64) float64 {
	lines := t.breakLines(t.plainWords(t.book.Meta.Subtitle, ss, nil, tree.Pos{}), w, alignLeft)
	return t.setLines(pg, lines, w, y, grid(ss.Size*1.35*PtMM))
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
func (t *typesetter) titlePage() *Page {
	if t.ed.print {
		t.newCites() // the author's links, listed on the verso
	}
	g := t.g
	m := t.book.Meta
	pg := &Page{Kind: PageTitle}
	c := t.bodyCtx()
	y := g.Top + g.textH()*0.18
	add := func(ws []word, size, lead float64) {
		for _, l := range t.breakLines(ws, c.w, alignCenter) {
			y += lead
			pg.Ops = append(pg.Ops, t.renderLine(l, g.Left, c.w, y, alignCenter)...)
		}
	}
	ts := Style{Face: fonts.Bold, Size: g.Body * 2.4, Color: colText}
	add(t.plainWords(m.Title, ts, nil, tree.Pos{}), ts.Size, grid(ts.Size*1.2*PtMM))
	if m.Subtitle != "" {
		ss := Style{Face: fonts.Italic, Size: g.Body * 1.3, Color: colMuted}
		y += 3
		add(t.plainWords(m.Subtitle, ss, nil, tree.Pos{}), ss.Size, grid(ss.Size*1.4*PtMM))
	}
	pg.Ops = append(pg.Ops, Op{Kind: OpRect, X: g.W/2 - 12, Y: y + 9, W: 24, H: 0.6, Color: colAccent})
	y += 18
	if m.Author != "" {
		as := Style{Face: fonts.Regular, Size: g.Body * 1.35, Color: colText}
		add(t.plainWords(m.Author, as, nil, tree.Pos{}), as.Size, grid(as.Size*1.4*PtMM))
	}
	base := Style{Face: fonts.Regular, Size: g.Body, Color: colText}
	lead := grid(g.Body * 1.6 * PtMM)
	if len(m.AuthorLinks) > 0 {
		var ws []word
		for i, l := range m.AuthorLinks {
			lw, _ := t.words([]tree.Inline{l}, base, l.Pos)
			if i < len(m.AuthorLinks)-1 && len(lw) > 0 {
				lw = append(lw, t.plainWords("·", Style{Face: fonts.Regular, Size: g.Body, Color: colMuted}, nil, tree.Pos{})...)
				lw[len(lw)-2].space = t.fs.Face(fonts.Regular).RuneWidth(' ', g.Body) * PtMM
			}
			if len(lw) > 0 {
				lw[len(lw)-1].space = t.fs.Face(fonts.Regular).RuneWidth(' ', g.Body) * PtMM
			}
			ws = append(ws, lw...)
		}
		y += 2
		add(ws, g.Body, lead)
	}
	var ws []word
	if m.Version != "" {
		var l *Link
		st := base
		if m.VersionURL != "" {
			l = &Link{URI: m.VersionURL, Source: true}
			st.Color = colLink
		}
		in := &inliner{t: t}
		in.text("Version "+m.Version, st, l)
		if l != nil && t.ed.print {
			in.mark(m.VersionURL, "Source of this version", base)
		}
		in.endWord(0)
		ws = append(ws, in.words...)
	}
	if m.Date != "" {
		if len(ws) > 0 {
			ws[len(ws)-1].space = t.fs.Face(fonts.Regular).RuneWidth(' ', g.Body) * PtMM
			ws = append(ws, t.plainWords("·", Style{Face: fonts.Regular, Size: g.Body, Color: colMuted}, nil, tree.Pos{})...)
			ws[len(ws)-1].space = t.fs.Face(fonts.Regular).RuneWidth(' ', g.Body) * PtMM
		}
		ws = append(ws, t.plainWords(m.Date, base, nil, tree.Pos{})...)
	}
	if len(ws) > 0 {
		y += 6
		add(ws, g.Body, lead)
	}
	return pg
}
