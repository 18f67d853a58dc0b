// Package epub writes a book tree as an EPUB 3 publication.
//
// The book is assembled with github.com/go-shiori/go-epub (metadata,
// media, the content document, container and package files) and then
// post-processed, because go-epub v1.2.1 alone cannot produce the book we
// want: it stamps dcterms:modified from the clock, orders its manifest by
// map iteration, knows no landmarks, links its table of contents only to
// whole files and writes no language attributes. Write therefore lets
// go-epub build into a buffer, rewrites the package document, the
// navigation document, toc.ncx and the XHTML roots, and re-zips
// everything deterministically (mimetype first and stored, entries
// sorted, every time stamp taken from Options.Modified). The same tree
// and options always give a byte-identical EPUB.
//
// Write's time and memory grow linearly with the book. go-epub's do not
// (its AddSection is linear in the sections already added, and it writes
// each one to a temporary file), so go-epub writes one content document
// and every other is written from its bytes (see build); each is rendered
// just before it goes into the output's compressor, and the output is
// streamed to the caller's writer.
//
// The publication's reading order is: the cover, the title page, the
// colophon (author and links, version, source, citation, the tool that
// made the book), the table of contents, the introduction (with its
// chapters up to the first numbered one; each from there on has a file of
// its own), then for each part an opener page (label, title and "Goal:"
// summary) followed by one file per chapter, and finally the credits page
// (the book's back matter).
//
// Write expects a tree that passes tree.Check, as every compiled tree
// does: it relies on the title, identifier and ids being set and on links
// being safe.
package epub

import (
	"fmt"
	"io"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
)

// Options controls Write. The zero value is useful.
type Options struct {
	// Modified is written as dcterms:modified, is the time stamp of every
	// entry in the zip container and is the build date shown in the
	// colophon. The caller passes SOURCE_DATE_EPOCH or the source's last
	// change. Default (zero): 2000-01-01T00:00:00Z; Write never reads the
	// clock.
	Modified time.Time

	// Generator names the tool and its version in the colophon, e.g.
	// "handbook v0.1.0". Default: "handbook".
	Generator string

	// Cover is a cover image (PNG, JPEG or GIF) that replaces the generated
	// one. Default (nil): a 1600×2560 PNG drawn from the book's metadata.
	Cover []byte

	// DrawnCover is the cover DrawCover drew for this book and Fonts,
	// which Write then uses instead of drawing it again: a caller with
	// time to spare before it can call Write (`handbook build`, while the
	// print edition is typeset for the page list) draws it meanwhile.
	// Ignored when Cover is set. Default (nil): Write draws it.
	DrawnCover []byte

	// EmbedFonts embeds the font set's faces and names them in the
	// stylesheet. Default: false, so the reader's own fonts are used.
	EmbedFonts bool

	// Fonts is the font set used to draw the generated cover and, with
	// EmbedFonts, embedded in the book. Default (nil): fonts.Default().
	Fonts *fonts.Set

	// PageList is a print edition's pages, in order: where each begins in
	// the book tree. The book then marks each page's beginning in its
	// text, lists the pages in its navigation document, and says in its
	// metadata and colophon which edition they follow. Default (nil): no
	// page numbers.
	PageList []tree.PageStart

	// PageSource names the edition PageList follows, e.g. "Generative AI
	// Handbook, v0.1, print edition on A4". Default: the title and
	// "print edition".
	PageSource string
}

// defaultModified is the fallback dcterms:modified: a fixed instant, so a
// caller that passes no time still gets reproducible output.
var defaultModified = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// stamp is the book's date for a given Modified: the default for zero,
// in whole seconds (dcterms:modified has no fractions and zip times have
// two-second resolution anyway).
func stamp(modified time.Time) time.Time {
	if modified.IsZero() {
		modified = defaultModified
	}
	return modified.UTC().Truncate(time.Second)
}

func (o Options) withDefaults() Options {
	o.Modified = stamp(o.Modified)
	if o.Generator == "" {
		o.Generator = "handbook"
	}
	if o.Fonts == nil {
		o.Fonts = fonts.Default()
	}
	return o
}

// Write writes b as an EPUB 3 publication to w. It does not modify b.
//
// Everything that can fail but w's writes is done before the first byte
// is written; the container is then streamed to w, each content document
// rendered just before it is compressed.
func Write(w io.Writer, b *tree.Book, opt Options) error {
	if b == nil || len(b.Parts) == 0 {
		return fmt.Errorf("epub: book has no parts")
	}
	opt = opt.withDefaults()
	bd, err := build(b, opt)
	if err != nil {
		return fmt.Errorf("epub: %w", err)
	}
	if err := bd.write(w); err != nil {
		return fmt.Errorf("epub: %w", err)
	}
	return nil
}

// Filename returns the conventional file name for b's EPUB:
// "<slug>-<version>.epub", e.g. "generative-ai-handbook-v0.1.epub", or
// "<slug>.epub" when the book has no version. It is tree.FileName's, so
// it is always a plain, safe name (see there).
func Filename(b *tree.Book) string {
	return tree.FileName(b.Meta.Slug, b.Meta.Version, "", ".epub")
}
