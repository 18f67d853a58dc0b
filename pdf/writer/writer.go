// Package writer writes a typeset book's drawing as a PDF file. It is the
// one package that knows the PDF libraries: maroto draws each page from
// its operations (through gofpdf, which this package pins), and assemble
// rewrites the drawn file once, adding what maroto cannot express: link
// annotations, QR codes as vector paths, the outline, page labels, the
// fonts' subset names and the document information. Every workaround of
// a library is commented where it is made, with its reason.
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
