package compile

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"golang.org/x/net/html"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
)

// This file is the HTML lowering pass. The handbook's page skeleton is raw
// HTML: <div class="section"> divisions with an <h1> title and a
// "section-summary" div, <h2> chapter headings, markdown="1" bodies. The
// HTML is tokenized (golang.org/x/net/html), never matched with regexes,
// and each element becomes a tree node or shapes the book structure.

// divKind classifies an open <div>.
type divKind int

const (
	divPlain   divKind = iota
	divSection         // class "section": one part of the book
	divSummary         // class "section-summary": the part's "Goal:" line
)

type divFrame struct {
	kind divKind
	pos  diag.Pos
}

// activeElements never reach the book: they would run code or restyle it.
var activeElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "object": true, "embed": true,
	"frame": true, "frameset": true, "applet": true, "noscript": true, "template": true,
	"form": true, "input": true, "button": true, "textarea": true, "select": true,
	"link": true, "meta": true, "base": true, "svg": true, "math": true,
}

// voidElements have no end tag, so skipping one must not wait for it.
var voidElements = map[string]bool{
	"embed": true, "input": true, "link": true, "meta": true, "base": true,
	"br": true, "img": true, "hr": true, "wbr": true, "area": true, "col": true, "source": true, "track": true, "param": true,
}

// inlineTags maps the inline HTML elements the book keeps to the frame
// names the inline builder folds them into.
var inlineTags = map[string]string{
	"b": "strong", "strong": "strong", "i": "em", "em": "em", "code": "code",
	"s": "strike", "del": "strike", "strike": "strike", "a": "a",
}

// capture collects inline content of an HTML heading, paragraph or
// summary until its end tag.
type capture struct {
	kind  string // "h" (heading), "p" (paragraph), "summary"
	level int
	id    string
	class []string
	pos   diag.Pos
	b     *inlineBuilder
}

// htmlBlock lowers one raw HTML block. Text that follows the block's
// elements on a line of its own is markdown again (kramdown ends an HTML
// element at its end tag, while CommonMark would swallow the text into the
// HTML block), so it is re-read as markdown.
func (c *compiler) htmlBlock(d *doc, n *ast.HTMLBlock, top bool, emit func(tree.Block)) {
	raw, offsets := blockBytes(d.src, n)
	// srcOff maps an offset in raw to one in d.src. Tokens come in order,
	// so the line they start on only moves forward: a cursor keeps the
	// mapping linear in the block's size.
	cur := 0
	srcOff := func(i int) int {
		if len(offsets) == 0 {
			return 0
		}
		if i < offsets[cur].raw {
			cur = 0
		}
		for cur+1 < len(offsets) && offsets[cur+1].raw <= i {
			cur++
		}
		return offsets[cur].src + i - offsets[cur].raw
	}
	z := html.NewTokenizer(bytes.NewReader(raw))
	var capt *capture
	skip := "" // an active element whose content is being dropped
	var skipPos diag.Pos
	flush := func() {
		if capt != nil {
			c.finishCapture(capt, top, emit)
			capt = nil
		}
	}
	off := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		start := off
		off += len(z.Raw())
		pos := c.pos(d, srcOff(start))
		switch tt {
		case html.TextToken:
			rawText := raw[start:off]
			if skip != "" {
				continue
			}
			if capt == nil {
				if i := markdownLine(rawText); i >= 0 {
					rest := raw[start+i:]
					c.parseDoc(&doc{src: append([]byte(nil), rest...), base: d.base + srcOff(start+i)}, func(b tree.Block) {
						if top {
							c.emitTop(b)
						} else {
							emit(b)
						}
					})
					return
				}
				if len(bytes.TrimSpace(rawText)) == 0 {
					continue
				}
				capt = &capture{kind: "p", pos: pos, b: newInlineBuilder(c)}
			}
			capt.b.text(collapseSpace(html.UnescapeString(string(rawText))))
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			name := tok.Data
			c.checkAttrs(tok, pos)
			if skip != "" {
				continue
			}
			if activeElements[name] {
				c.diags.Warnf(pos, "active content <%s> dropped", diag.Cut(name))
				if !voidElements[name] && tt != html.SelfClosingTagToken {
					skip, skipPos = name, pos
				}
				continue
			}
			switch {
			case name == "div":
				kind := divPlain
				classes := strings.Fields(attr(tok, "class"))
				switch {
				case hasClass(classes, "section-summary"):
					kind = divSummary
				case hasClass(classes, "section") && top:
					kind = divSection
				}
				flush()
				c.divs = append(c.divs, divFrame{kind: kind, pos: pos})
				if kind == divSection {
					c.openSection(pos)
				}
				if id := attr(tok, "id"); id != "" && top && c.part != nil && c.inSection() {
					c.divIDs[id] = c.part
				}
				if kind == divSummary {
					capt = &capture{kind: "summary", pos: pos, b: newInlineBuilder(c)}
				}
			case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
				flush()
				capt = &capture{kind: "h", level: int(name[1] - '0'), id: attr(tok, "id"),
					class: strings.Fields(attr(tok, "class")), pos: pos, b: newInlineBuilder(c)}
			case name == "p":
				flush()
				capt = &capture{kind: "p", pos: pos, b: newInlineBuilder(c)}
			case name == "br":
				if capt != nil {
					capt.b.add(&tree.LineBreak{})
				}
			case name == "hr":
				flush()
				emitBlock(c, top, emit, &tree.Rule{Pos: pos})
			default:
				if capt == nil {
					capt = &capture{kind: "p", pos: pos, b: newInlineBuilder(c)}
				}
				c.inlineTag(tok, tt, pos, capt.b)
			}
		case html.EndTagToken:
			tok := z.Token()
			name := tok.Data
			if skip != "" {
				if name == skip {
					skip = ""
				}
				continue
			}
			switch {
			case name == "div":
				if capt != nil && (capt.kind == "p" || capt.kind == "summary") {
					flush()
				}
				c.closeDiv(pos)
			case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
				if capt != nil && capt.kind == "h" {
					flush()
				} else {
					c.diags.Warnf(pos, "unmatched </%s> ignored", diag.Cut(name))
				}
			case name == "p":
				flush()
			case activeElements[name]:
				// its start tag was already reported
			default:
				if capt != nil {
					capt.b.close(name, pos)
				}
			}
		}
	}
	if skip != "" {
		c.diags.Warnf(skipPos, "unclosed <%s>: the rest of its HTML block dropped", diag.Cut(skip))
	}
	if capt != nil && capt.kind == "h" {
		c.diags.Warnf(capt.pos, "unclosed <h%d>", capt.level)
	}
	flush()
}

type offsetPair struct{ raw, src int }

// blockBytes returns the text of an HTML block and, for each of its lines,
// where it starts in the block text and in the source.
func blockBytes(src []byte, n *ast.HTMLBlock) ([]byte, []offsetPair) {
	var buf []byte
	var offs []offsetPair
	add := func(s, e int) {
		if len(offs) > 0 && offs[len(offs)-1].src+len(buf)-offs[len(offs)-1].raw == s {
			buf = append(buf, src[s:e]...) // contiguous: no new mapping needed
			return
		}
		offs = append(offs, offsetPair{raw: len(buf), src: s})
		buf = append(buf, src[s:e]...)
	}
	ls := n.Lines()
	for i := 0; i < ls.Len(); i++ {
		add(ls.At(i).Start, ls.At(i).Stop)
	}
	if n.HasClosure() {
		add(n.ClosureLine.Start, n.ClosureLine.Stop)
	}
	return buf, offs
}

// markdownLine finds, in text between tags, the start of a line that holds
// text of its own (markdown to be re-read), or -1.
func markdownLine(text []byte) int {
	for i := 0; i < len(text); i++ {
		if text[i] != '\n' {
			continue
		}
		j := i + 1
		for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
			j++
		}
		if j < len(text) && text[j] != '\n' {
			return i + 1
		}
	}
	return -1
}

var spaceRun = regexp.MustCompile(`[ \t\r\n]+`)

// collapseSpace turns whitespace runs in HTML text into single spaces, as a
// browser displays them.
func collapseSpace(s string) string { return spaceRun.ReplaceAllString(s, " ") }

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(classes []string, c string) bool {
	for _, x := range classes {
		if x == c {
			return true
		}
	}
	return false
}

// checkAttrs reports event-handler and styling attributes, which never
// reach the book (no attribute is copied from the source except the few
// the tree keeps). A colour or a width in the source would not survive a
// reader's night mode or a phone's screen: the books' stylesheets keep
// every text readable in both (see the EPUB's rendering test).
func (c *compiler) checkAttrs(tok html.Token, pos diag.Pos) {
	for _, a := range tok.Attr {
		switch {
		case strings.HasPrefix(a.Key, "on"):
			c.diags.Warnf(pos, "event-handler attribute %s on <%s> dropped", diag.Cut(a.Key), diag.Cut(tok.Data))
		case a.Key == "style" || a.Key == "color" || a.Key == "bgcolor" || a.Key == "width":
			c.diags.Warnf(pos, "%s attribute on <%s> dropped: the books set their own colours and sizes, which stay readable in night mode and on a phone's screen", a.Key, diag.Cut(tok.Data))
		}
	}
}

// inlineTag handles an inline element's start tag inside a capture or a
// paragraph's raw HTML.
func (c *compiler) inlineTag(tok html.Token, tt html.TokenType, pos diag.Pos, b *inlineBuilder) {
	name := tok.Data
	switch {
	case name == "br":
		b.add(&tree.LineBreak{})
	case name == "img":
		b.image(attr(tok, "src"), attr(tok, "alt"), attr(tok, "title"), pos)
	case inlineTags[name] != "":
		if tt == html.SelfClosingTagToken {
			return
		}
		b.open(inlineTags[name], attr(tok, "href"), attr(tok, "title"), pos)
	default:
		c.diags.Warnf(pos, "unsupported HTML element <%s>: its content is kept as text", diag.Cut(name))
	}
}

// inlineHTML lowers the raw HTML of one inline tag (or comment) that
// goldmark found inside a paragraph.
func (c *compiler) inlineHTML(d *doc, raw []byte, off int, b *inlineBuilder) {
	z := html.NewTokenizer(bytes.NewReader(raw))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		pos := c.pos(d, off)
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			c.checkAttrs(tok, pos)
			if activeElements[tok.Data] {
				c.diags.Warnf(pos, "active content <%s> dropped", diag.Cut(tok.Data))
				if !voidElements[tok.Data] && tt != html.SelfClosingTagToken {
					b.skip = tok.Data
				}
				continue
			}
			c.inlineTag(tok, tt, pos, b)
		case html.EndTagToken:
			tok := z.Token()
			if b.skip == tok.Data {
				b.skip = ""
				continue
			}
			if activeElements[tok.Data] {
				continue
			}
			b.close(tok.Data, pos)
		case html.TextToken:
			b.text(string(z.Text()))
		}
	}
}

func emitBlock(c *compiler, top bool, emit func(tree.Block), b tree.Block) {
	if top {
		c.emitTop(b)
		return
	}
	emit(b)
}

// finishCapture turns a completed capture into its node.
func (c *compiler) finishCapture(capt *capture, top bool, emit func(tree.Block)) {
	ins := trimInlines(capt.b.finish())
	// The text is smartened once ids and links are settled: ids follow
	// the text as the site has it, straight quotes and all.
	c.fromHTML = append(c.fromHTML, ins)
	switch capt.kind {
	case "summary":
		if c.part != nil && c.inSection() {
			c.part.Summary = stripGoal(ins)
			c.fromHTML = append(c.fromHTML, c.part.Summary)
		}
	case "h":
		h := &tree.Heading{
			Level:    capt.level,
			ID:       capt.id,
			Numbered: !hasClass(capt.class, "no-numbering"),
			InTOC:    !hasClass(capt.class, "no-toc"),
			Content:  ins,
			Pos:      capt.pos,
		}
		if strings.TrimSpace(tree.PlainText(ins)) == "" {
			c.diags.Warnf(capt.pos, "empty <h%d> heading dropped", capt.level)
			return
		}
		emitBlock(c, top, emit, h)
	default:
		if len(ins) == 0 {
			return
		}
		if len(ins) == 1 {
			if img, ok := ins[0].(*tree.Image); ok {
				emitBlock(c, top, emit, &tree.Figure{Image: img, Pos: capt.pos})
				return
			}
		}
		emitBlock(c, top, emit, &tree.Paragraph{Content: ins, Pos: capt.pos})
	}
}

// stripGoal removes the bold "Goal:" lead of a section summary.
func stripGoal(ins []tree.Inline) []tree.Inline {
	if len(ins) == 0 {
		return ins
	}
	if s, ok := ins[0].(*tree.Strong); ok && strings.EqualFold(strings.TrimSpace(tree.PlainText(s.Content)), "goal:") {
		return trimInlines(ins[1:])
	}
	if t, ok := ins[0].(*tree.Text); ok && len(t.Text) >= 5 && strings.EqualFold(t.Text[:5], "goal:") {
		rest := append([]tree.Inline{&tree.Text{Text: t.Text[5:]}}, ins[1:]...)
		return trimInlines(rest)
	}
	return ins
}

// trimInlines drops leading and trailing white space and line breaks.
func trimInlines(ins []tree.Inline) []tree.Inline {
	for len(ins) > 0 {
		switch t := ins[0].(type) {
		case *tree.Text:
			if s := strings.TrimLeft(t.Text, " \t\n"); s != t.Text {
				if s == "" {
					ins = ins[1:]
					continue
				}
				ins = append([]tree.Inline{&tree.Text{Text: s}}, ins[1:]...)
			}
		case *tree.LineBreak:
			ins = ins[1:]
			continue
		}
		break
	}
	for len(ins) > 0 {
		switch t := ins[len(ins)-1].(type) {
		case *tree.Text:
			if s := strings.TrimRight(t.Text, " \t\n"); s != t.Text {
				if s == "" {
					ins = ins[:len(ins)-1]
					continue
				}
				ins = append(append([]tree.Inline{}, ins[:len(ins)-1]...), &tree.Text{Text: s})
			}
		case *tree.LineBreak:
			ins = ins[:len(ins)-1]
			continue
		}
		break
	}
	return ins
}

// --- book structure ---
