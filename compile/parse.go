package compile

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content"
	"github.com/genai-handbook/handbook/content/diag"
)

// markdown is configured as Jekyll configures kramdown for this site
// (input: GFM, smart_quotes: lsquo,rsquo,ldquo,rdquo): GFM tables,
// strikethrough and footnotes, and typographic punctuation as real Unicode
// characters rather than the named entities goldmark emits by default.
// Bare-URL linkification stays off: kramdown's GFM parser does not do it,
// so text that merely mentions a URL is not a link on the site either.
// Its link parser is bounded (see nesting.go).
var markdown = goldmark.New(goldmark.WithParser(parser.NewParser(
	parser.WithBlockParsers(parser.DefaultBlockParsers()...),
	parser.WithInlineParsers(inlineParsers()...),
	parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
)), goldmark.WithExtensions(
	extension.Table,
	extension.Strikethrough,
	extension.Footnote,
	extension.NewTypographer(extension.WithTypographicSubstitutions(map[extension.TypographicPunctuation]string{
		extension.LeftSingleQuote:  "‘",
		extension.RightSingleQuote: "’",
		extension.LeftDoubleQuote:  "“",
		extension.RightDoubleQuote: "”",
		extension.EnDash:           "–",
		extension.EmDash:           "—",
		extension.Ellipsis:         "…",
		extension.LeftAngleQuote:   "«",
		extension.RightAngleQuote:  "»",
		extension.Apostrophe:       "’",
	})),
))

// compiler holds the state of one compilation.
type compiler struct {
	src   *content.Source
	diags diag.Diagnostics

	// Structure built by the lowering pass (see lower.go).
	fromHTML [][]tree.Inline // inline content lowered from raw HTML, smartened last
	pre      []tree.Block    // blocks before the first part (the author block)
	parts    []*tree.Part
	part     *tree.Part    // the part being filled; nil before the first
	chapter  *tree.Chapter // the chapter being filled; nil before the part's first
	back     []tree.Block  // blocks after the last section closed
	inBack   bool
	divs     []divFrame // open HTML <div> elements, across HTML blocks
	sections int        // <div class="section"> seen so far
	divIDs   map[string]*tree.Part

	// footnotes maps goldmark's footnote index (per parsed document) to its
	// definition. notes holds the
	// note made of each definition, so that a definition referenced again
	// is the same note (as the site shows it: one number, one text) and is
	// converted once; inNote is set while a note's content is converted,
	// where a reference is refused (it could refer back to the note).
	footnotes map[*doc]map[int]*east.Footnote
	notes     map[*east.Footnote]*tree.Footnote
	inNote    bool

	numberedNotes map[*tree.Footnote]bool // notes whose headings the number pass has seen

	// inlineDepth is how many inline elements (emphasis, links, inline
	// HTML) enclose the inlines being converted; flattened records the
	// positions already warned that elements beyond maxInlineNesting
	// were dropped.
	inlineDepth int
	flattened   map[diag.Pos]bool

	files     map[string]*tree.File // local images by cleaned path
	badImages map[string]string     // local images that cannot be used: why not

	authorBlock *tree.Paragraph // the author/version block, found by book()

	// blockPositions remembers blockPos for container blocks: a container's
	// position is that of its first leaf, and without it a list nested n
	// deep would walk down n levels for each of its n containers.
	blockPositions map[ast.Node]diag.Pos
}

func newCompiler(src *content.Source) *compiler {
	return &compiler{
		src:       src,
		divIDs:    map[string]*tree.Part{},
		footnotes: map[*doc]map[int]*east.Footnote{},
		notes:     map[*east.Footnote]*tree.Footnote{},

		numberedNotes: map[*tree.Footnote]bool{},
		files:         map[string]*tree.File{},
		badImages:     map[string]string{},

		blockPositions: map[ast.Node]diag.Pos{},
	}
}

// doc is one goldmark parse: the whole text, or a piece of an HTML block
// re-read as markdown. base is the offset of src within the source text.
type doc struct {
	src  []byte
	base int
}

func (c *compiler) pos(d *doc, off int) diag.Pos { return c.src.Pos(d.base + off) }

// parse runs goldmark over the whole text and lowers the result into the
// book structure.
func (c *compiler) parse() {
	text, cuts := flattenNesting(c.src.Text)
	for _, off := range cuts {
		c.diags.Warnf(c.src.Pos(off), "block quotes and lists nested more than %d deep: the deeper markers are dropped", maxLineNesting)
	}
	d := &doc{src: text}
	c.parseDoc(d, c.emitTop)
	c.finishStructure()
}

// parseDoc parses d and hands each top-level block to emit.
func (c *compiler) parseDoc(d *doc, emit func(tree.Block)) {
	root := markdown.Parser().Parse(text.NewReader(d.src), parser.WithContext(parser.NewContext()))
	c.collectFootnotes(d, root)
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		c.block(d, n, true, emit)
	}
}

func (c *compiler) collectFootnotes(d *doc, root ast.Node) {
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		if fl, ok := n.(*east.FootnoteList); ok {
			m := map[int]*east.Footnote{}
			for f := fl.FirstChild(); f != nil; f = f.NextSibling() {
				if fn, ok := f.(*east.Footnote); ok {
					m[fn.Index] = fn
				}
			}
			c.footnotes[d] = m
		}
	}
}

// blockPos is the position of a block node's first line.
func (c *compiler) blockPos(d *doc, n ast.Node) diag.Pos {
	if n.Type() == ast.TypeBlock {
		if ls := n.Lines(); ls != nil && ls.Len() > 0 {
			return c.pos(d, ls.At(0).Start)
		}
	}
	if p, ok := c.blockPositions[n]; ok {
		return p
	}
	var p diag.Pos
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if p = c.blockPos(d, ch); p.IsValid() {
			break
		}
		if t, ok := ch.(*ast.Text); ok {
			p = c.pos(d, t.Segment.Start)
			break
		}
	}
	c.blockPositions[n] = p
	return p
}

// block converts one goldmark block node. top says whether it stands at the
// top level of the page, where HTML divs and headings shape the book.
func (c *compiler) block(d *doc, n ast.Node, top bool, emit func(tree.Block)) {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		pos := c.blockPos(d, n)
		ins := c.inlines(d, n, pos)
		if len(ins) == 0 {
			return
		}
		if len(ins) == 1 {
			if img, ok := ins[0].(*tree.Image); ok {
				emit(&tree.Figure{Image: img, Pos: pos})
				return
			}
		}
		c.checkBrokenLinks(d, n, ins)
		emit(&tree.Paragraph{Content: ins, Pos: pos})
	case *ast.Heading:
		pos := c.blockPos(d, n)
		ins := c.inlines(d, n, pos)
		if strings.TrimSpace(tree.PlainText(ins)) == "" {
			c.diags.Warnf(pos, "empty heading dropped")
			return
		}
		emit(&tree.Heading{Level: n.Level, Content: ins, Numbered: true, InTOC: true, Pos: pos})
	case *ast.List:
		l := &tree.List{Ordered: n.IsOrdered(), Start: n.Start, Tight: n.IsTight, Pos: c.blockPos(d, n)}
		for it := n.FirstChild(); it != nil; it = it.NextSibling() {
			item := &tree.Item{}
			for b := it.FirstChild(); b != nil; b = b.NextSibling() {
				c.block(d, b, false, func(b tree.Block) { item.Blocks = append(item.Blocks, b) })
			}
			l.Items = append(l.Items, item)
		}
		emit(l)
	case *ast.FencedCodeBlock:
		lang := ""
		if n.Info != nil {
			lang, _, _ = strings.Cut(strings.TrimSpace(string(n.Info.Segment.Value(d.src))), " ")
		}
		emit(&tree.CodeBlock{Lang: lang, Text: string(linesText(d.src, n.Lines())), Pos: c.fencePos(d, n)})
	case *ast.CodeBlock:
		emit(&tree.CodeBlock{Text: string(linesText(d.src, n.Lines())), Pos: c.blockPos(d, n)})
	case *ast.Blockquote:
		q := &tree.Quote{Pos: c.blockPos(d, n)}
		for b := n.FirstChild(); b != nil; b = b.NextSibling() {
			c.block(d, b, false, func(b tree.Block) { q.Blocks = append(q.Blocks, b) })
		}
		emit(q)
	case *ast.ThematicBreak:
		emit(&tree.Rule{Pos: c.blockPos(d, n)})
	case *ast.HTMLBlock:
		c.htmlBlock(d, n, top, emit)
	case *east.Table:
		emit(c.table(d, n))
	case *east.FootnoteList:
		// Definitions are attached to their references (see inlines).
	default:
		c.diags.Warnf(c.blockPos(d, n), "unsupported markdown block %s dropped", n.Kind())
	}
}

// fencePos is the position of a fenced code block's opening fence: the
// line before its first content line (goldmark records only content lines).
func (c *compiler) fencePos(d *doc, n *ast.FencedCodeBlock) diag.Pos {
	if n.Info != nil {
		start := lineStart(d.src, n.Info.Segment.Start)
		return c.pos(d, start+countIndent(d.src[start:]))
	}
	if n.Lines().Len() > 0 {
		first := n.Lines().At(0).Start
		if first > 0 {
			start := lineStart(d.src, first-1)
			return c.pos(d, start+countIndent(d.src[start:]))
		}
	}
	return c.blockPos(d, n)
}

func lineStart(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return bytes.LastIndexByte(src[:off], '\n') + 1
}

func countIndent(b []byte) int {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i
}

func linesText(src []byte, ls *text.Segments) []byte {
	var buf bytes.Buffer
	for i := 0; i < ls.Len(); i++ {
		seg := ls.At(i)
		buf.Write(seg.Value(src))
	}
	return buf.Bytes()
}

func (c *compiler) table(d *doc, n *east.Table) *tree.Table {
	t := &tree.Table{Pos: c.blockPos(d, n)}
	for _, a := range n.Alignments {
		t.Align = append(t.Align, map[east.Alignment]tree.Align{
			east.AlignLeft: tree.AlignLeft, east.AlignCenter: tree.AlignCenter, east.AlignRight: tree.AlignRight,
		}[a])
	}
	for r := n.FirstChild(); r != nil; r = r.NextSibling() {
		var cells [][]tree.Inline
		for cell := r.FirstChild(); cell != nil; cell = cell.NextSibling() {
			cells = append(cells, c.inlines(d, cell, t.Pos))
		}
		// GFM pads short rows with empty cells and drops extra ones.
		for len(cells) < len(t.Align) {
			cells = append(cells, nil)
		}
		cells = cells[:len(t.Align)]
		if _, ok := r.(*east.TableHeader); ok {
			t.Header = cells
		} else {
			t.Rows = append(t.Rows, cells)
		}
	}
	c.checkTableWidth(t)
	return t
}

// inlines converts the inline children of n. Raw HTML tags among them are
// folded into inline nodes by an inlineBuilder.
func (c *compiler) inlines(d *doc, n ast.Node, pos diag.Pos) []tree.Inline {
	b := newInlineBuilder(c)
	c.inlineChildren(d, n, b, pos)
	return b.finish()
}

// maxInlineNesting is the most inline elements (emphasis, strikethrough,
// links, inline HTML) that may enclose one another. Text in a book is
// never emphasised dozens of times over; 100,000 nested emphases (200 KB
// of "*a ") made XHTML that the EPUB validator and reading systems
// refuse (issue 26, case 5). The elements beyond it are dropped and
// their text kept, with a warning.
const maxInlineNesting = 32

// nested converts the children of the inline element n, for n to wrap
// them. When n would be nested more than maxInlineNesting deep, it warns
// once at n's position, adds the children to b directly (not to an
// element of their own, whose text each level above would copy again)
// and returns false.
func (c *compiler) nested(d *doc, n ast.Node, b *inlineBuilder, pos diag.Pos) ([]tree.Inline, bool) {
	saved := c.inlineDepth
	depth := saved + len(b.frames) - 1 // the elements around n
	if depth >= maxInlineNesting {
		c.tooDeep(pos)
		c.inlineChildren(d, n, b, pos)
		return nil, false
	}
	c.inlineDepth = depth + 1
	inner := c.inlines(d, n, pos)
	c.inlineDepth = saved
	return inner, true
}

// tooDeep warns, once per position, that inline elements nested beyond
// maxInlineNesting were dropped.
func (c *compiler) tooDeep(pos diag.Pos) {
	if c.flattened[pos] {
		return
	}
	if c.flattened == nil {
		c.flattened = map[diag.Pos]bool{}
	}
	c.flattened[pos] = true
	c.diags.Warnf(pos, "emphasis, links and inline HTML nested more than %d deep: the deeper elements are dropped, their text kept", maxInlineNesting)
}

func (c *compiler) inlineChildren(d *doc, n ast.Node, b *inlineBuilder, pos diag.Pos) {
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		c.inline(d, ch, b, pos)
	}
}

func (c *compiler) inline(d *doc, n ast.Node, b *inlineBuilder, pos diag.Pos) {
	switch n := n.(type) {
	case *ast.Text:
		b.text(string(unescape(n.Segment.Value(d.src))))
		switch {
		case n.HardLineBreak():
			b.add(&tree.LineBreak{})
		case n.SoftLineBreak():
			b.text(" ")
		}
	case *ast.String:
		v := n.Value
		if !n.IsCode() && !n.IsRaw() {
			v = unescape(v)
		}
		b.text(string(v))
	case *ast.CodeSpan:
		var sb strings.Builder
		for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
			switch t := ch.(type) {
			case *ast.Text:
				sb.Write(t.Segment.Value(d.src))
			case *ast.String:
				sb.Write(t.Value)
			}
		}
		b.add(&tree.Code{Text: sb.String()})
	case *ast.Emphasis:
		inner, wrap := c.nested(d, n, b, pos)
		switch {
		case !wrap:
		case n.Level >= 2:
			b.add(&tree.Strong{Content: inner})
		default:
			b.add(&tree.Emph{Content: inner})
		}
	case *east.Strikethrough:
		if inner, wrap := c.nested(d, n, b, pos); wrap {
			b.add(&tree.Strike{Content: inner})
		}
	case *ast.Link:
		lpos := c.inlinePos(d, n, pos, 1)
		c.inlineDepth++ // links never nest, so a link is always kept
		inner := c.inlines(d, n, lpos)
		c.inlineDepth--
		b.link(string(n.Destination), string(n.Title), inner, lpos)
	case *ast.AutoLink:
		url := string(n.URL(d.src))
		label := string(n.Label(d.src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(url), "mailto:") {
			url = "mailto:" + url
		}
		b.link(url, "", []tree.Inline{&tree.Text{Text: label}}, pos)
	case *ast.Image:
		ipos := c.inlinePos(d, n, pos, 2)
		alt := tree.PlainText(c.inlines(d, n, ipos))
		b.image(string(n.Destination), alt, string(n.Title), ipos)
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			c.inlineHTML(d, seg.Value(d.src), seg.Start, b)
		}
	case *east.FootnoteLink:
		def := c.footnotes[d][n.Index]
		if def == nil {
			c.diags.Warnf(pos, "footnote %d has no definition", n.Index)
			return
		}
		if c.inNote {
			c.diags.Warnf(pos, "footnote reference %s inside a footnote: the book shows it as text", diag.Quote("[^"+string(def.Ref)+"]"))
			b.text("[^" + string(def.Ref) + "]")
			return
		}
		if fn := c.notes[def]; fn != nil {
			b.add(fn)
			return
		}
		fn := &tree.Footnote{} // numbered by the number pass, in reading order
		c.notes[def] = fn
		c.inNote = true
		for bl := def.FirstChild(); bl != nil; bl = bl.NextSibling() {
			c.block(d, bl, false, func(x tree.Block) { fn.Blocks = append(fn.Blocks, x) })
		}
		c.inNote = false
		b.add(fn)
	case *east.FootnoteBacklink:
		// goldmark's rendering aid; backends make their own back-links.
	default:
		c.diags.Warnf(pos, "unsupported markdown inline %s dropped", n.Kind())
	}
}

// inlinePos estimates the position of a link or image from its first text
// child: back bytes before it stands the "[" (or "![").
func (c *compiler) inlinePos(d *doc, n ast.Node, fallback diag.Pos, back int) diag.Pos {
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if t, ok := ch.(*ast.Text); ok && t.Segment.Start >= back {
			return c.pos(d, t.Segment.Start-back)
		}
		if p := c.inlinePos(d, ch, diag.Pos{}, back); p.IsValid() {
			return p
		}
	}
	return fallback
}

// unescape resolves backslash escapes and character references, which
// goldmark leaves in text segments for its renderer to resolve.
func unescape(b []byte) []byte {
	if bytes.IndexByte(b, '\\') < 0 && bytes.IndexByte(b, '&') < 0 {
		return b
	}
	b = util.UnescapePunctuations(b)
	b = util.ResolveNumericReferences(b)
	return util.ResolveEntityNames(b)
}

// linkLike matches "[text](target)" whose target has white space in it:
// in CommonMark that is no link at all (the target would need <…>), so
// the brackets and the target are printed as text.
var linkLike = regexp.MustCompile(`\[([^\[\]\n]*)\]\(([^()\s]*\s[^()]*)\)`)

// linkTitle matches a target that is a real link with a title after its
// URL ([a](https://x "Title")), or a URL in angle brackets, which may hold
// spaces.
var linkTitle = regexp.MustCompile(`^\S+\s+("[^"]*"|'[^']*'|\([^)]*\))\s*$|^<[^<>]*>$`)

// checkBrokenLinks warns about text that was meant as a link but is not
// one, such as `[a video](A Title With Spaces)`. A match of linkLike is
// such text when goldmark left its "]" as text (a real link consumes it);
// finding those brackets once per paragraph keeps the check linear.
func (c *compiler) checkBrokenLinks(d *doc, n ast.Node, ins []tree.Inline) {
	brackets := map[int]bool{} // offsets in d.src of "]" left as text
	ast.Walk(n, func(x ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := x.(type) {
		case *ast.Link, *ast.Image, *ast.CodeSpan, *ast.AutoLink, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			v := x.Segment.Value(d.src)
			for i := bytes.IndexByte(v, ']'); i >= 0; {
				brackets[x.Segment.Start+i] = true
				j := bytes.IndexByte(v[i+1:], ']')
				if j < 0 {
					break
				}
				i += 1 + j
			}
		}
		return ast.WalkContinue, nil
	})
	if len(brackets) == 0 {
		return
	}
	ls := n.Lines()
	for i := 0; i < ls.Len(); i++ {
		seg := ls.At(i)
		line := seg.Value(d.src)
		for _, m := range linkLike.FindAllSubmatchIndex(line, -1) {
			if !brackets[seg.Start+m[3]] || linkTitle.Match(line[m[4]:m[5]]) {
				continue // a real link
			}
			c.diags.Warnf(c.pos(d, seg.Start+m[0]), "link %s has a target with spaces: the book shows its text without a link; write [text](https://…)", diag.Quote(strings.Trim(string(line[m[2]:m[3]]), " \"'“”‘’")))
		}
	}
}
