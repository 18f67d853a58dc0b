package compile

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
)

// inlineBuilder folds a stream of inline nodes and inline HTML tags
// (<b>…</b>, <a href>…</a>) into nested tree inlines. Tags that are never
// closed are closed at the end; end tags that match nothing are reported
// and ignored.
type inlineBuilder struct {
	c      *compiler
	frames []*inlineFrame // frames[0] is the root and is never popped
	skip   string         // an active element whose content is being dropped
}

type inlineFrame struct {
	tag     string // "strong", "em", "code", "strike", "a"; "" for the root
	flat    bool   // nested too deep: the content is its parent's (see open)
	href    string
	title   string
	pos     diag.Pos
	content []tree.Inline
	// text is text not yet in content: consecutive pieces of text are
	// gathered here and become one Text node when something else follows,
	// so that a paragraph of many pieces costs linear time (appending each
	// to the last Text node copied it again).
	text strings.Builder
}

// flush moves the gathered text into content.
func (f *inlineFrame) flush() {
	if f.text.Len() > 0 {
		f.content = append(f.content, &tree.Text{Text: f.text.String()})
		f.text.Reset()
	}
}

// append adds a node that is not text.
func (f *inlineFrame) append(in tree.Inline) {
	f.flush()
	f.content = append(f.content, in)
}

func newInlineBuilder(c *compiler) *inlineBuilder {
	return &inlineBuilder{c: c, frames: []*inlineFrame{{}}}
}

func (b *inlineBuilder) top() *inlineFrame { return b.frames[len(b.frames)-1] }

// text appends text, merging it with text just before it.
func (b *inlineBuilder) text(s string) {
	if s == "" || b.skip != "" {
		return
	}
	b.top().text.WriteString(s)
}

// add appends a finished inline node.
func (b *inlineBuilder) add(in tree.Inline) {
	if b.skip != "" {
		return
	}
	if t, ok := in.(*tree.Text); ok {
		b.text(t.Text)
		return
	}
	b.top().append(in)
}

// addAll appends inlines, as the content of an element that is dropped.
func (b *inlineBuilder) addAll(ins []tree.Inline) {
	for _, in := range ins {
		b.add(in)
	}
}

func (b *inlineBuilder) open(tag, href, title string, pos diag.Pos) {
	if b.skip != "" {
		return
	}
	fr := &inlineFrame{tag: tag, href: href, title: title, pos: pos}
	if b.c.inlineDepth+len(b.frames)-1 >= maxInlineNesting && tag != "a" {
		// Too deep: the element's end tag still closes it, but its
		// content joins its parent's (see pop).
		b.c.tooDeep(pos)
		fr.flat = true
	}
	b.frames = append(b.frames, fr)
}

// close ends the innermost open element named tag (an HTML name such as
// "b" or "a"), closing any elements opened inside it.
func (b *inlineBuilder) close(name string, pos diag.Pos) {
	tag := inlineTags[name]
	if tag == "" {
		return // an unsupported element; its start tag was reported
	}
	for i := len(b.frames) - 1; i > 0; i-- {
		if b.frames[i].tag == tag {
			for len(b.frames) > i {
				b.pop()
			}
			return
		}
	}
	b.c.diags.Warnf(pos, "unmatched </%s> ignored", diag.Cut(name))
}

func (b *inlineBuilder) pop() {
	f := b.top()
	f.flush()
	b.frames = b.frames[:len(b.frames)-1]
	if len(f.content) == 0 {
		return
	}
	if f.flat {
		b.addAll(f.content)
		return
	}
	switch f.tag {
	case "strong":
		b.add(&tree.Strong{Content: f.content})
	case "em":
		b.add(&tree.Emph{Content: f.content})
	case "strike":
		b.add(&tree.Strike{Content: f.content})
	case "code":
		b.add(&tree.Code{Text: tree.PlainText(f.content)})
	case "a":
		b.link(f.href, f.title, f.content, f.pos)
	}
}

// finish closes what is still open and returns the root's content.
func (b *inlineBuilder) finish() []tree.Inline {
	for len(b.frames) > 1 {
		b.pop()
	}
	b.frames[0].flush()
	return b.frames[0].content
}

// link appends a link, or only its text when its target cannot be a link
// in a book (see linkTarget).
func (b *inlineBuilder) link(url, title string, content []tree.Inline, pos diag.Pos) {
	if b.skip != "" {
		return
	}
	dest, ok := b.c.linkTarget(url, content, pos)
	if !ok {
		for _, in := range content {
			b.add(in)
		}
		return
	}
	b.top().append(&tree.Link{URL: dest, Title: title, Content: content, Pos: pos})
}

// image appends an image, or its alt text when its source has a scheme a
// book may not show (see imageSource).
func (b *inlineBuilder) image(src, alt, title string, pos diag.Pos) {
	if b.skip != "" {
		return
	}
	src, ok := b.c.imageSource(src, alt, pos)
	if !ok {
		b.text(alt)
		return
	}
	b.top().append(b.c.image(src, alt, title, pos))
}

// cleanURL is a link or image target as a browser reads it: without the
// space and control characters around it, and without the tabs and line
// breaks inside it ("java\tscript:" is "javascript:").
func cleanURL(u string) string {
	u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' || unicode.IsSpace(r) })
	if strings.ContainsAny(u, "\t\n\r") {
		u = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, u)
	}
	return u
}

// schemeOf returns the scheme of a cleaned URL, looking through character
// references too: "&#106;avascript:" is javascript: to a browser that
// reads the book's HTML. ok is false for a URL without a scheme.
func schemeOf(u string) (scheme string, ok bool) {
	if strings.IndexByte(u, '&') >= 0 {
		u = cleanURL(html.UnescapeString(u))
	}
	return tree.Scheme(u)
}

// linkTarget decides what a link in the source becomes. Only http, https
// and mailto links and #fragments are links in a book (tree.AllowedScheme):
// anything else — javascript:, data:, file:, other schemes, relative paths
// into the web site, however written — is the link's text alone, with a
// warning at the link that says what the book shows and how to fix it. A
// target wrapped in brackets, "[text]([https://…])", plainly means the URL
// inside: it is linked, with a warning.
func (c *compiler) linkTarget(raw string, content []tree.Inline, pos diag.Pos) (string, bool) {
	text := linkText(content, raw)
	u := cleanURL(raw)
	const shown = "the book shows its text without a link"
	switch {
	case u == "":
		c.diags.Warnf(pos, "link %s has no target: %s", diag.Quote(text), shown)
		return "", false
	case u[0] == '#':
		return u, true
	}
	if inner, ok := strings.CutPrefix(u, "["); ok && strings.HasSuffix(inner, "]") {
		inner = cleanURL(strings.TrimSuffix(inner, "]"))
		if s, ok := schemeOf(inner); ok && tree.AllowedScheme(s) && tree.IsSafeURL(inner) {
			c.diags.Warnf(pos, "link %s has its target in brackets %s: the book links it to %s; write the address without the brackets", diag.Quote(text), diag.Quote(u), diag.Quote(inner))
			return inner, true
		}
	}
	s, ok := schemeOf(u)
	sch := shortScheme(s)
	switch {
	case !ok:
		c.diags.Warnf(pos, "link %s has the relative target %s, which points into the web site: %s; write a full https:// address or a #heading link", diag.Quote(text), diag.Quote(u), shown)
		return "", false
	case s == "javascript" || s == "vbscript" || s == "data":
		c.diags.Warnf(pos, "link %s uses the scheme %s:, which could run code: %s", diag.Quote(text), sch, shown)
		return "", false
	case !tree.AllowedScheme(s):
		c.diags.Warnf(pos, "link %s uses the scheme %s:, which a book does not follow: %s; only http, https and mailto links are kept", diag.Quote(text), sch, shown)
		return "", false
	}
	if rs, _ := tree.Scheme(u); rs != s || !tree.IsSafeURL(u) {
		// The scheme is spelled with character references, or control
		// characters are left in the URL: no honest link looks like that.
		c.diags.Warnf(pos, "link %s has an obfuscated target %s: %s", diag.Quote(text), diag.Quote(u), shown)
		return "", false
	}
	return u, true
}

// linkText is a link's text as a message names it: its plain text
// without the quotation marks around it (the message quotes it), or the
// target when the link has no text.
func linkText(content []tree.Inline, target string) string {
	if t := strings.Trim(tree.PlainText(content), " \"'“”‘’"); t != "" {
		return t
	}
	return target
}

// imageSource decides whether an image's source may reach the book: a
// path in the source tree or an http(s) URL (which is not fetched). Any
// other scheme is the alt text alone, with a warning; so is a Windows
// drive ("C:\x.png"), a one-letter "scheme".
func (c *compiler) imageSource(raw, alt string, pos diag.Pos) (string, bool) {
	u := cleanURL(raw)
	if u == "" {
		// Send to Kindle rejects an EPUB with an <img> without src.
		c.diags.Warnf(pos, "image without a source (no src): the book shows its alt text %s instead", diag.Quote(alt))
		return "", false
	}
	s, ok := schemeOf(u)
	if !ok {
		return raw, true
	}
	if len(s) == 1 {
		// A Windows drive: a path that leaves the source root. The book
		// shows the alt text, and no "c:" link can reach it.
		c.diags.Warnf(pos, "image path %s leaves the source root: refused", diag.Quote(raw))
		return "", false
	}
	if s == "http" || s == "https" {
		if rs, _ := tree.Scheme(u); rs == s && tree.IsSafeURL(u) {
			return u, true
		}
	}
	c.diags.Warnf(pos, "image %s uses the scheme %s:, which a book does not show: the book shows its alt text %s instead", diag.Quote(u), shortScheme(s), diag.Quote(alt))
	return "", false
}

// shortScheme cuts a scheme for a message: a scheme is ASCII but may be
// any length.
func shortScheme(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}
