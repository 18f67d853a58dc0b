// Package kepub makes the Kobo edition: the book's EPUB (package epub)
// converted to Kobo's own flavour of EPUB, a KEPUB, which Kobo readers
// open with their newer rendering engine (proper page turns, reading
// statistics, highlights that stay put) rather than the old one they use
// for plain EPUBs. A KEPUB is the same publication with every sentence
// wrapped in a <span class="koboSpan" id="kobo.P.S"> (paragraph P,
// sentence S), the body's content wrapped in div#book-columns >
// div#book-inner, and a small style element: it is still a valid EPUB 3,
// and reading systems other than Kobo's read it as one.
//
// The conversion is kepubify's (github.com/pgaskin/kepubify/v4, package
// kepub), the converter Kobo users run by hand today. It writes its
// output's entries in the order its parallel workers finish them, so the
// result is repacked the way the EPUB itself is zipped (epub.Repack):
// the same book and options always give the same bytes.
package kepub

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	kepubify "github.com/pgaskin/kepubify/v4/kepub"

	"github.com/genai-handbook/handbook/compile/backend"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/epub"
)

// Book is the Kobo edition as a backend of the build pipeline (see
// package backend). EPUB is the EPUB it is converted from, with that
// book's settings: the printed edition whose page numbers it carries.
type Book struct {
	EPUB epub.Book
}

// Extension is the Kobo edition's file extension: Kobo's desktop
// software and its readers recognise a KEPUB by it.
const Extension = ".kepub.epub"

// Filename returns the Kobo edition's file name for b:
// "<slug>-<version>.kepub.epub" (see tree.FileName).
func Filename(b *tree.Book) string {
	return tree.FileName(b.Meta.Slug, b.Meta.Version, "", Extension)
}

// FileName is Filename.
func (Book) FileName(b *tree.Book) string { return Filename(b) }

// PagesFrom is the printed edition the EPUB takes its page numbers from.
func (k Book) PagesFrom() backend.Backend { return k.EPUB.Pages }

// Prepare draws the EPUB's cover early, as the EPUB's backend does.
func (k Book) Prepare(b *tree.Book, opt backend.Options) any { return k.EPUB.Prepare(b, opt) }

// Cost is the EPUB's, the least of the books: converting takes a fraction
// of the time making the EPUB takes.
func (Book) Cost() int { return 0 }

// Lay makes the EPUB and converts it, up to the last byte, which Write
// copies out: a conversion that fails does so before anything is written,
// and `handbook check` meets the same failure.
func (k Book) Lay(b *tree.Book, opt backend.Options) (backend.Laid, error) {
	l, err := k.EPUB.Lay(b, opt)
	if err != nil {
		return nil, err
	}
	var src bytes.Buffer
	if _, err := l.Write(&src); err != nil {
		return nil, err
	}
	data, err := Convert(src.Bytes(), opt.Date)
	if err != nil {
		return nil, err
	}
	res := l.Result()
	res.Format = "kepub"
	return &laid{data: data, res: res}, nil
}

// Convert converts an EPUB (the bytes of its container) to a KEPUB with
// kepubify's default conversion, and repacks it deterministically with
// every entry stamped modified (zero: the EPUB's default date).
func Convert(data []byte, modified time.Time) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("kepub: reading the EPUB: %w", err)
	}
	var conv bytes.Buffer
	// kepubify's default: Kobo's spans, wrappers and style tweaks, and
	// nothing more; the text is smartened by the compiler already, and
	// hyphenation is the reader's choice.
	if err := kepubify.NewConverter().Convert(context.Background(), &conv, zr); err != nil {
		return nil, fmt.Errorf("kepub: %w", err)
	}
	out, err := zip.NewReader(bytes.NewReader(conv.Bytes()), int64(conv.Len()))
	if err != nil {
		return nil, fmt.Errorf("kepub: reading kepubify's output: %w", err)
	}
	var final bytes.Buffer
	final.Grow(conv.Len())
	if err := epub.Repack(&final, out, modified); err != nil {
		return nil, fmt.Errorf("kepub: %w", err)
	}
	return final.Bytes(), nil
}

// laid is a Kobo edition converted and ready to be written.
type laid struct {
	data []byte
	res  backend.Result
}

func (l *laid) Result() backend.Result { return l.res }

func (l *laid) Write(w io.Writer) (backend.Result, error) {
	if _, err := w.Write(l.data); err != nil {
		return l.res, fmt.Errorf("kepub: %w", err)
	}
	return l.res, nil
}
