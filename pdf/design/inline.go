package design

import (
	"strconv"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// Inliner turns inline nodes into words (see Words), as the edition shows
// them.
type Inliner struct {
	*layout.Words
	t     *Design
	root  []tree.Inline    // the block's content, for a link's context
	notes []*tree.Footnote // footnotes met, in order
}

// Root returns the content of the block whose words in makes.
func (b *Inliner) Root() []tree.Inline { return b.root }

// words returns the words of ins set in style st.
func (t *Design) words(ins []tree.Inline, st layout.Style, pos tree.Pos) ([]layout.Word, []*tree.Footnote) {
	b := &Inliner{Words: t.Setter.Words(pos), t: t, root: ins}
	b.Inlines(ins, st, nil)
	return b.Done(), b.notes
}

func (b *Inliner) Inlines(ins []tree.Inline, st layout.Style, link *layout.Link) {
	for i, in := range ins {
		switch in := in.(type) {
		case *tree.Text:
			b.Text(in.Text, st, link)
		case *tree.Code:
			b.Text(in.Text, mono(st), link)
		case *tree.Emph:
			b.Inlines(in.Content, st.Italic(), link)
		case *tree.Strong:
			b.Inlines(in.Content, st.Bold(), link)
		case *tree.Strike:
			s := st
			s.Strike = true
			b.Inlines(in.Content, s, link)
		case *tree.Link:
			if m := b.t.matter; m != nil {
				m.Link(b, in, st, inParens(ins, i))
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
				s.Color = ColLink
			}
			if l != nil && l.URI != "" && strings.TrimSpace(tree.PlainText(in.Content)) == "" {
				// A link without text ("[](url)") would be invisible and
				// unclickable: show its address instead.
				b.URLText(in, s, l)
				continue
			}
			b.Inlines(in.Content, s, l)
		case *tree.LineBreak:
			b.Break()
		case *tree.Footnote:
			b.notes = append(b.notes, in)
			b.Synth(strconv.Itoa(in.Number), Superscript(st, ColLink), &layout.Link{Dest: in.ID})
		case *tree.Image:
			s := st.Italic()
			s.Color = ColMuted
			alt := in.Alt
			if alt == "" {
				alt = b.t.wd.Image
			}
			var l *layout.Link
			if in.File == nil && in.IsRemote() { // a local image that could not be used is its alt text alone
				l = &layout.Link{URI: in.Src}
			}
			b.Synth("["+alt+"]", s, l)
			if m := b.t.matter; l != nil && m != nil {
				m.Mark(b, in.Src, alt, st)
			}
		}
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

// Superscript is the style of a note or reference mark on text in st:
// smaller, raised, upright, in colour c.
func Superscript(st layout.Style, c layout.RGB) layout.Style {
	s := st
	s.Face = fonts.Regular
	s.Size = st.Size * 0.68
	s.Rise = st.Size * 0.36 * layout.PtMM
	s.Color = c
	s.Strike = false
	return s
}

// URLText shows the address of a link without text. It counts as the
// block's words only when the link has no content at all, as the EPUB
// shows its address then (and whitespace otherwise).
func (b *Inliner) URLText(in *tree.Link, st layout.Style, l *layout.Link) {
	if len(in.Content) == 0 {
		b.Text(in.URL, st, l)
		return
	}
	b.Synth(in.URL, st, l)
}
