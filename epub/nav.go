package epub

import (
	"bytes"
	"strconv"
	"strings"
)

// navEntry is one entry of the table of contents.
type navEntry struct {
	title    string
	mark     string // "new", "updated" (in the book's words) after the title; "" for none
	href     string // relative to the content directory: "ch-001.xhtml#id"
	children []*navEntry
}

// toc builds the table of contents from the book's (tree.Entry): parts,
// their chapters, and the level-3 headings listed under the chapter or
// part they are in; the credits last.
func (l *layout) toc() []*navEntry {
	var out []*navEntry
	if l.book.Changes != nil {
		out = append(out, &navEntry{title: l.wd.WhatsNew, href: whatsNewFile + "#whatsnew"})
	}
	var part, chap *navEntry
	chapOf := -1 // the chapter chap is the entry of
	for _, e := range l.book.Contents {
		switch {
		case e.Back:
			out = append(out, &navEntry{title: e.Title, href: creditsFile})
			part, chap = nil, nil
		case e.Level == 0:
			part = &navEntry{title: e.Title, href: l.partFile[e.Part] + "#" + l.id(e.ID)}
			chap = nil
			out = append(out, part)
		case e.Level == 1:
			chap, chapOf = &navEntry{title: e.Title, href: l.chapFile[e.Part][e.Chapter] + "#" + l.id(e.ID), mark: l.mark(e.ID)}, e.Chapter
			part.children = append(part.children, chap)
		default:
			file := l.partFile[e.Part]
			if e.Chapter >= 0 {
				file = l.chapFile[e.Part][e.Chapter]
			}
			sub := &navEntry{title: e.Title, href: file + "#" + l.id(e.ID)}
			if chap != nil && chapOf == e.Chapter && e.Chapter >= 0 {
				chap.children = append(chap.children, sub)
			} else {
				part.children = append(part.children, sub)
			}
		}
	}
	return out
}

// landmark is one entry of the landmarks nav.
type landmark struct{ typ, title, href string }

func (l *layout) landmarks() []landmark {
	body := ""
	for _, d := range l.docs {
		if d.kind == kindIntro || d.kind == kindPart || d.kind == kindChapter {
			body = d.name
			break
		}
	}
	ls := []landmark{
		{"cover", l.wd.Cover, relTo("", coverFile)},
		{"titlepage", l.wd.TitlePage, relTo("", titleFile)},
		{"toc", l.wd.TableOfContents, navFile + "#toc"},
	}
	if body != "" {
		ls = append(ls, landmark{"bodymatter", l.wd.StartOfContent, relTo("", body)})
	}
	ls = append(ls, landmark{"colophon", l.wd.Colophon, relTo("", colophonFile)})
	if l.book.Changes != nil {
		ls = append(ls, landmark{"revision-history", l.wd.WhatsNew, relTo("", whatsNewFile)})
	}
	return ls
}

// mark returns the contents' mark of the chapter whose heading's id is
// id: new or updated since the earlier release (tree.Changes), or "".
func (l *layout) mark(id string) string {
	switch c := l.book.Changes.Of(id); {
	case c == nil:
		return ""
	case c.New:
		return l.wd.MarkNew
	case c.Updated():
		return l.wd.MarkUpdated
	}
	return ""
}

// countEntries returns the number of entries in es and below.
func countEntries(es []*navEntry) int {
	n := len(es)
	for _, e := range es {
		n += countEntries(e.children)
	}
	return n
}

// navDocument returns the EPUB 3 navigation document (in the package
// directory, next to package.opf).
func (bd *builder) navDocument() []byte {
	var buf bytes.Buffer
	buf.Grow(2048 + 192*countEntries(bd.toc)) // an entry: about 120 bytes and its indent
	lang := esc(bd.lang)
	put(&buf, `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="`, lang, `" xml:lang="`, lang, `">
<head>
<title>`, esc(bd.l.wd.Contents), `</title>
<link rel="stylesheet" type="text/css" href="`, esc(strings.TrimPrefix(bd.cssHref, "../")), `"/>
</head>
<body>
<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-title">
<h1 id="toc-title">`, esc(bd.l.wd.Contents), `</h1>
`)
	var list func(es []*navEntry, depth int)
	list = func(es []*navEntry, depth int) {
		ind := strings.Repeat("  ", depth)
		put(&buf, ind, "<ol>\n")
		for _, e := range es {
			put(&buf, ind, `  <li><a href="`, esc(relTo("", e.href)), `">`, esc(e.title))
			if e.mark != "" {
				put(&buf, ` <span class="mark">`, esc(e.mark), "</span>")
			}
			buf.WriteString("</a>")
			if len(e.children) > 0 {
				buf.WriteString("\n")
				list(e.children, depth+2)
				put(&buf, ind, "  ")
			}
			buf.WriteString("</li>\n")
		}
		put(&buf, ind, "</ol>\n")
	}
	list(bd.toc, 0)
	buf.WriteString(`</nav>
<nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-title" hidden="hidden">
<h2 id="landmarks-title">`)
	buf.WriteString(esc(bd.l.wd.Landmarks))
	buf.WriteString(`</h2>
<ol>
`)
	for _, lm := range bd.l.landmarks() {
		put(&buf, `  <li><a epub:type="`, lm.typ, `" href="`, esc(lm.href), `">`, esc(lm.title), "</a></li>\n")
	}
	buf.WriteString("</ol>\n</nav>\n")
	bd.pageList(&buf)
	buf.WriteString("</body>\n</html>\n")
	return buf.Bytes()
}

// ncxDocument returns the EPUB 2 table of contents, for older reading
// systems. Its dtb:uid must equal the package's unique identifier.
func (bd *builder) ncxDocument() []byte {
	m := bd.book.Meta
	depth := 0
	var measure func(es []*navEntry, d int)
	measure = func(es []*navEntry, d int) {
		for _, e := range es {
			depth = max(depth, d)
			measure(e.children, d+1)
		}
	}
	measure(bd.toc, 1)
	var buf bytes.Buffer
	buf.Grow(2048 + 256*countEntries(bd.toc)) // a navPoint: about 200 bytes and its indent
	put(&buf, `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="`, esc(bd.lang), `">
<head>
  <meta name="dtb:uid" content="`, esc(bd.identifier), `"/>
  <meta name="dtb:depth" content="`, strconv.Itoa(depth), `"/>
  <meta name="dtb:totalPageCount" content="0"/>
  <meta name="dtb:maxPageNumber" content="0"/>
</head>
<docTitle><text>`, esc(m.Title), `</text></docTitle>
`)
	if m.Author != "" {
		put(&buf, "<docAuthor><text>", esc(m.Author), "</text></docAuthor>\n")
	}
	buf.WriteString("<navMap>\n")
	n := 0
	var points func(es []*navEntry, d int)
	points = func(es []*navEntry, d int) {
		ind := strings.Repeat("  ", d)
		for _, e := range es {
			n++
			num := strconv.Itoa(n)
			put(&buf, ind, `<navPoint id="navPoint-`, num, `" playOrder="`, num, `">`, "\n")
			put(&buf, ind, "  <navLabel><text>", esc(e.title), "</text></navLabel>\n")
			put(&buf, ind, `  <content src="`, esc(relTo("", e.href)), `"/>`, "\n")
			points(e.children, d+1)
			put(&buf, ind, "</navPoint>\n")
		}
	}
	points(bd.toc, 1)
	buf.WriteString("</navMap>\n</ncx>\n")
	return buf.Bytes()
}
