package edition

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/genai-handbook/handbook/pdf/internal/testbook"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// dumpLine is a text line of a dump, as the page rules read it.
type dumpLine struct {
	page   int
	kind   string // the page's kind
	tag    string
	group  string // "g12", or ""
	idx, n int
	base   float64
	x0, x1 float64
	text   string
}

// parseDump reads the text lines of a dump, and the kind of each page.
func parseDump(t testing.TB, dump string) (lines []dumpLine, kinds []string) {
	page, kind := 0, ""
	for _, l := range strings.Split(dump, "\n") {
		if strings.HasPrefix(l, "page ") {
			f := strings.Fields(l)
			page++
			kind = f[2]
			kinds = append(kinds, kind)
			continue
		}
		bar := strings.Index(l, " | ")
		if bar < 0 {
			continue
		}
		f := strings.Fields(l[:bar])
		dl := dumpLine{page: page, kind: kind, tag: f[1], text: l[bar+3:]}
		dl.base, _ = strconv.ParseFloat(f[0], 64)
		for i, x := range f[2:] {
			switch {
			case i == 0 && strings.HasPrefix(x, "g"):
				dl.group = x
			case i == 1 && dl.group != "":
				a, b, _ := strings.Cut(x, "/")
				dl.idx, _ = strconv.Atoi(a)
				dl.n, _ = strconv.Atoi(b)
			case strings.HasPrefix(x, "x="):
				a, b, _ := strings.Cut(x[2:], "..")
				dl.x0, _ = strconv.ParseFloat(a, 64)
				dl.x1, _ = strconv.ParseFloat(b, 64)
			}
		}
		lines = append(lines, dl)
	}
	return lines, kinds
}

// checkPageRules checks the page rules on a dump: every text line inside
// the text area; a heading followed on its page by at least three lines of
// text (unless its section ends there); no widow or orphan; a paragraph
// that ends in ":" on the page of the first two items of the list it
// introduces.
func checkPageRules(t *testing.T, name string, lay *Book) {
	t.Helper()
	var d bytes.Buffer
	if err := lay.Dump(&d); err != nil {
		t.Fatal(err)
	}
	lines, kinds := parseDump(t, d.String())
	g := lay.Geometry
	const eps = 0.02
	for i, l := range lines {
		if l.kind == "cover" {
			continue
		}
		left, right := g.Left, g.W-g.Right
		if !lay.Pages[l.page-1].Recto {
			left, right = g.Right, g.W-g.Left
		}
		if l.x0 < left-eps || l.x1 > right+eps || l.base < g.Top || l.base > g.H-g.Bottom+eps {
			t.Errorf("%s page %d: %q outside the text area (x %.2f..%.2f, baseline %.2f)", name, l.page, clip(l.text, 40), l.x0, l.x1, l.base)
		}
		if l.tag == "h" {
			after := 0
			for _, m := range lines[i+1:] {
				if m.page != l.page {
					break
				}
				if m.tag != "h" {
					after++ // a line of text, or a further baseline of an entry
				}
			}
			ends := l.page == len(kinds) || kinds[l.page] != "body" && kinds[l.page] != "toc"
			if after < 3 && !ends && !lastOnPage(lines, i) {
				t.Errorf("%s page %d: heading %q followed by %d lines", name, l.page, clip(l.text, 40), after)
			}
		}
		if l.tag == "lead" && l.idx == l.n {
			items := 0
			for _, m := range lines[i+1:] {
				if m.tag == "li" {
					if m.page != l.page {
						t.Errorf("%s page %d: %q separated from its list", name, l.page, clip(l.text, 40))
						break
					}
					if items++; items == 2 {
						break
					}
				}
			}
		}
	}
	// Widows and orphans: a paragraph or code block split across pages
	// has at least two lines on each.
	type key struct {
		group string
		page  int
	}
	count := map[key]int{}
	pages := map[string][]int{}
	for _, l := range lines {
		if l.group == "" {
			continue
		}
		k := key{l.group, l.page}
		if count[k] == 0 {
			pages[l.group] = append(pages[l.group], l.page)
		}
		count[k]++
	}
	for grp, ps := range pages {
		if len(ps) < 2 {
			continue
		}
		for _, p := range ps {
			if count[key{grp, p}] < 2 {
				t.Errorf("%s: page %d has a single line of %s, which spans pages %v", name, p, grp, ps)
			}
		}
	}
}

// lastOnPage reports whether lines[i] is a heading with nothing but other
// heading lines after it on its page: the end of a section's opener.
func lastOnPage(lines []dumpLine, i int) bool {
	for _, m := range lines[i+1:] {
		if m.page != lines[i].page {
			return true
		}
		if m.tag != "h" {
			return false
		}
	}
	return true
}

// TestPageRules checks the page rules on the dumps of every book, on every
// paper, in both editions.
func TestPageRules(t *testing.T) {
	for _, bk := range testbook.All(t) {
		for _, o := range []Options{{Paper: "a4"}, {Paper: "letter"}, {Paper: "a5"}, {Print: true, Duplex: true}, {Print: true, Duplex: true, Paper: "a5", Booklet: true}} {
			checkPageRules(t, fmt.Sprintf("%s/%s/print=%v", bk.Name, o.Paper, o.Print), layoutOf(t, bk.Tree, o))
		}
	}
}

// TestPageCount: the real handbook's screen edition fits A4 and Letter in
// 42 pages and A5 in 75, with at most 14 text pages less than half full.
func TestPageCount(t *testing.T) {
	hb := testbook.Handbook(t)
	if hb == nil {
		t.Skip("real handbook absent")
	}
	for paper, most := range map[string]int{"a4": 42, "letter": 42, "a5": 75} {
		lay := layoutOf(t, hb, Options{Paper: paper})
		H := lay.Geometry.TextH()
		sparse := 0
		for _, pg := range lay.Pages {
			if pg.Kind == layout.PageCover || pg.Kind == layout.PageTitle || len(pg.Placed) == 0 {
				continue
			}
			last := pg.Placed[len(pg.Placed)-1]
			if fill := (last.Y + last.Item.H - lay.Geometry.Top) / H; fill < 0.5 {
				sparse++
			}
		}
		t.Logf("%s: %d pages, %d text pages less than half full", paper, len(lay.Pages), sparse)
		if len(lay.Pages) > most {
			t.Errorf("%s: %d pages, want at most %d", paper, len(lay.Pages), most)
		}
		if sparse > 14 {
			t.Errorf("%s: %d text pages less than half full, want at most 14", paper, sparse)
		}
	}
}

// clip shortens s to n characters for a message.
func clip(s string, n int) string {
	if rs := []rune(s); len(rs) > n {
		return string(rs[:n]) + "…"
	}
	return s
}
