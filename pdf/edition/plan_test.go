package edition

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/pdf/internal/testbook"
)

// TestStudyPlan checks the study plan against the book tree, on A4 and
// Letter: a row for every chapter (and every Section's opening pages with
// text), in book order, whose reading time is its words at 230 a minute
// rounded up and whose resource counts are its distinct external
// addresses by kind; and every row's figures are on the page.
func TestStudyPlan(t *testing.T) {
	for _, bk := range testbook.All(t) {
		for _, paper := range []string{"a4", "letter"} {
			lay := layoutOf(t, bk.Tree, Options{Paper: paper, Print: true, Duplex: true})
			var want []PlanRow
			for _, p := range bk.Tree.Parts {
				want = append(want, expectRow(p.FullTitle(), p.ID, true, p.Blocks, func(v tree.Visitor) {
					if p.Heading != nil {
						tree.WalkBlocks([]tree.Block{p.Heading}, v)
					}
					tree.WalkInlines(p.Summary, v)
					tree.WalkBlocks(p.Blocks, v)
				}))
				for _, c := range p.Chapters {
					want = append(want, expectRow(c.Heading.FullTitle(), c.Heading.ID, false, c.Blocks, func(v tree.Visitor) { tree.WalkChapter(c, v) }))
				}
			}
			if got, w := fmt.Sprint(lay.Plan), fmt.Sprint(want); got != w {
				t.Errorf("%s/%s: study plan\n got %s\nwant %s", bk.Name, paper, got, w)
			}
			var d bytes.Buffer
			if err := lay.Dump(&d); err != nil {
				t.Fatal(err)
			}
			text := d.String()
			for _, r := range lay.Plan {
				if r.Section && r.Minutes == 0 {
					continue
				}
				if !strings.Contains(text, fmt.Sprintf(" %d min ", r.Minutes)) && !strings.Contains(text, fmt.Sprintf(" %d min\n", r.Minutes)) {
					t.Errorf("%s/%s: %q's %d min not on the plan's pages", bk.Name, paper, r.Title, r.Minutes)
				}
			}
		}
	}
}

// expectRow computes a plan row from the tree: words of the text (code
// blocks left out) and distinct external addresses by kind.
func expectRow(title, id string, section bool, bs []tree.Block, walk func(tree.Visitor)) PlanRow {
	words := 0
	tree.WalkBlocks(bs, func(b tree.Block, in tree.Inline) bool {
		if _, ok := b.(*tree.CodeBlock); ok {
			return false
		}
		var s string
		switch x := in.(type) {
		case *tree.Text:
			s = x.Text
		case *tree.Code:
			s = x.Text
		case *tree.Image:
			s = x.Alt
		}
		words += len(strings.FieldsFunc(s, unicode.IsSpace))
		return true
	})
	seen := map[string]bool{}
	counts := map[string]int{}
	walk(func(_ tree.Block, in tree.Inline) bool {
		if u := outsideURL(in); u != "" && !seen[u] {
			seen[u] = true
			counts[expectKind(u)]++
		}
		return true
	})
	return PlanRow{Title: title, ID: id, Section: section, Minutes: (words + 229) / 230, Counts: counts}
}

// expectKind is the kind the plan should give an address. The kinds
// themselves are TestResourceKind's; this test checks that they are
// counted per chapter.
func expectKind(u string) string { return resourceKind(u).String() }
