package edition

import (
	"strings"
	"testing"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/pdf/internal/testbook"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// readerWords returns the words of a block as tree.IsWordSpace defines
// them.
func readerWords(b tree.Block) []string {
	var sb strings.Builder
	inl := func(ins []tree.Inline) {
		tree.WalkInlines(ins, func(_ tree.Block, in tree.Inline) bool {
			switch x := in.(type) {
			case *tree.Text:
				sb.WriteString(x.Text)
			case *tree.Code:
				sb.WriteString(x.Text)
			case *tree.Link:
				if len(x.Content) == 0 {
					sb.WriteString(x.URL)
				}
			case *tree.LineBreak:
				sb.WriteString(" ")
			case *tree.Footnote:
				return false
			}
			return true
		})
	}
	switch b := b.(type) {
	case *tree.Paragraph:
		inl(b.Content)
	case *tree.Heading:
		inl(b.Content)
	case *tree.CodeBlock:
		sb.WriteString(b.Text)
	case *tree.Table:
		for _, r := range append([][][]tree.Inline{b.Header}, b.Rows...) {
			for _, c := range r {
				inl(c)
				sb.WriteString(" ")
			}
		}
	}
	return strings.FieldsFunc(sb.String(), tree.IsWordSpace)
}

// TestPageMap: every page of the print edition has an entry with its
// label, and a page whose first line is text of a paragraph, list item,
// code block or table begins, in the map, at that line's first word.
func TestPageMap(t *testing.T) {
	for _, bk := range testbook.All(t) {
		for _, o := range []Options{{Print: true, Duplex: true}, {Print: true, Duplex: true, Paper: "letter"}, {}} {
			lay := layoutOf(t, bk.Tree, o)
			if len(lay.PageMap) != len(lay.Pages) {
				t.Fatalf("%s: %d map entries for %d pages", bk.Name, len(lay.PageMap), len(lay.Pages))
			}
			checked := 0
			for i, pg := range lay.Pages {
				e := lay.PageMap[i]
				if e.Label != pg.Label {
					t.Errorf("%s: entry %d labelled %q, page %q", bk.Name, i, e.Label, pg.Label)
				}
				if len(pg.Placed) == 0 {
					continue
				}
				first := pg.Placed[0].Item
				switch first.Tag {
				case "p", "li", "lead", "code", "row":
				default:
					continue
				}
				if first.SrcBlock == nil || first.SrcWord < 0 {
					continue
				}
				words := readerWords(e.Block)
				if e.Word >= len(words) {
					t.Errorf("%s page %s: word %d of a block of %d", bk.Name, pg.Label, e.Word, len(words))
					continue
				}
				var ops []layout.Op
				for _, o := range first.Ops {
					if o.Kind == layout.OpText {
						ops = append(ops, o)
					}
				}
				lines := layout.TextLines(ops)
				if len(lines) == 0 {
					continue
				}
				got := strings.Fields(strings.Join(lines[0].Words, " "))
				// The first word on the line (after a list marker).
				w := got[0]
				if first.Tag == "li" && len(got) > 1 {
					w = got[1]
				}
				if !strings.HasPrefix(w, strings.TrimRight(words[e.Word], ".,;:")[:min(3, len(strings.TrimRight(words[e.Word], ".,;:")))]) {
					t.Errorf("%s page %s: map says %q (word %d), page begins %q", bk.Name, pg.Label, words[e.Word], e.Word, strings.Join(got, " "))
				}
				checked++
			}
			if bk.Real && checked < 5 {
				t.Errorf("%s: only %d pages checked", bk.Name, checked)
			}
		}
	}
}
