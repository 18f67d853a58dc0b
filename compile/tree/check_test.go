package tree

import (
	"strings"
	"testing"
)

// sound returns a small book that passes Check: an introduction with an
// unnumbered and a numbered chapter, one section with a numbered chapter,
// sub-headings, a resolved link, a footnote referenced twice, an embedded
// image and back matter.
func sound() *Book {
	t := func(s string) []Inline { return []Inline{&Text{Text: s}} }
	file := &File{Path: "img/a.png", MediaType: "image/png", Data: []byte{1}, Width: 1, Height: 1}
	intro := &Heading{Level: 1, ID: "intro", InTOC: true, Content: t("Introduction")}
	aside := &Heading{Level: 2, ID: "aside", Content: t("Aside")}
	prelim := &Heading{Level: 2, ID: "prelim", Numbered: true, Number: "1", InTOC: true, Content: t("Preliminaries")}
	s1 := &Heading{Level: 1, ID: "s1", InTOC: true, Content: t("Section I: Basics")}
	ch2 := &Heading{Level: 2, ID: "ch2", Numbered: true, Number: "2", InTOC: true, Content: t("Two")}
	sub := &Heading{Level: 3, ID: "sub", Numbered: true, Number: "2.1", InTOC: true, Content: t("Sub")}
	subsub := &Heading{Level: 4, ID: "subsub", Numbered: true, Number: "2.1.1", Content: t("Subsub")}
	cite := &Heading{Level: 5, ID: "citation", Content: t("Citation")}
	note := &Footnote{Number: 1, ID: "fn-1", Blocks: []Block{&Paragraph{Content: t("A note.")}}}
	b := &Book{
		Meta:  Meta{Title: "T", Language: "en", Identifier: "urn:uuid:x", Slug: "t", SourceURL: "https://example.org/src", AuthorLinks: []*Link{{URL: "mailto:a@example.org", Content: t("mail")}}},
		Files: []*File{file},
		Parts: []*Part{
			{ID: "intro", Title: "Introduction", Heading: intro, Chapters: []*Chapter{
				{Heading: aside, Blocks: []Block{&Paragraph{Content: []Inline{&Text{Text: "See "}, &Link{URL: "#sub", Target: &Anchor{ID: "sub", Part: 1, Chapter: 0, Heading: sub}, Content: t("below")}, note}}}},
				{Heading: prelim, Blocks: []Block{&Figure{Image: &Image{Src: "img/a.png", Alt: "a", File: file}}}},
			}},
			{ID: "s1", Number: 1, Label: "Section I", Title: "Basics", Heading: s1, Chapters: []*Chapter{
				{Heading: ch2, Blocks: []Block{sub, subsub, &Paragraph{Content: []Inline{&Text{Text: "Again"}, note, &Link{URL: "#citation", Target: &Anchor{ID: "citation", Part: 1, Chapter: -2, Heading: cite}, Content: t("cite")}}},
					&Table{Align: []Align{AlignLeft}, Header: [][]Inline{t("h")}, Rows: [][][]Inline{{t("c")}}},
					&List{Items: []*Item{{Blocks: []Block{&Paragraph{Content: []Inline{&Image{Src: "https://example.org/x.png", Alt: "remote"}}}}}}},
				}},
			}},
		},
		Back: []Block{cite, &CodeBlock{Text: "@misc{x}\n"}},
	}
	Index(b)
	return b
}

// TestCheck: Check accepts a sound book and reports each broken
// invariant the node types document.
func TestCheck(t *testing.T) {
	if err := Check(sound()); err != nil {
		t.Fatalf("sound book: %v", err)
	}
	chapter := func(b *Book, p, c int) *Chapter { return b.Parts[p].Chapters[c] }
	for _, c := range []struct {
		name   string
		mutate func(b *Book)
		want   string
	}{
		{"no parts", func(b *Book) { b.Parts = nil }, "no parts"},
		{"no title", func(b *Book) { b.Meta.Title = " " }, "no title"},
		{"no identifier", func(b *Book) { b.Meta.Identifier = "" }, "no identifier"},
		{"no slug", func(b *Book) { b.Meta.Slug = "" }, "no slug"},
		{"unsafe source URL", func(b *Book) { b.Meta.SourceURL = "javascript:x" }, "source URL"},
		{"internal author link", func(b *Book) { b.Meta.AuthorLinks[0].URL = "#x" }, "author link"},
		{"empty part id", func(b *Book) { b.Parts[0].ID = ""; b.Parts[0].Heading.ID = "" }, "has no id"},
		{"part id not heading's", func(b *Book) { b.Parts[1].ID = "other" }, "is not its heading's id"},
		{"duplicate heading id", func(b *Book) { chapter(b, 1, 0).Heading.ID = "aside" }, `id "aside" already used`},
		{"footnote id collides", func(b *Book) { chapter(b, 0, 0).Blocks[0].(*Paragraph).Content[2].(*Footnote).ID = "prelim" }, `id "prelim" already used`},
		{"footnote without id", func(b *Book) { chapter(b, 0, 0).Blocks[0].(*Paragraph).Content[2].(*Footnote).ID = "" }, "footnote 1 has no id"},
		{"footnote number", func(b *Book) { chapter(b, 0, 0).Blocks[0].(*Paragraph).Content[2].(*Footnote).Number = 2 }, "footnote number 2, want 1"},
		{"footnote in footnote", func(b *Book) {
			fn := chapter(b, 0, 0).Blocks[0].(*Paragraph).Content[2].(*Footnote)
			fn.Blocks = append(fn.Blocks, &Paragraph{Content: []Inline{&Footnote{Number: 2, ID: "fn-2"}}})
		}, "inside a footnote"},
		{"chapter numbers skip", func(b *Book) { chapter(b, 1, 0).Heading.Number = "3" }, `number "3", want "2"`},
		{"numbered without number", func(b *Book) { chapter(b, 0, 0).Heading.Numbered = true }, "Numbered is true"},
		{"sub-heading number", func(b *Book) { chapter(b, 1, 0).Blocks[0].(*Heading).Number = "1.1" }, `number "1.1" does not continue`},
		{"sub-heading level", func(b *Book) { chapter(b, 1, 0).Blocks[1].(*Heading).Number = "2.1" }, `level 4 number "2.1"`},
		{"number outside a chapter", func(b *Book) { b.Back[0].(*Heading).Numbered, b.Back[0].(*Heading).Number = true, "1.1" }, "does not continue"},
		{"section numbers", func(b *Book) { b.Parts[1].Number = 2 }, "number 2, want 1"},
		{"chapter level", func(b *Book) { chapter(b, 0, 1).Heading.Level = 3 }, "heading level 3, want 2"},
		{"blank heading", func(b *Book) { chapter(b, 0, 1).Heading.Content = []Inline{&Text{Text: "  "}} }, "blank title"},
		{"empty paragraph", func(b *Book) { chapter(b, 0, 0).Blocks = append(chapter(b, 0, 0).Blocks, &Paragraph{}) }, "empty paragraph"},
		{"no part title", func(b *Book) { b.Parts[0].Title = "" }, "no title"},
		{"target elsewhere", func(b *Book) { chapter(b, 0, 0).Blocks[0].(*Paragraph).Content[1].(*Link).Target.Chapter = 1 }, "its heading is in part 1 chapter 0"},
		{"target outside the book", func(b *Book) {
			chapter(b, 0, 0).Blocks[0].(*Paragraph).Content[1].(*Link).Target.Heading = &Heading{ID: "sub"}
		}, "is not in the book"},
		{"target on an external link", func(b *Book) { chapter(b, 0, 0).Blocks[0].(*Paragraph).Content[1].(*Link).URL = "https://x" }, "not a #fragment"},
		{"unsafe link", func(b *Book) {
			chapter(b, 0, 0).Blocks = append(chapter(b, 0, 0).Blocks, &Paragraph{Content: []Inline{&Link{URL: "file:///etc/passwd"}}})
		}, "not an http, https or mailto URL"},
		{"image file not in Files", func(b *Book) { chapter(b, 0, 1).Blocks[0].(*Figure).Image.File = &File{Path: "x.png"} }, "not in Book.Files"},
		{"image with a data: source", func(b *Book) { chapter(b, 0, 1).Blocks[0].(*Figure).Image.Src = "data:image/png;base64,x" }, "scheme data"},
		{"files unsorted", func(b *Book) {
			b.Files = append(b.Files, &File{Path: "a.png", MediaType: "image/png", Data: []byte{1}, Width: 1, Height: 1})
		}, "not sorted"},
		{"file path", func(b *Book) { b.Files[0].Path = "../a.png" }, "not a clean relative path"},
		{"table row", func(b *Book) {
			tb := chapter(b, 1, 0).Blocks[3].(*Table)
			tb.Rows = append(tb.Rows, [][]Inline{nil, nil})
		}, "2 cells for 1 columns"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := sound()
			c.mutate(b)
			err := Check(b)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Check = %v, want an error with %q", err, c.want)
			}
		})
	}
}

// TestWalkVisitsSharedNoteOnce: a note referenced twice is visited at both
// references, its content only at the first.
func TestWalkVisitsSharedNoteOnce(t *testing.T) {
	notes, paras := 0, 0
	Walk(sound(), func(b Block, in Inline) bool {
		if _, ok := in.(*Footnote); ok {
			notes++
		}
		if p, ok := b.(*Paragraph); ok && PlainText(p.Content) == "A note." {
			paras++
		}
		return true
	})
	if notes != 2 || paras != 1 {
		t.Errorf("%d footnote references and %d visits of its content, want 2 and 1", notes, paras)
	}
}
