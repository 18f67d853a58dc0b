package pdf

import (
	"errors"
	"io"
	"strings"

	"github.com/genai-handbook/handbook/compile/backend"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/pdf/layout"
	"github.com/genai-handbook/handbook/pdf/qr"
)

// The PDFs as backends of the build pipeline (see package backend): the
// screen edition on a paper, the print edition, the booklet. Their
// fields are their settings; Options says what each means.

// Screen is the screen edition on Paper ("a4", "letter", "a5").
type Screen struct{ Paper string }

// Print is the print edition on Paper, two-sided unless Simplex.
type Print struct {
	Paper   string
	Simplex bool
}

// Booklet is the print edition as an A5 booklet imposed on A4 sheets.
type Booklet struct {
	SignatureSheets int
	Creep           float64
}

func (s Screen) options() Options { return Options{Paper: s.Paper, Edition: "screen"} }
func (p Print) options() Options {
	return Options{Paper: p.Paper, Edition: "print", Simplex: p.Simplex}
}
func (k Booklet) options() Options {
	return Options{Paper: "a5", Edition: "print", Booklet: true, SignatureSheets: k.SignatureSheets, Creep: k.Creep}
}

// FileName is Filename with the backend's options.
func (s Screen) FileName(b *tree.Book) string  { return Filename(b, s.options()) }
func (p Print) FileName(b *tree.Book) string   { return Filename(b, p.options()) }
func (k Booklet) FileName(b *tree.Book) string { return Filename(b, k.options()) }

// Lay typesets the book (see Prepare and Check).
func (s Screen) Lay(b *tree.Book, opt backend.Options) (backend.Laid, error) {
	return lay(b, s.options(), opt)
}
func (p Print) Lay(b *tree.Book, opt backend.Options) (backend.Laid, error) {
	return lay(b, p.options(), opt)
}
func (k Booklet) Lay(b *tree.Book, opt backend.Options) (backend.Laid, error) {
	return lay(b, k.options(), opt)
}

// Cost orders a build's work: the print editions take the longest (their
// Resources lists and QR codes), then the screen editions.
func (Screen) Cost() int  { return 1 }
func (Print) Cost() int   { return 2 }
func (Booklet) Cost() int { return 2 }

// Describe names the print edition, for a book that carries its page
// numbers: "Generative AI Handbook, v0.1, print edition on A4 paper".
func (p Print) Describe(b *tree.Book) string {
	s := b.Meta.Title
	if b.Meta.Version != "" {
		s += ", " + b.Meta.Version
	}
	s += ", print edition on " + paperNames[strings.ToLower(p.Paper)] + " paper"
	if p.Simplex {
		s += " (one-sided)"
	}
	return s
}

// paperNames are the papers as a sentence names them.
var paperNames = map[string]string{"a4": "A4", "letter": "US Letter", "a5": "A5", "": "A4"}

// lay typesets b with o and the build's options.
func lay(b *tree.Book, o Options, opt backend.Options) (backend.Laid, error) {
	o.Created, o.Generator, o.Fonts = opt.Date, opt.Generator, opt.Fonts
	if opt.Shared != nil {
		// The PDFs of a build share their broken paragraphs and QR
		// codes: A4, Letter and the print edition set the same
		// paragraphs on the same measure. Not a very large book's
		// paragraphs: its PDFs are made one at a time, and a cache of
		// every paragraph would hold hundreds of megabytes from the
		// first to the last (its QR codes and hyphenation are shared).
		o.Cache = opt.Shared.Get("pdf/layout.Cache", func() any { return &layout.Cache{NoLines: opt.Big} }).(*layout.Cache)
		o.QR = opt.Shared.Get("pdf/qr.Encoder", func() any { return &qr.Encoder{} }).(*qr.Encoder)
	}
	ed, _ := o.choice()
	l := &laid{res: backend.Result{Format: "pdf", Paper: strings.ToLower(o.Paper), Edition: "screen"}}
	if ed.print {
		l.res.Edition = "print"
	}
	if ed.booklet {
		l.res.Paper = "a5"
	}
	var err error
	var res Result
	if opt.LayOnly {
		res, err = Check(b, o)
	} else {
		l.p, err = Prepare(b, o)
		if l.p != nil {
			res = l.p.Result()
		}
	}
	l.fill(res)
	return l, err
}

// errLaidOnly is the error of writing a book laid out with LayOnly.
var errLaidOnly = errors.New("pdf: a book laid out only (LayOnly) cannot be written")

// laid is a PDF typeset and ready to be drawn.
type laid struct {
	p   *Prepared // nil when laid out only
	res backend.Result
}

// fill copies what res says into the backend's result.
func (l *laid) fill(res Result) {
	l.res.Pages, l.res.BookPages, l.res.QRCodes, l.res.Signatures = res.Pages, res.BookPages, res.QRCodes, res.Signatures
	l.res.PageMap, l.res.Diagnostics = res.PageMap, res.Diagnostics
}

func (l *laid) Result() backend.Result { return l.res }

func (l *laid) Write(w io.Writer) (backend.Result, error) {
	if l.p == nil {
		return l.res, errLaidOnly
	}
	res, err := l.p.Write(w)
	l.fill(res)
	return l.res, err
}
