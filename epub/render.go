package epub

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/genai-handbook/handbook/compile/tree"
)

// renderer writes the body of one content document as XHTML.
type renderer struct {
	l      *layout
	images map[string]string // tree.File.Path → href from the content directory
	buf    *bytes.Buffer     // the output; the caller's, so one buffer serves every document
	base   int               // the tree heading level rendered as h1 in this document
	last   int               // the level of the last heading written (h1 = 1)
	notes  []*tree.Footnote
	done   map[*tree.Footnote]bool

	// Page breaks (see pages.go): those of the block being written that
	// are still due, and its words so far.
	pb      *pageBreaks
	pending []tree.PageStart
	word    int
	gap     bool
}

// newRenderer returns a renderer that appends to buf.
func newRenderer(l *layout, images map[string]string, base int, buf *bytes.Buffer) *renderer {
	return &renderer{l: l, images: images, buf: buf, base: base, last: 1, done: map[*tree.Footnote]bool{}, pb: l.pb}
}

func (r *renderer) s(s string) { r.buf.WriteString(s) }

// text writes escaped character data.
func (r *renderer) text(s string) { escape(r.buf, s, false) }

// attr writes ` name="value"` with value escaped.
func (r *renderer) attr(name, value string) {
	r.buf.WriteByte(' ')
	r.buf.WriteString(name)
	r.buf.WriteString(`="`)
	escape(r.buf, value, true)
	r.buf.WriteByte('"')
}

// level maps a tree heading level to the level written in this document:
// relative to the document's top heading (h1), never below h2 (h1 is the
// document's title) and never more than one deeper than the heading
// before it, so that no level is skipped.
func (r *renderer) level(treeLevel int) int {
	n := treeLevel - r.base + 1
	n = max(n, 2)
	n = min(n, r.last+1, 6)
	r.last = n
	return n
}

// heading writes a tree heading below the document's title.
func (r *renderer) heading(h *tree.Heading) {
	n := strconv.Itoa(r.level(h.Level))
	r.s("<h" + n)
	if id := r.l.id(h.ID); id != "" {
		r.attr("id", id)
	}
	r.s(">")
	r.begin(h, true)
	if h.Number != "" {
		r.s(`<span class="num">`)
		r.text(h.Number)
		r.s("</span> ")
	}
	r.inlines(h.Content)
	r.end()
	r.s("</h" + n + ">\n")
}

// titleHeading writes the document's h1 for a chapter or part heading h,
// with its label ("Chapter 2", "Section I") on a line of its own above
// the title: a line of its own needs no colon.
func (r *renderer) titleHeading(h *tree.Heading, id, label string, content []tree.Inline, fallback string) {
	r.s("<h1")
	r.attr("id", id)
	r.s(">")
	if h != nil {
		r.begin(h, true)
	}
	if label != "" {
		r.s(`<span class="label">`)
		r.text(label)
		r.s("</span> ")
	}
	if len(content) > 0 {
		r.inlines(content)
	} else {
		r.text(fallback)
	}
	r.end()
	r.s("</h1>\n")
	r.last = 1
}

func (r *renderer) blocks(bs []tree.Block) {
	for _, b := range bs {
		r.block(b)
	}
}

func (r *renderer) block(b tree.Block) {
	switch b := b.(type) {
	case *tree.Heading:
		r.heading(b)
	case *tree.Paragraph:
		r.s("<p>")
		r.begin(b, false)
		r.inlines(b.Content)
		r.end()
		r.s("</p>\n")
	case *tree.List:
		r.list(b)
	case *tree.CodeBlock:
		r.s(`<pre class="code"`)
		if lang := classSafe(b.Lang); lang != "" {
			r.attr("data-lang", lang)
		}
		r.s("><code")
		if lang := classSafe(b.Lang); lang != "" {
			r.attr("class", "language-"+lang)
		}
		r.s(">")
		r.begin(b, false)
		r.wtext(strings.TrimSuffix(b.Text, "\n"))
		r.end()
		r.s("</code></pre>\n")
	case *tree.Quote:
		r.s("<blockquote>\n")
		r.blocks(b.Blocks)
		r.s("</blockquote>\n")
	case *tree.Rule:
		r.begin(b, true)
		r.end()
		r.s("<hr/>\n")
	case *tree.Table:
		r.table(b)
	case *tree.Figure:
		r.figure(b)
	}
}

func (r *renderer) list(l *tree.List) {
	tag := "ul"
	if l.Ordered {
		tag = "ol"
	}
	r.s("<" + tag)
	if l.Ordered && l.Start != 1 {
		r.attr("start", strconv.Itoa(l.Start))
	}
	r.s(">\n")
	for _, it := range l.Items {
		r.s("<li>")
		for i, b := range it.Blocks {
			// A tight list's leading paragraph is written without <p>, as
			// the site shows it; nested blocks follow on their own.
			if p, ok := b.(*tree.Paragraph); ok && l.Tight && i == 0 {
				r.begin(p, false)
				r.inlines(p.Content)
				r.end()
				if len(it.Blocks) > 1 {
					r.s("\n")
				}
				continue
			}
			r.block(b)
		}
		r.s("</li>\n")
	}
	r.s("</" + tag + ">\n")
}

var alignClass = [...]string{tree.AlignNone: "", tree.AlignLeft: "left", tree.AlignCenter: "center", tree.AlignRight: "right"}

func (r *renderer) table(t *tree.Table) {
	cols := len(t.Header)
	for _, row := range t.Rows {
		cols = max(cols, len(row))
	}
	align := func(i int) string {
		if i < len(t.Align) && int(t.Align[i]) >= 0 && int(t.Align[i]) < len(alignClass) {
			return alignClass[t.Align[i]]
		}
		return ""
	}
	cell := func(tag string, i int, content []tree.Inline) {
		r.s("<" + tag)
		if tag == "th" {
			r.attr("scope", "col")
		}
		if a := align(i); a != "" {
			r.attr("class", a)
		}
		r.s(">")
		r.gap = true // a cell's first word is a word of its own
		r.inlines(content)
		r.s("</" + tag + ">")
	}
	// The wrapper scrolls a wide table sideways on a phone instead of
	// letting it overflow the page.
	r.s("<div class=\"table-wrap\">")
	r.begin(t, false)
	defer r.s("</div>\n")
	defer r.end()
	r.s("<table>\n")
	if len(t.Header) > 0 {
		r.s("<thead><tr>")
		for i := 0; i < cols; i++ {
			var c []tree.Inline
			if i < len(t.Header) {
				c = t.Header[i]
			}
			cell("th", i, c)
		}
		r.s("</tr></thead>\n")
	}
	if len(t.Rows) > 0 {
		r.s("<tbody>\n")
		for _, row := range t.Rows {
			r.s("<tr>")
			for i := 0; i < cols; i++ {
				var c []tree.Inline
				if i < len(row) {
					c = row[i]
				}
				cell("td", i, c)
			}
			r.s("</tr>\n")
		}
		r.s("</tbody>\n")
	}
	r.s("</table>")
}

func (r *renderer) figure(f *tree.Figure) {
	im := f.Image
	if im == nil {
		return
	}
	r.begin(f, true)
	defer r.end()
	src := r.imageHref(im)
	if src == "" {
		// Not embedded: the alt text stands in, as a link when the image
		// lives on the web (we never fetch it).
		r.s(`<p class="image-missing">`)
		r.image(im)
		r.s("</p>\n")
		return
	}
	r.s("<figure>")
	r.s("<img")
	r.attr("src", src)
	r.attr("alt", im.Alt)
	r.s("/>")
	if im.Title != "" {
		r.s("<figcaption>")
		r.text(im.Title)
		r.s("</figcaption>")
	}
	r.s("</figure>\n")
}

func (r *renderer) imageHref(im *tree.Image) string {
	if im.File == nil {
		return ""
	}
	return r.images[im.File.Path]
}

// image writes an inline image: embedded when local, else its alt text
// (linked to the source when remote).
func (r *renderer) image(im *tree.Image) {
	if src := r.imageHref(im); src != "" {
		r.s(`<img class="inline"`)
		r.attr("src", src)
		r.attr("alt", im.Alt)
		r.s("/>")
		return
	}
	alt := im.Alt
	if alt == "" {
		alt = "image"
	}
	if href := externalHref(im.Src); href != "" {
		r.s(`<a class="remote-image"`)
		r.attr("href", href)
		r.s(">")
		r.text(alt)
		r.s("</a>")
		return
	}
	r.s(`<span class="image-alt">`)
	r.text(alt)
	r.s("</span>")
}

func (r *renderer) inlines(ins []tree.Inline) {
	for _, in := range ins {
		r.inline(in)
	}
}

func (r *renderer) inline(in tree.Inline) {
	switch in := in.(type) {
	case *tree.Text:
		r.wtext(in.Text)
	case *tree.Code:
		r.s("<code>")
		r.wtext(in.Text)
		r.s("</code>")
	case *tree.Emph:
		r.s("<em>")
		r.inlines(in.Content)
		r.s("</em>")
	case *tree.Strong:
		r.s("<strong>")
		r.inlines(in.Content)
		r.s("</strong>")
	case *tree.Strike:
		r.s("<del>")
		r.inlines(in.Content)
		r.s("</del>")
	case *tree.Link:
		r.link(in)
	case *tree.LineBreak:
		r.s("<br/>\n")
		r.gap = true
	case *tree.Footnote:
		r.noteref(in)
	case *tree.Image:
		r.image(in)
	}
}

func (r *renderer) link(l *tree.Link) {
	var href string
	if l.IsInternal() {
		// A broken internal link (no target) becomes plain text rather
		// than a dangling href.
		href = r.l.href(l.Target)
	} else {
		href = externalHref(l.URL)
	}
	if href == "" {
		r.s(`<span class="unlinked">`)
		r.inlines(l.Content)
		r.s("</span>")
		return
	}
	r.s("<a")
	r.attr("href", href)
	if l.Title != "" {
		r.attr("title", l.Title)
	}
	r.s(">")
	if len(l.Content) == 0 {
		r.wtext(l.URL)
	} else {
		r.inlines(l.Content)
	}
	r.s("</a>")
}

func (r *renderer) noteref(fn *tree.Footnote) {
	ids := r.l.notes[fn]
	if r.done[fn] {
		// A note referenced twice is written once; the second reference
		// links to it without repeating the reference id.
		r.s(`<sup><a epub:type="noteref" role="doc-noteref"`)
		r.attr("href", "#"+ids.note)
		r.s(">")
		r.text(strconv.Itoa(fn.Number))
		r.s("</a></sup>")
		return
	}
	r.done[fn] = true
	r.notes = append(r.notes, fn)
	r.s(`<sup><a epub:type="noteref" role="doc-noteref"`)
	r.attr("id", ids.ref)
	r.attr("href", "#"+ids.note)
	r.s(">")
	r.text(strconv.Itoa(fn.Number))
	r.s("</a></sup>")
}

// footnotes writes the notes referenced in this document as EPUB 3
// footnote asides, each starting with a link back to its reference. Notes
// referenced from inside notes are appended as they are met.
func (r *renderer) footnotes() {
	for i := 0; i < len(r.notes); i++ {
		fn := r.notes[i]
		ids := r.l.notes[fn]
		r.s(`<aside epub:type="footnote" role="doc-footnote" class="footnote"`)
		r.attr("id", ids.note)
		r.s(">")
		back := func() {
			r.s(`<a class="backlink" role="doc-backlink"`)
			r.attr("href", "#"+ids.ref)
			r.s(">")
			r.text(strconv.Itoa(fn.Number) + ".")
			r.s("</a> ")
		}
		bs := fn.Blocks
		if p, ok := first(bs).(*tree.Paragraph); ok {
			r.s("<p>")
			back()
			r.begin(p, false) // a printed page may begin in a note
			r.inlines(p.Content)
			r.end()
			r.s("</p>\n")
			bs = bs[1:]
		} else {
			r.s("<p>")
			back()
			r.s("</p>\n")
		}
		saved := r.last
		r.blocks(bs)
		r.last = saved
		r.s("</aside>\n")
	}
	r.notes = r.notes[:0]
}

func first(bs []tree.Block) tree.Block {
	if len(bs) == 0 {
		return nil
	}
	return bs[0]
}

// externalHref returns the href for a link that leaves the book: the URL
// with the characters that are not allowed in one percent-encoded, or ""
// when the URL has no scheme (a relative link into the web site, which
// has no counterpart in the book).
//
// A URL has a scheme exactly when url.Parse would find one, or would fail
// after finding one (e.g. on a bad escape or host), which is the test
// this used to be written with; hasScheme decides it without parsing and
// allocating the whole URL.
func externalHref(u string) string {
	u = strings.TrimSpace(u)
	if !hasScheme(u) {
		return ""
	}
	return encodeURL(u)
}

// hasScheme reports whether u starts with a URL scheme and a colon.
func hasScheme(u string) bool {
	i := strings.IndexByte(u, ':')
	if i <= 0 {
		return false
	}
	for j, c := range u[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// encodeURL percent-encodes spaces, controls and the ASCII characters a
// URL may not contain, leaving everything else (including existing
// escapes and non-ASCII letters) alone.
func encodeURL(u string) string {
	bad := func(c byte) bool { return c < 0x20 || c == 0x7f || strings.IndexByte(" \"<>\\^`{|}", c) >= 0 }
	i := 0
	for i < len(u) && !bad(u[i]) {
		i++
	}
	if i == len(u) {
		return u // the usual case: nothing to encode
	}
	const hex = "0123456789ABCDEF"
	var sb strings.Builder
	sb.Grow(len(u) + 16)
	sb.WriteString(u[:i])
	for ; i < len(u); i++ {
		c := u[i]
		if bad(c) {
			sb.WriteByte('%')
			sb.WriteByte(hex[c>>4])
			sb.WriteByte(hex[c&15])
			continue
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// classSafe keeps the characters of a code block's language that are safe
// in a class name.
func classSafe(s string) string {
	var sb strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '+' {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// escape writes s as XML character data (or attribute value). Characters
// that XML 1.0 forbids are replaced by U+FFFD; everything else stays
// UTF-8, so no named entity ever appears.
//
// Runs of characters that need no escaping are copied in one write: most
// text has few or none, and this is the innermost loop of rendering.
func escape(buf *bytes.Buffer, s string, attr bool) {
	start := 0 // s[start:i] is pending, unescaped
	for i := 0; i < len(s); {
		c := s[i]
		var repl string
		n := 1
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				repl = "&amp;"
			case c == '<':
				repl = "&lt;"
			case c == '>':
				repl = "&gt;"
			case c == '"' && attr:
				repl = "&quot;"
			case c == '\n' && attr:
				repl = "&#10;"
			case c == '\t' && attr:
				repl = "&#9;"
			case c == '\r':
				// A bare CR would be folded into LF by any XML parser
				// (and into a space in an attribute value).
				repl = "&#13;"
			case c < 0x20 && c != '\n' && c != '\t':
				repl = "\uFFFD"
			default:
				i++
				continue
			}
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(s[i:])
			if !(r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF || r >= 0xD800 && r <= 0xDFFF) {
				i += n
				continue
			}
			repl = "\uFFFD"
		}
		buf.WriteString(s[start:i])
		buf.WriteString(repl)
		i += n
		start = i
	}
	buf.WriteString(s[start:])
}

// esc returns s escaped as XML character data or attribute value.
func esc(s string) string {
	var buf bytes.Buffer
	escape(&buf, s, true)
	if string(buf.Bytes()) == s {
		return s // nothing escaped: keep s rather than a copy
	}
	return buf.String()
}
