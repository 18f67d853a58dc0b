package pdf

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
)

// linkRef is the destination of one link in the text. Fragments of the
// same link share one *linkRef, which is how the line renderer knows
// which fragments make up one clickable area.
type linkRef struct {
	uri  string // external URL; "" for internal links
	dest string // anchor id of an internal link
	src  bool   // the link is a tree.Link (not a footnote mark or TOC entry)
}

// frag is a piece of a word in one style.
type frag struct {
	s    string
	st   tstyle
	w    float64 // advance width in mm
	link *linkRef
}

// word is an unbreakable (unless split) run of fragments and the space
// after it.
type word struct {
	frags []frag
	w     float64 // width in mm
	space float64 // natural width of the space after the word; 0 when none
	brk   bool    // a hard line break follows
}

// inliner turns inline nodes into words, measuring every character with
// the font that will draw it and reporting characters no font can draw.
type inliner struct {
	t     *typesetter
	pos   tree.Pos // the enclosing block's position, for diagnostics
	words []word
	cur   word
	notes []*tree.Footnote // footnotes met, in order

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

// words returns the words of ins set in style st.
func (t *typesetter) words(ins []tree.Inline, st tstyle, pos tree.Pos) ([]word, []*tree.Footnote) {
	b := &inliner{t: t, pos: pos}
	b.inlines(ins, st, nil)
	b.endWord(0)
	return b.words, b.notes
}

// plainWords returns the words of a plain string.
func (t *typesetter) plainWords(s string, st tstyle, link *linkRef, pos tree.Pos) []word {
	b := &inliner{t: t, pos: pos}
	b.text(s, st, link)
	b.endWord(0)
	return b.words
}

func (b *inliner) inlines(ins []tree.Inline, st tstyle, link *linkRef) {
	for i, in := range ins {
		switch in := in.(type) {
		case *tree.Text:
			b.text(in.Text, st, link)
		case *tree.Code:
			b.text(in.Text, st.mono(), link)
		case *tree.Emph:
			b.inlines(in.Content, st.italic(), link)
		case *tree.Strong:
			b.inlines(in.Content, st.bold(), link)
		case *tree.Strike:
			s := st
			s.strike = true
			b.inlines(in.Content, s, link)
		case *tree.Link:
			if b.t.ed.print {
				b.printLink(in, st, inParens(ins, i))
				continue
			}
			l := &linkRef{src: true}
			switch {
			case in.Target != nil:
				l.dest = in.Target.ID
			case in.IsInternal():
				l = nil // a broken internal link: the compiler has warned; set as text
			default:
				l.uri = in.URL
			}
			s := st
			if l != nil {
				s.color = colLink
			}
			if l != nil && l.uri != "" && strings.TrimSpace(tree.PlainText(in.Content)) == "" {
				// A link without text ("[](url)") would be invisible and
				// unclickable: show its address instead.
				b.text(in.URL, s, l)
				continue
			}
			b.inlines(in.Content, s, l)
		case *tree.LineBreak:
			b.cur.brk = true
			b.endWord(0)
		case *tree.Footnote:
			b.notes = append(b.notes, in)
			s := st
			s.face = fonts.Regular
			s.size = st.size * 0.68
			s.rise = st.size * 0.36 * ptmm
			s.color = colLink
			s.strike = false
			b.text(strconv.Itoa(in.Number), s, &linkRef{dest: in.ID})
		case *tree.Image:
			s := st.italic()
			s.color = colMuted
			alt := in.Alt
			if alt == "" {
				alt = "image"
			}
			var l *linkRef
			if in.File == nil && in.IsRemote() { // a local image that could not be used is its alt text alone
				l = &linkRef{uri: in.Src}
			}
			b.text("["+alt+"]", s, l)
			if l != nil && b.t.ed.print {
				b.mark(in.Src, alt, st)
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
func (b *inliner) printLink(in *tree.Link, st tstyle, parens bool) {
	switch {
	case in.Target != nil:
		l := &linkRef{src: true, dest: in.Target.ID}
		b.inlines(in.Content, st, l)
		rs := st
		rs.strike = false
		ref := b.t.pageRef(in.Target, tree.PlainText(in.Content))
		if parens {
			b.text(", "+ref, rs, l)
		} else {
			b.text(" ("+ref+")", rs, l)
		}
	case in.IsInternal():
		b.inlines(in.Content, st, nil) // broken: the compiler has warned
	default:
		l := &linkRef{src: true, uri: in.URL}
		title := strings.TrimSpace(tree.PlainText(in.Content))
		if title == "" {
			b.text(in.URL, st, l)
		} else {
			b.inlines(in.Content, st, l)
		}
		b.mark(in.URL, title, st)
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

// mark cites url in the current section and appends its superscript [n]
// mark, glued to the word before it and linked to the Resources entry.
// Brackets tell the marks from footnote numbers.
func (b *inliner) mark(url, title string, st tstyle) {
	r := b.t.cite(url, title, b.pos)
	if r == nil {
		return
	}
	s := st
	s.face = fonts.Regular
	s.size = st.size * 0.68
	s.rise = st.size * 0.36 * ptmm
	s.color = colText
	s.strike = false
	b.text("["+strconv.Itoa(r.n)+"]", s, &linkRef{dest: r.id})
}

// text appends s: spaces end words, other characters extend the current one.
func (b *inliner) text(s string, st tstyle, link *linkRef) {
	face := b.t.fs.Face(st.face)
	for i, r := range s {
		orig := r
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			b.endWord(face.RuneWidth(' ', st.size) * ptmm)
			continue
		case r == '\u200b' || r == '\u00ad':
			continue // break hints: our breaker finds its own
		case r == '\u00a0':
			r = ' ' // no-break space: a space inside the word
		case unicode.Is(unicode.Cf, r) || unicode.IsControl(r):
			continue
		}
		if !face.HasGlyph(r) {
			r = b.t.missing(r, face, b.pos)
			if r < 0 {
				continue
			}
		}
		b.add(r, face.RuneWidth(r, st.size)*ptmm, st, link, s, i, r == orig)
	}
}

// add appends rune r of width w to the current word. r was read from
// src at byte i; same reports that it is drawn as written there.
func (b *inliner) add(r rune, w float64, st tstyle, link *linkRef, src string, i int, same bool) {
	c := &b.cur
	if n := len(c.frags); n > 0 && b.open && c.frags[n-1].st == st && c.frags[n-1].link == link {
		f := &c.frags[n-1]
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
		f.w += w
	} else {
		b.close()
		c.frags = append(c.frags, frag{st: st, w: w, link: link})
		b.open = true
		if same {
			b.src, b.i0, b.i1, b.inBuf = src, i, i+utf8.RuneLen(r), false
		} else {
			b.buf = utf8.AppendRune(b.buf[:0], r)
			b.inBuf = true
		}
	}
	c.w += w
}

// close sets the text of the current word's growing fragment.
func (b *inliner) close() {
	if !b.open {
		return
	}
	f := &b.cur.frags[len(b.cur.frags)-1]
	if b.inBuf {
		f.s = string(b.buf)
	} else {
		f.s = b.src[b.i0:b.i1]
	}
	b.open, b.src = false, ""
}

// endWord finishes the current word; space is the width of the space that
// ended it. Consecutive spaces collapse, as in HTML.
func (b *inliner) endWord(space float64) {
	b.close()
	if len(b.cur.frags) == 0 {
		if n := len(b.words); n > 0 {
			if b.cur.brk {
				b.words[n-1].brk = true
				b.words[n-1].space = 0
			} else if !b.words[n-1].brk && b.words[n-1].space == 0 {
				b.words[n-1].space = space
			}
		}
		b.cur = word{}
		return
	}
	if !b.cur.brk {
		b.cur.space = space
	}
	b.words = append(b.words, b.cur)
	b.cur = word{}
}

// missing reports a rune face cannot draw, once per position, and returns
// the rune to draw instead (-1: draw nothing).
func (t *typesetter) missing(r rune, face *fonts.Font, pos tree.Pos) rune {
	k := missKey{pos, r}
	if !t.missed[k] {
		t.missed[k] = true
		t.diags.Warnf(pos, "pdf: font %s %s has no glyph for U+%04X %s; drawn as \"?\"", t.fs.Name, face.Name, r, strconv.QuoteRune(r))
	}
	if face.HasGlyph('?') {
		return '?'
	}
	return -1
}

type missKey struct {
	pos tree.Pos
	r   rune
}

// splitWord splits w so that the head is at most maxW wide. Unless force
// is set it splits only after a hyphen or dash, or, in code and links,
// after URL punctuation; with force, anywhere. It reports false when no
// split fits or the head would be empty.
func (t *typesetter) splitWord(w word, maxW float64, force bool) (head, tail word, ok bool) {
	best := -1 // index into a flattened rune sequence
	type rw struct {
		r    rune
		w    float64
		fi   int
		code bool
	}
	var rs []rw
	for fi, f := range w.frags {
		face := t.fs.Face(f.st.face)
		code := f.link != nil || f.st.face == fonts.Mono || f.st.face == fonts.MonoBold
		for _, r := range f.s {
			rs = append(rs, rw{r, face.RuneWidth(r, f.st.size) * ptmm, fi, code})
		}
	}
	acc := 0.0
	for i := 0; i < len(rs)-1; i++ {
		acc += rs[i].w
		if acc > maxW {
			break
		}
		if i < 1 {
			continue // never leave a single character behind
		}
		r, next := rs[i].r, rs[i+1].r
		can := force
		switch {
		case r == '-' || r == '–' || r == '—':
			can = can || unicode.IsLetter(next) || unicode.IsDigit(next)
		case r == '/' || r == '\\':
			can = can || next != '/'
		case rs[i].code && (r == '.' || r == '_' || r == '?' || r == '&' || r == '=' || r == '#' || r == ',' || r == ';' || r == '(' || r == '%' || r == '+'):
			can = true
		case rs[i].code && r != ':' && next != ':' && unicode.IsLower(r) && unicode.IsUpper(next):
			can = true // camelCase
		}
		if can {
			best = i
		}
	}
	if best < 0 {
		return word{}, word{}, false
	}
	// Rebuild the two words from the rune split point.
	n := 0
	for fi, f := range w.frags {
		cnt := utf8.RuneCountInString(f.s)
		if n+cnt <= best {
			head.frags = append(head.frags, f)
			head.w += f.w
			n += cnt
			continue
		}
		if n > best {
			tail.frags = append(tail.frags, f)
			tail.w += f.w
			n += cnt
			continue
		}
		// split inside this fragment after rune best-n
		k := best - n + 1
		bi := 0
		for j := 0; j < k; j++ {
			_, sz := utf8.DecodeRuneInString(f.s[bi:])
			bi += sz
		}
		face := t.fs.Face(f.st.face)
		h := frag{s: f.s[:bi], st: f.st, link: f.link}
		h.w = face.Width(h.s, f.st.size) * ptmm
		tl := frag{s: f.s[bi:], st: f.st, link: f.link}
		tl.w = face.Width(tl.s, f.st.size) * ptmm
		if h.s != "" {
			head.frags = append(head.frags, h)
			head.w += h.w
		}
		if tl.s != "" {
			tail.frags = append(tail.frags, tl)
			tail.w += tl.w
		}
		n += cnt
		_ = fi
	}
	tail.space, tail.brk = w.space, w.brk
	return head, tail, len(head.frags) > 0 && len(tail.frags) > 0
}
