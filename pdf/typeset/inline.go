package typeset

import (
	"strconv"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// inliner turns inline nodes into words (see Words), as the edition shows
// them.
type inliner struct {
	*layout.Words
	t     *typesetter
	root  []tree.Inline    // the block's content, for a link's context
	notes []*tree.Footnote // footnotes met, in order
}

// words returns the words of ins set in style st.
func (t *typesetter) words(ins []tree.Inline, st layout.Style, pos tree.Pos) ([]layout.Word, []*tree.Footnote) {
	b := &inliner{Words: t.Setter.Words(pos), t: t, root: ins}
	b.inlines(ins, st, nil)
	return b.Done(), b.notes
}

func (b *inliner) inlines(ins []tree.Inline, st layout.Style, link *layout.Link) {
	for i, in := range ins {
		switch in := in.(type) {
		case *tree.Text:
			b.Text(in.Text, st, link)
		case *tree.Code:
			b.Text(in.Text, mono(st), link)
		case *tree.Emph:
			b.inlines(in.Content, st.Italic(), link)
		case *tree.Strong:
			b.inlines(in.Content, st.Bold(), link)
		case *tree.Strike:
			s := st
			s.Strike = true
			b.inlines(in.Content, s, link)
		case *tree.Link:
			if b.t.ed.print {
				b.printLink(in, st, inParens(ins, i))
				continue
			}
			l := &layout.Link{Source: true}
			switch {
			case in.Target != nil:
				l.Dest = in.Target.ID
			case in.IsInternal():
				l = nil // a broken internal link: the compiler has warned; set as text
			default:
				l.URI = in.URL
			}
			s := st
			if l != nil {
				s.Color = colLink
			}
			if l != nil && l.URI != "" && strings.TrimSpace(tree.PlainText(in.Content)) == "" {
				// A link without text ("[](url)") would be invisible and
				// unclickable: show its address instead.
				b.urlText(in, s, l)
				continue
			}
			b.inlines(in.Content, s, l)
		case *tree.LineBreak:
			b.Break()
		case *tree.Footnote:
			b.notes = append(b.notes, in)
			b.Synth(strconv.Itoa(in.Number), superscript(st, colLink), &layout.Link{Dest: in.ID})
		case *tree.Image:
			s := st.Italic()
			s.Color = colMuted
			alt := in.Alt
			if alt == "" {
				alt = "image"
			}
			var l *layout.Link
			if in.File == nil && in.IsRemote() { // a local image that could not be used is its alt text alone
				l = &layout.Link{URI: in.Src}
			}
			b.Synth("["+alt+"]", s, l)
			if l != nil && b.t.ed.print {
				b.mark(in.Src, alt, "", st)
			}
		}
	}
}

// printLink sets a link of the print edition, where a link is ink: the
// text of an external link is followed by the [n] mark of its entry in
// the section's Resources list, and an internal link by the chapter and
// page of its target, "(Chapter 47, p. 187)". Both stay clickable for
// readers of the PDF on a screen, but are not coloured.
//
// A link that ends a parenthesis, "(see [below](#x))", gets its
// reference inside it: "(see below, Chapter 6, p. 25)".
func (b *inliner) printLink(in *tree.Link, st layout.Style, parens bool) {
	switch {
	case in.Target != nil:
		l := &layout.Link{Source: true, Dest: in.Target.ID}
		b.inlines(in.Content, st, l)
		rs := st
		rs.Strike = false
		ref := b.t.pageRef(in.Target, tree.PlainText(in.Content))
		if parens {
			b.Synth(", "+ref, rs, l)
		} else {
			b.Synth(" ("+ref+")", rs, l)
		}
		// The label ends the word being made, in its last fragment.
		b.RefLast(in.Target.ID)
	case in.IsInternal():
		b.inlines(in.Content, st, nil) // broken: the compiler has warned
	default:
		l := &layout.Link{Source: true, URI: in.URL}
		title := strings.TrimSpace(tree.PlainText(in.Content))
		if title == "" {
			b.urlText(in, st, l)
		} else {
			b.inlines(in.Content, st, l)
		}
		ctx := ""
		if vague(title) {
			ctx = linkContext(b.root, in)
		}
		b.mark(in.URL, title, ctx, st)
	}
}

// inParens reports whether ins[i] ends a parenthesis: the text after it
// starts with ")" and an earlier text of the same run has an unclosed
// "(".
func inParens(ins []tree.Inline, i int) bool {
	if i == len(ins)-1 {
		return false
	}
	if next, ok := ins[i+1].(*tree.Text); !ok || !strings.HasPrefix(next.Text, ")") {
		return false
	}
	open := 0
	for _, in := range ins[:i] {
		if x, ok := in.(*tree.Text); ok {
			open += strings.Count(x.Text, "(") - strings.Count(x.Text, ")")
		}
	}
	return open > 0
}

// mark cites url in the current section (with ctx, the sentence it
// stands in, for a link whose text says little) and appends its
// superscript [n] mark, glued to the word before it and linked to the Resources entry.
// Brackets tell the marks from footnote numbers.
func (b *inliner) mark(url, title, ctx string, st layout.Style) {
	r := b.t.cite(url, title, ctx, b.Pos())
	if r == nil {
		return
	}
	b.Synth("["+strconv.Itoa(r.n)+"]", superscript(st, colText), &layout.Link{Dest: r.id})
}

// superscript is the style of a note or reference mark on text in st:
// smaller, raised, upright, in colour c.
func superscript(st layout.Style, c layout.RGB) layout.Style {
	s := st
	s.Face = fonts.Regular
	s.Size = st.Size * 0.68
	s.Rise = st.Size * 0.36 * layout.PtMM
	s.Color = c
	s.Strike = false
	return s
}

// urlText shows the address of a link without text. It counts as the
// block's words only when the link has no content at all, as the EPUB
// shows its address then (and whitespace otherwise).
func (b *inliner) urlText(in *tree.Link, st layout.Style, l *layout.Link) {
	if len(in.Content) == 0 {
		b.Text(in.URL, st, l)
		return
	}
	b.Synth(in.URL, st, l)
}
