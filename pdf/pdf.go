// Package pdf writes a book tree as a PDF: a cover, a title page, a
// linked table of contents, part and chapter openers, justified body text
// with lists, code, quotes, tables, figures and footnotes, the credits and
// a colophon, in embedded Unicode fonts.
//
// There are two editions. The screen edition (the default) has coloured,
// clickable links and symmetric margins. The print edition is for paper:
// external links become numbered references listed, with their full
// address and a QR code, at the end of each chapter; internal links give
// the chapter and page of their target; everything is black ink; a study
// plan lists every chapter's resources as a checklist; and two-sided
// printing gets mirrored margins with a binding gutter and chapters on
// right-hand pages. A booklet imposes the print edition's A5 pages on A4
// sheets for saddle stitching.
//
// The package typesets and paginates itself (line breaking, page breaking
// with keep, widow and orphan rules) and uses maroto only to draw each page
// from the resulting display list. pdfcpu reads the drawn file, and an
// incremental update appended to it adds what maroto cannot express: link
// annotations, QR codes as vector paths, the outline, page labels and the
// document information. The same tree and Options always give the same
// bytes.
package pdf

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/fonts"
)

// Options configures Write. The zero value is useful.
type Options struct {
	// Paper is "a4", "letter" or "a5". Default "a4". For a booklet it
	// names the page ("a5") or the sheet ("a4"); both mean A5 pages on
	// A4 sheets, the only booklet there is.
	Paper string
	// Created is the document's creation and modification date; callers
	// pass SOURCE_DATE_EPOCH or the source's last change. Default (zero):
	// 2000-01-01 00:00 UTC. The clock is never read.
	Created time.Time
	// Generator names the program in the document's Creator entry and in
	// the colophon, e.g. "handbook v0.1.0". Default "".
	Generator string
	// Fonts are the faces to set the book in. Default fonts.Go().
	Fonts *fonts.Set
	// Edition is "screen" or "print". Default "" means "screen": links
	// are clickable and coloured. The print edition is for paper: every
	// external link gets a numbered [n] mark and an entry, with the full
	// address and a QR code, in a Resources list at the end of its
	// chapter; internal links name the chapter and page of their target;
	// it is set in black with no tints, gets a "Study plan" appendix, and
	// (unless Simplex) mirrored margins with chapters on right-hand pages.
	Edition string
	// Simplex lays the print edition out for one-sided printing: every
	// page is a right-hand page, with the binding gutter on the left, and
	// no blank pages are inserted. Default false: the print edition is
	// two-sided (duplex), with mirrored margins, running heads and folios
	// on the outer edge, and chapters and parts opening on right-hand
	// pages. The screen edition ignores it; it conflicts with Booklet.
	Simplex bool
	// Booklet imposes the print edition's A5 pages two-up on landscape A4
	// sheets in saddle-stitch order, the page count padded with blank
	// pages to a multiple of four: print the file two-sided, flipping on
	// the short edge, fold the stack and staple it. It implies Edition
	// "print" (and conflicts with "screen"). Default false.
	Booklet bool
}

// edition is the validated form of the edition options.
type edition struct {
	print   bool // the print edition: references, page refs, ink
	duplex  bool // two-sided: mirrored margins, recto openers
	booklet bool // impose on sheets
}

// edition validates the edition options.
func (opt Options) edition() (edition, error) {
	var ed edition
	switch strings.ToLower(opt.Edition) {
	case "", "screen":
		if opt.Booklet && opt.Edition != "" {
			return ed, fmt.Errorf("pdf: a booklet is a print edition, not %q", opt.Edition)
		}
		ed.print = opt.Booklet
	case "print":
		ed.print = true
	default:
		return ed, fmt.Errorf("pdf: unknown edition %q (want screen or print)", opt.Edition)
	}
	if opt.Booklet {
		if opt.Simplex {
			return ed, fmt.Errorf("pdf: a booklet is printed two-sided; Simplex and Booklet conflict")
		}
		if p := strings.ToLower(opt.Paper); p != "" && p != "a4" && p != "a5" {
			return ed, fmt.Errorf("pdf: a booklet is A5 pages on A4 sheets, not %q", opt.Paper)
		}
		ed.booklet = true
	}
	ed.duplex = ed.print && !opt.Simplex
	return ed, nil
}

// Result describes a written PDF.
type Result struct {
	// Pages is the number of pages in the file, front matter included;
	// for a booklet, the number of sheet sides (twice the sheets).
	Pages int
	// BookPages is the number of the book's pages: Pages, or for a
	// booklet the number of A5 pages imposed on the sheets, blank
	// padding included (a multiple of four).
	BookPages int
	// Diagnostics are warnings about the source, such as characters the
	// fonts cannot draw, with the position of the block they occur in.
	Diagnostics diag.Diagnostics
}

// defaultCreated is the date used when Options.Created is zero.
var defaultCreated = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Write typesets b and writes it to w as a PDF. It never modifies b.
// The error is non-nil only when the options are invalid or the PDF could
// not be produced or written; problems with the source are reported as
// diagnostics in the Result.
func Write(w io.Writer, b *tree.Book, opt Options) (Result, error) {
	res, _, err := build(w, b, opt, false)
	return res, err
}

// write is Write, also returning the layout, intact, for tests.
func write(w io.Writer, b *tree.Book, opt Options) (Result, *layout, error) {
	return build(w, b, opt, true)
}

// build typesets and writes b. With keep, the layout is returned as it
// was typeset, with every item recorded on its page. Without it, build
// lets go of each part of the layout as soon as it has been used (the
// items once paginated, a page's drawing operations once drawn), so that
// the memory a book needs is not its display list plus its PDF, and
// returns a layout without them. The bytes written are the same.
func build(w io.Writer, b *tree.Book, opt Options, keep bool) (Result, *layout, error) {
	var res Result
	if b == nil {
		return res, nil, fmt.Errorf("pdf: nil book")
	}
	ed, err := opt.edition()
	if err != nil {
		return res, nil, err
	}
	paper := opt.Paper
	if ed.booklet {
		paper = "a5"
	}
	g, err := paperGeometry(paper, ed.print)
	if err != nil {
		return res, nil, err
	}
	if opt.Created.IsZero() {
		opt.Created = defaultCreated
	}
	opt.Created = opt.Created.UTC()
	if opt.Fonts == nil {
		opt.Fonts = fonts.Go()
	}
	lay := typeset(b, g, ed, opt, keep, &res.Diagnostics)
	d := lay.drawing()
	if !keep && lay.Sheets != nil {
		// The sheet sides hold copies of the pages' operations.
		for _, pg := range lay.Pages {
			pg.ops, pg.furn = nil, nil
		}
	}
	data, err := render(d.pages, d.geom, opt.Fonts, opt.Created, !keep)
	if err != nil {
		return res, nil, err
	}
	upd, err := annotate(data, d, b, opt)
	if err != nil {
		return res, nil, err
	}
	res.Diagnostics.Sort()
	res.Pages = len(d.pages)
	res.BookPages = len(lay.Pages)
	// The update follows maroto's file; writing both parts, rather than
	// joining them first, saves a copy of the whole file.
	for _, p := range [][]byte{data, upd} {
		if _, err := w.Write(p); err != nil {
			return res, lay, fmt.Errorf("pdf: %w", err)
		}
	}
	return res, lay, nil
}

// Filename returns the conventional file name of b's PDF:
// "<slug>-<version>.pdf" for the screen edition on A4, with "-letter" or
// "-a5" before ".pdf" on the other papers. The print edition adds
// "-print" before the paper ("-print.pdf", "-print-letter.pdf",
// "-print-a5.pdf") and "-simplex" after it when one-sided; a booklet is
// "<slug>-<version>-booklet.pdf". The version is left out when the book
// has none. Invalid options give the name of what they would ask for. The
// name is tree.FileName's, so it is always a plain, safe name.
func Filename(b *tree.Book, opt Options) string {
	var suffix []string
	ed, _ := opt.edition()
	switch {
	case ed.booklet:
		suffix = append(suffix, "booklet")
	default:
		if ed.print {
			suffix = append(suffix, "print")
		}
		if p := strings.ToLower(opt.Paper); p != "" && p != "a4" {
			suffix = append(suffix, p)
		}
		if ed.print && !ed.duplex {
			suffix = append(suffix, "simplex")
		}
	}
	return tree.FileName(b.Meta.Slug, b.Meta.Version, strings.Join(suffix, "-"), ".pdf")
}

// layout is the typeset book: its pages with everything drawn on them,
// where each anchor landed and the table of contents.
type layout struct {
	Pages   []*page
	Front   int             // number of front-matter pages (numbered i, ii, …)
	Anchors map[string]dest // anchor id → page index (into Pages) and position
	TOC     []tocEntry
	geom    *geometry
	ed      edition
	Passes  int               // typesetting passes until the page references settled
	Refs    map[string]string // print: anchor id → page label printed in a page reference
	Sheets  []*sheetSide      // booklet: the sheet sides, in file order
}

// maxPasses bounds the print edition's typesetting passes. A page
// reference's text ("p. 99" or "p. 100") can move what follows it, so
// the book is set again with the pages the previous pass found until
// nothing moves; in practice the second pass settles it.
const maxPasses = 5

// typeset lays out the whole book. The print edition is set until its
// page references are right (see maxPasses).
//
// With keep, every page records the items placed on it (for tests).
func typeset(b *tree.Book, g *geometry, ed edition, opt Options, keep bool, diags *diag.Diagnostics) *layout {
	var refs map[string]string
	var qrs map[string]*qrCode
	if ed.print {
		qrs = encodeURLs(b)
	}
	for pass := 1; ; pass++ {
		var d diag.Diagnostics
		t := &typesetter{g: g, ed: ed, fs: opt.Fonts, keep: keep, diags: &d, missed: map[missKey]bool{}, book: b, refs: refs, used: map[string]string{}, qrs: qrs}
		lay := t.layout(opt)
		lay.Passes = pass
		if !ed.print {
			*diags = append(*diags, d...)
			return lay
		}
		actual := map[string]string{}
		settled := true
		for id, printed := range t.used {
			a := ""
			if dd, ok := lay.Anchors[id]; ok {
				a = lay.Pages[dd.page].label
			}
			actual[id] = a
			if a != printed {
				settled = false
			}
		}
		if settled || pass == maxPasses {
			if !settled {
				d.Warnf(tree.Pos{}, "pdf: page references did not settle after %d passes; some may be off by a page", pass)
			}
			lay.Refs = t.used
			*diags = append(*diags, d...)
			return lay
		}
		refs = actual
	}
}

// layout lays out the whole book once.
func (t *typesetter) layout(opt Options) *layout {
	b, g := t.book, t.g
	var secs []*section
	for _, p := range b.Parts {
		secs = append(secs, t.part(p))
		for _, c := range p.Chapters {
			secs = append(secs, t.chapter(c, p))
		}
	}
	if t.ed.print {
		secs = append(secs, t.studyPlan())
	}
	if len(b.Back) > 0 {
		secs = append(secs, t.back(b.Back))
	}
	secs = append(secs, t.colophon(opt, g.name))

	var body []*page
	anchors := map[string]dest{}
	for i, s := range secs {
		if s.recto {
			t.toRecto(&body)
		}
		t.paginate(s, &body, anchors)
		secs[i] = nil // its items are on the pages now
	}
	toc := t.toc
	for i := range toc {
		if d, ok := anchors[toc[i].id]; ok {
			toc[i].label = strconv.Itoa(d.page + 1)
		}
	}

	// The front matter. Its anchors are indices into front, the body's
	// are shifted past it below.
	frontAnchors := map[string]dest{}
	front := []*page{t.cover()}
	t.toRecto(&front)
	front = append(front, t.titlePage())
	if t.ed.print {
		t.paginate(t.about(), &front, frontAnchors)
		t.toRecto(&front)
	}
	t.paginate(t.tocSection(toc), &front, frontAnchors)
	t.toRecto(&front) // so that page 1 is a recto

	lay := &layout{Front: len(front), Anchors: map[string]dest{}, TOC: toc, geom: g, ed: t.ed}
	for id, d := range anchors {
		d.page += len(front)
		lay.Anchors[id] = d
	}
	for id, d := range frontAnchors {
		lay.Anchors[id] = d
	}
	for i, pg := range front {
		pg.label = strings.ToLower(tree.Roman(i + 1))
		if pg.kind == pgTOC {
			pg.folio = pg.label
		}
	}
	for i, pg := range body {
		pg.label = strconv.Itoa(i + 1)
		if pg.kind != pgBlank {
			pg.folio = pg.label
		}
	}
	lay.Pages = append(front, body...)
	// Two-sided printing: even indices are rectos. Versos are the recto
	// design mirrored: everything moves left by the difference of the
	// margins, so the inner margin is on the right.
	dx := g.right - g.left
	for i, pg := range lay.Pages {
		pg.recto = !t.ed.duplex || i%2 == 0
		t.furniture(pg)
		if !pg.recto && dx != 0 && pg.kind != pgCover {
			pg.shift(dx, 0)
		}
	}
	for id, d := range lay.Anchors {
		if !lay.Pages[d.page].recto {
			d.x += dx
			lay.Anchors[id] = d
		}
	}
	if t.ed.print {
		for _, pg := range lay.Pages {
			pg.ink()
		}
	}
	if t.ed.booklet {
		lay.Sheets = impose(lay)
	}
	return lay
}

// toRecto appends a blank page to *pages when the next page would be a
// verso of a two-sided print.
func (t *typesetter) toRecto(pages *[]*page) {
	if t.ed.duplex && len(*pages)%2 == 1 {
		*pages = append(*pages, &page{kind: pgBlank})
	}
}

// furniture adds the running head (with a hairline under it) and the
// folio to a page: centred on screen, on the outer edge in print, where
// a verso's head names the part and a recto's the chapter.
func (t *typesetter) furniture(pg *page) {
	g := t.g
	st := tstyle{face: fonts.Italic, size: g.body * 0.85, color: colMuted}
	// place returns the x of a piece of furniture w wide.
	place := func(w float64) float64 {
		switch {
		case !t.ed.print:
			return g.left + (g.textW()-w)/2
		case pg.recto:
			return g.left + g.textW() - w
		}
		return g.left
	}
	head := pg.head
	if !pg.recto && pg.vhead != "" {
		head = pg.vhead
	}
	if head != "" {
		face := t.fs.Face(st.face)
		s := head
		max := g.textW()
		if face.Width(s, st.size)*ptmm > max {
			rs := []rune(s)
			for len(rs) > 1 && face.Width(string(rs)+"…", st.size)*ptmm > max {
				rs = rs[:len(rs)-1]
			}
			s = strings.TrimSpace(string(rs)) + "…"
		}
		s = t.drawable(s, face, tree.Pos{})
		w := face.Width(s, st.size) * ptmm
		pg.furn = append(pg.furn,
			op{kind: opText, x: place(w), y: g.headY, w: w, st: st, s: s},
			op{kind: opRect, x: g.left, y: g.headY + 2.2, w: g.textW(), h: 0.2, color: colRule})
	}
	if pg.folio != "" {
		fs := tstyle{face: fonts.Regular, size: g.body * 0.9, color: colMuted}
		w := t.fs.Face(fs.face).Width(pg.folio, fs.size) * ptmm
		pg.furn = append(pg.furn, op{kind: opText, x: place(w), y: g.footY, w: w, st: fs, s: pg.folio})
	}
}
