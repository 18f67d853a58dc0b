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
// Package typeset lays the book out (line and page breaking, the
// editions' designs, the booklet's imposition) as pages of positioned
// items; this package is the writer, the only code that touches the PDF
// libraries. maroto draws each page from its items, and assemble
// rewrites the drawn file once, adding what maroto cannot express: link
// annotations, QR codes as vector paths, the outline, page labels, the
// fonts' subset names and the document information. The same tree and
// Options always give the same bytes.
package pdf

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/compile/words"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/edition"
	"github.com/genai-handbook/handbook/pdf/layout"
	"github.com/genai-handbook/handbook/pdf/qr"
	"github.com/genai-handbook/handbook/pdf/writer"
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
	// Cache is shared by the PDFs of one build of a book, so that what
	// they have in common (paragraphs broken into lines on the same
	// measure, hyphenation) is worked out once. Default nil: not shared.
	Cache *layout.Cache
	// QR encodes the QR codes of the print editions of one build, each
	// address once. Default nil: not shared.
	QR *qr.Encoder
	// Fonts are the faces to set the book in. Default fonts.Default().
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
	// sheets in signatures, each in saddle-stitch order: every Section
	// starts a signature of at most SignatureSheets sheets (a longer one
	// takes several), padded at its end with ruled Notes pages to a
	// multiple of four pages. The file's first sheet says how to print
	// (two-sided, flipping on the short edge), fold and bind it; its back
	// is blank. It implies Edition "print" (and conflicts with "screen").
	// Default false.
	Booklet bool
	// SignatureSheets is the most sheets in one of a booklet's signatures
	// (four pages a sheet). Default (0) 8 sheets, 32 pages; negative is
	// an error. Ignored unless Booklet.
	SignatureSheets int
	// Creep is a booklet's creep compensation in mm per sheet, about the
	// paper's thickness: folded together, a signature's inner sheets
	// reach further toward the fore-edge by the thickness of the sheets
	// around them, so the pages of its sheet s (0 the outermost) are
	// drawn s × Creep nearer the fold. Default (0) 0.1 mm; negative:
	// none. Ignored unless Booklet.
	Creep float64
	// chunkPages, when positive, draws every chunkPages pages as a
	// document of their own (see drawChunks): the tests use it on short
	// books. Default: chunks of chunkPages pages above bigPDFPages.
	chunkPages int
}

// choice is the validated form of the edition options.
type choice struct {
	print   bool // the print edition: references, page refs, ink
	duplex  bool // two-sided: mirrored margins, recto openers
	booklet bool // impose on sheets
}

// choice validates the edition options.
func (opt Options) choice() (choice, error) {
	var ed choice
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
	// for a booklet, the number of sheet sides (twice the sheets, the
	// instruction sheet's two included).
	Pages int
	// BookPages is the number of the book's pages: Pages, or for a
	// booklet the number of A5 pages imposed on the sheets, the Notes
	// pages that pad its signatures included (a multiple of four).
	BookPages int
	// QRCodes is the number of QR codes drawn (print edition).
	QRCodes int
	// PageMap is where each of the book's pages begins in the book tree
	// (see tree.PageStart): what an EPUB needs to carry this edition's
	// page numbers.
	PageMap []tree.PageStart
	// Signatures is a booklet's sheet count per signature, in order;
	// nil for other PDFs.
	Signatures []int
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
	p, err := prepare(b, opt, false)
	if err != nil {
		return p.Result(), err
	}
	return p.Write(w)
}

// write is Write, also returning the layout, intact, for tests.
func write(w io.Writer, b *tree.Book, opt Options) (Result, *edition.Book, error) {
	p, err := prepare(b, opt, true)
	if err != nil {
		return p.Result(), nil, err
	}
	res, err := p.Write(w)
	return res, p.lay, err
}

// Prepared is a book typeset and ready to be drawn: Write split in two,
// so that what the typesetting tells (the page map an EPUB needs, the
// diagnostics) is known before the drawing, which takes as long again.
type Prepared struct {
	b     *tree.Book
	opt   Options
	res   Result
	lay   *edition.Book
	keep  bool
	drawn bool
}

// Prepare typesets b as Write would, for a later Prepared.Write.
func Prepare(b *tree.Book, opt Options) (*Prepared, error) {
	return prepare(b, opt, false)
}

// prepare typesets b. With keep, the layout is kept as it was typeset,
// with every item recorded on its page. Without it, Write lets go of each
// part of the layout as soon as it has been used (the items once
// paginated, a page's drawing operations once drawn), so that the memory
// a book needs is not its display list plus its PDF. The bytes written
// are the same.
func prepare(b *tree.Book, opt Options, keep bool) (*Prepared, error) {
	opt, res, lay, err := setBook(b, opt, keep, false)
	return &Prepared{b: b, opt: opt, res: res, lay: lay, keep: keep}, err
}

// Result is what the typesetting found: everything Write reports except
// Pages, which counts the file's pages (sheet sides, for a booklet) and
// is only known once it is drawn (0 until then).
func (p *Prepared) Result() Result { return p.res }

// Write draws the prepared book and writes it to w. A Prepared is
// written once: its layout is let go of as it is drawn.
func (p *Prepared) Write(w io.Writer) (Result, error) {
	res, lay := p.res, p.lay
	if p.drawn {
		return res, fmt.Errorf("pdf: a prepared book is written once")
	}
	p.drawn = true
	d := lay.Drawing()
	if !p.keep && lay.Sheets != nil {
		// The sheet sides hold copies of the pages' operations.
		for _, pg := range lay.Pages {
			pg.Ops, pg.Furniture = nil, nil
		}
	}
	if err := writer.Write(w, d, writer.Options{
		Created: p.opt.Created, Fonts: p.opt.Fonts, Info: info(p.b, p.opt), Release: !p.keep, ChunkPages: p.opt.chunkPages,
		// A booklet's sheet sides hold two pages each, out of order: it
		// is a file for the printer, not for reading, and stays untagged.
		Tagged: p.lay.Sheets == nil, Lang: p.b.Meta.Language, LinkToPage: words.For(p.b.Meta.Language).LinkToPage,
	}); err != nil {
		return res, err
	}
	res.Pages = len(d.Pages)
	p.res = res
	return res, nil
}

// Check typesets b as Write would, without drawing it, and reports what
// Write would: the diagnostics, the book's pages, the QR codes and the
// booklet's signatures (Result.Pages counts the book's pages, not the
// sheet sides). It is what `handbook check` runs: every problem a build
// would report, in a fraction of the time.
func Check(b *tree.Book, opt Options) (Result, error) {
	_, res, _, err := setBook(b, opt, false, true)
	res.Pages = res.BookPages
	return res, err
}

// setBook validates opt, fills in its defaults and typesets b: with
// keep, keeping everything for tests; with discard, without the drawing
// operations (Check).
func setBook(b *tree.Book, opt Options, keep, discard bool) (Options, Result, *edition.Book, error) {
	var res Result
	if b == nil {
		return opt, res, nil, fmt.Errorf("pdf: nil book")
	}
	ed, err := opt.choice()
	if err != nil {
		return opt, res, nil, err
	}
	paper := opt.Paper
	if ed.booklet {
		paper = "a5"
	}
	if opt.Created.IsZero() {
		opt.Created = defaultCreated
	}
	opt.Created = opt.Created.UTC()
	if opt.Fonts == nil {
		opt.Fonts = fonts.Default()
	}
	lay, ds, err := edition.Typeset(b, edition.Options{
		Paper: paper, Print: ed.print, Duplex: ed.duplex, Booklet: ed.booklet,
		SignatureSheets: opt.SignatureSheets, Creep: opt.Creep,
		Fonts: opt.Fonts, Generator: opt.Generator, Created: opt.Created, Keep: keep, Discard: discard, Cache: opt.Cache, QR: opt.QR,
	})
	if err != nil {
		return opt, res, nil, err
	}
	res.Diagnostics = ds
	res.BookPages = len(lay.Pages)
	res.QRCodes = lay.QRCodes
	for _, sg := range lay.Signatures {
		res.Signatures = append(res.Signatures, sg.Sheets())
	}
	res.PageMap = lay.PageMap
	return opt, res, lay, nil
}

// info is the document information of b's PDF.
func info(b *tree.Book, opt Options) writer.Info {
	m := b.Meta
	in := writer.Info{Title: m.Title, Author: m.Author, Subject: m.Subtitle, Creator: opt.Generator}
	for _, p := range b.Parts {
		if p.Number > 0 && p.Title != "" {
			in.Keywords = append(in.Keywords, p.Title)
		}
	}
	return in
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
	ed, _ := opt.choice()
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
