package compile

import (
	"strings"
	"unicode"

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
	href    string
	title   string
	pos     diag.Pos
	content []tree.Inline
}

func newInlineBuilder(c *compiler) *inlineBuilder {
	return &inlineBuilder{c: c, frames: []*inlineFrame{{}}}
}

func (b *inlineBuilder) top() *inlineFrame { return b.frames[len(b.frames)-1] }

// text appends text, merging it with a text node just before it.
func (b *inlineBuilder) text(s string) {
	if s == "" || b.skip != "" {
		return
	}
	f := b.top()
	if n := len(f.content); n > 0 {
		if t, ok := f.content[n-1].(*tree.Text); ok {
			f.content[n-1] = &tree.Text{Text: t.Text + s}
			return
		}
	}
	f.content = append(f.content, &tree.Text{Text: s})
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
	b.top().content = append(b.top().content, in)
}

func (b *inlineBuilder) open(tag, href, title string, pos diag.Pos) {
	if b.skip != "" {
		return
	}
	b.frames = append(b.frames, &inlineFrame{tag: tag, href: href, title: title, pos: pos})
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
	b.c.diags.Warnf(pos, "unmatched </%s> ignored", name)
}

func (b *inlineBuilder) pop() {
	f := b.top()
	b.frames = b.frames[:len(b.frames)-1]
	if len(f.content) == 0 {
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
	return b.frames[0].content
}

// link appends a link, or only its text when the target is unsafe or
// empty.
func (b *inlineBuilder) link(url, title string, content []tree.Inline, pos diag.Pos) {
	if b.skip != "" {
		return
	}
	if !b.c.safeURL(url, pos) || strings.TrimSpace(url) == "" {
		for _, in := range content {
			b.add(in)
		}
		return
	}
	url = strings.TrimSpace(url)
	if !strings.HasPrefix(url, "#") && !hasScheme(url) {
		// A relative link points into the web site, which the book does not
		// contain; on paper or in an e-reader it cannot be followed.
		hint := ""
		if strings.HasPrefix(url, "[") && strings.HasSuffix(url, "]") {
			hint = " (the URL is wrapped in brackets)"
		}
		b.c.diags.Warnf(pos, "link target %q is neither a URL nor an #anchor%s: shown as text", url, hint)
		for _, in := range content {
			b.add(in)
		}
		return
	}
	b.top().content = append(b.top().content, &tree.Link{URL: url, Title: title, Content: content, Pos: pos})
}

// hasScheme reports whether u starts with a URL scheme ("https:").
func hasScheme(u string) bool {
	for i, r := range u {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		case i > 0 && r == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// image appends an image, or its alt text when the source is unsafe.
func (b *inlineBuilder) image(src, alt, title string, pos diag.Pos) {
	if b.skip != "" {
		return
	}
	if !b.c.safeURL(src, pos) {
		b.text(alt)
		return
	}
	b.top().content = append(b.top().content, b.c.image(src, alt, title, pos))
}

// safeURL reports whether a link or image target may reach the book;
// script and data URLs never do.
func (c *compiler) safeURL(u string, pos diag.Pos) bool {
	// Browsers ignore control characters and white space inside a scheme
	// ("java\tscript:"), so compare without them.
	s := strings.Map(func(r rune) rune {
		if r <= ' ' || unicode.IsSpace(r) || unicode.IsControl(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, u)
	for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
		if strings.HasPrefix(s, scheme) {
			shown := u
			if len(shown) > 40 {
				shown = shown[:40] + "…"
			}
			c.diags.Warnf(pos, "unsafe link target %q dropped", shown)
			return false
		}
	}
	return true
}
