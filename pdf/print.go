package pdf

import (
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/fonts"
)

// This file holds what only the print edition has: numbered references
// for external links with a Resources list (full address and QR code) at
// the end of each section, page references for internal links, the study
// plan, the "About this edition" page and the mapping of the screen
// palette to ink.

// resource is one external link of a section, cited by its number.
type resource struct {
	n     int    // 1, 2, … within its section
	url   string // as written in the source
	title string // the text of its first citation; "" when it had none
	id    string // anchor of its entry in the Resources list
	qr    *qrCode
}

// citeList numbers the external links of one section (a part opener, a
// chapter, the credits or the front matter): a URL cited twice keeps its
// first number.
type citeList struct {
	sec   int
	byURL map[string]*resource
	list  []*resource
}

// newCites starts the numbering of a new section's links.
func (t *typesetter) newCites() {
	t.nsec++
	t.cites = &citeList{sec: t.nsec, byURL: map[string]*resource{}}
}

// cite returns the resource of url in the current section, adding it
// when it is new. It returns nil outside a section (nothing is cited
// there: the table of contents and running heads are plain text).
func (t *typesetter) cite(u, title string, pos tree.Pos) *resource {
	cl := t.cites
	if cl == nil {
		return nil
	}
	if r := cl.byURL[u]; r != nil {
		if r.title == "" {
			r.title = title
		}
		return r
	}
	r := &resource{n: len(cl.list) + 1, url: u, title: title, id: "pdf:res:" + strconv.Itoa(cl.sec) + ":" + strconv.Itoa(len(cl.list)+1)}
	code := t.qrs[u]
	if code == nil {
		var err error
		if code, err = encodeQR(qrText(u)); err != nil {
			t.diags.Warnf(pos, "pdf: no QR code for %s: %v", diag.Quote(u), err)
		}
	}
	r.qr = code
	cl.byURL[u] = r
	cl.list = append(cl.list, r)
	return r
}

// qrText is the text a QR code holds for url: non-ASCII bytes, spaces
// and controls percent-encoded, as in a link annotation's URI, so that
// every phone reads the same address.
func qrText(u string) string {
	var sb strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c < 0x21 || c >= 0x7f {
			sb.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)|0x100, 16)[1:]))
			continue
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// pageLabel returns the page label of anchor id as found by the previous
// pass ("00", two digits' worth, in the first), and records it so that
// typeset can check it against where the anchor lands.
func (t *typesetter) pageLabel(id string) string {
	l, ok := t.refs[id]
	if !ok || l == "" {
		l = "00"
	}
	t.used[id] = l
	return l
}

// pageRef returns the reference that follows an internal link in print:
// "Chapter 47, p. 187", "Section II, p. 40", "§3.1, p. 33" or just
// "p. 12" when the link text already names the target or the target has
// no number. No-break spaces keep "p." with its number.
func (t *typesetter) pageRef(a *tree.Anchor, text string) string {
	h := a.Heading
	var what string
	switch {
	case a.Chapter == -2:
		// the credits: unnumbered
	case h != nil && h.Level == 1 || a.Chapter == -1 && (h == nil || h.Number == ""):
		if a.Part >= 0 && a.Part < len(t.book.Parts) {
			what = t.book.Parts[a.Part].Label
		}
	case h != nil && h.Level == 2:
		what = h.Label()
	case h != nil && h.Number != "":
		what = "§" + h.Number
	default:
		if a.Part >= 0 && a.Part < len(t.book.Parts) && a.Chapter >= 0 && a.Chapter < len(t.book.Parts[a.Part].Chapters) {
			what = t.book.Parts[a.Part].Chapters[a.Chapter].Heading.Label()
		}
	}
	if what != "" && strings.Contains(strings.ToLower(text), strings.ToLower(what)) {
		what = ""
	}
	p := "p.\u00a0" + t.pageLabel(a.ID)
	if what == "" {
		return p
	}
	return strings.ReplaceAll(what, " ", "\u00a0") + ", " + p
}

// domain returns the host of a URL without "www.", or "" when it has
// none.
func domain(u string) string {
	pu, err := url.Parse(u)
	if err != nil || pu.Host == "" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(pu.Hostname()), "www.")
}

// qrSize returns the side of a QR code of n modules: at least min, and
// modules of at least 0.45 mm. Phones read codes from arm's length at
// that size, and the test renders them at 150 dpi (2.7 pixels a module).
func (t *typesetter) qrSize(n int) float64 {
	min := 20.0
	if t.g.name == "a5" {
		min = 18
	}
	// Rounded up to the grid, so that modules stay at least 0.45 mm.
	return math.Ceil(math.Max(min, float64(n)*0.45)*256) / 256
}

// resourcesBlock sets the current section's Resources list: for every
// cited link its number, its text, its site, its full address broken
// only where a reader cannot mistake the break for part of it, and its
// QR code at the right with a quiet zone of four modules all round. An
// entry is one unbreakable item.
func (t *typesetter) resourcesBlock(f *flow, c bctx) {
	cl := t.cites
	if cl == nil || len(cl.list) == 0 {
		return
	}
	size, lead := t.headingSize(3)
	f.space(c.lead * 1.6)
	hs := tstyle{face: fonts.Bold, size: size, color: colText}
	for i, it := range t.textItems(t.plainWords("Resources", hs, nil, tree.Pos{}), c.x, c.w, size, lead, alignLeft) {
		it.heading = true
		it.keep = i > 0
		f.add(it)
	}
	f.space(c.lead * 0.5)
	f.keepNext = 2

	reg := t.fs.Face(fonts.Regular)
	ns := tstyle{face: fonts.Bold, size: c.size, color: colText}
	numW := grid(t.fs.Face(fonts.Bold).Width("00", ns.size)*ptmm + 3)
	qcol, module := 0.0, 0.0
	for _, r := range cl.list {
		if r.qr != nil {
			q := t.qrSize(r.qr.n)
			qcol = math.Max(qcol, q)
			module = math.Max(module, q/float64(r.qr.n))
		}
	}
	// The text keeps the quiet zone (four modules) clear of the code.
	qgap := grid(math.Max(5, 4*module+1))
	textX := c.x + numW
	textW := c.w - numW - qcol - qgap
	ts := tstyle{face: fonts.Regular, size: c.size, color: colText}
	ds := tstyle{face: fonts.Italic, size: c.size * 0.85, color: colMuted}
	dlead := grid(c.lead * 0.88)
	us := tstyle{face: fonts.Mono, size: math.Round(c.size*0.8*4) / 4, color: colText}
	ulead := grid(us.size * 1.38 * ptmm)
	mono := t.fs.Face(fonts.Mono)
	base := t.baseline(c.size, c.lead)

	for _, r := range cl.list {
		it := &item{kind: kLine, anchors: []string{r.id}}
		link := &linkRef{uri: r.url}
		dom := domain(r.url)
		title := r.title
		if title == "" || title == r.url {
			title, dom = dom, ""
			if title == "" {
				title = r.url
			}
		}
		num := strconv.Itoa(r.n)
		nw := t.fs.Face(fonts.Bold).Width(num, ns.size) * ptmm
		it.ops = append(it.ops, op{kind: opText, x: textX - 3 - nw, y: base, w: nw, st: ns, s: num})
		y := 0.0
		for i, l := range t.breakLines(t.plainWords(title, ts, link, tree.Pos{}), textW) {
			it.ops = append(it.ops, t.renderLine(l.words, textX, textW, y+base, alignLeft)...)
			if i == 0 {
				it.base = base
			}
			y += c.lead
		}
		if dom != "" {
			d := t.drawable(dom, t.fs.Face(ds.face), tree.Pos{})
			w := t.fs.Face(ds.face).Width(d, ds.size) * ptmm
			it.ops = append(it.ops, op{kind: opText, x: textX, y: y + t.baseline(ds.size, dlead), w: w, st: ds, s: d})
			y += dlead
		}
		ub := t.baseline(us.size, ulead)
		for _, s := range urlLines(r.url, textW, mono.RuneWidth('m', us.size)*ptmm) {
			s = t.drawable(s, mono, tree.Pos{})
			it.ops = append(it.ops, op{kind: opText, x: textX, y: y + ub, w: mono.Width(s, us.size) * ptmm, st: us, s: s})
			y += ulead
		}
		h := y
		if r.qr != nil {
			q := t.qrSize(r.qr.n)
			// The code's top lines up with the title's capitals.
			top := grid(base - reg.Ascent(c.size)*ptmm*0.72)
			x := c.x + c.w - q
			it.ops = append(it.ops,
				op{kind: opQR, x: x, y: top, w: q, h: q, s: r.url, qr: r.qr},
				op{kind: opLink, x: x, y: top, w: q, h: q, link: link})
			h = math.Max(h, top+q)
		}
		// Space between entries: at least the quiet zones' four modules.
		it.h = grid(h + math.Max(c.lead*0.55, 4*module))
		f.add(it)
	}
	f.space(c.parskip())
}

// urlLines breaks a URL set in a monospaced face (advance cw) into lines
// of at most width, the way style guides ask: after "://" or "//",
// before a single slash and before . , - _ ? # % ~, before or after = and
// &; never adding a hyphen, so that the address reads (and pdftotext
// extracts it) unchanged once the lines are joined. Only a run without
// any such point is broken between two letters.
func urlLines(u string, width, cw float64) []string {
	per := int(width / cw)
	if per < 8 {
		per = 8
	}
	var lines []string
	rs := []rune(u)
	for len(rs) > per {
		cut := -1
		for i := per; i > per/3; i-- {
			if urlBreak(rs, i) {
				cut = i
				break
			}
		}
		if cut < 0 {
			cut = per
			// A line ending in a hyphen would read as a word broken
			// for the line (and pdftotext would join it without one).
			for cut > per/2 && rs[cut-1] == '-' {
				cut--
			}
		}
		lines = append(lines, string(rs[:cut]))
		rs = rs[cut:]
	}
	return append(lines, string(rs))
}

// urlBreak reports whether a URL may break before rs[i].
func urlBreak(rs []rune, i int) bool {
	if i <= 0 || i >= len(rs) {
		return false
	}
	prev, next := rs[i-1], rs[i]
	switch {
	case prev == '/' && i >= 2 && rs[i-2] == '/': // after "//"
		return next != '/'
	case next == '/':
		return prev != '/' && prev != ':' // before a single slash
	case strings.ContainsRune(".,-_?#%~", next):
		return prev != '/' && prev != ':' && !strings.ContainsRune(".,-_?#%~", prev)
	case next == '=' || next == '&':
		return true
	case prev == '=' || prev == '&':
		return true
	}
	return false
}

// planEntry is one line of the study plan: a part (a group title, with
// the resources of its opening pages) or a chapter with its resources.
type planEntry struct {
	title string
	id    string
	part  bool
	res   []*resource
}

// Anchor ids of the print edition's own pages.
const (
	studyID = "pdf:study-plan"
	aboutID = "pdf:about"
)

// studyPlan lays out the study plan appendix: every chapter with its
// page and its resources as a checklist, grouped by part.
func (t *typesetter) studyPlan() *section {
	t.cites = nil
	f := &flow{}
	c := t.bodyCtx()
	f.add(strut(t.g.textH() * 0.05))
	size, lead := t.headingSize(2)
	st := tstyle{face: fonts.Bold, size: size, color: colText}
	t.displayLines(f, t.plainWords("Study plan", st, nil, tree.Pos{}), c, size, lead, alignLeft, studyID)
	f.add(&item{kind: kBlock, h: grid(c.lead * 1.6), keep: true, ops: []op{{kind: opRect, x: 0, y: c.lead * 0.7, w: c.w, h: 0.25, color: colRule}}})
	f.keepNext = 2
	t.paragraph(f, []tree.Inline{&tree.Text{Text: "A checklist for a group that works through the book chapter by chapter: tick a chapter when the group has discussed it, and a resource when you have read, watched or worked through it. The numbers are those of the bracketed marks in the text; the Resources list at the end of each chapter gives each one’s full address and a QR code to open it on a phone."}}, c, tree.Pos{}, alignJustify)

	box := grid(c.lead * 0.62)
	ind := grid(box + 2.5)
	bold := tstyle{face: fonts.Bold, size: c.size, color: colText}
	rs := tstyle{face: fonts.Regular, size: c.size * 0.92, color: colText}
	rlead := grid(c.lead * 0.95)
	dstyle := tstyle{face: fonts.Italic, size: c.size * 0.85, color: colMuted}
	numW := grid(t.fs.Face(fonts.Regular).Width("00", rs.size)*ptmm + 2)
	pw := t.fs.Face(fonts.Regular).Width("p. 000", c.size) * ptmm

	resources := func(res []*resource) {
		for _, r := range res {
			title := r.title
			if title == "" {
				title = r.url
			}
			ws := t.plainWords(title, rs, &linkRef{dest: r.id}, tree.Pos{})
			if d := domain(r.url); d != "" && title != r.url {
				ws[len(ws)-1].space = t.fs.Face(fonts.Regular).RuneWidth(' ', rs.size) * ptmm
				ws = append(ws, t.plainWords("— "+d, dstyle, nil, tree.Pos{})...)
			}
			x := ind + box + 2 + numW
			items := t.textItems(ws, x, c.w-x, rs.size, rlead, alignLeft)
			first := items[0]
			first.ops = append(first.ops, checkbox(ind, first.base, box*0.85)...)
			num := strconv.Itoa(r.n)
			nw := t.fs.Face(fonts.Regular).Width(num, rs.size) * ptmm
			first.ops = append(first.ops, op{kind: opText, x: x - 2 - nw, y: first.base, w: nw, st: rs, s: num})
			for _, it := range items {
				f.add(it)
			}
		}
	}
	for _, e := range t.plan {
		if e.part {
			f.space(c.lead * 1.1)
			ps := bold
			ps.size = c.size * 1.05
			items := t.textItems(t.plainWords(e.title, ps, &linkRef{dest: e.id}, tree.Pos{}), 0, c.w-pw-4, ps.size, grid(c.lead*1.1), alignLeft)
			last := items[len(items)-1]
			p := "p.\u00a0" + t.pageLabel(e.id)
			w := t.fs.Face(fonts.Bold).Width(p, ps.size) * ptmm
			last.ops = append(last.ops, op{kind: opText, x: c.w - w, y: last.base, w: w, st: ps, s: p})
			for i, it := range items {
				it.heading = true
				it.keep = i > 0
				f.add(it)
			}
			f.space(c.lead * 0.3)
			f.keepNext = 2
			resources(e.res)
			continue
		}
		f.space(c.lead * 0.35)
		ws := t.plainWords(e.title, bold, &linkRef{dest: e.id}, tree.Pos{})
		items := t.textItems(ws, ind, c.w-ind-pw-4, c.size, c.lead, alignLeft)
		first, last := items[0], items[len(items)-1]
		first.ops = append(first.ops, checkbox(0, first.base, box)...)
		p := "p.\u00a0" + t.pageLabel(e.id)
		w := t.fs.Face(fonts.Regular).Width(p, c.size) * ptmm
		last.ops = append(last.ops, op{kind: opText, x: c.w - w, y: last.base, w: w, st: c.style(), s: p})
		for _, it := range items {
			f.add(it)
		}
		f.keepNext = 2
		resources(e.res)
	}
	t.toc = append(t.toc, tocEntry{level: 0, title: "Study plan", id: studyID, extra: true})
	return &section{kind: pgOpener, head: "Study plan", recto: true, items: f.items}
}

// checkbox returns the outline of a square box of side s at x whose
// bottom sits a little below the baseline base.
func checkbox(x, base, s float64) []op {
	const th = 0.25
	y := base + 0.25 - s
	return []op{
		{kind: opRect, x: x, y: y, w: s, h: th, color: colText},
		{kind: opRect, x: x, y: y + s - th, w: s, h: th, color: colText},
		{kind: opRect, x: x, y: y, w: th, h: s, color: colText},
		{kind: opRect, x: x + s - th, y: y, w: th, h: s, color: colText},
	}
}

// about lays out the title page's verso: how to read the print edition,
// and the Resources list of the title page's links.
func (t *typesetter) about() *section {
	f := &flow{}
	c := t.bodyCtx()
	c.size = t.g.body * 0.92
	c.lead = grid(t.g.lead * 0.92)
	f.add(strut(t.g.textH() * 0.04))
	size, lead := t.headingSize(4)
	st := tstyle{face: fonts.Bold, size: size, color: colText}
	t.displayLines(f, t.plainWords("About this edition", st, nil, tree.Pos{}), c, size, lead, alignLeft, aboutID)
	f.space(c.lead * 0.5)
	f.keepNext = 2
	m := t.book.Meta
	text := "This is the print edition of " + m.Title + "."
	text += " Every link to an outside resource is marked in the text with a small bracketed number. At the end of each chapter, its Resources list gives for every number the link’s text, its site, its full address and a QR code: scan the code with a phone to open the page. A link to another part of the book gives the chapter and page it leads to."
	text += " The Study plan on page " + t.pageLabel(studyID) + " lists every chapter with its resources as a checklist."
	t.paragraph(f, []tree.Inline{&tree.Text{Text: text}}, c, tree.Pos{}, alignLeft)
	if t.ed.booklet {
		t.paragraph(f, []tree.Inline{&tree.Text{Text: "This booklet’s pages are imposed two to an A4 sheet: print it on both sides, flipping on the short edge, fold the stack in half and staple it along the fold."}}, c, tree.Pos{}, alignLeft)
	}
	t.resourcesBlock(f, c)
	t.cites = nil
	return &section{kind: pgTitle, items: f.items}
}

// printCover draws the print edition's cover: black type on white, with
// rules instead of the screen cover's colour field.
func (t *typesetter) printCover() *page {
	g := t.g
	m := t.book.Meta
	pg := &page{kind: pgCover}
	c := t.bodyCtx()
	y := grid(g.h * 0.2)
	pg.furn = append(pg.furn, op{kind: opRect, x: g.left, y: y, w: g.textW(), h: 1.2, color: colText})
	size := g.body * 3.1
	st := tstyle{face: fonts.Bold, size: size, color: colText}
	lead := grid(size * 1.15 * ptmm)
	y += 8
	y = t.setLines(pg, t.breakLines(t.plainWords(m.Title, st, nil, tree.Pos{}), c.w), c.w, y, lead)
	if m.Subtitle != "" {
		y = t.setSubtitle(pg, tstyle{face: fonts.Italic, size: g.body * 1.45, color: colText}, c.w, y+4)
	}
	pg.furn = append(pg.furn, op{kind: opRect, x: g.left, y: y + 8, w: 30, h: 0.5, color: colText})
	by := grid(g.h * 0.72)
	if m.Author != "" {
		as := tstyle{face: fonts.Regular, size: g.body * 1.45, color: colText}
		for _, l := range t.breakLines(t.plainWords(m.Author, as, nil, tree.Pos{}), c.w) {
			pg.furn = append(pg.furn, t.renderLine(l.words, g.left, c.w, by, alignLeft)...)
			by += grid(as.size * 1.35 * ptmm)
		}
	}
	vd := append(versionDate(m), "Print edition")
	vs := tstyle{face: fonts.Regular, size: g.body, color: colText}
	ws := t.plainWords(strings.Join(vd, " · "), vs, nil, tree.Pos{})
	pg.furn = append(pg.furn, t.renderLine(ws, g.left, c.w, by+4, alignLeft)...)
	pg.furn = append(pg.furn, op{kind: opRect, x: g.left, y: g.h - g.bottom, w: g.textW(), h: 0.5, color: colText})
	return pg
}

// ink maps the screen palette to the print edition's: all text black,
// accents black, rules and quote bars a mid grey that prints as a clean
// hairline. Layout is done with the screen's colours so that both
// editions share one typesetter; only the ink differs.
func (pg *page) ink() {
	for _, ops := range [][]op{pg.ops, pg.furn} {
		for i := range ops {
			o := &ops[i]
			switch o.kind {
			case opText:
				o.st.color = colInk
			case opRect:
				switch o.color {
				case colRule, colQuote:
					o.color = colGrey
				default:
					o.color = colInk
				}
			}
		}
	}
}

// The print edition's inks.
var (
	colInk  = rgb{0, 0, 0}
	colGrey = rgb{150, 150, 150}
)
