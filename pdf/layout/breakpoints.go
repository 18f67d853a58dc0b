package layout

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
)

// This file finds where a word may break: hyphenation points, the joints
// of addresses and code, UAX #14 opportunities, and emergency breaks
// between the characters of a token wider than a line.

// brkKind is the kind of a break opportunity inside a word.
type brkKind uint8

// wbreak is a break opportunity at byte off of a word's text.
type wbreak struct {
	off  int
	kind brkKind
}

func (k brkKind) penalty() float64 {
	switch k {
	case brkHyphen:
		return penHyphen
	case brkExplicit:
		return penExplicit
	case brkURL:
		return penURL
	case brkURLMinor:
		return penURLMinor
	case brkCode:
		return penCode
	case brkUAX:
		return penUAX
	}
	return penEmergency
}

// flagged reports whether a break of kind k ends a line in a hyphen (one
// added or one written), which the breaker avoids on consecutive lines.
func (k brkKind) flagged() bool { return k == brkHyphen || k == brkExplicit }

// wordBreaks returns the break opportunities inside w, in increasing
// order of offset into the word's text (its fragments' texts joined).
func (t *Setter) wordBreaks(w *Word, width float64, hyph bool, dst []wbreak) []wbreak {
	for _, f := range w.Frags {
		if f.Ref != "" {
			return dst // "p. 12)": short, and its label must stay whole
		}
	}
	s := w.Frags[0].Text
	if len(w.Frags) > 1 {
		var sb strings.Builder
		for _, f := range w.Frags {
			sb.WriteString(f.Text)
		}
		s = sb.String()
	}
	code := true
	for _, f := range w.Frags {
		if f.Style.Face != fonts.Mono && f.Style.Face != fonts.MonoBold {
			code = false
		}
	}
	switch {
	case isAddress(s):
		dst = urlBreaks(s, dst)
	case code:
		dst = codeBreaks(s, dst)
	default:
		dst = t.proseBreaks(s, hyph, dst)
	}
	if w.W > width {
		dst = t.emergencyBreaks(w, s, width, dst)
	}
	return dst
}

// isAddress reports whether a token is a web address, which breaks only
// at its joints and is never hyphenated.
func isAddress(s string) bool {
	return strings.Contains(s, "://") || strings.HasPrefix(s, "www.") || strings.HasPrefix(s, "(www.")
}

// urlBreaks finds the joints of an address: after a slash (but not inside
// "//" or right after "://"), and before ?, &, = and #; and, at a higher
// cost, before the . - _ ~ and % inside its parts (never after them, so
// that a line never ends in what reads as a hyphen or a full stop). No
// hyphen is added, so that the address reads the same once its lines
// are joined.
func urlBreaks(s string, dst []wbreak) []wbreak {
	start := strings.Index(s, "://")
	if start >= 0 {
		start += 3
	}
	for i := max(start, 1); i < len(s); i++ {
		a, b := s[i-1], s[i]
		switch {
		case a == '/' && b != '/' && i+1 < len(s):
			dst = append(dst, wbreak{i, brkURL})
		case (b == '?' || b == '&' || b == '=' || b == '#') && a != '/':
			dst = append(dst, wbreak{i, brkURL})
		case strings.IndexByte(".-_~%", b) >= 0 && isAlnumByte(a) && i+1 < len(s) && isAlnumByte(s[i+1]):
			dst = append(dst, wbreak{i, brkURLMinor})
		}
	}
	return dst
}

// isAlnumByte reports whether c is an ASCII letter or digit.
func isAlnumByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// codeBreaks finds the joints of inline code: after . _ / ( , and =, the
// places a programmer would break a long expression.
func codeBreaks(s string, dst []wbreak) []wbreak {
	for i := 1; i < len(s)-1; i++ {
		switch s[i-1] {
		case '.', '_', '/', '(', ',', '=':
			if s[i] != s[i-1] {
				dst = append(dst, wbreak{i, brkCode})
			}
		}
	}
	return dst
}

// proseBreaks finds the break opportunities of a token of text: after a
// hyphen between two letters or digits, after a dash, after a slash
// between words, UAX #14's opportunities in tokens with other characters,
// and, when hyph is set, the hyphenation points of its letter runs. A
// token with digits, or a run in capitals (an acronym), is not hyphenated.
func (t *Setter) proseBreaks(s string, hyph bool, dst []wbreak) []wbreak {
	plain := true // only ASCII and the typographic marks the compiler makes
	digits := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits = true
		case r < utf8.RuneSelf, r == '’', r == '‘', r == '“', r == '”', r == '–', r == '—', r == '…', unicode.IsLetter(r):
		default:
			plain = false
		}
	}
	n0 := len(dst)
	var prev, prev2 rune
	for i, r := range s {
		if i > 0 && i < len(s) {
			switch {
			case prev == '-' && isAlnum(prev2) && isAlnum(r):
				dst = append(dst, wbreak{i, brkExplicit})
			case (prev == '–' || prev == '—') && prev2 != 0 && !unicode.IsPunct(r):
				dst = append(dst, wbreak{i, brkExplicit})
			case prev == '/' && unicode.IsLetter(prev2) && unicode.IsLetter(r):
				dst = append(dst, wbreak{i, brkUAX})
			}
		}
		prev2, prev = prev, r
	}
	if !plain {
		dst = uaxBreaks(s, dst, n0)
	}
	if hyph && !digits {
		dst = t.hyphenBreaks(s, dst, n0)
	}
	return dst
}

// isAlnum reports whether r is a letter or a digit.
func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// uaxBreaks adds the line break opportunities UAX #14 finds inside s
// (which has no spaces) to dst[n0:], keeping it sorted and free of
// duplicates.
func uaxBreaks(s string, dst []wbreak, n0 int) []wbreak {
	state := -1
	off := 0
	rest := s
	for len(rest) > 0 {
		var seg string
		seg, rest, _, state = uniseg.FirstLineSegmentInString(rest, state)
		off += len(seg)
		if len(rest) > 0 {
			dst = insertBreak(dst, n0, wbreak{off, brkUAX})
		}
	}
	return dst
}

// insertBreak inserts b into the sorted dst[n0:] unless a break is
// already at its offset.
func insertBreak(dst []wbreak, n0 int, b wbreak) []wbreak {
	i := len(dst)
	for i > n0 && dst[i-1].off > b.off {
		i--
	}
	if i > n0 && dst[i-1].off == b.off {
		return dst
	}
	dst = append(dst, wbreak{})
	copy(dst[i+1:], dst[i:])
	dst[i] = b
	return dst
}

// hyphenBreaks adds the hyphenation points of the letter runs of s. Runs
// shorter than five letters are left whole (two letters before a break and
// three after leave nothing to break), as are runs in capitals.
func (t *Setter) hyphenBreaks(s string, dst []wbreak, n0 int) []wbreak {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			i += n
			continue
		}
		j := i
		letters, upper := 0, 0
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsLetter(r) {
				break
			}
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
			j += n
		}
		if letters >= 5 && upper < letters {
			for _, p := range t.cache.hyphenPoints(t.hyph, s[i:j]) {
				dst = insertBreak(dst, n0, wbreak{i + p, brkHyphen})
			}
		}
		i = j
	}
	return dst
}

// gridLines is how many lines wide a piece of a token must be for
// emergencyBreaks to stop offering a break between every two of its
// characters.
const gridLines = 8

// emergencyBreaks adds a break between any two characters of every piece
// of w (between the breaks already found) that is wider than the line,
// and reports the token once. A piece wider than gridLines lines (a
// megabyte "word") gets such breaks over its first line's width only,
// and after that a break each time the text since the last one fills a
// line, as TeX sets an overfull box: its lines are full but for one,
// and the breaker's items stay a few per line rather than one per
// character, which made a 7 MB word need 6 GB (issue 26, case 4).
func (t *Setter) emergencyBreaks(w *Word, s string, width float64, dst []wbreak) []wbreak {
	type span struct {
		from, to int     // byte offsets of an overlong piece
		w        float64 // its width
	}
	var wide []span
	cuts := append([]int{0}, make([]int, 0, len(dst)+1)...)
	for _, b := range dst {
		cuts = append(cuts, b.off)
	}
	cuts = append(cuts, len(s))
	m := t.meter(w)
	for k := 0; k+1 < len(cuts); k++ {
		pw := 0.0
		for off, r := range s[cuts[k]:cuts[k+1]] {
			pw += m.width(cuts[k]+off, r)
		}
		if pw > width {
			wide = append(wide, span{cuts[k], cuts[k+1], pw})
		}
	}
	if len(wide) == 0 {
		return dst
	}
	t.tooWide(s, w.W, width)
	out := make([]wbreak, 0, len(dst)+min(len(s), len(wide)*gridLines*int(width)))
	di := 0
	m = t.meter(w)
	for _, sp := range wide {
		for di < len(dst) && dst[di].off <= sp.from {
			out = append(out, dst[di])
			di++
		}
		grid := sp.w > gridLines*width
		acc := 0.0 // width since the piece's start, then since the last grid break
		first := true
		for off, r := range s[sp.from:sp.to] {
			rw := m.width(sp.from+off, r)
			ok := off > 0 && utf8.ValidRune(r) && !unicode.Is(unicode.Mn, r) // never before a combining mark
			switch {
			case !grid || first && acc+rw <= width:
				if ok {
					out = append(out, wbreak{sp.from + off, brkEmergency})
				}
				acc += rw
			case first:
				first, acc = false, rw
			case acc+rw > width && ok:
				out = append(out, wbreak{sp.from + off, brkEmergency})
				acc = rw
			default:
				acc += rw
			}
		}
	}
	return append(out, dst[di:]...)
}

// runeMeter measures the runes of a word in order, each in the face and
// size of the fragment it is in.
type runeMeter struct {
	t     *Setter
	w     *Word
	fi    int // the fragment of the last rune measured
	fbase int // its offset in the word's text
	face  *fonts.Font
	size  float64
}

func (t *Setter) meter(w *Word) *runeMeter {
	return &runeMeter{t: t, w: w, face: t.Fonts.Face(w.Frags[0].Style.Face), size: w.Frags[0].Style.Size}
}

// width returns the width of rune r at byte off of the word's text; off
// must not decrease from call to call.
func (m *runeMeter) width(off int, r rune) float64 {
	for m.fi < len(m.w.Frags)-1 && off >= m.fbase+len(m.w.Frags[m.fi].Text) {
		m.fbase += len(m.w.Frags[m.fi].Text)
		m.fi++
		m.face = m.t.Fonts.Face(m.w.Frags[m.fi].Style.Face)
		m.size = m.w.Frags[m.fi].Style.Size
	}
	return m.face.RuneWidth(r, m.size) * PtMM
}

// tooWide warns, once per token and position, that a token is wider than
// the line it is set in and had to be broken between characters.
func (t *Setter) tooWide(s string, w, width float64) {
	t.wideSeen = append(t.wideSeen, wideToken{s, w, width})
	k := tooWideKey{t.pos, clip(s, 60)}
	if t.wide[k] {
		return
	}
	if t.wide == nil {
		t.wide = map[tooWideKey]bool{}
	}
	t.wide[k] = true
	// Its length in characters, not in mm: the editions and papers set
	// it at different widths, and the same warning from each is then
	// printed once.
	t.Diags.Warnf(t.pos, "pdf: %q (%d characters) is wider than a line: it is broken between characters", k.token, utf8.RuneCountInString(s))
}

type tooWideKey struct {
	pos   tree.Pos
	token string
}

// clip cuts s to at most n runes, marking the cut with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n]) + "…"
}

const (
	brkHyphen    brkKind = iota + 1 // a hyphenation point: a hyphen is added
	brkExplicit                     // after an existing hyphen or dash
	brkURL                          // a joint of an address: no hyphen
	brkURLMinor                     // before punctuation inside a part of an address
	brkCode                         // a joint of code: no hyphen
	brkUAX                          // a UAX #14 opportunity
	brkEmergency                    // between two characters of an overlong token
)
