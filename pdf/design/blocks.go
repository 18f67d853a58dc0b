package design

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// Ctx is the measure and style blocks are set in: lists and quotes
// narrow it, footnotes and tables shrink the type.
type Ctx struct {
	X, W  float64 // left edge (from the text area's left) and width
	Size  float64 // font size, pt
	Lead  float64 // line height, mm
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
func (t *Design) BodyCtx() Ctx {
	return Ctx{W: t.Geometry.TextW(), Size: t.Geometry.Body, Lead: t.Geometry.Lead}
}

func (c Ctx) style() layout.Style {
	return layout.Style{Face: fonts.Regular, Size: c.Size, Color: ColText}
}

// Parskip is the space between paragraphs.
func (c Ctx) Parskip() float64 { return c.Lead * 0.4 }

// blocks sets bs into f. A paragraph that ends in a colon and is followed
// by a list introduces it: it is kept on the page of the list's first two
// items (its lines are tagged "lead").
func (t *Design) blocks(f *layout.Flow, bs []tree.Block, c Ctx) {
	for i, b := range bs {
		if l, ok := b.(*tree.List); ok && i > 0 && leadsIn(bs[i-1]) {
			for _, it := range f.Items[t.lastPara:] {
				if it.Kind == layout.ItemLine {
					it.Tag = "lead"
				}
			}
			start := len(f.Items)
			starts := t.list(f, l, c)
			end := len(f.Items)
			if len(starts) > 2 {
				end = starts[2]
			}
			for _, it := range f.Items[min(start, end):end] {
				if it.Kind != layout.ItemSpace {
					it.Keep = true
				}
			}
			continue
		}
		if _, ok := b.(*tree.Paragraph); ok {
			t.lastPara = len(f.Items)
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

func (t *Design) block(f *layout.Flow, b tree.Block, c Ctx) {
	prev := t.Src
	t.Src = b
	defer func() { t.Src = prev }()
	switch b := b.(type) {
	case *tree.Paragraph:
		t.Paragraph(f, b.Content, c, b.Pos, layout.AlignJustify)
	case *tree.Heading:
		t.heading(f, b, c)
	case *tree.List:
		t.list(f, b, c)
	case *tree.CodeBlock:
		t.code(f, b, c)
	case *tree.Quote:
		t.quote(f, b, c)
	case *tree.Rule:
		f.Space(c.Lead * 0.6)
		w := c.W * 0.3
		f.Add(&layout.Item{Kind: layout.ItemBlock, H: layout.Grid(c.Lead * 0.4), SrcBlock: t.Src, Ops: []layout.Op{{Kind: layout.OpRect, X: c.X + (c.W-w)/2, Y: c.Lead * 0.2, W: w, H: 0.25, Color: ColRule}}})
		f.Space(c.Lead * 0.6)
	case *tree.Table:
		t.table(f, b, c)
	case *tree.Figure:
		t.figure(f, b, c)
	}
}

// Paragraph sets inline content as a justified Paragraph.
func (t *Design) Paragraph(f *layout.Flow, ins []tree.Inline, c Ctx, pos tree.Pos, al layout.Align) {
	_, end := t.Open("P")
	defer end()
	ws, notes := t.words(ins, c.style(), pos)
	t.notes = append(t.notes, notes...)
	if len(ws) == 0 {
		return
	}
	for _, it := range t.TextItems(ws, c.X, c.W, c.Size, c.Lead, al, "p") {
		f.Add(it)
	}
	if c.tight {
		f.Space(c.Lead * 0.12)
	} else {
		f.Space(c.Parskip())
	}
}

// HeadingSize returns the font size and line height of a heading level.
func (t *Design) HeadingSize(level int) (size, lead float64) {
	b := t.Geometry.Body
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
	return size, layout.Grid(size * 1.3 * layout.PtMM)
}

// heading sets a heading inside a chapter (level 3 and below), or a stray
// level-1/2 heading in the back matter.
func (t *Design) heading(f *layout.Flow, h *tree.Heading, c Ctx) {
	size, lead := t.HeadingSize(h.Level)
	st := layout.Style{Face: fonts.Bold, Size: size, Color: ColText}
	if h.Level >= 5 {
		st.Face = fonts.BoldItalic
	}
	var ws []layout.Word
	if h.Number != "" && h.Level >= 3 {
		n := st
		n.Color = ColAccent
		ws = t.Plain(h.Number, n, nil, h.Pos)
		ws[len(ws)-1].Space = t.Fonts.Face(st.Face).RuneWidth(' ', size) * layout.PtMM * 1.6
	}
	_, end := t.Open("H" + strconv.Itoa(min(max(h.Level, 1), 6)))
	defer end()
	hw, notes := t.words(h.Content, st, h.Pos)
	t.notes = append(t.notes, notes...)
	ws = append(ws, hw...)
	f.Space(c.Lead * 1.1)
	items := t.TextItems(ws, c.X, c.W, size, lead, layout.AlignLeft, "h")
	for i, it := range items {
		it.Heading = true
		if i > 0 {
			it.Keep = true
		}
	}
	items[0].Anchors = []string{h.ID}
	// A heading is never broken across pages: it begins at its first
	// word (its number is no word of the EPUB's).
	for i, it := range items {
		it.SrcWord = -1
		if i == 0 {
			it.SrcWord = 0
		}
	}
	for _, it := range items {
		f.Add(it)
	}
	f.Space(c.Lead * 0.35)
	// Keep the heading with at least three lines of what follows.
	f.KeepNext = 3
}

// list sets a bullet or numbered list with hanging indents.
//
// It returns the index in f.items where each item begins.
func (t *Design) list(f *layout.Flow, l *tree.List, c Ctx) []int {
	st := c.style()
	face := t.Fonts.Face(fonts.Regular)
	indent := layout.Grid(c.Size * 1.9 * layout.PtMM)
	if l.Ordered {
		last := strconv.Itoa(l.Start+len(l.Items)-1) + "."
		if w := face.Width(last, c.Size)*layout.PtMM + c.Size*0.6*layout.PtMM; w > indent {
			indent = layout.Grid(w)
		}
	}
	bullets := []string{"•", "–", "◦"}
	inner := c
	if c.nest < maxIndents {
		inner.X += indent
		inner.W -= indent
	} else {
		c.X -= indent // the markers hang where the last indented list's do
	}
	inner.depth++
	inner.nest++
	inner.tight = l.Tight
	starts := make([]int, 0, len(l.Items))
	list := t.NewNode("L", t.parent)
	for i, it := range l.Items {
		start := len(f.Items)
		starts = append(starts, start)
		li := t.NewNode("LI", list)
		lbl := t.NewNode("Lbl", li)
		leave := t.Enter(t.NewNode("LBody", li))
		t.blocks(f, it.Blocks, inner)
		leave()
		var marker string
		if l.Ordered {
			marker = strconv.Itoa(l.Start+i) + "."
		} else {
			marker = bullets[c.depth%len(bullets)]
			if !layout.HasGlyph(face, []rune(marker)[0]) {
				marker = "-"
			}
		}
		// Hang the marker on the first text line of the item.
		for _, x := range f.Since(start) {
			if x.Kind == layout.ItemLine {
				mw := face.Width(marker, c.Size) * layout.PtMM
				x.Ops = append(x.Ops, layout.Op{Kind: layout.OpText, X: c.X + indent - mw - c.Size*0.45*layout.PtMM, Y: x.Base, W: mw, Style: st, Text: marker, Node: lbl})
				x.Tag = "li"
				break
			}
		}
		if l.Tight {
			f.Space(c.Lead * 0.12)
		}
	}
	f.Space(c.Parskip())
	return starts
}

// code sets a code block in mono on a tinted background (on screen) or in
// a hairline frame (in print, which has no tints). Lines longer than the
// measure wrap, the continuation marked with an arrow in the margin. A
// block broken across pages leaves its frame open at the break.
func (t *Design) code(f *layout.Flow, cb *tree.CodeBlock, c Ctx) {
	size := layout.Grid(c.Size*0.84*4) / 4
	lead := layout.Grid(size * 1.42 * layout.PtMM)
	pad := layout.Grid(c.Lead * 0.5)
	face := t.Fonts.Face(fonts.Mono)
	cw := face.RuneWidth('m', size) * layout.PtMM
	inner := c.W - 2*pad
	perLine := int(inner / cw)
	if perLine < 10 {
		perLine = 10
	}
	st := layout.Style{Face: fonts.Mono, Size: size, Color: ColCodeText}
	mark := "↪"
	if !layout.HasGlyph(face, '↪') {
		mark = "»"
	}
	var rows []string
	var cont []bool
	var before []int // per row: the block's words before it, -1 inside a word
	words := 0
	for _, ln := range strings.Split(strings.TrimSuffix(cb.Text, "\n"), "\n") {
		lineStart := len(rows)
		ln = expandTabs(ln)
		ln = t.Drawable(ln, face, cb.Pos)
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
	f.Space(c.Lead * 0.2)
	g := t.NewGroup()
	node := t.NewNode("Code", t.parent)
	base := t.Baseline(size, lead)
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
		it := &layout.Item{Kind: layout.ItemLine, H: layout.Grid(h), Base: top + base, Group: g, Idx: i, N: len(rows), Tag: "code", SrcBlock: t.Src, SrcWord: before[i],
			Keep: i > 0 && (i < 2 || len(rows)-i < 2)}
		if t.print {
			const th = 0.2
			it.Ops = append(it.Ops,
				layout.Op{Kind: layout.OpRect, X: c.X, Y: 0, W: th, H: layout.Grid(h), Color: ColRule},
				layout.Op{Kind: layout.OpRect, X: c.X + c.W - th, Y: 0, W: th, H: layout.Grid(h), Color: ColRule})
			if i == 0 {
				it.Ops = append(it.Ops, layout.Op{Kind: layout.OpRect, X: c.X, Y: 0, W: c.W, H: th, Color: ColRule})
			}
			if i == len(rows)-1 {
				it.Ops = append(it.Ops, layout.Op{Kind: layout.OpRect, X: c.X, Y: layout.Grid(h) - th, W: c.W, H: th, Color: ColRule})
			}
		} else {
			it.Ops = append(it.Ops, layout.Op{Kind: layout.OpRect, X: c.X, Y: 0, W: c.W, H: layout.Grid(h), Color: ColCodeBg})
		}
		x := c.X + pad
		if cont[i] {
			m := st
			m.Color = ColMuted
			mw := face.Width(mark, size) * layout.PtMM
			it.Ops = append(it.Ops, layout.Op{Kind: layout.OpText, X: x, Y: top + base, W: mw, Style: m, Text: mark})
			x += 2 * cw
		}
		if strings.TrimSpace(r) != "" {
			it.Ops = append(it.Ops, layout.Op{Kind: layout.OpText, X: x, Y: top + base, W: face.Width(r, size) * layout.PtMM, Style: st, Text: r, Node: node})
		}
		f.Add(it)
	}
	f.Space(c.Parskip() + c.Lead*0.2)
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

// quote sets a block quote: indented, with a bar at the left.
func (t *Design) quote(f *layout.Flow, q *tree.Quote, c Ctx) {
	if c.nest >= maxIndents {
		t.blocks(f, q.Blocks, c)
		return
	}
	inner := c
	inner.nest++
	ind := layout.Grid(c.Size * 1.5 * layout.PtMM)
	inner.X += ind
	inner.W -= ind
	f.Space(c.Lead * 0.2)
	start := len(f.Items)
	leave := t.Enter(t.NewNode("BlockQuote", t.parent))
	t.blocks(f, q.Blocks, inner)
	leave()
	f.TrimSpace()
	for _, it := range f.Since(start) {
		it.Ops = append(it.Ops, layout.Op{Kind: layout.OpRect, X: c.X + ind*0.3, Y: 0, W: 0.7, H: it.H, Color: ColQuote})
		for i := range it.Ops {
			if it.Ops[i].Kind == layout.OpText && it.Ops[i].Style.Color == ColText {
				it.Ops[i].Style.Color = ColMuted
			}
		}
	}
	f.Space(c.Parskip() + c.Lead*0.2)
}

// figure sets a local image scaled to the measure (less when that would
// make it taller than 60% of the page), with its alt text as a caption.
func (t *Design) figure(f *layout.Flow, fig *tree.Figure, c Ctx) {
	img := fig.Image
	file := img.File
	if file == nil || file.Width <= 0 || file.Height <= 0 || !drawableImage(file.MediaType) {
		if file != nil {
			t.Diags.Warnf(fig.Pos, "pdf: cannot draw image %s (%s); its alt text is shown instead", diag.Quote(img.Src), file.MediaType)
		}
		t.Paragraph(f, []tree.Inline{img}, c, fig.Pos, layout.AlignCenter)
		return
	}
	w := c.W
	h := w * float64(file.Height) / float64(file.Width)
	if max := t.Geometry.TextH() * 0.6; h > max {
		h = max
		w = h * float64(file.Width) / float64(file.Height)
	}
	h = layout.Grid(h)
	f.Space(c.Lead * 0.4)
	fn := t.NewNode("Figure", t.parent)
	fn.Alt = img.Alt
	if fn.Alt == "" {
		fn.Alt = t.wd.Image
	}
	f.Add(&layout.Item{Kind: layout.ItemBlock, H: h, SrcBlock: t.Src, Ops: []layout.Op{{Kind: layout.OpImage, X: c.X + (c.W-w)/2, Y: 0, W: w, H: h, File: file, Node: fn}}})
	if img.Alt != "" {
		leave := t.Enter(fn)
		_, end := t.Open("Caption")
		defer func() { end(); leave() }()
		cap := c
		cap.Size = c.Size * 0.88
		cap.Lead = layout.Grid(c.Lead * 0.88)
		st := cap.style().Italic()
		st.Color = ColMuted
		ws := t.Plain(img.Alt, st, nil, fig.Pos)
		f.Space(c.Lead * 0.3)
		items := t.TextItems(ws, c.X, c.W, cap.Size, cap.Lead, layout.AlignCenter, "cap")
		items[0].Keep = true // a caption stays with its image
		for _, it := range items {
			f.Add(it)
		}
	}
	f.Space(c.Parskip() + c.Lead*0.3)
}

func drawableImage(mt string) bool {
	return mt == "image/png" || mt == "image/jpeg" || mt == "image/gif"
}

// notesBlock sets the footnotes collected since the last call, at the end
// of a chapter, under a short rule.
func (t *Design) notesBlock(f *layout.Flow, c Ctx) {
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
	f.Space(c.Lead * 1.2)
	f.Add(&layout.Item{Kind: layout.ItemBlock, H: layout.Grid(c.Lead * 0.6), Ops: []layout.Op{{Kind: layout.OpRect, X: c.X, Y: 0, W: c.W * 0.25, H: 0.25, Color: ColRule}}})
	n := c
	n.Size = c.Size * 0.86
	n.Lead = layout.Grid(c.Lead * 0.86)
	ind := layout.Grid(n.Size * 2 * layout.PtMM)
	n.X += ind
	n.W -= ind
	for _, fn := range notes {
		start := len(f.Items)
		note := t.NewNode("Note", t.parent)
		note.ID = fn.ID
		lbl := t.NewNode("Lbl", note)
		leave := t.Enter(note)
		t.blocks(f, fn.Blocks, n)
		leave()
		t.notes = nil // notes inside notes are not collected again
		for _, x := range f.Since(start) {
			if x.Kind == layout.ItemLine {
				st := n.style()
				st.Color = ColAccent
				s := strconv.Itoa(fn.Number) + "."
				x.Ops = append(x.Ops, layout.Op{Kind: layout.OpText, X: c.X, Y: x.Base, W: t.Fonts.Face(fonts.Regular).Width(s, n.Size) * layout.PtMM, Style: st, Text: s, Node: lbl})
				x.Anchors = append(x.Anchors, fn.ID)
				break
			}
		}
		for _, x := range f.Since(start) {
			if x.Kind == layout.ItemLine {
				x.Tag = "note"
			}
		}
	}
}
