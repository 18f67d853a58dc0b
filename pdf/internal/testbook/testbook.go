// Package testbook provides the book trees that the PDF backend's tests
// and its typesetter's tests share: a hand-built fixture that exercises
// every node the typesetter draws, the bundled example and, when its
// source is present, the real handbook. It is imported only by tests.
package testbook

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/example"
	"github.com/genai-handbook/handbook/content/realbook"
)

func pos(file string, line int) tree.Pos { return tree.Pos{File: file, Line: line, Col: 1} }

func txt(s string) *tree.Text { return &tree.Text{Text: s} }

func para(file string, line int, ins ...tree.Inline) *tree.Paragraph {
	return &tree.Paragraph{Content: ins, Pos: pos(file, line)}
}

func ext(url, text string) *tree.Link {
	return &tree.Link{URL: url, Content: []tree.Inline{txt(text)}}
}

func heading(level int, id, number, title string, inTOC bool, p tree.Pos) *tree.Heading {
	return &tree.Heading{Level: level, ID: id, Numbered: number != "", InTOC: inTOC, Number: number, Content: []tree.Inline{txt(title)}, Pos: p}
}

// TestPNG returns a 240×120 PNG: a blue-grey diagram-like gradient.
func TestPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 240, 120))
	for y := 0; y < 120; y++ {
		for x := 0; x < 240; x++ {
			c := color.RGBA{uint8(40 + x/3), uint8(90 + y), 140, 255}
			if (x/40+y/40)%2 == 0 {
				c = color.RGBA{230, 236, 240, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Lorem is a paragraph of filler in our own words.
const Lorem = "Sequence models learn a distribution over the next token given everything before it, and most of what follows in this handbook is a variation on that single idea. We begin with the statistical view of prediction, move through the classical tools for time series and language, and arrive at the architectures that power today's systems. Along the way we point to the explanations we have found clearest, whether they are blog posts, lecture notes, papers or videos, and we try to say why each one is worth the reader's time rather than merely listing it."

// Fixture returns the hand-built book: an introduction and two sections
// with summaries, numbered and unnumbered chapters, level-3 headings in
// and out of the table of contents, internal and external links, nested
// lists, long paragraphs, a code block with a 300-character line, a
// table, a figure with a local PNG, a footnote, strike-through, hard line
// breaks and the credits with a citation block. Each call returns a new
// tree.
func Fixture() *tree.Book {
	file := &tree.File{Path: "assets/diagram.png", MediaType: "image/png", Data: TestPNG(), Width: 240, Height: 120}
	intro := heading(1, "intro", "", "Introduction", true, pos("_includes/intro.md", 1))
	why := heading(2, "why-this-guide", "", "Why This Guide?", false, pos("_includes/intro.md", 5))
	prelim := heading(2, "preliminaries", "1", "Preliminaries", true, pos("_includes/intro.md", 20))
	math := heading(3, "math", "", "Math", false, pos("_includes/intro.md", 22))
	s1h := heading(1, "s1", "", "Section I: Framing Predictions", true, pos("index.md", 12))
	s2h := heading(1, "s2", "", "Section II: Learning Features", true, pos("index.md", 30))
	stats := heading(2, "statistical-prediction", "2", "Statistical Prediction and Machine Learning", true, pos("_includes/section1.md", 1))
	ts := heading(2, "time-series", "3", "Time-Series Analysis", true, pos("_includes/section1.md", 40))
	tsh3 := heading(3, "arima-and-friends", "3.1", "ARIMA and Friends", true, pos("_includes/section1.md", 50))
	nn := heading(2, "neural-networks", "4", "Neural Networks", true, pos("_includes/section2.md", 1))
	interlude := heading(2, "interlude", "", "Interlude: Why Trees Still Win on Tables", true, pos("_includes/section2.md", 60))

	anchor := func(h *tree.Heading, part, ch int) *tree.Anchor {
		return &tree.Anchor{ID: h.ID, Part: part, Chapter: ch, Heading: h}
	}
	toTS := &tree.Link{URL: "#time-series", Target: anchor(ts, 1, 1), Content: []tree.Inline{txt("the chapter on time series")}, Pos: pos("_includes/intro.md", 8)}
	toS2 := &tree.Link{URL: "#s2", Target: anchor(s2h, 2, -1), Content: []tree.Inline{txt("Section II")}, Pos: pos("_includes/intro.md", 9)}
	toArima := &tree.Link{URL: "#arima-and-friends", Target: anchor(tsh3, 1, 1), Content: []tree.Inline{txt("ARIMA")}, Pos: pos("_includes/section2.md", 3)}

	long := strings.Repeat("x = compute_the_next_value(previous, state, config);", 6)[:300]
	code := "import numpy as np\n\ndef predict(model, xs):\n\treturn model.forward(xs)  # one step\n" + long + "\nprint(predict(m, data))\n"

	list := &tree.List{Tight: true, Pos: pos("_includes/intro.md", 12), Items: []*tree.Item{
		{Blocks: []tree.Block{para("_includes/intro.md", 12, txt("Books:")), &tree.List{Tight: true, Items: []*tree.Item{
			{Blocks: []tree.Block{para("_includes/intro.md", 13, ext("https://www.statlearning.com/", "An Introduction to Statistical Learning"), txt(", free online"))}},
			{Blocks: []tree.Block{para("_includes/intro.md", 14, txt("Kevin Murphy's "), ext("https://probml.github.io/pml-book/", "Probabilistic Machine Learning"), txt(" series, which covers a great deal of ground in two volumes and is well worth the time it takes to read"))}},
		}}}},
		{Blocks: []tree.Block{para("_includes/intro.md", 16, txt("Courses:")), &tree.List{Ordered: true, Start: 1, Tight: true, Items: []*tree.Item{
			{Blocks: []tree.Block{para("_includes/intro.md", 17, ext("https://www.kaggle.com/learn", "Kaggle Learn"))}},
			{Blocks: []tree.Block{para("_includes/intro.md", 18, txt("Andrew Ng's "), ext("https://www.coursera.org/specializations/machine-learning-introduction", "Machine Learning Specialization"))}},
		}}}},
		{Blocks: []tree.Block{para("_includes/intro.md", 19, txt("Wikipedia, which is surprisingly good for definitions"))}},
	}}

	table := &tree.Table{Align: []tree.Align{tree.AlignLeft, tree.AlignLeft, tree.AlignCenter, tree.AlignRight}, Pos: pos("_includes/section1.md", 20),
		Header: [][]tree.Inline{{txt("Metric")}, {txt("Task")}, {txt("Range")}, {txt("Higher is better?")}},
		Rows: [][][]tree.Inline{
			{{txt("Accuracy")}, {txt("classification")}, {txt("0–1")}, {txt("yes")}},
			{{txt("Log loss")}, {txt("probabilistic classification")}, {txt("0–∞")}, {txt("no")}},
			{{txt("RMSE")}, {txt("regression")}, {txt("0–∞")}, {txt("no")}},
		}}

	fn := &tree.Footnote{Number: 1, ID: "fn-1", Blocks: []tree.Block{para("_includes/section1.md", 70, txt("Both methods preserve local neighbourhoods far better than global geometry."))}}

	b := &tree.Book{
		Meta: tree.Meta{
			Title: "Generative AI Handbook", Subtitle: "A Roadmap for Learning Resources", PageTitle: "GenAI Handbook",
			Author: "William Brown",
			AuthorLinks: []*tree.Link{
				ext("https://x.com/willccbb", "@willccbb"),
				ext("https://willcb.com", "willcb.com"),
			},
			Version: "v0.1", VersionURL: "https://github.com/genai-handbook/genai-handbook.github.io",
			Date: "June 5, 2024", DateISO: "2024-06-05", Language: "en",
			Identifier: "urn:uuid:00000000-0000-5000-8000-000000000000",
			SourceURL:  "https://github.com/genai-handbook/genai-handbook.github.io", Slug: "generative-ai-handbook",
		},
		Files: []*tree.File{file},
	}
	b.Parts = []*tree.Part{
		{ID: "intro", Number: 0, Title: "Introduction", Heading: intro, Pos: intro.Pos,
			Blocks: []tree.Block{
				para("_includes/intro.md", 3, txt("This fixture stands in for a real handbook and exercises every block the typesetter knows. "+Lorem)),
			},
			Chapters: []*tree.Chapter{
				{Heading: why, Blocks: []tree.Block{
					para("_includes/intro.md", 7, txt("If you are in a hurry, read "), toTS, txt(" first, then skim "), toS2, txt("; the rest can wait. Some text is "), &tree.Strong{Content: []tree.Inline{txt("bold")}}, txt(", some "), &tree.Emph{Content: []tree.Inline{txt("italic")}}, txt(", some "), &tree.Code{Text: "inline_code()"}, txt(" and some "), &tree.Strike{Content: []tree.Inline{txt("struck out")}}, txt(".")),
					list,
					para("_includes/intro.md", 11, txt("A line that breaks here:"), &tree.LineBreak{}, txt("and continues on the next line, with a long URL "), ext("https://example.org/a/very/long/path/that/does/not/fit/on/one/line/of/the/page/at/all/index.html?query=parameter&another=value", "https://example.org/a/very/long/path/that/does/not/fit/on/one/line/of/the/page/at/all/index.html?query=parameter&another=value"), txt(" in the middle.")),
				}},
				{Heading: prelim, Blocks: []tree.Block{
					math,
					para("_includes/intro.md", 23, txt(Lorem+" "+Lorem)),
					para("_includes/intro.md", 25, txt(Lorem)),
				}},
			}},
		{ID: "s1", Number: 1, Label: "Section I", Title: "Framing Predictions", Heading: s1h, Pos: s1h.Pos,
			Summary: []tree.Inline{txt("Learn the vocabulary of prediction and the “simplest” models that work.")},
			Blocks:  []tree.Block{para("_includes/section1.md", 0, txt("Every project starts the same way."))},
			Chapters: []*tree.Chapter{
				{Heading: stats, Blocks: []tree.Block{
					para("_includes/section1.md", 3, txt(Lorem+" "+Lorem+" "+Lorem)),
					para("_includes/section1.md", 5, txt("Which number you report depends on the task:")),
					table,
					para("_includes/section1.md", 30, txt(Lorem+" "+Lorem)),
					para("_includes/section1.md", 32, txt(Lorem+" "+Lorem+" "+Lorem)),
					para("_includes/section1.md", 34, txt(Lorem)),
					para("_includes/section1.md", 36, txt(Lorem+" "+Lorem)),
					para("_includes/section1.md", 38, txt(Lorem)),
				}},
				{Heading: ts, Blocks: []tree.Block{
					para("_includes/section1.md", 42, txt("Forecasting is sequence prediction with a clock. Visualization methods distort distances"), fn, txt(".")),
					&tree.CodeBlock{Lang: "python", Text: code, Pos: pos("_includes/section1.md", 44)},
					tsh3,
					para("_includes/section1.md", 52, txt(Lorem)),
					&tree.Figure{Image: &tree.Image{Src: "assets/diagram.png", Alt: "A small diagram", File: file, Pos: pos("_includes/section1.md", 54)}, Pos: pos("_includes/section1.md", 54)},
					&tree.Quote{Pos: pos("_includes/section1.md", 56), Blocks: []tree.Block{para("_includes/section1.md", 56, txt("A small learning rate with many trees almost always beats a large learning rate with few trees."))}},
				}},
			}},
		{ID: "s2", Number: 2, Label: "Section II", Title: "Learning Features", Heading: s2h, Pos: s2h.Pos,
			Summary: []tree.Inline{txt("Move from linear models to networks that learn their own features.")},
			Chapters: []*tree.Chapter{
				{Heading: nn, Blocks: []tree.Block{
					para("_includes/section2.md", 3, txt("Recall "), toArima, txt(" from before. "+Lorem)),
					&tree.Rule{Pos: pos("_includes/section2.md", 5)},
					para("_includes/section2.md", 7, txt(Lorem)),
				}},
				{Heading: interlude, Blocks: []tree.Block{
					para("_includes/section2.md", 62, txt("Deep networks dominate images, audio and text: "), ext("https://arxiv.org/abs/2207.08815", "Why do tree-based models still outperform deep learning on tabular data?")),
				}},
			}},
	}
	b.Back = []tree.Block{
		heading(5, "citation", "", "Citation", false, pos("_includes/credits.md", 3)),
		para("_includes/credits.md", 5, txt("To cite the fixture as a whole, use the entry below.")),
		&tree.CodeBlock{Text: "@misc{Fixture24,\n  author = {Writer, Fixture},\n  title = {A Fixture Book for the Typesetter},\n  year = 2024\n}\n", Pos: pos("_includes/credits.md", 7)},
	}
	tree.Index(b)
	if err := tree.Check(b); err != nil {
		panic(err) // a test book must be one the compiler could have made
	}
	return b
}

// Book is a named tree to test on.
type Book struct {
	Name string
	Tree *tree.Book
	Real bool // the real handbook: exact counts are asserted
}

// HandbookDir returns the real handbook's source directory (see package
// realbook).
func HandbookDir() string {
	dir, _ := realbook.Dir()
	return dir
}

// All returns the trees to test on: the hand-built fixture, the bundled
// example and, when its source is present, the real handbook (its absence
// is logged).
func All(t testing.TB) []Book {
	t.Helper()
	bs := []Book{{Name: "fixture", Tree: Fixture()}}
	eb, diags := compile.Load(example.FS, compile.Options{})
	if eb == nil {
		t.Fatalf("example does not compile: %v", diags)
	}
	bs = append(bs, Book{Name: "example", Tree: eb})
	hb := Handbook(t)
	if hb == nil {
		return bs
	}
	return append(bs, Book{Name: "handbook", Tree: hb, Real: true})
}

// Handbook returns the real handbook's tree, or nil (logged) when its
// source is absent.
func Handbook(t testing.TB) *tree.Book {
	t.Helper()
	dir, ok := realbook.Dir()
	if !ok {
		t.Log(realbook.Absent() + " to test on it too")
		return nil
	}
	hb, diags := compile.Load(os.DirFS(dir), compile.Options{})
	if hb == nil {
		t.Fatalf("handbook does not compile: %v", diags)
	}
	return hb
}
