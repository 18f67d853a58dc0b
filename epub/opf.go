package epub

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
)

// goOPF is what we read back from go-epub's package document: its
// manifest (ids and media types it chose) and its spine.
type goOPF struct {
	Manifest []opfItem `xml:"manifest>item"`
	Spine    []struct {
		IDRef string `xml:"idref,attr"`
	} `xml:"spine>itemref"`
}

type opfItem struct {
	ID         string `xml:"id,attr"`
	Href       string `xml:"href,attr"`
	MediaType  string `xml:"media-type,attr"`
	Properties string `xml:"properties,attr"`
}

// conformance is the EPUB Accessibility conformance statement we make
// when the book meets it.
const conformance = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"

// packageDocument rewrites go-epub's package document: our metadata
// (go-epub's dcterms:modified comes from the clock, and it knows no
// subtitle, date, source or accessibility metadata), a manifest in a
// fixed order (go-epub's follows map iteration) that lists every content
// document, the cover image's properties and the navigation document in
// the spine.
func (bd *builder) packageDocument(src []byte, coverPath string) ([]byte, error) {
	var g goOPF
	if err := xml.Unmarshal(src, &g); err != nil {
		return nil, fmt.Errorf("reading go-epub's package document: %w", err)
	}
	// go-epub wrote one section, the cover document (see build), and its
	// manifest item is the pattern for every content document: named
	// after its file, in the xhtml directory.
	if len(g.Spine) != 1 || g.Spine[0].IDRef != coverFile {
		return nil, fmt.Errorf("go-epub's spine is not just %s", coverFile)
	}
	coverHref := strings.TrimPrefix(coverPath, pkgDir+"/")
	var section, nav *opfItem
	var rest []opfItem // the manifest items outside the spine
	coverID := ""
	for i, it := range g.Manifest {
		switch {
		case it.ID == coverFile:
			section = &g.Manifest[i]
			continue
		case it.Href == coverHref:
			it.Properties = "cover-image"
			coverID = it.ID
		case it.Href == navFile:
			it.Properties = "nav"
			nav = &it
			continue
		}
		rest = append(rest, it)
	}
	if section == nil || section.Href != path.Join(xhtmlDir, coverFile) {
		return nil, fmt.Errorf("go-epub's manifest lacks %s", path.Join(xhtmlDir, coverFile))
	}
	if coverID == "" || nav == nil {
		return nil, fmt.Errorf("go-epub's manifest lacks the cover image or the navigation document")
	}

	// Manifest: the reading order first (the navigation document after
	// the front matter: cover, title page, colophon, what's new), then everything else
	// by href.
	items := make([]opfItem, 0, len(bd.l.docs)+1+len(rest))
	navAdded := false
	for _, d := range bd.l.docs {
		if !navAdded && d.kind > kindWhatsNew {
			items = append(items, *nav)
			navAdded = true
		}
		items = append(items, opfItem{ID: d.name, Href: path.Join(xhtmlDir, d.name), MediaType: section.MediaType})
	}
	spine := make([]string, len(items))
	for i, it := range items {
		spine[i] = it.ID
	}
	slices.SortFunc(rest, func(a, b opfItem) int { return strings.Compare(a.Href, b.Href) })
	items = append(items, rest...)

	var buf bytes.Buffer
	buf.Grow(4096 + 192*len(items)) // an item and an itemref: about 150 bytes
	lang := esc(bd.lang)
	put(&buf, `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="`, lang, `">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
`)
	for _, line := range bd.metadata(coverID) {
		put(&buf, "    ", line, "\n")
	}
	buf.WriteString("  </metadata>\n  <manifest>\n")
	for _, it := range items {
		put(&buf, `    <item id="`, esc(it.ID), `" href="`, esc(it.Href), `" media-type="`, esc(it.MediaType), `"`)
		if it.Properties != "" {
			put(&buf, ` properties="`, esc(it.Properties), `"`)
		}
		buf.WriteString("/>\n")
	}
	buf.WriteString("  </manifest>\n  <spine toc=\"ncx\">\n")
	for _, id := range spine {
		put(&buf, `    <itemref idref="`, esc(id), `"/>`, "\n")
	}
	buf.WriteString("  </spine>\n</package>\n")
	return buf.Bytes(), nil
}

// put appends strings to buf: the package and navigation documents are
// written piece by piece rather than from concatenated temporaries, which
// for a large book cost more than the documents themselves.
func put(buf *bytes.Buffer, ss ...string) {
	for _, s := range ss {
		buf.WriteString(s)
	}
}

// metadata returns the package metadata elements, one per line.
func (bd *builder) metadata(coverID string) []string {
	m := bd.book.Meta
	var ls []string
	add := func(format string, args ...any) {
		for i, a := range args {
			if s, ok := a.(string); ok {
				args[i] = esc(s)
			}
		}
		ls = append(ls, fmt.Sprintf(format, args...))
	}
	add(`<dc:identifier id="pub-id">%s</dc:identifier>`, bd.identifier)
	add(`<dc:title id="title">%s</dc:title>`, m.Title)
	if m.Subtitle != "" {
		add(`<meta refines="#title" property="title-type">main</meta>`)
		add(`<meta refines="#title" property="display-seq">1</meta>`)
		add(`<dc:title id="subtitle">%s</dc:title>`, m.Subtitle)
		add(`<meta refines="#subtitle" property="title-type">subtitle</meta>`)
		add(`<meta refines="#subtitle" property="display-seq">2</meta>`)
	}
	if m.Author != "" {
		add(`<dc:creator id="creator">%s</dc:creator>`, m.Author)
		add(`<meta refines="#creator" property="role" scheme="marc:relators">aut</meta>`)
		if m.AuthorSort != "" {
			add(`<meta refines="#creator" property="file-as">%s</meta>`, m.AuthorSort)
		}
	}
	add(`<dc:language>%s</dc:language>`, bd.lang)
	if m.DateISO != "" {
		add(`<dc:date>%s</dc:date>`, m.DateISO)
	}
	if d := description(m); d != "" {
		add(`<dc:description>%s</dc:description>`, d)
	}
	if m.SourceURL != "" {
		add(`<dc:source>%s</dc:source>`, m.SourceURL)
	}
	add(`<meta property="dcterms:modified">%s</meta>`, bd.opt.Modified.Format(time.RFC3339))
	// The tool that made the book, as the PDF's Creator names it: the
	// OPF 2 generator meta, which EPUB 3 keeps for compatibility and
	// reading systems and Calibre show.
	add(`<meta name="generator" content="%s"/>`, bd.opt.Generator)
	if len(bd.opt.PageList) > 0 {
		// The page list's source: the print edition whose pages it marks.
		src := bd.opt.PageSource
		if src == "" {
			src = fmt.Sprintf(bd.l.wd.PrintEditionOf, m.Title)
		}
		// EPUB 3.2's way to name it. (EPUB Accessibility 1.1 adds
		// a11y:pageBreakSource, which the epubcheck 4.2 that validates
		// these books does not know and reports as an error.)
		add(`<dc:source id="print-source">%s</dc:source>`, src)
		add(`<meta refines="#print-source" property="source-of">pagination</meta>`)
	}

	a := bd.accessibility()
	for _, mode := range a.modes {
		add(`<meta property="schema:accessMode">%s</meta>`, mode)
	}
	for _, s := range a.sufficient {
		add(`<meta property="schema:accessModeSufficient">%s</meta>`, s)
	}
	for _, f := range a.features {
		add(`<meta property="schema:accessibilityFeature">%s</meta>`, f)
	}
	add(`<meta property="schema:accessibilityHazard">none</meta>`)
	add(`<meta property="schema:accessibilitySummary">%s</meta>`, a.summary)
	if a.conforms {
		add(`<meta property="dcterms:conformsTo">%s</meta>`, conformance)
	}
	// For EPUB 2 reading systems, which do not know properties="cover-image".
	add(`<meta name="cover" content="%s"/>`, coverID)
	return ls
}

// a11y is the book's accessibility metadata.
type a11y struct {
	modes, sufficient, features []string
	summary                     string
	conforms                    bool
}

// accessibility describes the book as written. The conformance claim is
// made only when every image has a text alternative: the structure that
// WCAG 2.1 AA needs otherwise comes from this package (one h1 per file
// and no skipped heading levels, language on every document, titled
// documents, table headers with scope, paired footnotes, links with text,
// no fixed colours or sizes).
func (bd *builder) accessibility() a11y {
	allAlt := true
	tree.Walk(bd.book, func(_ tree.Block, in tree.Inline) bool {
		if im, ok := in.(*tree.Image); ok && bd.imageHrefFor(im) != "" && strings.TrimSpace(im.Alt) == "" {
			allAlt = false
		}
		return true
	})
	a := a11y{
		// The cover is always an image, so the book always has visual content.
		modes:      []string{"textual", "visual"},
		sufficient: []string{"textual"},
		features:   []string{"structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability", "ARIA"},
		conforms:   allAlt,
	}
	if allAlt {
		a.features = append(a.features, "alternativeText")
	}
	if len(bd.opt.PageList) > 0 {
		a.features = append(a.features, "printPageNumbers", "pageBreakMarkers", "pageNavigation")
	}
	wd := bd.l.wd
	s := wd.A11yBase
	if allAlt {
		s += wd.A11yAllAlt
	} else {
		s += wd.A11yMissingAlt
	}
	if len(bd.opt.PageList) > 0 {
		s += wd.A11yPageList
	}
	a.summary = s
	return a
}

func (bd *builder) imageHrefFor(im *tree.Image) string {
	if im.File == nil {
		return ""
	}
	return bd.images[im.File.Path]
}
