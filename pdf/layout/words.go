package layout

import (
	"slices"
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
	arena    []Frag // where words' first fragments are made (see add)

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

// Pos returns the position of the block whose words these are.
func (b *Words) Pos() tree.Pos { return b.pos }

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

// Plain returns the words of a plain string.
func (t *Setter) Plain(s string, st Style, link *Link, pos tree.Pos) []Word {
	b := t.Words(pos)
	b.Text(s, st, link)
	return b.Done()
}

// Text appends s: spaces end words, other characters extend the current one.
func (b *Words) Text(s string, st Style, link *Link) {
	face := b.t.Fonts.Face(st.Face)
	// Room for its words at once (about one in six bytes begins one),
	// rather than growing a long paragraph's a hundred times.
	if n := len(s) / 6; cap(b.words)-len(b.words) < n {
		b.words = slices.Grow(b.words, n)
	}
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
		if !HasGlyph(face, r) {
			// The Symbol face draws what the text's face lacks (Greek,
			// arrows, mathematical signs), at the same size.
			if sym := b.t.Fonts.Face(fonts.Symbol); sym != nil && HasGlyph(sym, r) {
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
		if len(c.Frags) == 0 {
			// A word's first fragment comes from a shared block (one
			// allocation for many words, not one each), capped so that
			// a second fragment moves the word's out.
			if len(b.arena) == cap(b.arena) {
				// Small for a heading's few words, larger as a long
				// paragraph goes on.
				b.arena = make([]Frag, 0, min(max(2*cap(b.arena), 8), 512))
			}
			b.arena = append(b.arena, Frag{Style: st, W: w, Link: link})
			n := len(b.arena)
			c.Frags = b.arena[n-1 : n : n]
		} else {
			c.Frags = append(c.Frags, Frag{Style: st, W: w, Link: link})
		}
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
	// The fragment measures as the writer draws it: shaped, kerned and
	// ligated ("fi" one glyph), not as the sum of its characters. A
	// fragment longer than any word is left at that sum: it is cut
	// between characters to fit a line, and each piece is measured again
	// (see wordItems); shaping megabytes at once is what the cut avoids.
	if len(f.Text) <= maxShaped {
		w := b.t.Fonts.Face(f.Style.Face).ShapedWidth(f.Text, f.Style.Size) * PtMM
		b.cur.W += w - f.W
		f.W = w
	}
}

// maxShaped is the longest fragment, in bytes, whose width is measured
// shaped.
const maxShaped = 1024

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
		t.Diags.Warnf(pos, "pdf: font %s %s has no glyph for U+%04X %s; drawn as \"?\"", t.Fonts.Name, face.Name, r, strconv.QuoteRune(r))
	}
	if HasGlyph(face, '?') {
		return '?'
	}
	return -1
}

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
	t.Diags.Warnf(pos, "pdf: right-to-left text (U+%04X %s) is not set right to left in the PDF: it reads backwards there, and Arabic letters are not joined; the EPUB shows it correctly", r, strconv.QuoteRune(r))
}

type missKey struct {
	pos tree.Pos
	r   rune
}

// HasGlyph reports whether face can draw r in the PDF. Characters beyond
// the Basic Multilingual Plane are never drawable: the writer's font
// embedding (gofpdf) maps only 16-bit code points and fails on others.
func HasGlyph(face *fonts.Font, r rune) bool { return r <= 0xFFFF && face.HasGlyph(r) }

// Synth adds text that only this edition shows (marks, page
// references, alt text in brackets): it is not one of the block's words.
func (b *Words) Synth(s string, st Style, link *Link) {
	b.synth = true
	b.Text(s, st, link)
	b.synth = false
}

// Drawable replaces characters face cannot draw, with a warning.
func (t *Setter) Drawable(s string, face *fonts.Font, pos tree.Pos) string {
	ok := true
	for _, r := range s {
		if r >= firstRTL {
			t.rightToLeft(r, pos)
		}
		if r != ' ' && !HasGlyph(face, r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var sb strings.Builder
	for _, r := range s {
		if r != ' ' && !HasGlyph(face, r) {
			if unicodeInvisible(r) {
				continue
			}
			if r = t.missing(r, face, pos); r < 0 {
				continue
			}
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

func unicodeInvisible(r rune) bool {
	return r == '\u200b' || r == '\u00ad' || r == '\ufeff' || r < 0x20
}

// firstRTL is the first code point of the Hebrew block: no character
// before it is written right to left.
const firstRTL = 0x0590
