package epub

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
)

// fixture builds by hand a small book with every construct the backend
// must handle: an introduction (Number 0) with unlisted sub-sections,
// three sections, numbered and unnumbered chapters, level-3 headings in and
// out of the table of contents, ids that are not XML names, resolved and
// broken internal links, external links, nested lists, a code block with a
// 200-character line, a table, local and remote images, footnotes (one with
// two paragraphs), strike-through, line breaks and back matter with a
// citation code block.
func fixture() *tree.Book {
	t := func(s string) *tree.Text { return &tree.Text{Text: s} }
	para := func(ins ...tree.Inline) *tree.Paragraph { return &tree.Paragraph{Content: ins} }
	ext := func(text, url string) *tree.Link {
		return &tree.Link{URL: url, Content: []tree.Inline{t(text)}}
	}
	h := func(level int, id, number, title string, numbered, inTOC bool) *tree.Heading {
		return &tree.Heading{Level: level, ID: id, Number: number, Numbered: numbered, InTOC: inTOC, Content: []tree.Inline{t(title)}}
	}

	var pngBuf bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		for y := range 20 {
			img.Set(x, y, color.RGBA{uint8(x * 6), uint8(y * 12), 128, 255})
		}
	}
	if err := png.Encode(&pngBuf, img); err != nil {
		panic(err)
	}
	diagram := &tree.File{Path: "assets/My Diagram.png", MediaType: "image/png", Data: pngBuf.Bytes(), Width: 40, Height: 20}

	introH := h(1, "intro", "", "Introduction", false, true)
	whyH := h(2, "why-this-guide", "", "Why This Guide?", false, false)
	s1H := h(1, "s1", "", "Section I: Foundations & <Basics>", false, true)
	c1H := h(2, "statistical-prediction", "1", "Statistical Prediction", true, true)
	basicsH := h(3, "1-1-basics", "1.1", "Basics of “Learning”", true, true)
	asideH := h(3, "an-aside", "1.2", "An Aside", true, false)
	deepH := h(5, "deep-dive", "", "A Deep Dive", false, false)
	c2H := h(2, "time-series", "2", "Time Series", true, true)
	s2H := h(1, "s2", "", "Section II: Neural Networks", false, true)
	interH := h(2, "interlude", "", "Interlude", false, true)
	c3H := h(2, "neural-nets", "3", "Neural Nets", true, true)
	helloH := h(3, "héllo wörld", "3.1", "Héllo Wörld", true, true)
	s3H := h(1, "s3", "", "Section III: Scaling", false, true)
	c4H := h(2, "scaling-laws", "4", "Scaling Laws", true, true)

	anchor := func(hd *tree.Heading, part, chapter int) *tree.Anchor {
		return &tree.Anchor{ID: hd.ID, Part: part, Chapter: chapter, Heading: hd}
	}
	in := func(text, url string, a *tree.Anchor) *tree.Link {
		return &tree.Link{URL: url, Target: a, Content: []tree.Inline{t(text)}}
	}

	long := strings.Repeat("x := compute(a, b) + ", 9) + "end // " + strings.Repeat("y", 200-9*len("x := compute(a, b) + ")-len("end // "))

	b := &tree.Book{
		Meta: tree.Meta{
			Title:    "Generative AI Handbook",
			Subtitle: "A Roadmap for Learning Resources",
			Author:   "William Brown",
			AuthorLinks: []*tree.Link{
				ext("@willccbb", "https://x.com/willccbb"),
				ext("willcb.com", "https://willcb.com"),
				ext("GitHub", "https://github.com/willccbb"),
			},
			Version:    "v0.1",
			VersionURL: "https://github.com/genai-handbook/genai-handbook.github.io",
			Date:       "June 5, 2024",
			DateISO:    "2024-06-05",
			Language:   "en",
			Identifier: "urn:uuid:5a3c9a4e-2f55-5d6f-9a41-0c7e2b8d1f00",
			SourceURL:  "https://github.com/genai-handbook/genai-handbook.github.io",
			Slug:       "generative-ai-handbook",
		},
		Files: []*tree.File{diagram},
		Parts: []*tree.Part{
			{
				ID: "intro", Number: 0, Title: "Introduction", Heading: introH,
				Blocks: []tree.Block{
					para(t("This handbook — a “roadmap” — collects "), ext("resources", "https://example.com/a?b=1&c=2"),
						t(". Start with "), in("statistical prediction", "#statistical-prediction", anchor(c1H, 1, 0)),
						t(" or the "), in("missing section", "#difusion-models", nil), t(".")),
				},
				Chapters: []*tree.Chapter{{
					Heading: whyH,
					Blocks: []tree.Block{
						para(t("Because 1 < 2 & 3 > 2."), &tree.LineBreak{}, t("A second line.")),
						&tree.List{Tight: true, Items: []*tree.Item{
							{Blocks: []tree.Block{para(t("Books:")), &tree.List{Tight: true, Items: []*tree.Item{
								{Blocks: []tree.Block{para(ext("ISLR", "https://www.statlearning.com/"))}},
								{Blocks: []tree.Block{para(t("ESL"))}},
							}}}},
							{Blocks: []tree.Block{para(t("Courses"))}},
						}},
					},
				}},
			},
			{
				ID: "s1", Number: 1, Label: "Section I", Title: "Foundations & <Basics>", Heading: s1H,
				Summary: []tree.Inline{t("Review the basics and see "), in("Section III", "#s3", anchor(s3H, 3, -1)), t(".")},
				Blocks:  []tree.Block{para(t("Opening words before the first chapter."))},
				Chapters: []*tree.Chapter{
					{Heading: c1H, Blocks: []tree.Block{
						para(&tree.Emph{Content: []tree.Inline{t("Emphasis")}}, t(", "), &tree.Strong{Content: []tree.Inline{t("strong")}},
							t(", "), &tree.Code{Text: "x < y && z"}, t(", "), &tree.Strike{Content: []tree.Inline{t("struck")}},
							t(" and a note."), &tree.Footnote{Number: 1, ID: "fn-1", Blocks: []tree.Block{para(t("A short note with "), ext("a link", "https://example.org/note"), t("."))}}),
						basicsH,
						&tree.List{Ordered: true, Start: 3, Items: []*tree.Item{
							{Blocks: []tree.Block{para(t("Third")), para(t("More about the third."))}},
							{Blocks: []tree.Block{para(t("Fourth")), &tree.List{Items: []*tree.Item{
								{Blocks: []tree.Block{para(t("nested bullet"))}},
							}}}},
						}},
						&tree.CodeBlock{Lang: "go", Text: "package main\n\n" + long + "\n\tindented <tag> & \"quotes\"\n"},
						asideH,
						&tree.Table{
							Align:  []tree.Align{tree.AlignLeft, tree.AlignCenter, tree.AlignRight},
							Header: [][]tree.Inline{{t("Metric")}, {t("Range")}, {t("Higher is better?")}},
							Rows: [][][]tree.Inline{
								{{t("Accuracy")}, {t("0–1")}, {t("yes")}},
								{{&tree.Code{Text: "R²"}}, {t("−∞–1")}, {ext("yes", "https://en.wikipedia.org/wiki/Coefficient_of_determination")}},
							},
						},
						deepH,
						para(t("Deep text.")),
					}},
					{Heading: c2H, Blocks: []tree.Block{
						&tree.Figure{Image: &tree.Image{Src: "assets/My Diagram.png", Alt: "A diagram of a time series", Title: "Figure caption", File: diagram}},
						para(t("Inline remote image: "), &tree.Image{Src: "https://example.com/remote.png", Alt: "remote chart"},
							t(" and back to "), in("the basics", "#1-1-basics", anchor(basicsH, 1, 0)),
							&tree.Footnote{Number: 2, ID: "fn-2", Blocks: []tree.Block{
								para(t("First paragraph of a long note.")),
								para(t("Second paragraph, with "), &tree.Emph{Content: []tree.Inline{t("emphasis")}}, t(".")),
							}}),
						&tree.Figure{Image: &tree.Image{Src: "https://example.com/big.png", Alt: "A remote figure"}},
					}},
				},
			},
			{
				ID: "s2", Number: 2, Label: "Section II", Title: "Neural Networks", Heading: s2H,
				Summary: []tree.Inline{t("Neural networks.")},
				Chapters: []*tree.Chapter{
					{Heading: interH, Blocks: []tree.Block{para(t("An unnumbered chapter."))}},
					{Heading: c3H, Blocks: []tree.Block{
						&tree.Quote{Blocks: []tree.Block{para(t("A quotation."))}},
						&tree.Rule{},
						helloH,
						para(t("See "), in("Héllo Wörld", "#héllo wörld", anchor(helloH, 2, 1)), t(" and "),
							in("the introduction", "#intro", anchor(introH, 0, -1)), t(" and "),
							in("why", "#why-this-guide", anchor(whyH, 0, 0)), t(".")),
					}},
				},
			},
			{
				ID: "s3", Number: 3, Label: "Section III", Title: "Scaling", Heading: s3H,
				Summary: []tree.Inline{t("Scale it up.")},
				Chapters: []*tree.Chapter{
					{Heading: c4H, Blocks: []tree.Block{para(t("Back to "), in("Section II", "#s2", anchor(s2H, 2, -1)), t("."))}},
				},
			},
		},
		Back: []tree.Block{
			h(5, "citation", "", "Citation", false, false),
			para(t("If you want to refer to the handbook as a whole, cite:")),
			&tree.CodeBlock{Text: "@misc{Fixture24,\n  author = {Writer, Fixture},\n  title = {A Fixture Book for the EPUB Writer},\n  year = 2024\n}\n"},
		},
	}
	tree.Index(b)
	return b
}
