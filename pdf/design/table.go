package design

import (
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// table sets a GFM table: columns sized from their content, each row one
// unbreakable item, the header in bold over a rule.
func (t *Design) table(f *layout.Flow, tb *tree.Table, c Ctx) {
	ncol := len(tb.Align)
	if ncol == 0 {
		return
	}
	size := c.Size * 0.9
	lead := layout.Grid(c.Lead * 0.9)
	pad := layout.Grid(size * 0.55 * layout.PtMM)
	body := layout.Style{Size: size, Color: ColText}
	head := body.Bold()

	rows := make([][][]layout.Word, 0, len(tb.Rows)+1)
	cells := func(r [][]tree.Inline, st layout.Style) [][]layout.Word {
		out := make([][]layout.Word, ncol)
		for i := 0; i < ncol && i < len(r); i++ {
			ws, notes := t.words(r[i], st, tb.Pos)
			t.notes = append(t.notes, notes...)
			out[i] = ws
		}
		return out
	}
	rows = append(rows, cells(tb.Header, head))
	for _, r := range tb.Rows {
		rows = append(rows, cells(r, body))
	}

	// Natural and minimal widths per column.
	nat := make([]float64, ncol)
	min := make([]float64, ncol)
	for _, r := range rows {
		for i, ws := range r {
			if w := layout.Width(ws); w > nat[i] {
				nat[i] = w
			}
			for _, w := range ws {
				if w.W > min[i] {
					min[i] = w.W
				}
			}
		}
	}
	avail := c.W - 2*pad*float64(ncol)
	widths := make([]float64, ncol)
	sumNat, sumMin := 0.0, 0.0
	for i := range nat {
		sumNat += nat[i]
		if min[i] > avail/float64(ncol) && min[i] > avail*0.4 {
			min[i] = avail * 0.4 // a long URL or code word: let it break
		}
		sumMin += min[i]
	}
	switch {
	case sumNat <= avail:
		// Spread the spare width evenly so short tables fill the measure.
		extra := (avail - sumNat) / float64(ncol)
		for i := range widths {
			widths[i] = nat[i] + extra
		}
	case sumMin <= avail:
		extra := avail - sumMin
		for i := range widths {
			widths[i] = min[i] + extra*(nat[i]-min[i])/(sumNat-sumMin)
		}
	default:
		for i := range widths {
			widths[i] = min[i] * avail / sumMin
		}
	}

	base := t.Baseline(size, lead)
	f.Space(c.Lead * 0.4)
	table := t.NewNode("Table", t.parent)
	prev := t.Node
	defer func() { t.Node = prev }()
	words := 0 // the table's words before the row
	for ri, r := range rows {
		rowWords := 0
		for _, ws := range r {
			for _, w := range ws {
				if w.Src > 0 {
					rowWords++
				}
			}
		}
		var lines [][]layout.Line
		maxN := 1
		for i, ws := range r {
			ls := t.Lines(ws, widths[i], cellAlign(tb.Align[i]))
			lines = append(lines, ls)
			if len(ls) > maxN {
				maxN = len(ls)
			}
		}
		h := layout.Grid(float64(maxN)*lead + 2*pad*0.8)
		it := &layout.Item{Kind: layout.ItemLine, H: h, Base: pad*0.8 + base, Tag: "row", SrcBlock: t.Src, SrcWord: words}
		words += rowWords
		if ri == 0 && !t.print { // print has no tints: the bold header and its rule suffice
			it.Ops = append(it.Ops, layout.Op{Kind: layout.OpRect, X: c.X, Y: 0, W: c.W, H: h, Color: ColCodeBg})
		}
		x := c.X
		tr := t.NewNode("TR", table)
		cell := "TD"
		if ri == 0 {
			cell = "TH"
		}
		for i, ls := range lines {
			t.Node = t.NewNode(cell, tr)
			al := cellAlign(tb.Align[i])
			for li, l := range ls {
				it.Ops = append(it.Ops, t.Render(l, x+pad, widths[i], pad*0.8+float64(li)*lead+base, al)...)
			}
			x += widths[i] + 2*pad
		}
		th := 0.2
		if ri == 0 {
			th = 0.45
		}
		it.Ops = append(it.Ops, layout.Op{Kind: layout.OpRect, X: c.X, Y: h - th, W: c.W, H: th, Color: ColRule})
		if ri == 1 {
			it.Keep = true // never leave a header alone at a page's foot
		}
		f.Add(it)
	}
	f.Space(c.Parskip() + c.Lead*0.4)
}

// cellAlign returns the alignment of a column's cells: as the table says,
// flush left by default.
func cellAlign(a tree.Align) layout.Align {
	switch a {
	case tree.AlignRight:
		return layout.AlignRight
	case tree.AlignCenter:
		return layout.AlignCenter
	}
	return layout.AlignLeft
}
