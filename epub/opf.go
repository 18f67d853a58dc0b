package epub

import (
	"encoding/xml"
	"fmt"
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
// fixed order (go-epub's follows map iteration), the cover image's
// properties and the navigation document in the spine.
func (bd *builder) packageDocument(src []byte, coverPath string) ([]byte, error) {
	var g goOPF
	if err := xml.Unmarshal(src, &g); err != nil {
		return nil, fmt.Errorf("reading go-epub's package document: %w", err)
	}
	// go-epub names a content document's manifest item after its file, so
	// its spine must be our reading order.
	var want []string
	for _, d := range bd.l.docs {
		want = append(want, d.name)
	}
	var got []string
	for _, it := range g.Spine {
		got = append(got, it.IDRef)
	}
	if !slices.Equal(got, want) {
		return nil, fmt.Errorf("go-epub's spine %v is not the reading order %v", got, want)
	}

	coverHref := strings.TrimPrefix(coverPath, pkgDir+"/")
	coverID, navID := "", ""
	byID := map[string]opfItem{}
	for i, it := range g.Manifest {
		if it.Href == coverHref {
			g.Manifest[i].Properties = "cover-image"
			coverID = it.ID
		}
		if it.Href == navFile {
			g.Manifest[i].Properties = "nav"
			navID = it.ID
		}
		byID[it.ID] = g.Manifest[i]
	}
	if coverID == "" || navID == "" {
		return nil, fmt.Errorf("go-epub's manifest lacks the cover image or the navigation document")
	}
	spine := []string{want[0], want[1], navID}
	spine = append(spine, want[2:]...)

	// Manifest: the reading order first, then everything else by href.
	var items []opfItem
	inSpine := map[string]bool{}
	for _, id := range spine {
		it, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("spine item %q is not in go-epub's manifest", id)
		}
		items = append(items, it)
		inSpine[id] = true
	}
	var rest []opfItem
	for _, it := range g.Manifest {
		if !inSpine[it.ID] {
			rest = append(rest, it)
		}
	}
	slices.SortFunc(rest, func(a, b opfItem) int { return strings.Compare(a.Href, b.Href) })
	items = append(items, rest...)

	var sb strings.Builder
	lang := esc(bd.lang)
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="` + lang + `">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
`)
	for _, line := range bd.metadata(coverID) {
		sb.WriteString("    " + line + "\n")
	}
	sb.WriteString("  </metadata>\n  <manifest>\n")
	for _, it := range items {
		sb.WriteString(`    <item id="` + esc(it.ID) + `" href="` + esc(it.Href) + `" media-type="` + esc(it.MediaType) + `"`)
		if it.Properties != "" {
			sb.WriteString(` properties="` + esc(it.Properties) + `"`)
		}
		sb.WriteString("/>\n")
	}
	sb.WriteString("  </manifest>\n  <spine toc=\"ncx\">\n")
	for _, id := range spine {
		sb.WriteString(`    <itemref idref="` + esc(id) + `"/>` + "\n")
	}
	sb.WriteString("  </spine>\n</package>\n")
	return []byte(sb.String()), nil
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
	title := m.Title
	if title == "" {
		title = "Untitled"
	}
	add(`<dc:identifier id="pub-id">%s</dc:identifier>`, bd.identifier)
	add(`<dc:title id="title">%s</dc:title>`, title)
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
	s := "This publication has a navigable table of contents, a heading for every part, chapter and section in a logical order, and footnotes linked to and from their references. " +
		"Text is not set in fixed colours or sizes, so reading-system settings for font, size and night mode apply."
	if allAlt {
		s += " Every image, including the cover, has a text alternative."
		s += " It meets the EPUB Accessibility 1.1 and WCAG 2.1 Level AA requirements."
	} else {
		s += " Some images lack a text alternative."
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
