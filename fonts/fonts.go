// Package fonts holds the fonts the books are set in, as TrueType data with
// their metrics: by default Charis SIL for the text (SIL Open Font
// License; a serif made for long reading, after Bitstream Charter), Go
// Mono for code (BSD-licensed, from golang.org/x/image) and DejaVu Sans
// for the characters those lack (Greek, arrows, mathematical symbols);
// or TTF files a user supplies. The licences are beside the files, in
// charis/ and dejavu/; see README.md.
//
// Widths are measured with golang.org/x/image/font/sfnt, which agrees with
// the PDF writer's own TrueType metrics, and cached per rune so that
// typesetting a book measures each character of each font once.
package fonts

import (
	_ "embed"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Style selects one face of a Set.
type Style uint8 // (a byte: every drawing operation holds one)

// The faces of a Set.
const (
	Regular Style = iota
	Bold
	Italic
	BoldItalic
	Mono
	MonoBold
	// Symbol is the fallback face: a character the face of its text
	// lacks is drawn in it, at the same size.
	Symbol
	numStyles
)

// String returns the style's name, as used for font family suffixes.
func (s Style) String() string {
	return [...]string{"regular", "bold", "italic", "bolditalic", "mono", "monobold", "symbol"}[s]
}

// Set is a family of faces for body text and code.
type Set struct {
	Name string // family name for the body faces, e.g. "Charis SIL"
	// Credit names the faces for a colophon, e.g. "Set in Charis SIL,
	// with code in Go Mono." Empty for a user's set.
	Credit string
	faces  [numStyles]*Font
}

// The default faces, embedded.
var (
	//go:embed charis/CharisSIL-Regular.ttf
	charisRegular []byte
	//go:embed charis/CharisSIL-Bold.ttf
	charisBold []byte
	//go:embed charis/CharisSIL-Italic.ttf
	charisItalic []byte
	//go:embed charis/CharisSIL-BoldItalic.ttf
	charisBoldItalic []byte
	//go:embed dejavu/DejaVuSans.ttf
	dejavuSans []byte
)

// Default returns the book's faces: Charis SIL Regular, Bold, Italic and
// Bold Italic, Go Mono and Go Mono Bold for code, DejaVu Sans as the
// Symbol face. The result is shared and safe for concurrent use.
func Default() *Set {
	defOnce.Do(func() {
		// The code and symbol faces are the Go set's: one parse each.
		ttfs := [numStyles][]byte{charisRegular, charisBold, charisItalic, charisBoldItalic, nil, nil, nil}
		set := &Set{Name: "Charis SIL", Credit: "Set in Charis SIL by SIL International, after Bitstream Charter by Matthew Carter; code in Go Mono by Bigelow & Holmes; symbols in DejaVu Sans."}
		for st, data := range ttfs {
			if data == nil {
				set.faces[st] = Go().faces[st]
				continue
			}
			f, err := Parse(Style(st).String(), data)
			if err != nil {
				panic("fonts: bundled font does not parse: " + err.Error())
			}
			set.faces[st] = f
		}
		defSet = set
	})
	return defSet
}

var (
	defOnce sync.Once
	defSet  *Set
)

// Face returns the font for style s.
func (s *Set) Face(st Style) *Font { return s.faces[st] }

// Go returns the Go fonts: Go Regular, Bold, Italic, Bold Italic, Go Mono
// and Go Mono Bold, with DejaVu Sans as the Symbol face. The result is
// shared and safe for concurrent use.
func Go() *Set {
	goOnce.Do(func() {
		ttfs := [numStyles][]byte{goregular.TTF, gobold.TTF, goitalic.TTF, gobolditalic.TTF, gomono.TTF, gomonobold.TTF, dejavuSans}
		set := &Set{Name: "Go", Credit: "Set in Go Regular, Go Bold and Go Italic, with code in Go Mono: the Go fonts by Bigelow & Holmes; symbols in DejaVu Sans."}
		for st, data := range ttfs {
			f, err := Parse(Style(st).String(), data)
			if err != nil {
				panic("fonts: bundled Go font does not parse: " + err.Error())
			}
			set.faces[st] = f
		}
		goSet = set
	})
	return goSet
}

var (
	goOnce sync.Once
	goSet  *Set
)

// NewSet builds a set from TTF data per style; a missing style falls back
// to Regular (for body styles) or Mono (for MonoBold); a missing Mono or
// Symbol face is the default set's.
func NewSet(name string, ttfs map[Style][]byte) (*Set, error) {
	set := &Set{Name: name}
	for st := Regular; st < numStyles; st++ {
		data, ok := ttfs[st]
		if !ok {
			continue
		}
		f, err := Parse(name+"-"+st.String(), data)
		if err != nil {
			return nil, fmt.Errorf("font %s %s: %w", name, st, err)
		}
		set.faces[st] = f
	}
	if set.faces[Regular] == nil {
		return nil, fmt.Errorf("font set %s has no regular face", name)
	}
	if set.faces[Mono] == nil {
		set.faces[Mono] = Default().faces[Mono]
	}
	if set.faces[Symbol] == nil {
		set.faces[Symbol] = Default().faces[Symbol]
	}
	for st := Regular; st < numStyles; st++ {
		if set.faces[st] == nil {
			fb := set.faces[Regular]
			if st == MonoBold {
				fb = set.faces[Mono]
			}
			set.faces[st] = fb
		}
	}
	return set, nil
}

// Font is one TrueType face with cached metrics.
type Font struct {
	Name string // unique within its Set, e.g. "bold"
	TTF  []byte // the font file as given
	// PostScriptName is the font's own PostScript name, e.g.
	// "CharisSIL-Bold" (the name table's entry 6); Name when it has none.
	PostScriptName string

	sf         *sfnt.Font
	unitsPerEm float64
	ascent     float64 // in em units (fraction of the size)
	descent    float64 // positive, in em units

	mu     sync.Mutex
	widths map[rune]float64 // advance in em units; <0: no glyph
	// low holds the widths of the runes below lowRunes, read without
	// the lock (the typesetter asks for every character of a book,
	// from several goroutines): Float64bits(width)+1, 0 for not yet
	// known.
	low [lowRunes]atomic.Uint64

	// shape is the face's shaping state and cache (shape.go): it lives
	// with the face, so that every book of a process shares it and it
	// goes when the face goes.
	shape shaper
}

// Parse reads a TrueType font.
func Parse(name string, ttf []byte) (*Font, error) {
	sf, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, err
	}
	f := &Font{Name: name, TTF: ttf, sf: sf, unitsPerEm: float64(sf.UnitsPerEm()), widths: map[rune]float64{}}
	var b sfnt.Buffer
	// Metrics at a size of unitsPerEm pixels give values in font units.
	m, err := sf.Metrics(&b, fixed.I(int(sf.UnitsPerEm())), font.HintingNone)
	if err != nil {
		return nil, err
	}
	f.PostScriptName = name
	if ps, err := sf.Name(&b, sfnt.NameIDPostScript); err == nil && ps != "" {
		f.PostScriptName = ps
	}
	f.ascent = float64(m.Ascent) / 64 / f.unitsPerEm
	f.descent = float64(m.Descent) / 64 / f.unitsPerEm
	return f, nil
}

// Ascent returns the ascent at the given size (same unit as size).
func (f *Font) Ascent(size float64) float64 { return f.ascent * size }

// Descent returns the descent (positive) at the given size.
func (f *Font) Descent(size float64) float64 { return f.descent * size }

// HasGlyph reports whether the font can draw r.
func (f *Font) HasGlyph(r rune) bool { return f.em(r) >= 0 }

// RuneWidth returns the advance width of r at size (same unit as size);
// a rune without a glyph measures as the font's .notdef glyph would, 0.
func (f *Font) RuneWidth(r rune, size float64) float64 {
	w := f.em(r)
	if w < 0 {
		return 0
	}
	return w * size
}

// Width returns the width of s at size as the PDF draws it: shaped, with
// the font's kerning and ligatures (ShapedWidth). RuneWidth is the plain
// advance of one character.
func (f *Font) Width(s string, size float64) float64 {
	return f.ShapedWidth(s, size)
}

// lowRunes covers Latin, Greek, Cyrillic and General Punctuation (the
// quotes and dashes), the text of nearly every book.
const lowRunes = 0x2070

func (f *Font) em(r rune) float64 {
	if r >= 0 && r < lowRunes {
		if v := f.low[r].Load(); v != 0 {
			return math.Float64frombits(v - 1)
		}
		w := f.emSlow(r)
		f.low[r].Store(math.Float64bits(w) + 1)
		return w
	}
	return f.emSlow(r)
}

// emSlow looks r's width up in the font, once.
func (f *Font) emSlow(r rune) float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	if w, ok := f.widths[r]; ok {
		return w
	}
	var b sfnt.Buffer
	w := -1.0
	if gi, err := f.sf.GlyphIndex(&b, r); err == nil && gi != 0 {
		adv, err := f.sf.GlyphAdvance(&b, gi, fixed.I(int(f.unitsPerEm)), font.HintingNone)
		if err == nil {
			w = float64(adv) / 64 / f.unitsPerEm
		}
	}
	f.widths[r] = w
	return w
}
