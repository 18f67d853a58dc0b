package fonts

import (
	"sync"
	"unsafe"

	otfont "github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/harfbuzz"
	"github.com/go-text/typesetting/language"
)

// Glyph is one glyph of a shaped run of text.
type Glyph struct {
	ID uint16 // glyph index in the font; 0 (.notdef) for a character the font cannot draw
	// Advance is how far the pen moves after the glyph, in thousandths
	// of an em (PDF glyph space), kerning included.
	Advance float64
	// XOffset and YOffset displace the glyph from the pen position
	// without moving the pen, in thousandths of an em (y up): GPOS mark
	// positioning of a combining mark on its base. Zero for nearly
	// every glyph (all of the real handbook's).
	XOffset, YOffset float64
	// Start and End are the byte range of the text the glyph draws: a
	// ligature covers several characters, and several glyphs may share
	// one range (a character drawn as a base and a mark). The ranges of
	// a run's glyphs, in order, cover the text exactly, without gaps.
	Start, End int
}

// Shape turns s into glyphs with the font's own typography: kerning and
// the standard ligatures (HarfBuzz's default features for the script,
// among them "kern", "liga", "clig", "calt", "ccmp", "mark"), set left to
// right in the script of s's first letter (Latin when it has none:
// digits and punctuation are set as in the text around them) and the
// font's default language system, so that the result depends on s alone.
// A monospaced face (code) is neither kerned nor ligated: one glyph per
// character at its plain advance.
//
// A character the font cannot draw, even decomposed into a base and
// marks, becomes glyph 0 (.notdef) with a zero advance, as RuneWidth
// measures it; callers substitute such characters before shaping.
//
// The result is shared with other callers and must not be modified.
// Shape is deterministic and safe for concurrent use; results for short
// strings (words and their fragments) are cached per face.
func (f *Font) Shape(s string) []Glyph {
	return f.shaped(s).glyphs
}

// ShapedWidth returns the width of s as Shape sets it, at size (same
// unit as size): the sum of its glyphs' advances × size/1000.
func (f *Font) ShapedWidth(s string, size float64) float64 {
	if f.shaping().mono {
		var w float64
		for _, r := range s {
			w += f.monoAdvance(r)
		}
		return w * size / 1000
	}
	return f.shaped(s).advance * size / 1000
}

// shaped is a cached result.
type shaped struct {
	glyphs  []Glyph
	advance float64 // sum of the glyphs' advances, thousandths of an em
}

// The cache's bounds. Only strings of at most maxCachedKey bytes are
// cached (a book's words and fragments; longer strings are rare and are
// shaped each time), and a face's cache holds about maxCacheBytes of
// keys, glyphs and map overhead: when it is full it is emptied and fills
// again (results do not depend on it, only speed). The real handbook's
// words fill about half of it in the Regular face (3,500 distinct words,
// 2 MB), far less in the others; a set has 7 faces.
const (
	maxCachedKey  = 256
	maxCacheBytes = 4 << 20
	entryOverhead = 128 // map entry, *shaped and slice headers, rounded up
)

// shaper is a face's shaping state, made on first use.
type shaper struct {
	once sync.Once
	mono bool // set unshaped: monospaced, or unreadable by the shaper
	ot   states

	// cache holds results by string. A map under a read-write lock:
	// reads (nearly all calls) take the lock shared, and a Go map looks
	// a short string up faster than a sync.Map.
	mu    sync.RWMutex
	cache map[string]*shaped
	bytes int // accounted size of cache
}

// states keeps one parse of the font's layout tables and the shaping
// states on it that are not in use. States are kept for the face's
// lifetime (a sync.Pool would drop them at a garbage collection, and
// with them the compiled shaping plans); there are at most as many as
// goroutines ever shaped with the face at once.
type states struct {
	ot   *otfont.Font // read-only, shared by the states
	mu   sync.Mutex
	idle []*hbState
}

// hbState is what one shaping call needs: a face (it caches glyph
// lookups, so it is not safe for concurrent use), the HarfBuzz font on
// it, and a buffer, which also caches the compiled shaping plan.
type hbState struct {
	font *harfbuzz.Font
	buf  *harfbuzz.Buffer
}

func (p *states) get() *hbState {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		st := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return st
	}
	p.mu.Unlock()
	return &hbState{font: harfbuzz.NewFont(otfont.NewFace(p.ot)), buf: harfbuzz.NewBuffer()}
}

func (p *states) put(st *hbState) {
	p.mu.Lock()
	p.idle = append(p.idle, st)
	p.mu.Unlock()
}

// shaping returns f's shaping state, parsing the font's layout tables
// on first use (once per face and process).
func (f *Font) shaping() *shaper {
	sh := &f.shape
	sh.once.Do(func() {
		t := readTables(f.TTF)
		ot, err := parseOT(f.TTF, t)
		if err != nil {
			// sfnt parsed the same bytes in Parse; a font the shaper
			// cannot read is set unshaped, as a monospaced face is.
			sh.mono = true
			return
		}
		sh.ot.ot = ot
		sh.mono = t.fixedPitch || ot.IsMonospace()
	})
	return sh
}

// monoAdvance is r's plain advance in thousandths of an em, 0 without a
// glyph (as RuneWidth).
func (f *Font) monoAdvance(r rune) float64 {
	if e := f.em(r); e > 0 {
		return e * 1000
	}
	return 0
}

func (f *Font) shaped(s string) *shaped {
	sh := f.shaping()
	if len(s) <= maxCachedKey {
		sh.mu.RLock()
		v, ok := sh.cache[s]
		sh.mu.RUnlock()
		if ok {
			return v
		}
	}
	var out *shaped
	if sh.mono {
		out = f.shapeMono(s)
	} else {
		out = f.shapeHB(sh, s)
	}
	if len(s) <= maxCachedKey {
		cost := len(s) + cap(out.glyphs)*int(unsafe.Sizeof(Glyph{})) + entryOverhead
		sh.mu.Lock()
		if sh.bytes+cost > maxCacheBytes || sh.cache == nil {
			sh.cache = make(map[string]*shaped, 1024)
			sh.bytes = 0
		}
		// Another goroutine may have stored the same result: equal, so
		// either will do.
		if _, ok := sh.cache[s]; !ok {
			sh.cache[s] = out
			sh.bytes += cost
		}
		sh.mu.Unlock()
	}
	return out
}

// shapeMono sets s one glyph per character at the plain advances.
func (f *Font) shapeMono(s string) *shaped {
	out := &shaped{glyphs: make([]Glyph, 0, len(s))}
	for i, r := range s {
		var id uint16
		if ot := f.shape.ot.ot; ot != nil {
			if g, ok := ot.NominalGlyph(r); ok {
				id = uint16(g)
			}
		}
		if !f.HasGlyph(r) {
			id = 0
		}
		adv := f.monoAdvance(r)
		out.glyphs = append(out.glyphs, Glyph{ID: id, Advance: adv, Start: i})
		out.advance += adv
	}
	for i := range out.glyphs {
		out.glyphs[i].End = len(s)
		if i+1 < len(out.glyphs) {
			out.glyphs[i].End = out.glyphs[i+1].Start
		}
	}
	return out
}

// shapeHB shapes s with HarfBuzz.
func (f *Font) shapeHB(sh *shaper, s string) *shaped {
	script := language.Latin
	for _, r := range s {
		if sc := language.LookupScript(r); sc.Strong() && sc != language.Unknown {
			script = sc
			break
		}
	}
	st := sh.ot.get()
	defer sh.ot.put(st)
	run(st, s, script)
	return f.glyphs(st.buf, s)
}

// run shapes s into st's buffer.
func run(st *hbState, s string, script language.Script) {
	buf := st.buf
	buf.Clear()
	for i, r := range s {
		// Clusters are byte offsets, so they are Glyph.Start directly.
		buf.AddRune(r, i)
	}
	// Set every property rather than guess: GuessSegmentProperties
	// would read the language from the environment (LANG), and a
	// book's bytes must not depend on it.
	buf.Props = harfbuzz.SegmentProperties{Script: script, Direction: harfbuzz.LeftToRight}
	buf.Shape(st.font, nil)
}

// glyphs converts a shaped buffer.
func (f *Font) glyphs(buf *harfbuzz.Buffer, s string) *shaped {
	scale := 1000 / f.unitsPerEm
	out := &shaped{glyphs: make([]Glyph, len(buf.Info))}
	for i, info := range buf.Info {
		pos := buf.Pos[i]
		g := Glyph{ID: uint16(info.Glyph), Start: info.Cluster}
		if g.ID != 0 {
			g.Advance = float64(pos.XAdvance) * scale
			g.XOffset = float64(pos.XOffset) * scale
			g.YOffset = float64(pos.YOffset) * scale
		}
		out.glyphs[i] = g
		out.advance += g.Advance
	}
	// A glyph's range ends where the next cluster starts: clusters are
	// monotone (left to right, HarfBuzz's default cluster level), and
	// glyphs of one cluster share its range.
	end := len(s)
	for i := len(out.glyphs) - 1; i >= 0; i-- {
		g := &out.glyphs[i]
		g.End = end
		if i > 0 && out.glyphs[i-1].Start != g.Start {
			end = g.Start
		}
	}
	return out
}
