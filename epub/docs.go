package epub

import (
	"bytes"
	"fmt"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/compile/words"
)

// body renders the <body> content of a content document, appending it to
// buf.
func (bd *builder) body(d *doc, buf *bytes.Buffer) {
	b := bd.book
	switch d.kind {
	case kindCover:
		r := newRenderer(bd.l, bd.images, 1, buf)
		r.s(`<section epub:type="cover" class="cover" id="cover">`)
		r.s(`<img role="doc-cover"`)
		r.attr("src", bd.coverHref)
		r.attr("alt", coverAlt(b.Meta, bd.l.wd))
		r.s("/></section>\n")
	case kindTitle:
		bd.titlePage(buf)
	case kindColophon:
		bd.colophon(buf)
	case kindWhatsNew:
		bd.whatsNew(buf)
	case kindIntro:
		p := b.Parts[d.part]
		r := newRenderer(bd.l, bd.images, 1, buf)
		r.s(`<section epub:type="introduction" role="doc-introduction" class="introduction"`)
		r.attr("aria-labelledby", bd.l.id(p.ID))
		r.s(">\n")
		var content []tree.Inline
		if p.Heading != nil {
			content = p.Heading.Content
		}
		r.titleHeading(p.Heading, bd.l.id(p.ID), "", content, p.FullTitle())
		summary(r, p)
		r.blocks(p.Blocks)
		for i, c := range p.Chapters {
			if bd.l.chapFile[d.part][i] != introFile {
				break // this chapter and the rest have files of their own
			}
			r.s("<section")
			r.attr("aria-labelledby", bd.l.id(c.Heading.ID))
			r.s(">\n")
			r.heading(c.Heading)
			r.blocks(c.Blocks)
			r.s("</section>\n")
		}
		r.footnotes()
		r.s("</section>\n")
	case kindPart:
		p := b.Parts[d.part]
		r := newRenderer(bd.l, bd.images, 1, buf)
		r.s(`<section epub:type="part" role="doc-part" class="part"`)
		r.attr("aria-labelledby", bd.l.id(p.ID))
		r.s(">\n")
		var content []tree.Inline
		if p.Title != "" {
			content = []tree.Inline{&tree.Text{Text: p.Title}}
		} else if p.Heading != nil {
			content = p.Heading.Content
		}
		r.titleHeading(p.Heading, bd.l.id(p.ID), p.Label, content, p.FullTitle())
		summary(r, p)
		r.blocks(p.Blocks)
		r.footnotes()
		r.s("</section>\n")
	case kindChapter:
		c := b.Parts[d.part].Chapters[d.chapter]
		r := newRenderer(bd.l, bd.images, 2, buf)
		id := bd.l.id(c.Heading.ID)
		r.s(`<section epub:type="chapter" role="doc-chapter" class="chapter"`)
		r.attr("aria-labelledby", id)
		r.s(">\n")
		r.titleHeading(c.Heading, id, c.Heading.Label(), c.Heading.Content, c.Heading.FullTitle())
		r.blocks(c.Blocks)
		r.footnotes()
		r.s("</section>\n")
	case kindCredits:
		bd.credits(buf)
	}
	if bd.l.pb != nil {
		newRenderer(bd.l, bd.images, 1, buf).rest(d.name)
	}
}

func summary(r *renderer, p *tree.Part) {
	if len(p.Summary) == 0 {
		return
	}
	r.s(`<p class="goal"><strong>`)
	r.text(r.l.wd.Goal)
	r.s(`</strong> `)
	r.inlines(p.Summary)
	r.s("</p>\n")
}

// coverAlt is the cover image's alternative text.
func coverAlt(m tree.Meta, wd *words.Words) string {
	alt := fmt.Sprintf(wd.CoverOf, m.Title)
	if m.Subtitle != "" {
		alt += fmt.Sprintf(wd.CoverSubtitle, m.Subtitle)
	}
	if m.Author != "" {
		alt += fmt.Sprintf(wd.CoverAuthor, m.Author)
	}
	return alt
}

// titlePage writes the title page: title, subtitle, author and the
// version line. The links and the rest of the credits are on the
// colophon, the next page.
func (bd *builder) titlePage(buf *bytes.Buffer) {
	m := bd.book.Meta
	r := newRenderer(bd.l, bd.images, 1, buf)
	r.s(`<section epub:type="titlepage" class="titlepage" id="titlepage" aria-labelledby="book-title">` + "\n")
	r.s(`<h1 id="book-title" class="title">`)
	r.text(m.Title)
	r.s("</h1>\n")
	if m.Subtitle != "" {
		r.s(`<p class="subtitle">`)
		r.text(m.Subtitle)
		r.s("</p>\n")
	}
	if m.Author != "" {
		r.s(`<p class="author">`)
		r.text(m.Author)
		r.s("</p>\n")
	}
	if m.Version != "" || m.Date != "" {
		r.s(`<p class="version">`)
		bd.versionLine(r)
		r.s("</p>\n")
	}
	r.s("</section>\n")
}

// versionLine writes "Version v0.1, June 5, 2024", the version linked to
// the repository it was released from.
func (bd *builder) versionLine(r *renderer) {
	m := bd.book.Meta
	if m.Version != "" {
		r.text(bd.l.wd.Version)
		if href := externalHref(m.VersionURL); href != "" {
			r.s("<a")
			r.attr("href", href)
			r.s(">")
			r.text(m.Version)
			r.s("</a>")
		} else {
			r.text(m.Version)
		}
		if m.Date != "" {
			r.text(", ")
		}
	}
	if m.Date != "" {
		if m.DateISO != "" {
			r.s("<time")
			r.attr("datetime", m.DateISO)
			r.s(">")
			r.text(m.Date)
			r.s("</time>")
		} else {
			r.text(m.Date)
		}
	}
}

// colophon writes the page after the title page: the book's credits as
// the front matter of a printed book gives them — author and the
// author's links, version and date, the source repository, the citation
// block (the book's back matter, which the site shows at the end, where
// the book shows it again) — and the tool and version that made it.
func (bd *builder) colophon(buf *bytes.Buffer) {
	m, opt := bd.book.Meta, bd.opt
	r := newRenderer(bd.l, bd.images, 1, buf)
	r.pb = nil // the credits repeated here are marked where they are at home
	r.s(`<section epub:type="colophon" role="doc-colophon" class="colophon" id="colophon" aria-labelledby="colophon-title">` + "\n")
	r.s(`<h1 id="colophon-title">`)
	r.text(bd.l.wd.Colophon)
	r.s("</h1>\n")
	r.s(`<p class="book"><cite>`)
	r.text(m.Title)
	r.s("</cite>")
	if m.Subtitle != "" {
		r.text(": " + m.Subtitle)
	}
	r.s("</p>\n")
	if m.Author != "" || len(m.AuthorLinks) > 0 {
		r.s(`<p class="author">`)
		if m.Author != "" {
			r.text(fmt.Sprintf(bd.l.wd.By, m.Author))
		}
		for i, l := range m.AuthorLinks {
			switch {
			case i > 0:
				r.s(" | ")
			case m.Author != "":
				r.text(": ")
			}
			r.link(l)
		}
		r.s("</p>\n")
	}
	if m.Version != "" || m.Date != "" {
		r.s(`<p class="version">`)
		bd.versionLine(r)
		r.s("</p>\n")
	}
	if href := externalHref(m.SourceURL); href != "" {
		r.s(`<p class="source">`)
		r.text(bd.l.wd.Source)
		r.s(`<a`)
		r.attr("href", href)
		r.s(">")
		r.text(m.SourceURL)
		r.s("</a></p>\n")
	}
	r.blocks(bd.book.Back)
	r.s(`<p class="generator">`)
	r.text(bd.l.wd.MadeBy)
	r.text(opt.Generator)
	r.text(bd.l.wd.MadeOn)
	r.s("<time")
	r.attr("datetime", opt.Modified.Format(time.RFC3339))
	r.s(">")
	r.text(opt.Modified.Format(bd.l.wd.DateFormat))
	r.s("</time>")
	r.text(bd.l.wd.MadeFromSource)
	if opt.Cover == nil {
		r.text(fmt.Sprintf(bd.l.wd.CoverDrawn, opt.Fonts.Name))
	}
	if opt.EmbedFonts {
		r.text(fmt.Sprintf(bd.l.wd.FontsEmbedded, opt.Fonts.Name))
	}
	if s := bd.pageSourceSentence(); s != "" {
		r.text(" " + s)
	}
	r.s("</p>\n")
	r.footnotes()
	r.s("</section>\n")
}

// credits writes the last page: the book's back matter (the citation),
// where the site has it.
func (bd *builder) credits(buf *bytes.Buffer) {
	r := newRenderer(bd.l, bd.images, 1, buf)
	r.s(`<section epub:type="credits" role="doc-credits" class="credits" id="credits" aria-labelledby="credits-title">` + "\n")
	r.s(`<h1 id="credits-title">`)
	r.text(bd.l.wd.Credits)
	r.s("</h1>\n")
	r.blocks(bd.book.Back)
	r.footnotes()
	r.s("</section>\n")
}
