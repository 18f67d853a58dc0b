package epub

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/example"
	"github.com/genai-handbook/handbook/fonts"
)

// write writes b, which must pass tree.Check first: every test book,
// hand-built or compiled, is one the compiler could have made.
func write(t testing.TB, b *tree.Book, opt Options) []byte {
	t.Helper()
	if err := tree.Check(b); err != nil {
		t.Fatalf("test book fails tree.Check: %v", err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, b, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func dump(t testing.TB, b *tree.Book) string {
	t.Helper()
	var sb strings.Builder
	if err := tree.Dump(&sb, b); err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

func TestFixtureStructure(t *testing.T) {
	b := fixture()
	before := dump(t, b)
	opt := Options{Modified: time.Date(2024, 6, 5, 12, 30, 44, 0, time.UTC), Generator: "handbook v0.1.0"}
	data := write(t, b, opt)
	if after := dump(t, b); after != before {
		t.Errorf("Write modified the tree")
	}
	st := checkBook(t, data, b, opt)
	// 3 author links, the version link and 4 in the body; 7 resolved
	// internal links.
	if st.external != 8 || st.internal != 7 || st.navParts != 4 || st.navChapters != 4 || st.footnotes != 2 {
		t.Errorf("stats %+v", st)
	}

	bk := unpack(t, data)
	doc := func(name string) string { return string(bk.files["EPUB/xhtml/"+name]) }
	for _, c := range []struct{ file, want string }{
		// Labels and titles.
		{"ch-001.xhtml", `<h1 id="statistical-prediction"><span class="label">Chapter 1</span> Statistical Prediction</h1>`},
		{"ch-001.xhtml", `<title dir="auto">Chapter 1: Statistical Prediction</title>`},
		{"ch-003.xhtml", `<h1 id="interlude">Interlude</h1>`},
		{"part-01.xhtml", `<h1 id="s1"><span class="label">Section I</span> Foundations &amp; &lt;Basics&gt;</h1>`},
		{"part-01.xhtml", `<p class="goal"><strong>Goal:</strong> Review the basics and see <a href="part-03.xhtml#s3">Section III</a>.</p>`},
		{"part-01.xhtml", `<p>Opening words before the first chapter.</p>`},
		{"part-01.xhtml", `epub:type="part" role="doc-part"`},
		{"ch-001.xhtml", `epub:type="chapter" role="doc-chapter"`},
		{"intro.xhtml", `epub:type="introduction" role="doc-introduction"`},
		// Ids that are not XML names are mapped, consistently.
		{"ch-001.xhtml", `<h2 id="id-1-1-basics"><span class="num">1.1</span> Basics of “Learning”</h2>`},
		{"ch-002.xhtml", `<a href="ch-001.xhtml#id-1-1-basics">the basics</a>`},
		{"ch-004.xhtml", `<h2 id="h-llo-w-rld">`},
		{"ch-004.xhtml", `<a href="ch-004.xhtml#h-llo-w-rld">Héllo Wörld</a>`},
		{"ch-004.xhtml", `<a href="intro.xhtml#intro">the introduction</a>`},
		{"ch-004.xhtml", `<a href="intro.xhtml#why-this-guide">why</a>`},
		// A heading two levels down is not allowed to skip h2.
		{"ch-001.xhtml", `<h3 id="deep-dive">A Deep Dive</h3>`},
		// A broken internal link is text.
		{"intro.xhtml", `<span class="unlinked">missing section</span>`},
		// Escaping and external links.
		{"intro.xhtml", `<a href="https://example.com/a?b=1&amp;c=2">resources</a>`},
		{"ch-001.xhtml", `<code>x &lt; y &amp;&amp; z</code>`},
		{"ch-001.xhtml", `<del>struck</del>`},
		{"intro.xhtml", `Because 1 &lt; 2 &amp; 3 &gt; 2.<br/>`},
		// Lists: tight, nested, numbered from 3.
		{"intro.xhtml", "<li>Books:\n<ul>\n<li><a href=\"https://www.statlearning.com/\">ISLR</a></li>"},
		{"ch-001.xhtml", `<ol start="3">`},
		{"ch-001.xhtml", "<li><p>Third</p>\n<p>More about the third.</p>\n</li>"},
		// Code keeps its long line whole; the stylesheet wraps it.
		{"ch-001.xhtml", `<pre class="code" data-lang="go"><code class="language-go">package main`},
		{"ch-001.xhtml", "\tindented &lt;tag&gt; &amp; \"quotes\"</code></pre>"},
		// Tables.
		{"ch-001.xhtml", `<thead><tr><th scope="col" class="left">Metric</th><th scope="col" class="center">Range</th><th scope="col" class="right">Higher is better?</th></tr></thead>`},
		// Images: local embedded, remote as a link.
		{"ch-002.xhtml", `<figure><img src="../images/my-diagram.png" alt="A diagram of a time series"/><figcaption>Figure caption</figcaption></figure>`},
		{"ch-002.xhtml", `<a class="remote-image" href="https://example.com/remote.png">remote chart</a>`},
		{"ch-002.xhtml", `<p class="image-missing"><a class="remote-image" href="https://example.com/big.png">A remote figure</a></p>`},
		// Footnotes.
		{"ch-001.xhtml", `<sup><a epub:type="noteref" role="doc-noteref" id="fnref-1" href="#fn-1">1</a></sup>`},
		{"ch-001.xhtml", `<aside epub:type="footnote" role="doc-footnote" class="footnote" id="fn-1"><p><a class="backlink" role="doc-backlink" href="#fnref-1">1.</a> A short note with <a href="https://example.org/note">a link</a>.</p>`},
		{"ch-002.xhtml", "<p>Second paragraph, with <em>emphasis</em>.</p>\n</aside>"},
		// Front and back matter.
		{"cover.xhtml", `<img role="doc-cover" src="../images/cover.png" alt="Cover of Generative AI Handbook: A Roadmap for Learning Resources, by William Brown"/>`},
		{"title.xhtml", `<h1 id="book-title" class="title">Generative AI Handbook</h1>`},
		{"title.xhtml", `<p class="author">William Brown</p>`},
		{"title.xhtml", `<p class="version">Version <a href="https://github.com/genai-handbook/genai-handbook.github.io">v0.1</a>, <time datetime="2024-06-05">June 5, 2024</time></p>`},
		{"credits.xhtml", `<section epub:type="credits" role="doc-credits"`},
		{"credits.xhtml", `<h2 id="citation">Citation</h2>`},
		{"credits.xhtml", "<pre class=\"code\"><code>@misc{Fixture24,\n  author = {Writer, Fixture},"},
		// The colophon after the title page (issue 13, item 17a): author
		// and links, version and date, source, citation, the tool.
		{"colophon.xhtml", `<section epub:type="colophon" role="doc-colophon" class="colophon" id="colophon" aria-labelledby="colophon-title">`},
		{"colophon.xhtml", `<p class="book"><cite>Generative AI Handbook</cite>: A Roadmap for Learning Resources</p>`},
		{"colophon.xhtml", `<p class="author">By William Brown: <a href="https://x.com/willccbb">@willccbb</a> | <a href="https://willcb.com">willcb.com</a> | <a href="https://github.com/willccbb">GitHub</a></p>`},
		{"colophon.xhtml", `<p class="version">Version <a href="https://github.com/genai-handbook/genai-handbook.github.io">v0.1</a>, <time datetime="2024-06-05">June 5, 2024</time></p>`},
		{"colophon.xhtml", `<p class="source">Source: <a href="https://github.com/genai-handbook/genai-handbook.github.io">https://github.com/genai-handbook/genai-handbook.github.io</a></p>`},
		{"colophon.xhtml", `<h2 id="citation">Citation</h2>`},
		{"colophon.xhtml", "<pre class=\"code\"><code>@misc{Fixture24,\n  author = {Writer, Fixture},"},
		{"colophon.xhtml", `<p class="generator">Made by handbook v0.1.0 on <time datetime="2024-06-05T12:30:44Z">June 5, 2024</time>`},
	} {
		if !strings.Contains(doc(c.file), c.want) {
			t.Errorf("%s lacks %s", c.file, c.want)
		}
	}
	for _, name := range sortedKeys(bk.files) {
		if strings.HasSuffix(name, ".xhtml") && regexp.MustCompile(`&[a-zA-Z][a-zA-Z0-9]*;`).MatchString(strings.NewReplacer("&amp;", "", "&lt;", "", "&gt;", "", "&quot;", "").Replace(string(bk.files[name]))) {
			t.Errorf("%s uses a named entity", name)
		}
	}
	if strings.Contains(doc("intro.xhtml"), "difusion") {
		t.Errorf("the broken link's URL leaked into the intro")
	}

	nav := string(bk.files["EPUB/nav.xhtml"])
	for _, want := range []string{
		`<li><a href="xhtml/ch-001.xhtml#id-1-1-basics">1.1 Basics of “Learning”</a></li>`,
		`<li><a href="xhtml/ch-003.xhtml#interlude">Interlude</a></li>`,
		`<li><a epub:type="bodymatter" href="xhtml/intro.xhtml">Start of Content</a></li>`,
		`<li><a epub:type="cover" href="xhtml/cover.xhtml">Cover</a></li>`,
		`<li><a epub:type="colophon" href="xhtml/colophon.xhtml">Colophon</a></li>`,
	} {
		if !strings.Contains(nav, want) {
			t.Errorf("nav lacks %s", want)
		}
	}
	for _, not := range []string{"An Aside", "Why This Guide?", "A Deep Dive"} {
		if strings.Contains(nav, not) {
			t.Errorf("nav lists %q, which is not in the table of contents", not)
		}
	}
	opf := string(bk.files["EPUB/package.opf"])
	for _, want := range []string{
		`<meta property="dcterms:modified">2024-06-05T12:30:44Z</meta>`,
		`<meta name="generator" content="handbook v0.1.0"/>`,
		`<dc:date>2024-06-05</dc:date>`,
		`<dc:source>https://github.com/genai-handbook/genai-handbook.github.io</dc:source>`,
		`<meta property="schema:accessMode">visual</meta>`,
		`<meta property="schema:accessibilityFeature">alternativeText</meta>`,
		`<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>`,
		"<itemref idref=\"title.xhtml\"/>\n    <itemref idref=\"colophon.xhtml\"/>\n    <itemref idref=\"nav\"/>",
	} {
		if !strings.Contains(opf, want) {
			t.Errorf("package document lacks %s", want)
		}
	}
	css := string(bk.files["EPUB/css/book.css"])
	for _, want := range []string{"white-space: pre-wrap", "page-break-after: avoid", "break-after: avoid", "hyphens: auto"} {
		if !strings.Contains(css, want) {
			t.Errorf("stylesheet lacks %s", want)
		}
	}
	// The reader's colours, fonts and sizes win: no page background, no
	// text colour (links aside), no fixed font sizes, no fonts unless
	// asked for.
	noLinks := regexp.MustCompile(`(?m)^\s*(nav )?a:link, (nav )?a:visited \{[^}]*\}`).ReplaceAllString(css, "")
	for _, re := range []string{`background`, `[^-]color\s*:`, `@font-face`, `font-family:\s*"`, `font-size:\s*[\d.]+(px|pt)`, `line-height:\s*[\d.]+(px|pt)`} {
		if regexp.MustCompile(re).MatchString(noLinks) {
			t.Errorf("stylesheet matches %s", re)
		}
	}
}

func TestReproducible(t *testing.T) {
	for _, opt := range []Options{{}, {EmbedFonts: true, Modified: time.Unix(1717600000, 0)}} {
		a, b := write(t, fixture(), opt), write(t, fixture(), opt)
		if !bytes.Equal(a, b) {
			t.Errorf("two builds with %+v differ", opt)
		}
	}
}

// TestDrawnCover asserts that a cover drawn ahead by DrawCover and passed
// as DrawnCover gives the same book as Write drawing it, and that a
// different DrawnCover is the one the book carries.
func TestDrawnCover(t *testing.T) {
	b := fixture()
	cover, err := DrawCover(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(write(t, b, Options{}), write(t, b, Options{DrawnCover: cover})) {
		t.Error("the book with DrawnCover differs from the book that drew its own cover")
	}
	o := fixture()
	o.Meta.Title = "Another Title"
	other, err := DrawCover(o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(other, cover) {
		t.Fatal("two books, one cover")
	}
	if got := unpack(t, write(t, b, Options{DrawnCover: other})).files["EPUB/images/cover.png"]; !bytes.Equal(got, other) {
		t.Error("DrawnCover is not the book's cover")
	}
}

// TestEpubcheck runs the real validator on every kind of book the tests
// write: the fixture with the defaults, with embedded fonts and a JPEG
// cover, and with a page list, the bundled example and the real handbook (when present), all in
// one Java VM (see epubcheck).
func TestEpubcheck(t *testing.T) {
	books := map[string][]byte{
		"fixture":                        write(t, fixture(), Options{}),
		"fixture-embed-fonts-jpeg-cover": write(t, fixture(), Options{EmbedFonts: true, Generator: "handbook test", Cover: jpegCover(t)}),
		"example":                        write(t, loadBook(t, example.FS), Options{Modified: time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC), Generator: "handbook test"}),
	}
	pb := fixture()
	list, _ := fixturePages(t, pb)
	books["fixture-page-list"] = write(t, pb, Options{PageList: list, PageSource: "Fixture, print edition"})
	if fsys, ok := handbookFS(); ok {
		books["handbook"] = write(t, loadBook(t, fsys), Options{Modified: time.Date(2024, 6, 5, 0, 0, 0, 0, time.UTC), Generator: "handbook test"})
	} else {
		t.Log("the real handbook is absent: only the fixture and the example are checked")
	}
	epubcheck(t, books)
}

func jpegCover(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 160, 256))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCover(t *testing.T) {
	b := fixture()
	data := write(t, b, Options{})
	bk := unpack(t, data)
	c := bk.files["EPUB/images/cover.png"]
	cfg, err := png.DecodeConfig(bytes.NewReader(c))
	if err != nil || cfg.Width < 1600 || cfg.Height < 2560 {
		t.Fatalf("cover: %v %+v", err, cfg)
	}
	img, _ := png.Decode(bytes.NewReader(c))
	// A dark background with light text on it.
	bg := color.RGBAModel.Convert(img.At(5, 5)).(color.RGBA)
	if int(bg.R)+int(bg.G)+int(bg.B) > 3*80 {
		t.Errorf("background %v is not dark", bg)
	}
	light := 0
	for y := 400; y < 700; y += 2 {
		for x := 150; x < 1450; x += 2 {
			if c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA); c.R > 200 && c.G > 200 {
				light++
			}
		}
	}
	if light < 1000 {
		t.Errorf("no title drawn (%d light pixels)", light)
	}
	again, err := drawCover(b.Meta, Options{}.withDefaults().Fonts)
	if err != nil || !bytes.Equal(again, c) {
		t.Errorf("cover is not deterministic (%v)", err)
	}
	if !strings.Contains(string(bk.files["EPUB/package.opf"]), `href="images/cover.png" media-type="image/png" properties="cover-image"`) {
		t.Errorf("cover image not marked cover-image")
	}

	// An override replaces the generated cover.
	j := jpegCover(t)
	bk = unpack(t, write(t, b, Options{Cover: j}))
	if !bytes.Equal(bk.files["EPUB/images/cover.jpg"], j) || bk.files["EPUB/images/cover.png"] != nil {
		t.Errorf("cover override not used")
	}
	if !strings.Contains(string(bk.files["EPUB/package.opf"]), `href="images/cover.jpg" media-type="image/jpeg" properties="cover-image"`) {
		t.Errorf("override not marked cover-image")
	}
	if err := Write(&bytes.Buffer{}, b, Options{Cover: []byte("not an image")}); err == nil {
		t.Errorf("a cover that is no image was accepted")
	}
}

func TestEmbedFonts(t *testing.T) {
	bk := unpack(t, write(t, fixture(), Options{EmbedFonts: true, Fonts: fonts.Go()}))
	css := string(bk.files["EPUB/css/book.css"])
	if !strings.Contains(css, `@font-face {`) || !strings.Contains(css, `src: url("../fonts/go-regular.ttf")`) || !strings.Contains(css, `font-family: "Go Mono"`) {
		t.Errorf("stylesheet does not use the embedded fonts:\n%.600s", css)
	}
	for _, f := range []string{"regular", "bold", "italic", "bolditalic", "mono", "monobold"} {
		if len(bk.files["EPUB/fonts/go-"+f+".ttf"]) == 0 {
			t.Errorf("font %s not embedded", f)
		}
	}
	bk = unpack(t, write(t, fixture(), Options{}))
	for name := range bk.files {
		if strings.HasPrefix(name, "EPUB/fonts/") {
			t.Errorf("font %s embedded by default", name)
		}
	}
}

func TestMinimalBook(t *testing.T) {
	// No introduction, no metadata beyond a title, no back matter, an
	// empty part, and ids that collide with ours.
	h := &tree.Heading{Level: 1, ID: "toc", Content: []tree.Inline{&tree.Text{Text: "Only"}}}
	c := &tree.Heading{Level: 2, ID: "1", Number: "1", Numbered: true, InTOC: true, Content: []tree.Inline{&tree.Text{Text: "One"}}}
	b := &tree.Book{
		Meta: tree.Meta{Title: "T", Language: "de", Identifier: "urn:uuid:00000000-0000-5000-8000-000000000001", Slug: "t"},
		Parts: []*tree.Part{
			{ID: "toc", Number: 1, Label: "Section I", Title: "Only", Heading: h, Chapters: []*tree.Chapter{{Heading: c}}},
			{ID: "s2", Number: 2, Label: "Section II", Title: "Empty", Heading: &tree.Heading{Level: 1, ID: "s2", Content: []tree.Inline{&tree.Text{Text: "Section II: Empty"}}}},
		},
	}
	tree.Index(b)
	data := write(t, b, Options{})
	checkBook(t, data, b, Options{})
	bk := unpack(t, data)
	if !strings.Contains(string(bk.files["EPUB/xhtml/part-01.xhtml"]), `<h1 id="toc-2">`) {
		t.Errorf("a tree id that collides with ours is not renamed")
	}
	if !strings.Contains(string(bk.files["EPUB/xhtml/ch-001.xhtml"]), `<h1 id="id-1">`) {
		t.Errorf("numeric id not mapped")
	}
	if Write(&bytes.Buffer{}, &tree.Book{}, Options{}) == nil {
		t.Errorf("a book without parts was accepted")
	}
}

// TestFilename: the EPUB's name is tree.FileName's, so a version or slug
// that names a path (issue 13, item 4) stays a plain name.
func TestFilename(t *testing.T) {
	for _, c := range []struct {
		meta tree.Meta
		want string
	}{
		{tree.Meta{Slug: "generative-ai-handbook", Version: "v0.1"}, "generative-ai-handbook-v0.1.epub"},
		{tree.Meta{Slug: "generative-ai-handbook"}, "generative-ai-handbook.epub"},
		{tree.Meta{Slug: "a-field-guide", Version: "v1/../../../pwned"}, "a-field-guide-v1-pwned.epub"},
		{tree.Meta{}, "book.epub"},
	} {
		if got := Filename(&tree.Book{Meta: c.meta}); got != c.want {
			t.Errorf("Filename(%+v) = %q, want %q", c.meta, got, c.want)
		}
	}
}

func TestXMLID(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"s1", "s1"},
		{"gradient-boosting", "gradient-boosting"},
		{"1-1-basics", "id-1-1-basics"},
		{"héllo wörld", "h-llo-w-rld"},
		{"a:b", "a-b"},
		{"-x", "id--x"},
		{"", "h"},
		{"émile", "mile"},
	} {
		if got := xmlID(c.in, "h"); got != c.want {
			t.Errorf("xmlID(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestExternalHref(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://example.com/a b", "https://example.com/a%20b"},
		{"https://en.wikipedia.org/wiki/Lasso_(statistics)", "https://en.wikipedia.org/wiki/Lasso_(statistics)"},
		{"mailto:a@b.c", "mailto:a@b.c"},
		{"/about", ""},
		{"page.html", ""},
		{"https://x.org/%E2%80%93|y", "https://x.org/%E2%80%93%7Cy"},
	} {
		if got := externalHref(c.in); got != c.want {
			t.Errorf("externalHref(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func BenchmarkWriteFixture(b *testing.B) {
	bk := fixture()
	for b.Loop() {
		if err := Write(&bytes.Buffer{}, bk, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestIntroChapterOwnFile: the introduction's first numbered chapter
// ("Chapter 1: Preliminaries") and those after it have files of their
// own with an h1 under a "Chapter 1" label, like every other chapter,
// while the introduction keeps the unnumbered asides before it (issue 13,
// item 16). Labels have no trailing colon.
func TestIntroChapterOwnFile(t *testing.T) {
	b := loadBook(t, example.FS)
	bk := unpack(t, write(t, b, Options{}))
	intro := string(bk.files["EPUB/xhtml/intro.xhtml"])
	ch1 := string(bk.files["EPUB/xhtml/ch-001.xhtml"])
	if !strings.Contains(ch1, `<h1 id="preliminaries"><span class="label">Chapter 1</span> Preliminaries</h1>`) {
		t.Errorf("ch-001.xhtml does not open with Chapter 1:\n%.400s", ch1)
	}
	if strings.Contains(intro, `id="preliminaries"`) || !strings.Contains(intro, `id="resources"`) {
		t.Errorf("intro.xhtml still holds Chapter 1, or lost the asides before it")
	}
	if !strings.Contains(string(bk.files["EPUB/xhtml/part-01.xhtml"]), `<span class="label">Section I</span>`) {
		t.Errorf("part label not as expected")
	}
	if strings.Contains(string(bk.files["EPUB/nav.xhtml"]), `intro.xhtml#preliminaries`) {
		t.Errorf("the table of contents still points into the introduction for Chapter 1")
	}
}

// TestBackMatterLink: a link to a heading of the back matter goes to the
// credits page, where the heading is (it went to the last part's file,
// which has no such id).
func TestBackMatterLink(t *testing.T) {
	b := fixture()
	cite := b.Back[0].(*tree.Heading)
	ch := b.Parts[3].Chapters[0]
	ch.Blocks = append(ch.Blocks, &tree.Paragraph{Content: []tree.Inline{&tree.Link{URL: "#citation", Target: &tree.Anchor{ID: cite.ID, Part: 3, Chapter: -2, Heading: cite}, Content: []tree.Inline{&tree.Text{Text: "cite it"}}}}})
	data := write(t, b, Options{})
	checkBook(t, data, b, Options{})
	if !strings.Contains(string(unpack(t, data).files["EPUB/xhtml/ch-005.xhtml"]), `<a href="credits.xhtml#citation">cite it</a>`) {
		t.Errorf("the link to the back matter does not go to the credits")
	}
}

// TestUnusableImageShowsAlt: an image the compiler could not use (a
// truncated PNG: File nil) is its alt text in the book, not an image and
// not a link to its path (issue 13, item 6).
func TestUnusableImageShowsAlt(t *testing.T) {
	png, _ := example.FS.ReadFile("assets/diagram.png")
	fsys := fstest.MapFS{
		"index.md":    {Data: []byte("---\ntitle: t\n---\n<h1 id=\"intro\">Intro</h1>\n\n![A broken figure](img/cut.png)\n\nInline ![a broken icon](img/cut.png) here.\n")},
		"img/cut.png": {Data: png[:len(png)/2]},
	}
	b, diags := compile.Load(fsys, compile.Options{})
	if b == nil || len(b.Files) != 0 || len(diags) != 2 {
		t.Fatalf("want a book without files and two warnings, got %v files, %v", b, diags)
	}
	intro := string(unpack(t, write(t, b, Options{})).files["EPUB/xhtml/intro.xhtml"])
	for _, want := range []string{`<p class="image-missing"><span class="image-alt">A broken figure</span></p>`, `Inline <span class="image-alt">a broken icon</span> here.`} {
		if !strings.Contains(intro, want) {
			t.Errorf("intro.xhtml lacks %s", want)
		}
	}
	if strings.Contains(intro, "cut.png") {
		t.Errorf("the book refers to the unusable image's path")
	}
}

// TestUnsafeLinksNeverReachTheBook: links with file:, javascript:,
// vbscript:, data: and other schemes, however spelled, are text in the
// book (issue 13, item 5; the compiler decides, so the PDF follows too).
func TestUnsafeLinksNeverReachTheBook(t *testing.T) {
	src := "---\ntitle: t\n---\n<h1 id=\"intro\">Intro</h1>\n\n" +
		"[a](file:///etc/passwd) <file:///etc/hosts> [b](vbscript:x) [c](data:text/html,x) [d](jAvAsCrIpt:x) [e]( javascript:x)\n" +
		"[f](&#106;avascript:x) <a href=\"java&#x09;script:x\">g</a> [h](ftp://x.example/) ![i](file:///etc/i.png) [ok](https://ok.example/)\n"
	b, _ := compile.Load(fstest.MapFS{"index.md": {Data: []byte(src)}}, compile.Options{})
	intro := string(unpack(t, write(t, b, Options{})).files["EPUB/xhtml/intro.xhtml"])
	for _, m := range regexp.MustCompile(`(href|src)="([^"]*)"`).FindAllStringSubmatch(intro, -1) {
		if m[2] != "https://ok.example/" && !strings.HasPrefix(m[2], "../css/") {
			t.Errorf("intro.xhtml refers to %q", m[2])
		}
	}
	if !strings.Contains(intro, `<a href="https://ok.example/">ok</a>`) || strings.Count(intro, "<a ") != 1 {
		t.Errorf("want exactly the one https link:\n%s", intro)
	}
}
