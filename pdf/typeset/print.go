package typeset

import (
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
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
	qr    *QRCode
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
		if code, err = encodeQR(QRText(u)); err != nil {
			t.diags.Warnf(pos, "pdf: no QR code for %s: %v", u, err)
		}
	}
	r.qr = code
	cl.byURL[u] = r
	cl.list = append(cl.list, r)
	return r
}

// QRText is the text a QR code holds for url: non-ASCII bytes, spaces
// and controls percent-encoded, as in a link annotation's URI, so that
// every phone reads the same address.
func QRText(u string) string {
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
	if t.g.Name == "a5" {
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
	hs := Style{Face: fonts.Bold, Size: size, Color: colText}
	for i, it := range t.textItems(t.plainWords("Resources", hs, nil, tree.Pos{}), c.x, c.w, size, lead, alignLeft, "h") {
		it.heading = true
		it.keep = i > 0
		f.add(it)
	}
	f.space(c.lead * 0.5)
	f.keepNext = 2

	reg := t.fs.Face(fonts.Regular)
	ns := Style{Face: fonts.Bold, Size: c.size, Color: colText}
	numW := grid(t.fs.Face(fonts.Bold).Width("00", ns.Size)*PtMM + 3)
	qcol, module := 0.0, 0.0
	for _, r := range cl.list {
		if r.qr != nil {
			q := t.qrSize(r.qr.N)
			qcol = math.Max(qcol, q)
			module = math.Max(module, q/float64(r.qr.N))
		}
	}
	// The text keeps the quiet zone (four modules) clear of the code.
	qgap := grid(math.Max(5, 4*module+1))
	textX := c.x + numW
	textW := c.w - numW - qcol - qgap
	ts := Style{Face: fonts.Regular, Size: c.size, Color: colText}
	ds := Style{Face: fonts.Italic, Size: c.size * 0.85, Color: colMuted}
	dlead := grid(c.lead * 0.88)
	us := Style{Face: fonts.Mono, Size: math.Round(c.size*0.8*4) / 4, Color: colText}
	ulead := grid(us.Size * 1.38 * PtMM)
	mono := t.fs.Face(fonts.Mono)
	base := t.baseline(c.size, c.lead)

	for _, r := range cl.list {
		it := &item{kind: kLine, anchors: []string{r.id}, tag: "res"}
		link := &Link{URI: r.url}
		dom := domain(r.url)
		title := r.title
		if title == "" || title == r.url {
			title, dom = dom, ""
			if title == "" {
				title = r.url
			}
		}
		num := strconv.Itoa(r.n)
		nw := t.fs.Face(fonts.Bold).Width(num, ns.Size) * PtMM
		it.ops = append(it.ops, Op{Kind: OpText, X: textX - 3 - nw, Y: base, W: nw, Style: ns, Text: num})
		y := 0.0
		for i, l := range t.breakLines(t.plainWords(title, ts, link, tree.Pos{}), textW, alignLeft) {
			it.ops = append(it.ops, t.renderLine(l, textX, textW, y+base, alignLeft)...)
			if i == 0 {
				it.base = base
			}
			y += c.lead
		}
		if dom != "" {
			d := t.drawable(dom, t.fs.Face(ds.Face), tree.Pos{})
			w := t.fs.Face(ds.Face).Width(d, ds.Size) * PtMM
			it.ops = append(it.ops, Op{Kind: OpText, X: textX, Y: y + t.baseline(ds.Size, dlead), W: w, Style: ds, Text: d})
			y += dlead
		}
		ub := t.baseline(us.Size, ulead)
		for _, s := range urlLines(r.url, textW, mono.RuneWidth('m', us.Size)*PtMM) {
			s = t.drawable(s, mono, tree.Pos{})
			it.ops = append(it.ops, Op{Kind: OpText, X: textX, Y: y + ub, W: mono.Width(s, us.Size) * PtMM, Style: us, Text: s})
			y += ulead
		}
		h := y
		if r.qr != nil {
			q := t.qrSize(r.qr.N)
			// The code's top lines up with the title's capitals.
			top := grid(base - reg.Ascent(c.size)*PtMM*0.72)
			x := c.x + c.w - q
			it.ops = append(it.ops,
				Op{Kind: OpQR, X: x, Y: top, W: q, H: q, Text: r.url, QR: r.qr},
				Op{Kind: OpLink, X: x, Y: top, W: q, H: q, Link: link})
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
	StudyID = "pdf:study-plan"
	AboutID = "pdf:about"
)

// studyPlan lays out the study plan appendix: every chapter with its
// page and its resources as a checklist, grouped by part.
func (t *typesetter) studyPlan() *section {
	t.cites = nil
	f := &flow{}
	c := t.bodyCtx()
	f.add(strut(t.g.textH() * 0.05))
	size, lead := t.headingSize(2)
	st := Style{Face: fonts.Bold, Size: size, Color: colText}
	t.displayLines(f, t.plainWords("Study plan", st, nil, tree.Pos{}), c, size, lead, alignLeft, StudyID)
	f.add(&item{kind: kBlock, h: grid(c.lead * 1.6), keep: true, ops: []Op{{Kind: OpRect, X: 0, Y: c.lead * 0.7, W: c.w, H: 0.25, Color: colRule}}})
	f.keepNext = 2
	t.paragraph(f, []tree.Inline{&tree.Text{Text: "A checklist for a group that works through the book chapter by chapter: tick a chapter when the group has discussed it, and a resource when you have read, watched or worked through it. The numbers are those of the bracketed marks in the text; the Resources list at the end of each chapter gives each one’s full address and a QR code to open it on a phone."}}, c, tree.Pos{}, alignJustify)

	box := grid(c.lead * 0.62)
	ind := grid(box + 2.5)
	bold := Style{Face: fonts.Bold, Size: c.size, Color: colText}
	rs := Style{Face: fonts.Regular, Size: c.size * 0.92, Color: colText}
	rlead := grid(c.lead * 0.95)
	dstyle := Style{Face: fonts.Italic, Size: c.size * 0.85, Color: colMuted}
	numW := grid(t.fs.Face(fonts.Regular).Width("00", rs.Size)*PtMM + 2)
	pw := t.fs.Face(fonts.Regular).Width("p. 000", c.size) * PtMM

	resources := func(res []*resource) {
		for _, r := range res {
			title := r.title
			if title == "" {
				title = r.url
			}
			ws := t.plainWords(title, rs, &Link{Dest: r.id}, tree.Pos{})
			if d := domain(r.url); d != "" && title != r.url {
				ws[len(ws)-1].space = t.fs.Face(fonts.Regular).RuneWidth(' ', rs.Size) * PtMM
				ws = append(ws, t.plainWords("— "+d, dstyle, nil, tree.Pos{})...)
			}
			x := ind + box + 2 + numW
			items := t.textItems(ws, x, c.w-x, rs.Size, rlead, alignLeft, "plan")
			first := items[0]
			first.ops = append(first.ops, checkbox(ind, first.base, box*0.85)...)
			num := strconv.Itoa(r.n)
			nw := t.fs.Face(fonts.Regular).Width(num, rs.Size) * PtMM
			first.ops = append(first.ops, Op{Kind: OpText, X: x - 2 - nw, Y: first.base, W: nw, Style: rs, Text: num})
			for _, it := range items {
				f.add(it)
			}
		}
	}
	for _, e := range t.plan {
		if e.part {
			f.space(c.lead * 1.1)
			ps := bold
			ps.Size = c.size * 1.05
			items := t.textItems(t.plainWords(e.title, ps, &Link{Dest: e.id}, tree.Pos{}), 0, c.w-pw-4, ps.Size, grid(c.lead*1.1), alignLeft, "plan")
			last := items[len(items)-1]
			p := "p.\u00a0" + t.pageLabel(e.id)
			w := t.fs.Face(fonts.Bold).Width(p, ps.Size) * PtMM
			last.ops = append(last.ops, Op{Kind: OpText, X: c.w - w, Y: last.base, W: w, Style: ps, Text: p})
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
		ws := t.plainWords(e.title, bold, &Link{Dest: e.id}, tree.Pos{})
		items := t.textItems(ws, ind, c.w-ind-pw-4, c.size, c.lead, alignLeft, "plan")
		first, last := items[0], items[len(items)-1]
		first.ops = append(first.ops, checkbox(0, first.base, box)...)
		p := "p.\u00a0" + t.pageLabel(e.id)
		w := t.fs.Face(fonts.Regular).Width(p, c.size) * PtMM
		last.ops = append(last.ops, Op{Kind: OpText, X: c.w - w, Y: last.base, W: w, Style: c.style(), Text: p})
		for _, it := range items {
			f.add(it)
		}
		f.keepNext = 2
		resources(e.res)
	}
	t.toc = append(t.toc, TOCEntry{Level: 0, Title: "Study plan", ID: StudyID, Extra: true})
	return &section{kind: PageOpener, head: "Study plan", recto: true, items: f.items}
}

// checkbox returns the outline of a square box of side s at x whose
// bottom sits a little below the baseline base.
func checkbox(x, base, s float64) []Op {
	const th = 0.25
	y := base + 0.25 - s
	return []Op{
		{Kind: OpRect, X: x, Y: y, W: s, H: th, Color: colText},
		{Kind: OpRect, X: x, Y: y + s - th, W: s, H: th, Color: colText},
		{Kind: OpRect, X: x, Y: y, W: th, H: s, Color: colText},
		{Kind: OpRect, X: x + s - th, Y: y, W: th, H: s, Color: colText},
	}
}

// aboutPrint adds to the colophon how to read the print edition, and the
// Resources list of the links on the title page and the colophon.
func (t *typesetter) aboutPrint(f *flow, c bctx) {
	size, lead := t.headingSize(4)
	st := Style{Face: fonts.Bold, Size: size, Color: colText}
	f.space(c.lead)
	t.displayLines(f, t.plainWords("About this edition", st, nil, tree.Pos{}), c, size, lead, alignLeft, AboutID)
	f.space(c.lead * 0.5)
	f.keepNext = 2
	m := t.book.Meta
	text := "This is the print edition of " + m.Title + "."
	text += " Every link to an outside resource is marked in the text with a small bracketed number. At the end of each chapter, its Resources list gives for every number the link’s text, its site, its full address and a QR code: scan the code with a phone to open the page. A link to another part of the book gives the chapter and page it leads to."
	text += " The Study plan on page " + t.pageLabel(StudyID) + " lists every chapter with its resources as a checklist."
	t.paragraph(f, []tree.Inline{&tree.Text{Text: text}}, c, tree.Pos{}, alignLeft)
	if t.ed.booklet {
		t.paragraph(f, []tree.Inline{&tree.Text{Text: "This booklet’s pages are imposed two to an A4 sheet, in signatures that are each folded and bound through their fold; the file’s first sheet says how to print, fold and bind them."}}, c, tree.Pos{}, alignLeft)
	}
	t.resourcesBlock(f, c)
	t.cites = nil
}

// printCover draws the print edition's cover: black type on white, with
// rules instead of the screen cover's colour field.
func (t *typesetter) printCover() *Page {
	g := t.g
	m := t.book.Meta
	pg := &Page{Kind: PageCover}
	c := t.bodyCtx()
	y := grid(g.H * 0.2)
	pg.Furniture = append(pg.Furniture, Op{Kind: OpRect, X: g.Left, Y: y, W: g.textW(), H: 1.2, Color: colText})
	size := g.Body * 3.1
	st := Style{Face: fonts.Bold, Size: size, Color: colText}
	lead := grid(size * 1.15 * PtMM)
	y += 8
	y = t.setLines(pg, t.breakLines(t.plainWords(m.Title, st, nil, tree.Pos{}), c.w, alignLeft), c.w, y, lead)
	if m.Subtitle != "" {
		y = t.setSubtitle(pg, Style{Face: fonts.Italic, Size: g.Body * 1.45, Color: colText}, c.w, y+4)
	}
	pg.Furniture = append(pg.Furniture, Op{Kind: OpRect, X: g.Left, Y: y + 8, W: 30, H: 0.5, Color: colText})
	by := grid(g.H * 0.72)
	if m.Author != "" {
		as := Style{Face: fonts.Regular, Size: g.Body * 1.45, Color: colText}
		for _, l := range t.breakLines(t.plainWords(m.Author, as, nil, tree.Pos{}), c.w, alignLeft) {
			pg.Furniture = append(pg.Furniture, t.renderLine(l, g.Left, c.w, by, alignLeft)...)
			by += grid(as.Size * 1.35 * PtMM)
		}
	}
	vd := append(versionDate(m), "Print edition")
	vs := Style{Face: fonts.Regular, Size: g.Body, Color: colText}
	ws := t.plainWords(strings.Join(vd, " · "), vs, nil, tree.Pos{})
	pg.Furniture = append(pg.Furniture, t.renderLine(line{words: ws, hard: true}, g.Left, c.w, by+4, alignLeft)...)
	pg.Furniture = append(pg.Furniture, Op{Kind: OpRect, X: g.Left, Y: g.H - g.Bottom, W: g.textW(), H: 0.5, Color: colText})
	return pg
}

// ink maps the screen palette to the print edition's: all text black,
// accents black, rules and quote bars a mid grey that prints as a clean
// hairline. Layout is done with the screen's colours so that both
// editions share one typesetter; only the ink differs.
func (pg *Page) ink() {
	for _, ops := range [][]Op{pg.Ops, pg.Furniture} {
		for i := range ops {
			o := &ops[i]
			switch o.Kind {
			case OpText:
				o.Style.Color = colInk
			case OpRect:
				switch o.Color {
				case colRule, colQuote:
					o.Color = colGrey
				default:
					o.Color = colInk
				}
			}
		}
	}
}

// The print edition's inks.
var (
	colInk  = RGB{0, 0, 0}
	colGrey = RGB{150, 150, 150}
)
