package pdf

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
	items := t.textItems(ws, c.x, c.w, size, lead, al)
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
	b := t.g.body
	f.add(strut(t.g.textH() * 0.16))
	title := p.Title
	if title == "" && p.Heading != nil {
		title = p.Heading.Title()
	}
	if p.Label != "" {
		st := tstyle{face: fonts.Bold, size: b * 1.1, color: colAccent}
		t.displayLines(f, t.plainWords(strings.ToUpper(p.Label), st, nil, p.Pos), c, st.size, grid(st.size*1.6*ptmm), alignLeft, "")
		f.space(b * 0.6 * ptmm)
	}
	size := b * 2.3
	st := tstyle{face: fonts.Bold, size: size, color: colText}
	var ws []word
	if p.Heading != nil && p.Label == "" {
		ws, _ = t.words(p.Heading.Content, st, p.Pos)
	} else {
		ws = t.plainWords(title, st, nil, p.Pos)
	}
	items := t.displayLines(f, ws, c, size, grid(size*1.22*ptmm), alignLeft, p.ID)
	if p.Heading != nil && p.Heading.ID != p.ID {
		items[0].anchors = append(items[0].anchors, p.Heading.ID)
	}
	f.add(&item{kind: kBlock, h: grid(c.lead * 1.4), keep: true, ops: []op{{kind: opRect, x: 0, y: c.lead * 0.8, w: 22, h: 0.9, color: colAccent}}})
	if p.Summary != nil {
		gs := tstyle{face: fonts.Italic, size: b * 1.1, color: colText}
		lead := grid(gs.size * 1.45 * ptmm)
		goal := t.plainWords("Goal:", gs.bold(), nil, p.Pos)
		goal[len(goal)-1].space = t.fs.Face(fonts.Italic).RuneWidth(' ', gs.size) * ptmm
		sw, notes := t.words(p.Summary, gs, p.Pos)
		t.notes = append(t.notes, notes...)
		for _, it := range t.textItems(append(goal, sw...), 0, c.w*0.9, gs.size, lead, alignLeft) {
			it.keep = true
			f.add(it)
		}
	}
	f.space(c.lead * 2)
	full := p.FullTitle()
	t.toc = append(t.toc, tocEntry{level: 0, title: full, id: p.ID, part: p.Number})
	t.blocks(f, p.Blocks, c)
	t.notesBlock(f, c)
	if t.ed.print {
		t.resourcesBlock(f, c)
		t.plan = append(t.plan, planEntry{title: full, id: p.ID, part: true, res: t.cites.list})
	}
	return &section{kind: pgOpener, head: full, recto: true, items: f.items}
}

// chapter lays out a chapter of part p, starting on a new page.
func (t *typesetter) chapter(ch *tree.Chapter, p *tree.Part) *section {
	if t.ed.print {
		t.newCites()
	}
	f := &flow{}
	c := t.bodyCtx()
	b := t.g.body
	h := ch.Heading
	f.add(strut(t.g.textH() * 0.05))
	anchor := h.ID
	if lbl := h.Label(); lbl != "" {
		st := tstyle{face: fonts.Bold, size: b * 1.05, color: colAccent}
		t.displayLines(f, t.plainWords(strings.ToUpper(lbl), st, nil, h.Pos), c, st.size, grid(st.size*1.7*ptmm), alignLeft, anchor)
		anchor = ""
	}
	size, lead := t.headingSize(2)
	st := tstyle{face: fonts.Bold, size: size, color: colText}
	ws, notes := t.words(h.Content, st, h.Pos)
	t.notes = append(t.notes, notes...)
	t.displayLines(f, ws, c, size, lead, alignLeft, anchor)
	f.add(&item{kind: kBlock, h: grid(c.lead * 1.6), keep: true, ops: []op{{kind: opRect, x: 0, y: c.lead * 0.7, w: c.w, h: 0.25, color: colRule}}})
	f.keepNext = 2
	if h.InTOC {
		t.toc = append(t.toc, tocEntry{level: 1, title: h.FullTitle(), id: h.ID})
	}
	t.blocks(f, ch.Blocks, c)
	t.notesBlock(f, c)
	if t.ed.print {
		t.resourcesBlock(f, c)
		t.plan = append(t.plan, planEntry{title: h.FullTitle(), id: h.ID, res: t.cites.list})
	}
	return &section{kind: pgOpener, head: h.FullTitle(), vhead: p.FullTitle(), recto: true, items: f.items}
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
	st := tstyle{face: fonts.Bold, size: size, color: colText}
	t.displayLines(f, t.plainWords("Credits", st, nil, tree.Pos{}), c, size, lead, alignLeft, backID)
	f.add(&item{kind: kBlock, h: grid(c.lead * 1.6), keep: true, ops: []op{{kind: opRect, x: 0, y: c.lead * 0.7, w: c.w, h: 0.25, color: colRule}}})
	t.blocks(f, bs, c)
	t.notesBlock(f, c)
	t.resourcesBlock(f, c)
	t.cites = nil
	t.toc = append(t.toc, tocEntry{level: 0, title: "Credits", id: backID, extra: true})
	return &section{kind: pgOpener, head: "Credits", recto: true, items: f.items}
}

// Anchor ids of the pages this package adds. They cannot clash with the
// compiler's ids, which never contain a colon.
const (
	backID     = "pdf:credits"
	colophonID = "pdf:colophon"
	contentsID = "pdf:contents"
)

// colophon lays out the last page: how and from what the book was made.
func (t *typesetter) colophon(opt Options, paper string) *section {
	f := &flow{}
	c := t.bodyCtx()
	c.size = t.g.body * 0.9
	c.lead = grid(t.g.lead * 0.9)
	f.add(strut(t.g.textH() * 0.45))
	size, lead := t.headingSize(4)
	st := tstyle{face: fonts.Bold, size: size, color: colText}
	t.displayLines(f, t.plainWords("Colophon", st, nil, tree.Pos{}), c, size, lead, alignLeft, colophonID)
	f.space(c.lead * 0.5)
	m := t.book.Meta
	para := func(s string) {
		for _, it := range t.textItems(t.plainWords(s, c.style(), nil, tree.Pos{}), 0, c.w, c.size, c.lead, alignLeft) {
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
	fontNote := "Set in " + t.fs.Name + "."
	if t.fs == fonts.Go() {
		fontNote = "Set in Go Regular, Go Bold and Go Italic, with code in Go Mono: the Go fonts by Bigelow & Holmes."
	}
	para(fontNote)
	t.toc = append(t.toc, tocEntry{level: 0, title: "Colophon", id: colophonID, extra: true})
	return &section{kind: pgOpener, head: "Colophon", items: f.items}
}

// cover draws the cover page: a dark band with the title, the author
// below.
func (t *typesetter) cover() *page {
	if t.ed.print {
		return t.printCover()
	}
	g := t.g
	m := t.book.Meta
	pg := &page{kind: pgCover}
	band := grid(g.h * 0.58)
	pg.furn = append(pg.furn, op{kind: opRect, x: 0, y: 0, w: g.w, h: band, color: colCover})
	pg.furn = append(pg.furn, op{kind: opRect, x: g.left, y: band - 14, w: 30, h: 1.2, color: colPale})
	c := t.bodyCtx()
	size := g.body * 3.1
	st := tstyle{face: fonts.Bold, size: size, color: colWhite}
	lines := t.breakLines(t.plainWords(m.Title, st, nil, tree.Pos{}), c.w)
	lead := grid(size * 1.15 * ptmm)
	y := band - 22 - float64(len(lines))*lead
	if m.Subtitle != "" {
		y -= 14
	}
	y = t.setLines(pg, lines, c.w, y, lead)
	if m.Subtitle != "" {
		y = t.setSubtitle(pg, tstyle{face: fonts.Italic, size: g.body * 1.45, color: colPale}, c.w, y+6)
	}
	if m.Author != "" {
		as := tstyle{face: fonts.Regular, size: g.body * 1.45, color: colText}
		for _, l := range t.breakLines(t.plainWords(m.Author, as, nil, tree.Pos{}), c.w) {
			pg.furn = append(pg.furn, t.renderLine(l.words, g.left, c.w, band+22, alignLeft)...)
		}
	}
	if vd := versionDate(m); len(vd) > 0 {
		vs := tstyle{face: fonts.Regular, size: g.body, color: colMuted}
		ws := t.plainWords(strings.Join(vd, " · "), vs, nil, tree.Pos{})
		pg.furn = append(pg.furn, t.renderLine(ws, g.left, c.w, band+31, alignLeft)...)
	}
	return pg
}

// setLines draws lines flush left on pg's furniture, each lead below the
// one before, starting one lead below y; it returns the last baseline.
func (t *typesetter) setLines(pg *page, lines []line, w, y, lead float64) float64 {
	for _, l := range lines {
		y += lead
		pg.furn = append(pg.furn, t.renderLine(l.words, t.g.left, w, y, alignLeft)...)
	}
	return y
}

// setSubtitle draws the book's subtitle in style ss below y (the covers'
// shared layout) and returns its last baseline.
func (t *typesetter) setSubtitle(pg *page, ss tstyle, w, y float64) float64 {
	lines := t.breakLines(t.plainWords(t.book.Meta.Subtitle, ss, nil, tree.Pos{}), w)
	return t.setLines(pg, lines, w, y, grid(ss.size*1.35*ptmm))
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
func (t *typesetter) titlePage() *page {
	if t.ed.print {
		t.newCites() // the author's links, listed on the verso
	}
	g := t.g
	m := t.book.Meta
	pg := &page{kind: pgTitle}
	c := t.bodyCtx()
	y := g.top + g.textH()*0.18
	add := func(ws []word, size, lead float64) {
		for _, l := range t.breakLines(ws, c.w) {
			y += lead
			pg.ops = append(pg.ops, t.renderLine(l.words, g.left, c.w, y, alignCenter)...)
		}
	}
	ts := tstyle{face: fonts.Bold, size: g.body * 2.4, color: colText}
	add(t.plainWords(m.Title, ts, nil, tree.Pos{}), ts.size, grid(ts.size*1.2*ptmm))
	if m.Subtitle != "" {
		ss := tstyle{face: fonts.Italic, size: g.body * 1.3, color: colMuted}
		y += 3
		add(t.plainWords(m.Subtitle, ss, nil, tree.Pos{}), ss.size, grid(ss.size*1.4*ptmm))
	}
	pg.ops = append(pg.ops, op{kind: opRect, x: g.w/2 - 12, y: y + 9, w: 24, h: 0.6, color: colAccent})
	y += 18
	if m.Author != "" {
		as := tstyle{face: fonts.Regular, size: g.body * 1.35, color: colText}
		add(t.plainWords(m.Author, as, nil, tree.Pos{}), as.size, grid(as.size*1.4*ptmm))
	}
	base := tstyle{face: fonts.Regular, size: g.body, color: colText}
	lead := grid(g.body * 1.6 * ptmm)
	if len(m.AuthorLinks) > 0 {
		var ws []word
		for i, l := range m.AuthorLinks {
			lw, _ := t.words([]tree.Inline{l}, base, l.Pos)
			if i < len(m.AuthorLinks)-1 && len(lw) > 0 {
				lw = append(lw, t.plainWords("·", tstyle{face: fonts.Regular, size: g.body, color: colMuted}, nil, tree.Pos{})...)
				lw[len(lw)-2].space = t.fs.Face(fonts.Regular).RuneWidth(' ', g.body) * ptmm
			}
			if len(lw) > 0 {
				lw[len(lw)-1].space = t.fs.Face(fonts.Regular).RuneWidth(' ', g.body) * ptmm
			}
			ws = append(ws, lw...)
		}
		y += 2
		add(ws, g.body, lead)
	}
	var ws []word
	if m.Version != "" {
		var l *linkRef
		st := base
		if m.VersionURL != "" {
			l = &linkRef{uri: m.VersionURL, src: true}
			st.color = colLink
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
			ws[len(ws)-1].space = t.fs.Face(fonts.Regular).RuneWidth(' ', g.body) * ptmm
			ws = append(ws, t.plainWords("·", tstyle{face: fonts.Regular, size: g.body, color: colMuted}, nil, tree.Pos{})...)
			ws[len(ws)-1].space = t.fs.Face(fonts.Regular).RuneWidth(' ', g.body) * ptmm
		}
		ws = append(ws, t.plainWords(m.Date, base, nil, tree.Pos{})...)
	}
	if len(ws) > 0 {
		y += 6
		add(ws, g.body, lead)
	}
	return pg
}
