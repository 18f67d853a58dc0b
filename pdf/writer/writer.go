// Package writer writes a typeset book's drawing as a PDF file. It is the
// one package that knows the PDF libraries: maroto builds the document
// (its pages, through gofpdf, which this package pins, and their images),
// and assemble rewrites the built file once, adding what maroto cannot
// express: the pages' content streams of our own (text as shaped glyphs
// with kerning and ligatures, marked content), the fonts as subsets
// (package font), the structure tree of a tagged PDF, link annotations,
// QR codes as vector paths, the outline, page labels, the metadata and
// the document information. Every workaround of a library is commented
// where it is made, with its reason.
package writer

import (
	"io"
	"time"

	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// Options configure Write.
type Options struct {
	// Created is the document's creation and modification date.
	Created time.Time
	// Fonts are the faces the drawing's operations name.
	Fonts *fonts.Set
	// Info is the document information.
	Info Info
	// Release lets go of each page's operations once it is drawn (the
	// caller no longer needs them): a long book's drawing is hundreds of
	// megabytes.
	Release bool
	// ChunkPages, when positive, draws every ChunkPages pages as a
	// document of their own (see drawChunks): the tests use it on short
	// books. Default: chunks of chunkPages pages above bigPDFPages.
	ChunkPages int
	// Tagged writes a tagged PDF: the structure tree of the operations'
	// nodes (layout.Node), marked content, artifacts.
	Tagged bool
	// Lang is the document's language, a BCP 47 tag ("en-US"); "" for
	// none.
	Lang string
	// LinkToPage is what a tagged file's internal link annotation says it
	// leads to, a fmt format of the target's page label ("Page %s").
	LinkToPage string
}

// Info is the document information dictionary's entries.
type Info struct {
	Title, Author, Subject string
	Keywords               []string // the parts' titles
	Creator                string   // the program: "handbook v1.2.3"
}

// Write draws d and writes the PDF to w.
func Write(w io.Writer, d *layout.Drawing, opt Options) error {
	chunks, err := drawChunks(d, opt)
	if err != nil {
		return err
	}
	return assemble(w, chunks, d, opt)
}
