package layout

import (
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

// Line is a broken Line: its words, the spaces between them in each
// word's space (with its stretch and shrink), and how to set it.
type Line struct {
	Words  []Word
	Hard   bool // ends a paragraph or a hard break: not justified
	Ragged bool // no break within tolerance: set at natural width, flush left
	Hyphen bool // ends in a hyphen (added or written): no page break after it
	Added  bool // ends in a hyphen the breaker added (a hyphenation point)
	Rest   bool // begins with the rest of the word the line before broke (Added)
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
		// The line's words and their fragments are made in two
		// allocations, sized by the line's boxes (each box at most one
		// word, and its fragments at most one each): a word's fragments
		// are a slice of frags, capped at its end, so that appending to
		// them later copies them rather than overwrite the next word's.
		n := 0
		for i := l.Start; i < l.End; i++ {
			if p.items[i].Kind == linebreak.Box {
				n += len(p.draw[i])
			}
		}
		if l.End < len(p.items) {
			n += len(p.draw[l.End]) // a hyphen
		}
		frags := make([]Frag, 0, n)
		out := make([]Word, 0, n)
		push := func(w Word) {
			// n bounds the line's fragments, so appendFrags never moved
			// the word's: they are frags' next k.
			k := len(w.Frags)
			w.Frags = w.Frags[:k:k]
			frags = frags[:len(frags)+k]
			out = append(out, w)
		}
		cur := Word{Frags: frags[len(frags):]}
		join := false // the next box continues the current word
		for i := l.Start; i < l.End; i++ {
			it := &p.items[i]
			switch it.Kind {
			case linebreak.Box:
				if !join && len(cur.Frags) > 0 {
					push(cur)
					cur = Word{Frags: frags[len(frags):]}
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
			push(cur)
		}
		if len(out) == 0 {
			continue
		}
		hard := l.End >= len(p.items) || p.items[l.End].Kind == linebreak.Penalty && p.items[l.End].Penalty <= linebreak.Forced
		hy := l.End < len(p.items) && p.items[l.End].Kind == linebreak.Penalty && p.items[l.End].Flagged
		added := hy && p.items[l.End].Width > 0
		ln := Line{Words: out, Hard: hard, Ragged: l.Ragged, Hyphen: hy, Added: added, Rest: len(lines) > 0 && lines[len(lines)-1].Added}
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
