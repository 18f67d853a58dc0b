// Package pdf writes a book tree as a screen PDF: a cover, a title page, a
// linked table of contents, part and chapter openers, justified body text
// with lists, code, quotes, tables, figures and footnotes, the credits and
// a colophon, in embedded Unicode fonts.
//
// The package typesets and paginates itself (line breaking, page breaking
// with keep, widow and orphan rules) and uses maroto only to draw each page
// from the resulting display list. pdfcpu reads the drawn file, and an
// incremental update appended to it adds what maroto cannot express: link
// annotations, the outline, page labels and the document information.
// The same tree and Options always give the same bytes.
package pdf

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content"
	"github.com/genai-handbook/handbook/fonts"
)

// Options configures Write. The zero value is useful.
type Options struct {
	// Paper is "a4", "letter" or "a5". Default "a4".
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
}

// Result describes a written PDF.
type Result struct {
	// Pages is the number of pages, front matter included.
	Pages int
	// Diagnostics are warnings about the source, such as characters the
	// fonts cannot draw, with the position of the block they occur in.
	Diagnostics content.Diagnostics
}

// defaultCreated is the date used when Options.Created is zero.
var defaultCreated = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Write typesets b and writes it to w as a PDF. It never modifies b.
// The error is non-nil only when the PDF could not be produced or written;
// problems with the source are reported as diagnostics in the Result.
func Write(w io.Writer, b *tree.Book, opt Options) (Result, error) {
	res, _, err := write(w, b, opt)
	return res, err
}

// write is Write, also returning the layout for tests.
func write(w io.Writer, b *tree.Book, opt Options) (Result, *layout, error) {
	var res Result
	if b == nil {
		return res, nil, fmt.Errorf("pdf: nil book")
	}
	g, err := paperGeometry(opt.Paper)
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
	lay := typeset(b, g, opt, &res.Diagnostics)
	data, err := render(lay.Pages, g, opt.Fonts, opt.Created)
	if err != nil {
		return res, nil, err
	}
	data, err = annotate(data, lay, b, opt)
	if err != nil {
		return res, nil, err
	}
	res.Diagnostics.Sort()
	res.Pages = len(lay.Pages)
	if _, err := w.Write(data); err != nil {
		return res, lay, fmt.Errorf("pdf: %w", err)
	}
	return res, lay, nil
}

// Filename returns the conventional file name of b's PDF:
// "<slug>-<version>.pdf" on A4, with "-letter" or "-a5" before ".pdf" on
// the other papers. The version is left out when the book has none.
func Filename(b *tree.Book, opt Options) string {
	slug := b.Meta.Slug
	if slug == "" {
		slug = "book"
	}
	name := slug
	if v := b.Meta.Version; v != "" {
		name += "-" + v
	}
	switch p := strings.ToLower(opt.Paper); p {
	case "", "a4":
	default:
		name += "-" + p
	}
	return name + ".pdf"
}

// layout is the typeset book: its pages with everything drawn on them,
// where each anchor landed and the table of contents.
type layout struct {
	Pages   []*page
	Front   int             // number of front-matter pages (numbered i, ii, …)
	Anchors map[string]dest // anchor id → page index (into Pages) and position
	TOC     []tocEntry
	geom    *geometry
}

// typeset lays out the whole book.
func typeset(b *tree.Book, g *geometry, opt Options, diags *content.Diagnostics) *layout {
	t := &typesetter{g: g, fs: opt.Fonts, diags: diags, missed: map[missKey]bool{}, book: b}
	var secs []*section
	for _, p := range b.Parts {
		secs = append(secs, t.part(p))
		for _, c := range p.Chapters {
			secs = append(secs, t.chapter(c))
		}
	}
	if len(b.Back) > 0 {
		secs = append(secs, t.back(b.Back))
	}
	secs = append(secs, t.colophon(opt, g.name))

	var body []*page
	anchors := map[string]dest{}
	for _, s := range secs {
		t.paginate(s, &body, anchors)
	}
	toc := t.toc
	for i := range toc {
		if d, ok := anchors[toc[i].id]; ok {
			toc[i].label = strconv.Itoa(d.page + 1)
		}
	}

	front := []*page{t.cover(), t.titlePage()}
	frontAnchors := map[string]dest{}
	var tocPages []*page
	t.paginate(t.tocSection(toc), &tocPages, frontAnchors)
	for id, d := range frontAnchors {
		d.page += len(front)
		anchors[id] = d
	}
	front = append(front, tocPages...)

	lay := &layout{Front: len(front), Anchors: map[string]dest{}, TOC: toc, geom: g}
	for id, d := range anchors {
		if _, isFront := frontAnchors[id]; !isFront {
			d.page += len(front)
		}
		lay.Anchors[id] = d
	}
	for i, pg := range front {
		pg.label = roman(i + 1)
		if pg.kind == pgTOC {
			pg.folio = pg.label
		}
	}
	for i, pg := range body {
		pg.label = strconv.Itoa(i + 1)
		pg.folio = pg.label
	}
	lay.Pages = append(front, body...)
	for _, pg := range lay.Pages {
		t.furniture(pg)
	}
	return lay
}

// furniture adds the running head (with a hairline under it) and the
// folio to a page.
func (t *typesetter) furniture(pg *page) {
	g := t.g
	st := tstyle{face: fonts.Italic, size: g.body * 0.85, color: colMuted}
	if pg.head != "" {
		face := t.fs.Face(st.face)
		s := pg.head
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
			op{kind: opText, x: g.left + (g.textW()-w)/2, y: g.headY, w: w, st: st, s: s},
			op{kind: opRect, x: g.left, y: g.headY + 2.2, w: g.textW(), h: 0.2, color: colRule})
	}
	if pg.folio != "" {
		fs := tstyle{face: fonts.Regular, size: g.body * 0.9, color: colMuted}
		w := t.fs.Face(fs.face).Width(pg.folio, fs.size) * ptmm
		pg.furn = append(pg.furn, op{kind: opText, x: g.left + (g.textW()-w)/2, y: g.footY, w: w, st: fs, s: pg.folio})
	}
}
