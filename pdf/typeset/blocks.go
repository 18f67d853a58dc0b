package typeset

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/fonts"
)

// bctx is the measure and style blocks are set in: lists and quotes
// narrow it, footnotes and tables shrink the type.
type bctx struct {
	x, w  float64 // left edge (from the text area's left) and width
	size  float64 // font size, pt
	lead  float64 // line height, mm
	depth int     // list nesting depth
	nest  int     // quote and list nesting depth, for maxIndents
	tight bool    // inside a tight list item: no space between paragraphs
}

// maxIndents is the most quotes and lists whose nesting indents the text.
// Deeper ones are set at the indent of the last that did (a list's
// markers hang at its level), without a quote's rule: a handbook nests
// two or three deep, and 100 levels of quotes had left no measure at
// all and drawn each line's rule a hundred times (issue 26, case 4).
const maxIndents = 8

// body returns the context of the main text.
func (t *typesetter) bodyCtx() bctx {
	return bctx{w: t.g.textW(), size: t.g.Body, lead: t.g.lead}
}

func (c bctx) style() Style { return Style{Face: fonts.Regular, Size: c.size, Color: colText} }

// parskip is the space between paragraphs.
func (c bctx) parskip() float64 { return c.lead * 0.4 }

// blocks sets bs into f. A paragraph that ends in a colon and is followed
// by a list introduces it: it is kept on the page of the list's first two
// items (its lines are tagged "lead").
func (t *typesetter) blocks(f *flow, bs []tree.Block, c bctx) {
	for i, b := range bs {
		if l, ok := b.(*tree.List); ok && i > 0 && leadsIn(bs[i-1]) {
			for _, it := range f.items[t.lastPara:] {
				if it.kind == kLine {
					it.tag = "lead"
				}
			}
			start := len(f.items)
			starts := t.list(f, l, c)
			end := len(f.items)
			if len(starts) > 2 {
				end = starts[2]
			}
			for _, it := range f.items[min(start, end):end] {
				if it.kind != kSpace {
					it.keep = true
				}
			}
			continue
		}
		if _, ok := b.(*tree.Paragraph); ok {
			t.lastPara = len(f.items)
		}
		t.block(f, b, c)
	}
}

// leadsIn reports whether b is a paragraph whose text ends in a colon.
func leadsIn(b tree.Block) bool {
	p, ok := b.(*tree.Paragraph)
	if !ok {
		return false
	}
	return strings.HasSuffix(strings.TrimSpace(tree.PlainText(p.Content)), ":")
}

func (t *typesetter) block(f *flow, b tree.Block, c bctx) {
	prev := t.src
	t.src = b
	defer func() { t.src = prev }()
	switch b := b.(type) {
	case *tree.Paragraph:
		t.paragraph(f, b.Content, c, b.Pos, alignJustify)
	case *tree.Heading:
		t.heading(f, b, c)
	case *tree.List:
		t.list(f, b, c)
	case *tree.CodeBlock:
		t.code(f, b, c)
	case *tree.Quote:
		t.quote(f, b, c)
	case *tree.Rule:
		f.space(c.lead * 0.6)
		w := c.w * 0.3
		f.add(&item{kind: kBlock, h: grid(c.lead * 0.4), srcBlock: t.src, ops: []Op{{Kind: OpRect, X: c.x + (c.w-w)/2, Y: c.lead * 0.2, W: w, H: 0.25, Color: colRule}}})
		f.space(c.lead * 0.6)
	case *tree.Table:
		t.table(f, b, c)
	case *tree.Figure:
		t.figure(f, b, c)
	}
}

// paragraph sets inline content as a justified paragraph.
func (t *typesetter) paragraph(f *flow, ins []tree.Inline, c bctx, pos tree.Pos, al alignment) {
	ws, notes := t.words(ins, c.style(), pos)
	t.notes = append(t.notes, notes...)
	if len(ws) == 0 {
		return
	}
	for _, it := range t.textItems(ws, c.x, c.w, c.size, c.lead, al, "p") {
		f.add(it)
	}
	if c.tight {
		f.space(c.lead * 0.12)
	} else {
		f.space(c.parskip())
	}
}

// headingSize returns the font size and line height of a heading level.
func (t *typesetter) headingSize(level int) (size, lead float64) {
	b := t.g.Body
	switch level {
	case 1:
		size = b * 2.3
	case 2:
		size = b * 1.55
	case 3:
		size = b * 1.3
	case 4:
		size = b * 1.12
	default:
		size = b
	}
	return size, grid(size * 1.3 * PtMM)
}

// heading sets a heading inside a chapter (level 3 and below), or a stray
// level-1/2 heading in the back matter.
func (t *typesetter) heading(f *flow, h *tree.Heading, c bctx) {
	size, lead := t.headingSize(h.Level)
	st := Style{Face: fonts.Bold, Size: size, Color: colText}
	if h.Level >= 5 {
		st.Face = fonts.BoldItalic
	}
	var ws []word
	if h.Number != "" && h.Level >= 3 {
		n := st
		n.Color = colAccent
		ws = t.plainWords(h.Number, n, nil, h.Pos)
		ws[len(ws)-1].space = t.fs.Face(st.Face).RuneWidth(' ', size) * PtMM * 1.6
	}
	hw, notes := t.words(h.Content, st, h.Pos)
	t.notes = append(t.notes, notes...)
	ws = append(ws, hw...)
	f.space(c.lead * 1.1)
	items := t.textItems(ws, c.x, c.w, size, lead, alignLeft, "h")
	for i, it := range items {
		it.heading = true
		if i > 0 {
			it.keep = true
		}
	}
	items[0].anchors = []string{h.ID}
	// A heading is never broken across pages: it begins at its first
	// word (its number is no word of the EPUB's).
	for i, it := range items {
		it.srcWord = -1
		if i == 0 {
			it.srcWord = 0
		}
	}
	for _, it := range items {
		f.add(it)
	}
	f.space(c.lead * 0.35)
	// Keep the heading with at least three lines of what follows.
	f.keepNext = 3
}

// list sets a bullet or numbered list with hanging indents.
//
// It returns the index in f.items where each item begins.
func (t *typesetter) list(f *flow, l *tree.List, c bctx) []int {
	st := c.style()
	face := t.fs.Face(fonts.Regular)
	indent := grid(c.size * 1.9 * PtMM)
	if l.Ordered {
		last := strconv.Itoa(l.Start+len(l.Items)-1) + "."
		if w := face.Width(last, c.size)*PtMM + c.size*0.6*PtMM; w > indent {
			indent = grid(w)
		}
	}
	bullets := []string{"•", "–", "◦"}
	inner := c
	if c.nest < maxIndents {
		inner.x += indent
		inner.w -= indent
	} else {
		c.x -= indent // the markers hang where the last indented list's do
	}
	inner.depth++
	inner.nest++
	inner.tight = l.Tight
	starts := make([]int, 0, len(l.Items))
	for i, it := range l.Items {
		start := len(f.items)
		starts = append(starts, start)
		t.blocks(f, it.Blocks, inner)
		var marker string
		if l.Ordered {
			marker = strconv.Itoa(l.Start+i) + "."
		} else {
			marker = bullets[c.depth%len(bullets)]
			if !hasGlyph(face, []rune(marker)[0]) {
				marker = "-"
			}
		}
		// Hang the marker on the first text line of the item.
		for _, x := range f.since(start) {
			if x.kind == kLine {
				mw := face.Width(marker, c.size) * PtMM
				x.ops = append(x.ops, Op{Kind: OpText, X: c.x + indent - mw - c.size*0.45*PtMM, Y: x.base, W: mw, Style: st, Text: marker})
				x.tag = "li"
				break
			}
		}
		if l.Tight {
			f.space(c.lead * 0.12)
		}
	}
	f.space(c.parskip())
	return starts
}

// code sets a code block in mono on a tinted background (on screen) or in
// a hairline frame (in print, which has no tints). Lines longer than the
// measure wrap, the continuation marked with an arrow in the margin. A
// block broken across pages leaves its frame open at the break.
func (t *typesetter) code(f *flow, cb *tree.CodeBlock, c bctx) {
	size := grid(c.size*0.84*4) / 4
	lead := grid(size * 1.42 * PtMM)
	pad := grid(c.lead * 0.5)
	face := t.fs.Face(fonts.Mono)
	cw := face.RuneWidth('m', size) * PtMM
	inner := c.w - 2*pad
	perLine := int(inner / cw)
	if perLine < 10 {
		perLine = 10
	}
	st := Style{Face: fonts.Mono, Size: size, Color: colCodeTxt}
	mark := "↪"
	if !hasGlyph(face, '↪') {
		mark = "»"
	}
	var rows []string
	var cont []bool
	var before []int // per row: the block's words before it, -1 inside a word
	words := 0
	for _, ln := range strings.Split(strings.TrimSuffix(cb.Text, "\n"), "\n") {
		lineStart := len(rows)
		ln = expandTabs(ln)
		ln = t.drawable(ln, face, cb.Pos)
		first := true
		for {
			n := utf8.RuneCountInString(ln)
			if n <= perLine || (!first && n <= perLine-2) {
				rows = append(rows, ln)
				cont = append(cont, !first)
				break
			}
			lim := perLine
			if !first {
				lim -= 2
			}
			cut := breakCode(ln, lim)
			rows = append(rows, ln[:cut])
			cont = append(cont, !first)
			ln = ln[cut:]
			first = false
		}
		for k := lineStart; k < len(rows); k++ {
			if k == lineStart {
				before = append(before, words)
			} else {
				before = append(before, -1) // a wrapped line's rest
			}
		}
		words += tree.CountWords(strings.Join(rows[lineStart:], ""))
	}
	f.space(c.lead * 0.2)
	t.group++
	g := t.group
	base := t.baseline(size, lead)
	for i, r := range rows {
		h := lead
		top := 0.0
		if i == 0 {
			h += pad
			top = pad
		}
		if i == len(rows)-1 {
			h += pad
		}
		it := &item{kind: kLine, h: grid(h), base: top + base, group: g, idx: i, n: len(rows), tag: "code", srcBlock: t.src, srcWord: before[i],
			keep: i > 0 && (i < 2 || len(rows)-i < 2)}
		if t.ed.print {
			const th = 0.2
			it.ops = append(it.ops,
				Op{Kind: OpRect, X: c.x, Y: 0, W: th, H: grid(h), Color: colRule},
				Op{Kind: OpRect, X: c.x + c.w - th, Y: 0, W: th, H: grid(h), Color: colRule})
			if i == 0 {
				it.ops = append(it.ops, Op{Kind: OpRect, X: c.x, Y: 0, W: c.w, H: th, Color: colRule})
			}
			if i == len(rows)-1 {
				it.ops = append(it.ops, Op{Kind: OpRect, X: c.x, Y: grid(h) - th, W: c.w, H: th, Color: colRule})
			}
		} else {
			it.ops = append(it.ops, Op{Kind: OpRect, X: c.x, Y: 0, W: c.w, H: grid(h), Color: colCodeBg})
		}
		x := c.x + pad
		if cont[i] {
			m := st
			m.Color = colMuted
			mw := face.Width(mark, size) * PtMM
			it.ops = append(it.ops, Op{Kind: OpText, X: x, Y: top + base, W: mw, Style: m, Text: mark})
			x += 2 * cw
		}
		if strings.TrimSpace(r) != "" {
			it.ops = append(it.ops, Op{Kind: OpText, X: x, Y: top + base, W: face.Width(r, size) * PtMM, Style: st, Text: r})
		}
		f.add(it)
	}
	f.space(c.parskip() + c.lead*0.2)
}

// breakCode returns the byte offset at which to wrap a code line of which
// at most lim runes fit: after the last space or punctuation in the
// line's final third, else at lim.
func breakCode(s string, lim int) int {
	idx := make([]int, 0, lim+1)
	for i := range s {
		idx = append(idx, i)
		if len(idx) > lim {
			break
		}
	}
	cut := idx[lim]
	for k := lim; k > lim*2/3; k-- {
		c := s[idx[k-1]]
		if c == ' ' || c == ',' || c == '/' || c == '.' || c == '(' || c == '&' || c == '=' {
			return idx[k]
		}
	}
	return cut
}

// expandTabs replaces tabs by spaces to the next multiple of 4 columns.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var sb strings.Builder
	col := 0
	for _, r := range s {
		if r == '\t' {
			n := 4 - col%4
			sb.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		sb.WriteRune(r)
		col++
	}
	return sb.String()
}

// drawable replaces characters face cannot draw, with a warning.
func (t *typesetter) drawable(s string, face *fonts.Font, pos tree.Pos) string {
	ok := true
	for _, r := range s {
		if r >= firstRTL {
			t.rightToLeft(r, pos)
		}
		if r != ' ' && !hasGlyph(face, r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var sb strings.Builder
	for _, r := range s {
		if r != ' ' && !hasGlyph(face, r) {
			if unicodeInvisible(r) {
				continue
			}
			if r = t.missing(r, face, pos); r < 0 {
				continue
			}
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

func unicodeInvisible(r rune) bool {
	return r == '\u200b' || r == '\u00ad' || r == '\ufeff' || r < 0x20
}

// since returns the items added to f after it had start items. Trimming
// trailing space can remove items from before start (an empty quote or
// list item adds only space), so start is clamped.
func (f *flow) since(start int) []*item { return f.items[min(start, len(f.items)):] }

// quote sets a block quote: indented, with a bar at the left.
func (t *typesetter) quote(f *flow, q *tree.Quote, c bctx) {
	if c.nest >= maxIndents {
		t.blocks(f, q.Blocks, c)
		return
	}
	inner := c
	inner.nest++
	ind := grid(c.size * 1.5 * PtMM)
	inner.x += ind
	inner.w -= ind
	f.space(c.lead * 0.2)
	start := len(f.items)
	t.blocks(f, q.Blocks, inner)
	f.trimSpace()
	for _, it := range f.since(start) {
		it.ops = append(it.ops, Op{Kind: OpRect, X: c.x + ind*0.3, Y: 0, W: 0.7, H: it.h, Color: colQuote})
		for i := range it.ops {
			if it.ops[i].Kind == OpText && it.ops[i].Style.Color == colText {
				it.ops[i].Style.Color = colMuted
			}
		}
	}
	f.space(c.parskip() + c.lead*0.2)
}

// figure sets a local image scaled to the measure (less when that would
// make it taller than 60% of the page), with its alt text as a caption.
func (t *typesetter) figure(f *flow, fig *tree.Figure, c bctx) {
	img := fig.Image
	file := img.File
	if file == nil || file.Width <= 0 || file.Height <= 0 || !drawableImage(file.MediaType) {
		if file != nil {
			t.diags.Warnf(fig.Pos, "pdf: cannot draw image %s (%s); its alt text is shown instead", diag.Quote(img.Src), file.MediaType)
		}
		t.paragraph(f, []tree.Inline{img}, c, fig.Pos, alignCenter)
		return
	}
	w := c.w
	h := w * float64(file.Height) / float64(file.Width)
	if max := t.g.textH() * 0.6; h > max {
		h = max
		w = h * float64(file.Width) / float64(file.Height)
	}
	h = grid(h)
	f.space(c.lead * 0.4)
	f.add(&item{kind: kBlock, h: h, srcBlock: t.src, ops: []Op{{Kind: OpImage, X: c.x + (c.w-w)/2, Y: 0, W: w, H: h, File: file}}})
	if img.Alt != "" {
		cap := c
		cap.size = c.size * 0.88
		cap.lead = grid(c.lead * 0.88)
		st := cap.style().italic()
		st.Color = colMuted
		ws := t.plainWords(img.Alt, st, nil, fig.Pos)
		f.space(c.lead * 0.3)
		items := t.textItems(ws, c.x, c.w, cap.size, cap.lead, alignCenter, "cap")
		items[0].keep = true // a caption stays with its image
		for _, it := range items {
			f.add(it)
		}
	}
	f.space(c.parskip() + c.lead*0.3)
}

func drawableImage(mt string) bool {
	return mt == "image/png" || mt == "image/jpeg" || mt == "image/gif"
}

// notesBlock sets the footnotes collected since the last call, at the end
// of a chapter, under a short rule.
func (t *typesetter) notesBlock(f *flow, c bctx) {
	if len(t.notes) == 0 {
		return
	}
	// A note referred to twice (or already set with an earlier chapter)
	// is set once: its marks all link to it.
	var notes []*tree.Footnote
	for _, fn := range t.notes {
		if !t.noteSet[fn] {
			t.noteSet[fn] = true
			notes = append(notes, fn)
		}
	}
	t.notes = nil
	if len(notes) == 0 {
		return
	}
	f.space(c.lead * 1.2)
	f.add(&item{kind: kBlock, h: grid(c.lead * 0.6), ops: []Op{{Kind: OpRect, X: c.x, Y: 0, W: c.w * 0.25, H: 0.25, Color: colRule}}})
	n := c
	n.size = c.size * 0.86
	n.lead = grid(c.lead * 0.86)
	ind := grid(n.size * 2 * PtMM)
	n.x += ind
	n.w -= ind
	for _, fn := range notes {
		start := len(f.items)
		t.blocks(f, fn.Blocks, n)
		t.notes = nil // notes inside notes are not collected again
		for _, x := range f.since(start) {
			if x.kind == kLine {
				st := n.style()
				st.Color = colAccent
				s := strconv.Itoa(fn.Number) + "."
				x.ops = append(x.ops, Op{Kind: OpText, X: c.x, Y: x.base, W: t.fs.Face(fonts.Regular).Width(s, n.size) * PtMM, Style: st, Text: s})
				x.anchors = append(x.anchors, fn.ID)
				break
			}
		}
		for _, x := range f.since(start) {
			if x.kind == kLine {
				x.tag = "note"
			}
		}
	}
}
