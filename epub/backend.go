package epub

import (
	"fmt"
	"io"

	"github.com/genai-handbook/handbook/compile/backend"
	"github.com/genai-handbook/handbook/compile/tree"
)

// Book is the EPUB as a backend of the build pipeline (see package
// backend). Pages is the printed edition whose page numbers it carries
// (its page map arrives in backend.Options.Pages); nil for none.
type Book struct {
	Pages backend.Backend
}

// FileName is Filename.
func (Book) FileName(b *tree.Book) string { return Filename(b) }

// PagesFrom is the printed edition the EPUB takes its page numbers from.
func (e Book) PagesFrom() backend.Backend { return e.Pages }

// Cost is the EPUB's: the least of the books.
func (Book) Cost() int { return 0 }

// Prepare draws the cover, unless the user gave one, while the printed
// edition is laid out for the page numbers. A cover that fails to draw is
// drawn again by Lay, which reports the error.
func (Book) Prepare(b *tree.Book, opt backend.Options) any {
	if opt.Cover != nil {
		return nil
	}
	c, err := DrawCover(b, opt.Fonts)
	if err != nil {
		return nil
	}
	return c
}

// Lay builds the EPUB up to its last byte, which Write streams.
func (e Book) Lay(b *tree.Book, opt backend.Options) (backend.Laid, error) {
	o := Options{Modified: opt.Date, Generator: opt.Generator, Cover: opt.Cover, EmbedFonts: opt.EmbedFonts, Fonts: opt.Fonts,
		PageList: opt.Pages, PageSource: opt.PageSource}
	if c, ok := opt.Prepared.([]byte); ok {
		o.DrawnCover = c
	}
	if b == nil || len(b.Parts) == 0 {
		return nil, fmt.Errorf("epub: book has no parts")
	}
	o = o.withDefaults()
	bd, err := build(b, o)
	if err != nil {
		return nil, fmt.Errorf("epub: %w", err)
	}
	return &laid{bd: bd, res: backend.Result{Format: "epub", Chapters: tree.Count(b).Chapters}}, nil
}

// laid is an EPUB built and ready to be written.
type laid struct {
	bd  *builder
	res backend.Result
}

func (l *laid) Result() backend.Result { return l.res }

func (l *laid) Write(w io.Writer) (backend.Result, error) {
	if err := l.bd.write(w); err != nil {
		return l.res, fmt.Errorf("epub: %w", err)
	}
	return l.res, nil
}
