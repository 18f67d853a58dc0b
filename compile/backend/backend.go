// Package backend is the contract between the build pipeline and the
// backends that make books from a compiled tree: an EPUB, a screen PDF,
// a print edition. A backend is a value that says what it makes and lays
// a book out; the laid-out book then writes itself. The pipeline
// (package pipeline) knows backends only through this interface: adding
// a kind of book is one backend and one registration there.
//
// Backends import the tree and this package, never each other, and never
// read the clock, the environment or a file: everything arrives in
// Options.
package backend

import (
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/fonts"
)

// Backend makes one kind of book. Backends are comparable values (their
// settings are their fields), so that the pipeline can tell two requests
// for the same book apart from two books.
type Backend interface {
	// FileName is the name of the book's file for b, made with
	// tree.FileName: "<slug>-<version>-print.pdf".
	FileName(b *tree.Book) string
	// Lay lays b out: everything a build does before it writes, and all
	// that `handbook check` runs. It never modifies b.
	Lay(b *tree.Book, opt Options) (Laid, error)
}

// Laid is a book laid out and ready to be written.
type Laid interface {
	// Result is what the laying out found; Pages may count the book's
	// pages rather than the file's until the book is written.
	Result() Result
	// Write writes the book to w and returns the final Result. A Laid is
	// written once.
	Write(w io.Writer) (Result, error)
}

// Options are what every backend is given besides the tree. The zero
// value is usable: no date (backends give 2000-01-01), the default fonts.
type Options struct {
	// Date is stamped into the book (metadata, colophon): the
	// SOURCE_DATE_EPOCH or the source's last change, never the clock.
	Date time.Time
	// Generator names the program: "handbook v1.2.3".
	Generator string
	// Fonts are the faces to set the book in; nil: fonts.Default().
	Fonts *fonts.Set
	// Cover is a cover image (PNG, JPEG or GIF) given by the user; nil:
	// the backend draws its own.
	Cover []byte
	// EmbedFonts embeds the fonts where that is optional (the EPUB).
	EmbedFonts bool
	// Pages is the page map of the printed edition whose page numbers
	// the book carries (see PageUser), and PageSource names that
	// edition; both empty otherwise.
	Pages      []tree.PageStart
	PageSource string
	// Shared is the build's store for what several books of one build
	// can share (broken paragraphs, QR codes); nil: nothing is shared.
	Shared *Shared
	// Big says the book is very large: a backend keeps as little in
	// memory as it can, at some cost in time.
	Big bool
	// LayOnly says the book will not be written (`handbook check`): Lay
	// may leave out what only writing needs.
	LayOnly bool
	// Prepared is what the backend's Prepare returned for this build
	// (see Preparer); nil when it has none.
	Prepared any
}

// Result describes a book laid out or written, for the report.
type Result struct {
	Format  string `json:"format"`            // "epub", "pdf": what the book is
	Paper   string `json:"paper,omitempty"`   // a PDF's paper: "a4", "letter", "a5"
	Edition string `json:"edition,omitempty"` // a PDF's edition: "screen", "print"
	// Pages counts the file's pages (a booklet's sheet sides); BookPages
	// the book's (a booklet's A5 pages, padding included).
	Pages      int   `json:"pages,omitempty"`
	BookPages  int   `json:"-"`
	Chapters   int   `json:"chapters,omitempty"`   // an EPUB's chapters
	QRCodes    int   `json:"qr_codes,omitempty"`   // QR codes drawn (print edition)
	Signatures []int `json:"signatures,omitempty"` // a booklet's sheets per signature
	// PageMap is where each printed page begins in the text (a print
	// edition), for a book that carries its page numbers.
	PageMap []tree.PageStart `json:"-"`
	// Diagnostics are problems with the source that only this backend
	// meets (a character its fonts cannot draw), at their positions.
	Diagnostics diag.Diagnostics `json:"-"`
}

// PageUser is a backend whose book carries the page numbers of a printed
// edition: the pipeline lays that edition out first (or takes the one it
// makes anyway) and passes its page map in Options.Pages.
type PageUser interface {
	Backend
	// PagesFrom is the printed edition's backend; nil: none.
	PagesFrom() Backend
}

// Describer is a backend whose book can be named in a sentence: "…, print
// edition on A4 paper" (an EPUB's colophon names the edition its page
// numbers follow).
type Describer interface {
	Backend
	Describe(b *tree.Book) string
}

// Preparer is a backend with work that needs neither the page map nor a
// turn of its own (an EPUB's cover, drawn while the printed edition it
// takes its page numbers from is laid out): the pipeline calls Prepare as
// soon as the build starts, and passes what it returns to Lay in
// Options.Prepared.
type Preparer interface {
	Backend
	Prepare(b *tree.Book, opt Options) any
}

// Costly orders the work: a build starts the costliest books first, so
// that the last to finish is a short one. A backend that does not say
// costs 1. Cost 0 is a book with no layout of its own (an EPUB): a very
// large handbook's other books are made one at a time to bound memory,
// and these run beside them.
type Costly interface {
	Backend
	Cost() int
}

// Shared holds what the books of one build share, by key. Safe for
// concurrent use.
type Shared struct {
	mu sync.Mutex
	m  map[string]any
}

// Get returns the value under key, made by make the first time.
func (s *Shared) Get(key string, make func() any) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.m[key]; ok {
		return v
	}
	if s.m == nil {
		s.m = map[string]any{}
	}
	v := make()
	s.m[key] = v
	return v
}

// Summary says what the book has, for its line of a build's report: "10
// chapters" (a book without pages, an e-book), "88 pages, 262 QR codes",
// "96 pages, 3 signatures".
func (r Result) Summary() string {
	if r.Pages == 0 {
		return plural(r.Chapters, "chapter")
	}
	s := plural(r.Pages, "page")
	if len(r.Signatures) > 0 {
		s += ", " + plural(len(r.Signatures), "signature")
	}
	if r.QRCodes > 0 {
		s += ", " + plural(r.QRCodes, "QR code")
	}
	return s
}

// plural returns "1 page", "2 pages".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
