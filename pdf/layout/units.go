package layout

import (
	"math"

	"github.com/genai-handbook/handbook/fonts"
)

// PtMM converts typographic points to millimetres, the unit of every
// length in this package (maroto and gofpdf work in mm).
const PtMM = 25.4 / 72

// Grid rounds a length to 1/256 mm. Every vertical advance is rounded so
// that sums of heights are exact binary fractions: float drift would
// otherwise make two builds of slightly different books disagree about
// whether a line fits, and makes positions in tests noisy.
func Grid(x float64) float64 { return math.Round(x*256) / 256 }

// Geometry is the page design for one paper size.
type Geometry struct {
	Name                     string  // "a4", "letter", "a5"
	W, H                     float64 // page size in mm
	Left, Right, Top, Bottom float64 // text area margins in mm
	Body                     float64 // body font size in pt
	Lead                     float64 // body line height in mm
	HeadY                    float64 // baseline of the running head
	FootY                    float64 // baseline of the folio
}

// TextW returns the width of the text area.
func (g *Geometry) TextW() float64 { return g.W - g.Left - g.Right }

// TextH returns the height of the text area.
func (g *Geometry) TextH() float64 { return g.H - g.Top - g.Bottom }

// RGB is a colour. Components are bytes, so that an op, of which a book
// has one per word, stays small.
type RGB struct{ R, G, B uint8 }

// Style is the style of a run of text.
type Style struct {
	Size   float64 // pt
	Rise   float64 // baseline shift in mm, positive upwards (footnote marks)
	Face   fonts.Style
	Color  RGB
	Strike bool
}

// Bold returns s in the Bold of its face (italic: Bold italic; code: Bold
// code).
func (s Style) Bold() Style {
	switch s.Face {
	case fonts.Regular:
		s.Face = fonts.Bold
	case fonts.Italic:
		s.Face = fonts.BoldItalic
	case fonts.Mono:
		s.Face = fonts.MonoBold
	}
	return s
}

// Italic returns s in the Italic of its face (bold: bold Italic); code
// stays upright.
func (s Style) Italic() Style {
	switch s.Face {
	case fonts.Regular:
		s.Face = fonts.Italic
	case fonts.Bold:
		s.Face = fonts.BoldItalic
	}
	return s
}
