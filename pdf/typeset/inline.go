package typeset

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/bidi"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
)

// Link is the destination of one link in the text. Fragments of the
// same link share one *Link, which is how the line renderer knows
// which fragments make up one clickable area.
type Link struct {
	URI    string // external URL; "" for internal links
	Dest   string // anchor id of an internal link
	Source bool   // the link is a tree.Link (not a footnote mark or TOC entry)
}

// Frag is a piece of a word in one style.
type Frag struct {
	Text  string
	Style Style
	W     float64 // advance width in mm
	Link  *Link
	// Ref is the anchor id whose page label ends this fragment's text:
	// the print edition's "p. 12". Such a fragment is never cut, so
	// that typeset can put another label in its place (see patchRefs).
	Ref string
}

// Word is an unbreakable (unless split) run of fragments and the space
// after it.
type Word struct {
	Frags []Frag
	W     float64 // width in mm
	Space float64 // natural width of the space after the word; 0 when none
	Break bool    // a hard line break follows
	// Stretch and Shrink are how much the space after the word may grow
	// and Shrink when its line is justified (set by breakLines).
	Stretch, Shrink float64
	// Src is 1 + the index of the block's word (see tree.IsWordSpace)
	// that begins in this word; 0 when none does (text only this edition
	// shows, or the rest of a word broken across lines).
	Src int
}

// Words makes the words of a block's text: it measures every character
// with the font that will draw it (the symbol face for what the text's
// face lacks), reports characters no font can draw, and counts the
// block's words as the EPUB counts them (tree.IsWordSpace), so that a line
// knows which of them begins on it.
type Words struct {
	t   *Setter
	pos tree.Pos // the enclosing block's position, for diagnostics
	// The block's words, counted as the EPUB counts them: srcWords have
	// begun; gap is set after a word space (and at the start); synth is
	// set while text that only this edition shows is added.
	srcWords int
	gap      bool
	synth    bool
	words    []Word
	cur      Word

	// The text of cur's last fragment, while it grows. Most fragments
	// are a run of their source string, kept as src[i0:i1] without
	// copying; a fragment that changes or skips characters is built in
	// buf instead. open reports that the last fragment is still growing.
	open   bool
	src    string
	i0, i1 int
	buf    []byte
	inBuf  bool
}

// Words starts the words of the block at pos.
func (t *Setter) Words(pos tree.Pos) *Words {
	t.pos = pos
	return &Words{t: t, pos: pos, gap: true}
}

// Done finishes the last word and returns the words.
func (b *Words) Done() []Word {
	b.endWord(0)
	return b.words
}

// Break ends the current word with a hard line break.
func (b *Words) Break() {
	b.cur.Break = true
	b.endWord(0)
}

// RefLast marks the last fragment of the word being made as ending in
// the page label of anchor id (a page reference's "p. 12"): that
// fragment is never cut, so that another label can take its place (see
// patchRefs).
func (b *Words) RefLast(id string) {
	if n := len(b.cur.Frags); n > 0 {
		b.cur.Frags[n-1].Ref = id
	}
}

// inliner turns inline nodes into words (see Words), as the edition shows
// them.
type inliner struct {
	*Words
	t     *typesetter
	root  []tree.Inline    // the block's content, for a link's context
	notes []*tree.Footnote // footnotes met, in order
}

// words returns the words of ins set in style st.
func (t *typesetter) words(ins []tree.Inline, st Style, pos tree.Pos) ([]Word, []*tree.Footnote) {
	b := &inliner{Words: t.Setter.Words(pos), t: t, root: ins}
	b.inlines(ins, st, nil)
	return b.Done(), b.notes
}

// plainWords returns the words of a plain string.
func (t *Setter) plainWords(s string, st Style, link *Link, pos tree.Pos) []Word {
	b := t.Words(pos)
	b.text(s, st, link)
	return b.Done()
}

func (b *inliner) inlines(ins []tree.Inline, st Style, link *Link) {
	for i, in := range ins {
		switch in := in.(type) {
		case *tree.Text:
			b.text(in.Text, st, link)
		case *tree.Code:
			b.text(in.Text, st.mono(), link)
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
			l := &Link{Source: true}
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
			b.synthText(strconv.Itoa(in.Number), superscript(st, colLink), &Link{Dest: in.ID})
		case *tree.Image:
			s := st.Italic()
			s.Color = colMuted
			alt := in.Alt
			if alt == "" {
				alt = "image"
			}
			var l *Link
			if in.File == nil && in.IsRemote() { // a local image that could not be used is its alt text alone
				l = &Link{URI: in.Src}
			}
			b.synthText("["+alt+"]", s, l)
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
func (b *inliner) printLink(in *tree.Link, st Style, parens bool) {
	switch {
	case in.Target != nil:
		l := &Link{Source: true, Dest: in.Target.ID}
		b.inlines(in.Content, st, l)
		rs := st
		rs.Strike = false
		ref := b.t.pageRef(in.Target, tree.PlainText(in.Content))
		if parens {
			b.synthText(", "+ref, rs, l)
		} else {
			b.synthText(" ("+ref+")", rs, l)
		}
		// The label ends the word being made, in its last fragment.
		b.RefLast(in.Target.ID)
	case in.IsInternal():
		b.inlines(in.Content, st, nil) // broken: the compiler has warned
	default:
		l := &Link{Source: true, URI: in.URL}
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
func (b *inliner) mark(url, title, ctx string, st Style) {
	r := b.t.cite(url, title, ctx, b.pos)
	if r == nil {
		return
	}
	b.synthText("["+strconv.Itoa(r.n)+"]", superscript(st, colText), &Link{Dest: r.id})
}

// superscript is the style of a note or reference mark on text in st:
// smaller, raised, upright, in colour c.
func superscript(st Style, c RGB) Style {
	s := st
	s.Face = fonts.Regular
	s.Size = st.Size * 0.68
	s.Rise = st.Size * 0.36 * PtMM
	s.Color = c
	s.Strike = false
	return s
}

// text appends s: spaces end words, other characters extend the current one.
func (b *Words) text(s string, st Style, link *Link) {
	face := b.t.fs.Face(st.Face)
	for i, r := range s {
		orig := r
		if !b.synth {
			if tree.IsWordSpace(r) {
				b.gap = true
			} else if b.gap {
				b.gap = false
				b.srcWords++
				if b.cur.Src == 0 {
					b.cur.Src = b.srcWords
				}
			}
		}
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			b.endWord(face.RuneWidth(' ', st.Size) * PtMM)
			continue
		case r == '\u200b' || r == '\u00ad':
			continue // break hints: our breaker finds its own
		case r == '\u00a0':
			r = ' ' // no-break space: a space inside the word
		case unicode.Is(unicode.Cf, r) || unicode.IsControl(r):
			continue
		}
		if r >= firstRTL {
			b.t.rightToLeft(r, b.pos)
		}
		if !hasGlyph(face, r) {
			// The Symbol face draws what the text's face lacks (Greek,
			// arrows, mathematical signs), at the same size.
			if sym := b.t.fs.Face(fonts.Symbol); sym != nil && hasGlyph(sym, r) {
				ss := st
				ss.Face = fonts.Symbol
				b.add(r, sym.RuneWidth(r, st.Size)*PtMM, ss, link, s, i, r == orig)
				continue
			}
			r = b.t.missing(r, face, b.pos)
			if r < 0 {
				continue
			}
		}
		b.add(r, face.RuneWidth(r, st.Size)*PtMM, st, link, s, i, r == orig)
	}
}

// add appends rune r of width w to the current word. r was read from
// src at byte i; same reports that it is drawn as written there.
func (b *Words) add(r rune, w float64, st Style, link *Link, src string, i int, same bool) {
	c := &b.cur
	if n := len(c.Frags); n > 0 && b.open && c.Frags[n-1].Style == st && c.Frags[n-1].Link == link {
		f := &c.Frags[n-1]
		switch {
		case !b.inBuf && same && i == b.i1 && src == b.src:
			// The run goes on in its source (the comparison is cheap:
			// the strings share their data).
			b.i1 += utf8.RuneLen(r)
		default:
			if !b.inBuf {
				b.buf = append(b.buf[:0], b.src[b.i0:b.i1]...)
				b.inBuf = true
			}
			b.buf = utf8.AppendRune(b.buf, r)
		}
		f.W += w
	} else {
		b.close()
		c.Frags = append(c.Frags, Frag{Style: st, W: w, Link: link})
		b.open = true
		if same {
			b.src, b.i0, b.i1, b.inBuf = src, i, i+utf8.RuneLen(r), false
		} else {
			b.buf = utf8.AppendRune(b.buf[:0], r)
			b.inBuf = true
		}
	}
	c.W += w
}

// close sets the text of the current word's growing fragment.
func (b *Words) close() {
	if !b.open {
		return
	}
	f := &b.cur.Frags[len(b.cur.Frags)-1]
	if b.inBuf {
		f.Text = string(b.buf)
	} else {
		f.Text = b.src[b.i0:b.i1]
	}
	b.open, b.src = false, ""
}

// endWord finishes the current word; space is the width of the space that
// ended it. Consecutive spaces collapse, as in HTML.
func (b *Words) endWord(space float64) {
	b.close()
	if len(b.cur.Frags) == 0 {
		if n := len(b.words); n > 0 {
			if b.cur.Break {
				b.words[n-1].Break = true
				b.words[n-1].Space = 0
			} else if !b.words[n-1].Break && b.words[n-1].Space == 0 {
				b.words[n-1].Space = space
			}
		}
		b.cur = Word{}
		return
	}
	if !b.cur.Break {
		b.cur.Space = space
	}
	b.words = append(b.words, b.cur)
	b.cur = Word{}
}

// missing reports a rune face cannot draw, once per position, and returns
// the rune to draw instead (-1: draw nothing).
func (t *Setter) missing(r rune, face *fonts.Font, pos tree.Pos) rune {
	k := missKey{pos, r}
	if !t.missed[k] {
		t.missed[k] = true
		t.diags.Warnf(pos, "pdf: font %s %s has no glyph for U+%04X %s; drawn as \"?\"", t.fs.Name, face.Name, r, strconv.QuoteRune(r))
	}
	if hasGlyph(face, '?') {
		return '?'
	}
	return -1
}

// firstRTL is the first code point of the Hebrew block: no character
// before it is written right to left.
const firstRTL = 0x0590

// rightToLeft warns, once per position, that the PDF cannot set the
// right-to-left text around r (Hebrew, Arabic, …): the typesetter lays
// every line out left to right in the order the characters are stored,
// and does not join Arabic letters, so such text would read backwards
// and broken without a word (issue 26, case 8). The EPUB shows it
// correctly: the reading system sets it.
func (t *Setter) rightToLeft(r rune, pos tree.Pos) {
	if c, _ := bidi.LookupRune(r); c.Class() != bidi.R && c.Class() != bidi.AL {
		return
	}
	if t.rtlSeen[pos] {
		return
	}
	if t.rtlSeen == nil {
		t.rtlSeen = map[tree.Pos]bool{}
	}
	t.rtlSeen[pos] = true
	t.diags.Warnf(pos, "pdf: right-to-left text (U+%04X %s) is not set right to left in the PDF: it reads backwards there, and Arabic letters are not joined; the EPUB shows it correctly", r, strconv.QuoteRune(r))
}

type missKey struct {
	pos tree.Pos
	r   rune
}

// hasGlyph reports whether face can draw r in the PDF. Characters beyond
// the Basic Multilingual Plane are never drawable: the writer's font
// embedding (gofpdf) maps only 16-bit code points and fails on others.
func hasGlyph(face *fonts.Font, r rune) bool { return r <= 0xFFFF && face.HasGlyph(r) }

// synthText adds text that only this edition shows (marks, page
// references, alt text in brackets): it is not one of the block's words.
func (b *Words) synthText(s string, st Style, link *Link) {
	b.synth = true
	b.text(s, st, link)
	b.synth = false
}

// urlText shows the address of a link without text. It counts as the
// block's words only when the link has no content at all, as the EPUB
// shows its address then (and whitespace otherwise).
func (b *inliner) urlText(in *tree.Link, st Style, l *Link) {
	if len(in.Content) == 0 {
		b.text(in.URL, st, l)
		return
	}
	b.synthText(in.URL, st, l)
}
