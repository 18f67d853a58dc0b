package layout

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/linebreak"
)

// This file breaks words into lines: it turns a run of words into the
// boxes, glue and penalties of the Knuth–Plass model, with the break
// opportunities inside words (hyphenation points, existing hyphens and
// dashes, the punctuation of addresses and code, UAX #14 for the rest, and
// as a last resort any character of a token wider than the line), lets
// package linebreak choose the breaks over the whole paragraph, and turns
// its lines back into words.

// Spacing of justified text, as fractions of the space's width: a space
// may grow by 50% at ratio 1 and shrink by 33% at ratio −1, as in TeX's
// Computer Modern. With justTolerance 1.1, a space is at most 1.55 times
// its natural width: 0.45 em in Charis, whose space is 0.29 em.
const (
	spaceStretch  = 0.5
	spaceShrink   = 0.33
	justTolerance = 1.1
)

// emergencyTolerance is the tolerance of the second pass over a paragraph
// that could not be justified within justTolerance: spaces up to 2.25
// times their width, 0.66 em, still well under the 1 em that makes a
// river.
const emergencyTolerance = 2.5

// raggedLines counts the lines of a breaking set flush left for want of a
// feasible break, leaving out those that hold a single unbreakable box
// (a token wider than the line), which no tolerance helps.
func raggedLines(ls []linebreak.Line, items []linebreak.Item) int {
	n := 0
	for _, l := range ls {
		if !l.Ragged {
			continue
		}
		boxes := 0
		for i := l.Start; i < l.End && boxes < 2; i++ {
			if items[i].Kind == linebreak.Box {
				boxes++
			}
		}
		if boxes > 1 {
			n++
		}
	}
	return n
}

// hyphenRun is the most consecutive lines of a breaking that end in a
// hyphen.
func hyphenRun(ls []linebreak.Line, items []linebreak.Item) int {
	most, run := 0, 0
	for _, l := range ls {
		if l.End < len(items) && items[l.End].Kind == linebreak.Penalty && items[l.End].Flagged {
			run++
			most = max(most, run)
		} else {
			run = 0
		}
	}
	return most
}

// flaggedDemerits is what two hyphenated lines in a row cost: TeX's
// \doublehyphendemerits.
const flaggedDemerits = 10000

// raggedStretch is the stretch, in ems of the text, that ragged lines
// (flush left, centred, right) may leave empty at their end: the "2em" of
// TeX's \raggedright, a little looser.
const raggedStretch = 3.0

// Penalties of the break opportunities inside a word. A line break costs
// its penalty squared in demerits, so these rank the opportunities against
// each other and against loose lines: a hyphenation point or an existing
// hyphen costs what TeX charges (\hyphenpenalty, \exhyphenpenalty 50); the
// joints of an address or of code cost less, since they break no word; a
// break between two arbitrary characters is the last resort.
const (
	penHyphen    = 100
	penExplicit  = 50
	penURL       = 20
	penURLMinor  = 150
	penCode      = 40
	penUAX       = 50
	penEmergency = 3000
)

// brkKind is the kind of a break opportunity inside a word.
type brkKind uint8

const (
	brkHyphen    brkKind = iota + 1 // a hyphenation point: a hyphen is added
	brkExplicit                     // after an existing hyphen or dash
	brkURL                          // a joint of an address: no hyphen
	brkURLMinor                     // before punctuation inside a part of an address
	brkCode                         // a joint of code: no hyphen
	brkUAX                          // a UAX #14 opportunity
	brkEmergency                    // between two characters of an overlong token
)

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

// Line is a broken Line: its words, the spaces between them in each
// word's space (with its stretch and shrink), and how to set it.
type Line struct {
	Words  []Word
	Hard   bool // ends a paragraph or a hard break: not justified
	Ragged bool // no break within tolerance: set at natural width, flush left
	Hyphen bool // ends in a hyphen (added or written): no page break after it
	Added  bool // ends in a hyphen the breaker added (a hyphenation point)
	Src    int  // 1 + the index of the first of the block's words that begins on the line; 0: none
}

// para is a paragraph in the line breaker's model: items, and for each
// box the fragments it draws (for a penalty that adds a hyphen, the
// hyphen).
type para struct {
	items []linebreak.Item
	draw  [][]Frag
	src   []int   // per item: a word's src on its first box, else 0
	word  []int32 // per item: the index of the word it was made of
}

// Lines breaks words into lines of width by total fit. Justified
// text is hyphenated (when the book's language has patterns); ragged
// text is not, and its lines are balanced against a stretchable right
// margin.
func (t *Setter) Lines(ws []Word, width float64, al Align) []Line {
	if len(ws) == 0 {
		return nil
	}
	ragged := al != AlignJustify
	hyph := !ragged && t.hyph != nil
	// A cache that keeps no lines, or a paragraph broken a segment at a
	// time, is not looked up: its key would be as long as its text (60
	// MB for a 7 MB paragraph).
	cached := !t.cache.NoLines && len(ws) <= maxSegmentWords
	if cached {
		t.keyBuf = breakKey(ws, width, al, hyph, t.keyBuf)
		if br := t.cache.lookup(t.keyBuf); br != nil {
			for _, w := range br.wide {
				t.tooWide(w.s, w.w, w.width)
			}
			return br.lines
		}
	}
	t.wideSeen = t.wideSeen[:0]
	var lines []Line
	if len(ws) <= maxSegmentWords {
		lines, _ = t.breakParagraph(ws, width, al, ragged, hyph, false)
	} else {
		lines = t.breakLong(ws, width, al, ragged, hyph)
	}
	if cached {
		t.cache.store(t.keyBuf, &broken{lines: lines, wide: append([]wideToken(nil), t.wideSeen...)})
	}
	return lines
}

// maxSegmentWords is the most words breakLines breaks in one go. A
// paragraph is chosen as a whole (total fit) up to this length, which no
// handbook paragraph comes near (the real one's longest has about 200
// words); a longer one is broken a segment at a time (see breakLong), so
// that the breaker's working memory stays that of one segment: a 7 MB
// paragraph took 88 s and 1.9 GB when broken whole (issue 26, case 4).
const maxSegmentWords = 2000

// breakLong breaks a paragraph of more than maxSegmentWords words a
// segment at a time: each segment's lines are chosen by total fit, all
// but its last line are kept, and the next segment begins with the words
// of that last line, so that no line is short where the segments join. A
// segment whose lines all begin inside a word (one token wider than
// many lines) is kept whole.
func (t *Setter) breakLong(ws []Word, width float64, al Align, ragged, hyph bool) []Line {
	var lines []Line
	for start := 0; start < len(ws); {
		end := min(start+maxSegmentWords, len(ws))
		more := end < len(ws)
		ls, restart := t.breakParagraph(ws[start:end], width, al, ragged, hyph, more)
		lines = append(lines, ls...)
		if !more || restart <= 0 {
			start = end
			continue
		}
		start += restart
	}
	if n := len(lines); n > 0 {
		lines[n-1].Hard = true
	}
	return lines
}

// breakParagraph is breakLines without the cache, on a whole paragraph;
// with partial, on a segment of a longer one (see breakLong): then it
// leaves out the segment's last line that begins with a word of its own
// and the lines after it, and returns the index in ws of that word, or
// 0 (and every line) when no line but the first begins with a word.
func (t *Setter) breakParagraph(ws []Word, width float64, al Align, ragged, hyph, partial bool) ([]Line, int) {
	p := t.buildPara(ws, width, ragged, hyph)
	tol := justTolerance
	if ragged {
		tol = linebreak.DefaultTolerance
	}
	params := linebreak.Params{Widths: []float64{width}, Tolerance: tol, FlaggedDemerits: flaggedDemerits, MaxFlagged: 2}
	kl := t.breaker.Break(p.items, params)
	if !ragged && (raggedLines(kl, p.items) > 0 || hyphenRun(kl, p.items) > params.MaxFlagged) {
		// TeX's emergency pass: a paragraph that cannot be set within
		// tolerance (or not without three hyphens in a row) is set again
		// with looser spaces allowed, rather than with lines flush left
		// in a justified paragraph.
		params.Tolerance = emergencyTolerance
		k2 := t.breaker.Break(p.items, params)
		r1, r2 := raggedLines(kl, p.items), raggedLines(k2, p.items)
		if r2 < r1 || r2 == r1 && hyphenRun(k2, p.items) < hyphenRun(kl, p.items) {
			kl = k2
		}
	}
	restart := 0
	if partial {
		if j, wi := lastWordStart(kl, p); j > 0 {
			kl, restart = kl[:j], wi
		}
	}
	lines := make([]Line, 0, len(kl))
	for _, l := range kl {
		if l.Start >= l.End {
			continue // an empty line between two forced breaks
		}
		var out []Word
		cur := Word{}
		join := false // the next box continues the current word
		for i := l.Start; i < l.End; i++ {
			it := &p.items[i]
			switch it.Kind {
			case linebreak.Box:
				if !join && len(cur.Frags) > 0 {
					out = append(out, cur)
					cur = Word{}
				}
				if cur.Src == 0 {
					cur.Src = p.src[i]
				}
				cur.Frags = appendFrags(cur.Frags, p.draw[i])
				cur.W += it.Width
				join = true
			case linebreak.Glue:
				if it.Stretch >= linebreak.Fil {
					continue
				}
				cur.Space += it.Width
				cur.Stretch += it.Stretch
				cur.Shrink += it.Shrink
				if it.Width > 0 {
					join = false // a space; the empty glue of ragged text joins pieces
				}
			}
		}
		if l.End < len(p.items) {
			if br := &p.items[l.End]; br.Kind == linebreak.Penalty && br.Width > 0 && p.draw[l.End] != nil {
				cur.Frags = appendFrags(cur.Frags, p.draw[l.End])
				cur.W += br.Width
			}
		}
		cur.Space, cur.Stretch, cur.Shrink = 0, 0, 0
		if len(cur.Frags) > 0 {
			out = append(out, cur)
		}
		if len(out) == 0 {
			continue
		}
		hard := l.End >= len(p.items) || p.items[l.End].Kind == linebreak.Penalty && p.items[l.End].Penalty <= linebreak.Forced
		hy := l.End < len(p.items) && p.items[l.End].Kind == linebreak.Penalty && p.items[l.End].Flagged
		added := hy && p.items[l.End].Width > 0
		ln := Line{Words: out, Hard: hard, Ragged: l.Ragged, Hyphen: hy, Added: added}
		for _, w := range out {
			if w.Src > 0 {
				ln.Src = w.Src
				break
			}
		}
		lines = append(lines, ln)
	}
	if n := len(lines); n > 0 && restart == 0 {
		lines[n-1].Hard = true
	}
	return lines, restart
}

// lastWordStart returns the last of the lines kl, after the first, that
// begins with the first box of a word, and that word's index in the
// words p was built from; 0, 0 when there is none.
func lastWordStart(kl []linebreak.Line, p para) (int, int) {
	for j := len(kl) - 1; j > 0; j-- {
		i := kl[j].Start
		for i < kl[j].End && p.items[i].Kind != linebreak.Box {
			i++
		}
		if i >= kl[j].End {
			continue
		}
		wi := p.word[i]
		first := true
		for k := i - 1; k >= 0 && p.word[k] == wi; k-- {
			if p.items[k].Kind == linebreak.Box {
				first = false // the word began on an earlier line
				break
			}
		}
		if first {
			return j, int(wi)
		}
	}
	return 0, 0
}

// appendFrags appends fs to dst, merging a fragment into the previous one
// when they share style and link: one text operation per run, not per
// piece of a hyphenated word.
func appendFrags(dst, fs []Frag) []Frag {
	for _, f := range fs {
		if n := len(dst); n > 0 && dst[n-1].Style == f.Style && dst[n-1].Link == f.Link && dst[n-1].Ref == f.Ref {
			dst[n-1].Text += f.Text
			dst[n-1].W += f.W
			continue
		}
		dst = append(dst, f)
	}
	return dst
}

// buildPara turns words into the breaker's items.
//
// The para's slices are the typesetter's, reused by the next call: a
// para is used up before another is built.
func (t *Setter) buildPara(ws []Word, width float64, ragged, hyph bool) para {
	p := para{items: t.para.items[:0], draw: t.para.draw[:0], src: t.para.src[:0], word: t.para.word[:0]}
	src := 0 // the src of the word whose first box is next
	var wi int32
	add := func(it linebreak.Item, d []Frag) {
		p.items = append(p.items, it)
		p.draw = append(p.draw, d)
		p.word = append(p.word, wi)
		s := 0
		if it.Kind == linebreak.Box {
			s, src = src, 0
		}
		p.src = append(p.src, s)
	}
	var brks []wbreak
	for i := range ws {
		w := &ws[i]
		wi = int32(i)
		brks = t.wordBreaks(w, width, hyph, brks[:0])
		src = w.Src
		t.wordItems(w, brks, ragged, add)
		switch {
		case w.Break:
			add(linebreak.Item{Kind: linebreak.Penalty, Penalty: linebreak.Never}, nil)
			add(linebreak.Item{Kind: linebreak.Glue, Stretch: linebreak.Fil}, nil)
			add(linebreak.Item{Kind: linebreak.Penalty, Penalty: linebreak.Forced}, nil)
		case w.Space > 0 && i < len(ws)-1:
			if ragged {
				last := w.Frags[len(w.Frags)-1].Style
				r := raggedStretch * last.Size * PtMM
				add(linebreak.Item{Kind: linebreak.Penalty, Penalty: linebreak.Never}, nil)
				add(linebreak.Item{Kind: linebreak.Glue, Stretch: r}, nil)
				add(linebreak.Item{Kind: linebreak.Penalty}, nil)
				add(linebreak.Item{Kind: linebreak.Glue, Width: w.Space, Stretch: -r}, nil)
			} else {
				add(linebreak.Item{Kind: linebreak.Glue, Width: w.Space, Stretch: w.Space * spaceStretch, Shrink: w.Space * spaceShrink}, nil)
			}
		}
	}
	t.para.finished = linebreak.AppendFinish(t.para.finished[:0], p.items)
	t.para.items, p.items = p.items, t.para.finished
	for len(p.draw) < len(p.items) {
		p.draw = append(p.draw, nil)
		p.src = append(p.src, 0)
		p.word = append(p.word, wi)
	}
	t.para.draw, t.para.src, t.para.word = p.draw, p.src, p.word
	return p
}

// wordItems adds the boxes of w, split at brks, with a penalty at each
// break.
func (t *Setter) wordItems(w *Word, brks []wbreak, ragged bool, add func(linebreak.Item, []Frag)) {
	if len(brks) == 0 {
		add(linebreak.Item{Kind: linebreak.Box, Width: w.W}, w.Frags)
		return
	}
	// Walk the fragments, cutting at the break offsets (which count bytes
	// of the fragments' texts joined).
	var piece []Frag
	pw := 0.0
	base := 0 // offset of the current fragment's start in the word's text
	bi := 0
	var last Frag // the fragment the piece ends in, for the hyphen's style
	flush := func() {
		add(linebreak.Item{Kind: linebreak.Box, Width: pw}, piece)
		piece, pw = nil, 0
	}
	brk := func(k brkKind) {
		flush()
		it := linebreak.Item{Kind: linebreak.Penalty, Penalty: k.penalty(), Flagged: k.flagged()}
		var d []Frag
		if k == brkHyphen {
			face := t.Fonts.Face(last.Style.Face)
			hw := face.RuneWidth('-', last.Style.Size) * PtMM
			it.Width = hw
			d = []Frag{{Text: "-", Style: last.Style, W: hw, Link: last.Link}}
		}
		if ragged {
			r := raggedStretch * last.Style.Size * PtMM
			add(linebreak.Item{Kind: linebreak.Penalty, Penalty: linebreak.Never}, nil)
			add(linebreak.Item{Kind: linebreak.Glue, Stretch: r}, nil)
			add(it, d)
			add(linebreak.Item{Kind: linebreak.Glue, Stretch: -r}, nil)
			return
		}
		add(it, d)
	}
	for _, f := range w.Frags {
		face := t.Fonts.Face(f.Style.Face)
		start := 0
		for bi < len(brks) && brks[bi].off < base+len(f.Text) {
			cut := brks[bi].off - base
			if cut > start {
				g := Frag{Text: f.Text[start:cut], Style: f.Style, Link: f.Link}
				g.W = face.Width(g.Text, f.Style.Size) * PtMM
				piece = append(piece, g)
				pw += g.W
				last = g
			}
			brk(brks[bi].kind)
			start = cut
			bi++
		}
		if start == 0 {
			piece = append(piece, f)
			pw += f.W
		} else if start < len(f.Text) {
			g := Frag{Text: f.Text[start:], Style: f.Style, Link: f.Link}
			g.W = face.Width(g.Text, f.Style.Size) * PtMM
			piece = append(piece, g)
			pw += g.W
		}
		if len(piece) > 0 {
			last = piece[len(piece)-1]
		}
		base += len(f.Text)
	}
	flush()
}

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
