package layout

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// Dump writes pages as plain text, the oracle of the layout tests: for every
// page its number, label, kind, side and running head, the anchors placed
// on it, then every item placed on it from the top. A text line reads
//
//	54.31 p g12 3/7 x=33.00..177.00 regular/10.5 gap=0.27 | Textbooks are great …
//
// that is: its baseline (mm from the page's top edge); its tag (p
// paragraph, h heading, resh a heading of a Resources list, li a list item's first line, code, row a table
// row, cap caption, note footnote, toc, res a resource entry, plan, title,
// lead a line of a paragraph that introduces a list); for lines of a
// paragraph or code block, the block's number and the line's place in it;
// "ragged" for a line of justified text that the breaker could not
// justify within tolerance (set flush left); "hyph" for a line that ends
// in a hyphen the breaker added; the extent of its ink; the face and size most of its characters are set
// in; the median space between its words in ems of that size (- for a
// single word); and its words. An item with several baselines (a table
// row, a resource entry) gives one such line per baseline, the later ones
// tagged "+". Images are "image x,y w×h", QR codes "qr x,y w", vertical
// space "space h". Lengths are millimetres.
//
// Dump needs pages set with Keep, which records the items placed on each
// page; for others it writes the page lines only.
func Dump(w io.Writer, pages []*Page, anchors map[string]Dest) error {
	var b strings.Builder
	byPage := map[int][]anchorAt{}
	for id, d := range anchors {
		byPage[d.Page] = append(byPage[d.Page], anchorAt{id, d.Y})
	}
	for pi, pg := range pages {
		side := "verso"
		if pg.Recto {
			side = "recto"
		}
		fmt.Fprintf(&b, "page %d label=%s %s %s", pi+1, pg.Label, pg.Kind, side)
		head := pg.Head
		if !pg.Recto && pg.VersoHead != "" {
			head = pg.VersoHead
		}
		if head != "" {
			fmt.Fprintf(&b, " head=%q", head)
		}
		b.WriteByte('\n')
		as := byPage[pi]
		sort.Slice(as, func(i, j int) bool {
			if as[i].y != as[j].y {
				return as[i].y < as[j].y
			}
			return as[i].id < as[j].id
		})
		for _, a := range as {
			fmt.Fprintf(&b, "  anchor %s y=%.2f\n", a.id, a.y)
		}
		for _, pl := range pg.Placed {
			dumpItem(&b, pl)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// anchorAt is an anchor on a page, for Dump.
type anchorAt struct {
	id string
	y  float64
}

// String returns the kind's name as Dump writes it.
func (k PageKind) String() string {
	switch k {
	case PageOpener:
		return "opener"
	case PageCover:
		return "cover"
	case PageTitle:
		return "title"
	case PageTOC:
		return "toc"
	case PageBlank:
		return "blank"
	case PageNotes:
		return "notes"
	}
	return "body"
}

// dumpItem writes one placed item.
func dumpItem(b *strings.Builder, pl Placed) {
	it := pl.Item
	switch it.Kind {
	case ItemSpace:
		fmt.Fprintf(b, "  space %.2f\n", it.H)
		return
	}
	var texts []Op
	for _, o := range it.Ops {
		switch o.Kind {
		case OpText:
			o.X += pl.X
			o.Y += pl.Y
			texts = append(texts, o)
		case OpImage:
			fmt.Fprintf(b, "  image %.2f,%.2f %.2f×%.2f\n", o.X+pl.X, o.Y+pl.Y, o.W, o.H)
		case OpQR:
			fmt.Fprintf(b, "  qr %.2f,%.2f %.2f %s\n", o.X+pl.X, o.Y+pl.Y, o.W, o.Text)
		}
	}
	if len(texts) == 0 {
		if it.Kind == ItemBlock {
			fmt.Fprintf(b, "  block h=%.2f\n", it.H)
		}
		return
	}
	tag := it.Tag
	if tag == "" {
		tag = "-"
	}
	for li, ln := range TextLines(texts) {
		t := tag
		if li > 0 {
			t = "+"
		}
		fmt.Fprintf(b, "  %.2f %s", ln.Base, t)
		if it.Group != 0 && li == 0 {
			fmt.Fprintf(b, " g%d %d/%d", it.Group, it.Idx+1, it.N)
		}
		if it.Ragged {
			b.WriteString(" ragged")
		}
		if it.Hyph && li == 0 {
			b.WriteString(" hyph")
		}
		gap := "-"
		if g, ok := ln.MedianGap(); ok {
			gap = fmt.Sprintf("%.2f", g)
		}
		fmt.Fprintf(b, " x=%.2f..%.2f %s/%g gap=%s | %s\n", ln.X0, ln.X1, ln.Face, ln.Size, gap, strings.Join(ln.Words, " "))
	}
}

// TextLine is the text of one baseline of an item, as Dump reads it:
// its extent, the face and size most of its characters are set in, its
// words and the spaces between them.
type TextLine struct {
	Base, X0, X1 float64
	Face         string
	Size         float64
	Words        []string
	Gaps         []float64 // between words, in mm
}

// MedianGap returns the median space between words in ems.
func (l TextLine) MedianGap() (float64, bool) {
	if len(l.Gaps) == 0 || l.Size == 0 {
		return 0, false
	}
	g := append([]float64(nil), l.Gaps...)
	sort.Float64s(g)
	m := g[len(g)/2]
	if len(g)%2 == 0 {
		m = (g[len(g)/2-1] + g[len(g)/2]) / 2
	}
	return m / (l.Size * PtMM), true
}

// TextLines groups text operations into lines by baseline (a raised
// footnote mark belongs to the line below it) and operations that touch
// into words.
func TextLines(ops []Op) []TextLine {
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].Y < ops[j].Y })
	var lines []TextLine
	for i := 0; i < len(ops); {
		// A line's operations lie within 40% of the largest size above
		// its baseline: a superscript's baseline is higher, never lower.
		j := i + 1
		for j < len(ops) && ops[j].Y-ops[i].Y < ops[i].Style.Size*PtMM*0.6 {
			j++
		}
		group := append([]Op(nil), ops[i:j]...)
		sort.SliceStable(group, func(a, b int) bool { return group[a].X < group[b].X })
		ln := TextLine{Base: math.Inf(-1), X0: math.Inf(1), X1: math.Inf(-1)}
		chars := map[string]int{}
		var cur strings.Builder
		end := math.NaN()
		for _, o := range group {
			ln.Base = math.Max(ln.Base, o.Y)
			ln.X0 = math.Min(ln.X0, o.X)
			ln.X1 = math.Max(ln.X1, o.X+o.W)
			key := fmt.Sprintf("%s/%g", o.Style.Face, o.Style.Size)
			chars[key] += len(o.Text)
			// Operations closer than a twentieth of an em are one word.
			if !math.IsNaN(end) && o.X-end > o.Style.Size*PtMM*0.05 {
				ln.Words = append(ln.Words, cur.String())
				ln.Gaps = append(ln.Gaps, o.X-end)
				cur.Reset()
			}
			cur.WriteString(o.Text)
			end = o.X + o.W
		}
		ln.Words = append(ln.Words, cur.String())
		best := ""
		for k, n := range chars {
			if n > chars[best] || n == chars[best] && k < best {
				best = k
			}
		}
		fmt.Sscanf(strings.Replace(best, "/", " ", 1), "%s %g", &ln.Face, &ln.Size)
		lines = append(lines, ln)
		i = j
	}
	return lines
}
