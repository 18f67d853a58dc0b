package pdf

import (
	"math"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
)

// tocEntry is one line of the table of contents and one outline item.
type tocEntry struct {
	level int    // 0: part (or Credits, Colophon), 1: chapter, 2: level-3 heading
	title string // as printed: "Section I: …", "Chapter 2: …", "2.1 …"
	id    string // the anchor it links to
	part  int    // the part's Number, for level 0 parts
	extra bool   // a page this package adds (Credits, Colophon), not a part
	label string // printed page number, set after pagination
}

// tocSection lays out the table of contents. Every entry is a link; its
// page number is right-aligned after a dot leader whose dots line up
// from entry to entry.
func (t *typesetter) tocSection(entries []tocEntry) *section {
	f := &flow{}
	c := t.bodyCtx()
	b := t.g.body
	f.add(strut(t.g.textH() * 0.05))
	size, lead := t.headingSize(2)
	st := tstyle{face: fonts.Bold, size: size, color: colText}
	t.displayLines(f, t.plainWords("Contents", st, nil, tree.Pos{}), c, size, lead, alignLeft, contentsID)
	f.add(&item{kind: kBlock, h: grid(c.lead * 1.4), keep: true, ops: []op{{kind: opRect, x: 0, y: c.lead * 0.6, w: c.w, h: 0.25, color: colRule}}})

	reg := t.fs.Face(fonts.Regular)
	numW := reg.Width("0000", b) * ptmm
	gap := b * 0.5 * ptmm
	right := c.w
	dot := ". "
	step := reg.Width(dot, b) * ptmm
	for _, e := range entries {
		es := tstyle{face: fonts.Regular, size: b, color: colText}
		indent, elead := 0.0, c.lead
		switch e.level {
		case 0:
			es = es.bold()
			f.space(c.lead * 0.7)
		case 1:
			indent = grid(b * 1.6 * ptmm)
		default:
			indent = grid(b * 3.6 * ptmm)
			es.size = b * 0.92
			es.color = colMuted
			elead = grid(c.lead * 0.92)
		}
		ws := t.plainWords(e.title, es, nil, tree.Pos{})
		avail := right - indent - numW - 3*gap
		lines := t.breakLines(ws, avail)
		base := t.baseline(es.size, elead)
		l := &linkRef{dest: e.id}
		for i, ln := range lines {
			it := &item{kind: kLine, h: elead, base: base, keep: i > 0}
			it.ops = t.renderLine(ln.words, indent, avail, base, alignLeft)
			it.ops = append(it.ops, op{kind: opLink, x: indent, y: 0, w: right - indent, h: elead, link: l})
			if i == len(lines)-1 {
				num := e.label
				ns := es
				ns.face = fonts.Regular
				if e.level == 0 {
					ns.face = fonts.Bold
				}
				nw := t.fs.Face(ns.face).Width(num, ns.size) * ptmm
				it.ops = append(it.ops, op{kind: opText, x: right - nw, y: base, w: nw, st: ns, s: num})
				// Leader dots on a grid anchored at the right so that they
				// line up in every entry.
				end := indent + lineWidth(ln.words) + gap
				xr := right - numW - gap
				if k := int(math.Floor((xr - end) / step)); k > 0 {
					ds := tstyle{face: fonts.Regular, size: b, color: colRule}
					s := strings.Repeat(dot, k)
					it.ops = append(it.ops, op{kind: opText, x: xr - float64(k)*step, y: base, w: float64(k) * step, st: ds, s: strings.TrimRight(s, " ")})
				}
			}
			f.add(it)
		}
	}
	return &section{kind: pgTOC, head: "Contents", items: f.items}
}
