package epub

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
)

// TestPageList marks a few pages in the fixture: before a heading, in the
// middle of a paragraph (before its fourth word), in a code block and
// after the end; the book lists them in order, marks each once where it
// belongs, names the source, passes the structural checks and epubcheck.
// fixturePages returns a page list for the fixture b: before the
// introduction's heading and chapter 1's, before the fourth word of its
// first paragraph of six words or more, in its first code block, and
// after the end; and that paragraph.
func fixturePages(t testing.TB, b *tree.Book) ([]tree.PageStart, *tree.Paragraph) {
	c1 := b.Parts[1].Chapters[0]
	var para *tree.Paragraph
	var code *tree.CodeBlock
	tree.WalkBlocks(c1.Blocks, func(bl tree.Block, _ tree.Inline) bool {
		switch x := bl.(type) {
		case *tree.Paragraph:
			if para == nil && tree.CountWords(tree.PlainText(x.Content)) > 5 {
				para = x
			}
		case *tree.CodeBlock:
			if code == nil {
				code = x
			}
		}
		return true
	})
	if para == nil {
		t.Fatal("fixture: no paragraph of six words in chapter 1")
	}
	list := []tree.PageStart{
		{Label: "i", Block: b.Parts[0].Heading},
		{Label: "1", Block: c1.Heading},
		{Label: "2", Block: para, Word: 3},
	}
	if code != nil {
		list = append(list, tree.PageStart{Label: "3", Block: code, Word: 1})
	}
	return append(list, tree.PageStart{Label: "4"}), para
}

func TestPageList(t *testing.T) {
	b := fixture()
	list, para := fixturePages(t, b)
	opt := Options{Modified: time.Date(2024, 6, 5, 0, 0, 0, 0, time.UTC), PageList: list, PageSource: "Fixture, v1, print edition on A4 paper"}
	data := write(t, b, opt)
	checkBook(t, data, b, opt)
	bk := unpack(t, data)
	var all strings.Builder
	for name, f := range bk.files {
		if strings.HasSuffix(name, ".xhtml") && !strings.HasSuffix(name, "nav.xhtml") {
			all.Write(f)
		}
	}
	for _, br := range list {
		id := `id="` + pageID(br.Label) + `"`
		if n := strings.Count(all.String(), id); n != 1 {
			t.Errorf("page %s: %d markers", br.Label, n)
		}
	}
	// The fourth word of the paragraph follows its marker.
	words := strings.FieldsFunc(tree.PlainText(para.Content), tree.IsWordSpace)
	re := regexp.MustCompile(`id="page-2" aria-label="2"/>([^<\s]+)`)
	if m := re.FindStringSubmatch(all.String()); m == nil || !strings.HasPrefix(words[3], html.UnescapeString(m[1])) {
		t.Errorf("page 2 marks %v, want the paragraph's fourth word %q", m, words[3])
	}
	nav := string(bk.files["EPUB/nav.xhtml"])
	if !regexp.MustCompile(`epub:type="page-list"[^>]*hidden`).MatchString(nav) {
		t.Errorf("nav has no hidden page-list")
	}
	var got []string
	for _, m := range regexp.MustCompile(`#page-[^"]*">([^<]*)<`).FindAllStringSubmatch(nav, -1) {
		got = append(got, m[1])
	}
	if strings.Join(got, " ") != "i 1 2 3 4" && strings.Join(got, " ") != "i 1 2 4" {
		t.Errorf("page list %v", got)
	}
	opf := string(bk.files["EPUB/package.opf"])
	for _, want := range []string{
		`<dc:source id="print-source">Fixture, v1, print edition on A4 paper</dc:source>`,
		`<meta refines="#print-source" property="source-of">pagination</meta>`,
		`<meta property="schema:accessibilityFeature">printPageNumbers</meta>`,
	} {
		if !strings.Contains(opf, want) {
			t.Errorf("package lacks %s", want)
		}
	}
	if col := string(bk.files["EPUB/xhtml/"+colophonFile]); !strings.Contains(col, "The page numbers in this book") || strings.Contains(col, "pagebreak") {
		t.Errorf("colophon: the sentence on page numbers missing, or markers in it")
	}
}
