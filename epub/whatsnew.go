package epub

import (
	"bytes"
	_ "embed"
)

// whatsNewCSS styles the "What's new" page and the contents' marks; it
// ends the stylesheet of a book that has them, and only of such a book,
// so that the others keep their bytes.
//
//go:embed whatsnew.css
var whatsNewCSS string

// whatsNew writes the page after the colophon of a book compared with an
// earlier release (tree.Changes): a heading, then a list for each kind
// of change (new, updated, renamed, moved and removed chapters, new and
// removed resources), each chapter linked to where it is in the book.
func (bd *builder) whatsNew(buf *bytes.Buffer) {
	b, wd := bd.book, bd.l.wd
	r := newRenderer(bd.l, bd.images, 1, buf)
	r.pb = nil // the page is not the printed edition's text
	heading, lists := wd.Changes(b.Changes, b.Meta.Version)
	href := map[string]string{} // a changed chapter's id → its place
	for _, c := range b.Changes.Chapters {
		if !c.Removed {
			href[c.ID] = bd.l.chapFile[c.Part][c.Chapter] + "#" + bd.l.id(c.ID)
		}
	}
	a := func(text, to string) {
		if to == "" {
			r.text(text)
			return
		}
		r.s("<a")
		r.attr("href", to)
		r.s(">")
		r.text(text)
		r.s("</a>")
	}
	r.s(`<section epub:type="revision-history" class="whatsnew" id="whatsnew" aria-labelledby="whatsnew-title">` + "\n")
	r.s(`<h1 id="whatsnew-title">`)
	r.text(heading)
	r.s("</h1>\n")
	if len(lists) == 0 {
		r.s("<p>")
		r.text(wd.NoChanges)
		r.s("</p>\n")
	}
	for _, l := range lists {
		r.s("<h2>")
		r.text(l.Heading)
		r.s("</h2>\n<ul>\n")
		for _, e := range l.Entries {
			r.s("<li>")
			if e.URL != "" {
				// A resource, then the chapter it is in.
				a(e.Title, externalHref(e.URL))
				r.text(wd.DetailSep)
				a(e.Detail, href[e.ID])
			} else {
				a(e.Title, href[e.ID])
				if e.Detail != "" {
					r.text(wd.DetailSep + e.Detail)
				}
			}
			r.s("</li>\n")
		}
		r.s("</ul>\n")
	}
	r.s("</section>\n")
}
