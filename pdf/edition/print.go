package edition

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/design"
	"github.com/genai-handbook/handbook/pdf/layout"
	"github.com/genai-handbook/handbook/pdf/qr"
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
	ctx   string // the sentence around it, when its text says little; else ""
	id    string // anchor of its entry in the Resources list
	kind  kind
	qr    *qr.Code // nil for an address that is not a deep link
}

// citeList numbers the external links of one section (a part opener, a
// chapter, the credits or the front matter): a URL cited twice keeps its
// first number.
type citeList struct {
	sec   int
	byURL map[string]*resource
	list  []*resource
}

// cite returns the resource of url in the current section, adding it
// when it is new; ctx is the sentence the link stands in, kept when its
// text says little. It returns nil outside a section (nothing is cited
// there: the table of contents and running heads are plain text).
func (t *printMatter) cite(u, title, ctx string, pos tree.Pos) *resource {
	cl := t.cites
	if cl == nil {
		return nil
	}
	if !vague(title) {
		ctx = ""
	}
	if r := cl.byURL[u]; r != nil {
		if r.title == "" || r.ctx != "" && ctx == "" {
			r.title, r.ctx = title, ctx
		}
		return r
	}
	r := &resource{n: len(cl.list) + 1, url: u, title: title, ctx: ctx, kind: resourceKind(u), id: "pdf:res:" + strconv.Itoa(cl.sec) + ":" + strconv.Itoa(len(cl.list)+1)}
	if deepLink(u) {
		code := t.qrs[u]
		if code == nil {
			var err error
			if code, err = t.qrEnc.Code(qr.Text(u)); err != nil {
				t.Diags.Warnf(pos, "pdf: no QR code for %s: %v", diag.Quote(u), err)
			}
		}
		r.qr = code
	}
	cl.byURL[u] = r
	cl.list = append(cl.list, r)
	return r
}

// pageLabel returns the page label of anchor id, and records it so that
// typeset can check it against where the anchor lands: where this pass
// has set it already (the page is known), else as the previous pass found
// it, else a guess of the same width as most labels after the pages set
// so far: "00" in a book of fewer than a hundred pages. inRef reports
// that the label ends a page reference's word (see frag.ref), which
// patchRefs can correct in place. An anchor gets one label per pass in
// page references, the first given, and one elsewhere.
func (t *printMatter) pageLabel(id string, inRef bool) string {
	m := t.used
	if !inRef {
		m = t.loose
	}
	if l, ok := m[id]; ok {
		return l
	}
	l := t.refs[id]
	if d, ok := t.Anchor(id); ok && !t.ed.booklet {
		// (A booklet's padding moves the pages set so far.)
		l = strconv.Itoa(d.Page + 1)
	}
	if l == "" {
		l = strings.Repeat("0", max(2, len(strconv.Itoa(t.BodyPages()+1))))
	}
	m[id] = l
	return l
}

// patchRefs makes a print pass final when its wrong page labels can be
// corrected in place, which saves setting the book again: each is in a
// page reference, whose words are never cut, and the right label is a
// number of as many digits in faces whose figures all have one width.
// Set again with the right labels, every line and page would come out as
// in this pass. It reports whether it did.
func (t *printMatter) patchRefs(lay *design.Layout, actual map[string]string) bool {
	for id, printed := range t.loose {
		if actual[id] != printed {
			return false
		}
	}
	fix := map[string][2]string{} // id → printed, right
	for id, printed := range t.used {
		right := actual[id]
		if right == printed {
			continue
		}
		if !sameDigits(printed, right) || !t.tabularFigures() {
			return false
		}
		fix[id] = [2]string{printed, right}
	}
	patch := func(ops []layout.Op) {
		for i := range ops {
			o := &ops[i]
			f, ok := fix[t.PageRef(o)]
			if !ok {
				continue
			}
			if j := strings.LastIndex(o.Text, f[0]); j >= 0 {
				o.Text = o.Text[:j] + f[1] + o.Text[j+len(f[0]):]
			}
		}
	}
	for _, pg := range lay.Pages {
		patch(pg.Ops)
		for _, p := range pg.Placed {
			patch(p.Item.Ops)
		}
	}
	for id, f := range fix {
		t.used[id] = f[1]
	}
	return true
}

// sameDigits reports whether a and b are numbers of as many digits.
func sameDigits(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] < '0' || a[i] > '9' || b[i] < '0' || b[i] > '9' {
			return false
		}
	}
	return true
}

// tabularFigures reports whether the digits 0–9 have one width in every
// face of the book's font set.
func (t *printMatter) tabularFigures() bool {
	for _, st := range []fonts.Style{fonts.Regular, fonts.Bold, fonts.Italic, fonts.BoldItalic, fonts.Mono, fonts.MonoBold} {
		f := t.Fonts.Face(st)
		if f == nil {
			continue
		}
		w := f.RuneWidth('0', 10)
		for r := '1'; r <= '9'; r++ {
			if f.RuneWidth(r, 10) != w {
				return false
			}
		}
	}
	return true
}

// pageRef returns the reference that follows an internal link in print:
// "Chapter 47, p. 187", "Section II, p. 40", "§3.1, p. 33" or just
// "p. 12" when the link text already names the target or the target has
// no number. No-break spaces keep "p." with its number.
func (t *printMatter) pageRef(a *tree.Anchor, text string) string {
	h := a.Heading
	var what string
	switch {
	case a.Chapter == -2:
		// the credits: unnumbered
	case h != nil && h.Level == 1 || a.Chapter == -1 && (h == nil || h.Number == ""):
		if a.Part >= 0 && a.Part < len(t.Book().Parts) {
			what = t.Book().Parts[a.Part].Label
		}
	case h != nil && h.Level == 2:
		what = h.Label()
	case h != nil && h.Number != "":
		what = "§" + h.Number
	default:
		if a.Part >= 0 && a.Part < len(t.Book().Parts) && a.Chapter >= 0 && a.Chapter < len(t.Book().Parts[a.Part].Chapters) {
			what = t.Book().Parts[a.Part].Chapters[a.Chapter].Heading.Label()
		}
	}
	if what != "" && strings.Contains(strings.ToLower(text), strings.ToLower(what)) {
		what = ""
	}
	p := fmt.Sprintf(t.Wording().PageRef, t.pageLabel(a.ID, true))
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

// aboutPrint adds to the colophon how to read the print edition, and the
// Resources list of the links on the title page and the colophon.
func (t *printMatter) aboutPrint(f *layout.Flow, c design.Ctx) {
	size, lead := t.HeadingSize(4)
	st := layout.Style{Face: fonts.Bold, Size: size, Color: design.ColText}
	f.Space(c.Lead)
	_, endHeading := t.Open("H2")
	t.DisplayLines(f, t.Plain(t.Wording().AboutEdition, st, nil, tree.Pos{}), c, size, lead, layout.AlignLeft, AboutID)
	endHeading()
	f.Space(c.Lead * 0.5)
	f.KeepNext = 2
	m := t.Book().Meta
	wd := t.Wording()
	text := fmt.Sprintf(wd.AboutText, m.Title) + wd.AboutLinks + fmt.Sprintf(wd.AboutPlan, t.pageLabel(StudyID, false))
	t.Paragraph(f, []tree.Inline{&tree.Text{Text: text}}, c, tree.Pos{}, layout.AlignLeft)
	if t.ed.booklet {
		t.Paragraph(f, []tree.Inline{&tree.Text{Text: wd.AboutBooklet}}, c, tree.Pos{}, layout.AlignLeft)
	}
	t.resourcesBlock(f, c)
	t.cites = nil
}

// printMatter is the print edition's matter (see Matter): the numbered
// references of external links and their Resources lists, page
// references, the study plan, Notes pages and a booklet's signatures.
// It holds the state of one pass.
type printMatter struct {
	*design.Design
	ed edition

	refs     map[string]string   // anchor id → page label found by the previous pass; nil in the first
	used     map[string]string   // anchor id → page label printed by this pass in page references
	loose    map[string]string   // anchor id → page label printed by this pass elsewhere
	cites    *citeList           // the external links of the section being set
	qrs      map[string]*qr.Code // URL → its QR code, encoded once for all passes
	qrEnc    *qr.Encoder         // encodes the codes of addresses found while setting (see cite)
	nsec     int                 // sections with a citeList so far, for anchor ids
	plan     []planEntry         // the study plan: chapters (and parts) with their resources
	resLists [][]Resource        // the Resources lists set, in order
	planRows []PlanRow           // the study plan as set
	sigs     []Signature         // a booklet's signatures
}

// Begin implements Matter.
func (t *printMatter) Begin(d *design.Design) { t.Design = d }

// Section implements Matter: it starts the numbering of a new section's
// links.
func (t *printMatter) Section() {
	t.nsec++
	t.cites = &citeList{sec: t.nsec, byURL: map[string]*resource{}}
}

// End implements Matter: the section's Resources list, and its row of
// the study plan.
func (t *printMatter) End(f *layout.Flow, c design.Ctx, e *design.Entry) {
	t.resourcesBlock(f, c)
	if e != nil {
		t.plan = append(t.plan, planEntry{title: e.Title, id: e.ID, part: e.Part, words: e.Words, res: t.cites.list})
	}
	t.cites = nil
}

// Link implements Matter (see printLink).
func (t *printMatter) Link(in *design.Inliner, l *tree.Link, st layout.Style, parens bool) {
	t.printLink(in, l, st, parens)
}

// Mark implements Matter (see mark).
func (t *printMatter) Mark(in *design.Inliner, url, title string, st layout.Style) {
	t.mark(in, url, title, "", st)
}

// Colophon implements Matter: how to read the print edition, and the
// Resources list of the title page's and the colophon's links, which is
// set after the body's but comes first in the book.
func (t *printMatter) Colophon(f *layout.Flow, c design.Ctx) {
	n := len(t.resLists)
	t.aboutPrint(f, c)
	t.resLists = append(t.resLists[n:], t.resLists[:n]...)
}

// After implements Matter: the study plan.
func (t *printMatter) After() (*layout.Section, *design.TOCEntry) {
	return t.studyPlan(), &design.TOCEntry{Level: 0, Title: t.Wording().StudyPlan, ID: StudyID, Chapter: -1, Extra: true}
}

// Blank implements Matter: a verso left blank before a part opener is
// ruled for the reader's notes.
func (t *printMatter) Blank() *layout.Page { return t.notesPage() }

// Pad implements Matter: a booklet's signatures, padded with Notes pages.
func (t *printMatter) Pad(body []*layout.Page, front int, starts []int, anchors map[string]layout.Dest) []*layout.Page {
	t.sigs = signatures(front, len(body), starts, t.ed.sheets)
	return t.pad(body, front, t.sigs, anchors)
}

// printLink sets a link of the print edition, where a link is ink: the
// text of an external link is followed by the [n] mark of its entry in
// the section's Resources list, and an internal link by the chapter and
// page of its target, "(Chapter 47, p. 187)". Both stay clickable for
// readers of the PDF on a screen, but are not coloured.
//
// A link that ends a parenthesis, "(see [below](#x))", gets its
// reference inside it: "(see below, Chapter 6, p. 25)".
func (t *printMatter) printLink(b *design.Inliner, in *tree.Link, st layout.Style, parens bool) {
	switch {
	case in.Target != nil:
		l := &layout.Link{Source: true, Dest: in.Target.ID}
		b.Inlines(in.Content, st, l)
		rs := st
		rs.Strike = false
		ref := t.pageRef(in.Target, tree.PlainText(in.Content))
		if parens {
			b.Synth(", "+ref, rs, l)
		} else {
			b.Synth(" ("+ref+")", rs, l)
		}
		// The label ends the word being made, in its last fragment.
		b.RefLast(in.Target.ID)
	case in.IsInternal():
		b.Inlines(in.Content, st, nil) // broken: the compiler has warned
	default:
		l := &layout.Link{Source: true, URI: in.URL}
		title := strings.TrimSpace(tree.PlainText(in.Content))
		if title == "" {
			b.URLText(in, st, l)
		} else {
			b.Inlines(in.Content, st, l)
		}
		ctx := ""
		if vague(title) {
			ctx = linkContext(b.Root(), in)
		}
		t.mark(b, in.URL, title, ctx, st)
	}
}

// mark cites url in the current section (with ctx, the sentence it
// stands in, for a link whose text says little) and appends its
// superscript [n] mark, glued to the word before it and linked to the Resources entry.
// Brackets tell the marks from footnote numbers.
func (t *printMatter) mark(b *design.Inliner, url, title, ctx string, st layout.Style) {
	r := t.cite(url, title, ctx, b.Pos())
	if r == nil {
		return
	}
	b.Synth("["+strconv.Itoa(r.n)+"]", design.Superscript(st, design.ColText), &layout.Link{Dest: r.id})
}
