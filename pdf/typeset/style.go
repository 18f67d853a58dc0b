package typeset

import (
	"fmt"
	"math"
	"strings"

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

// paperGeometry returns the page design for a paper name ("" means A4).
// The measures give 65–72 characters a line of the body face, the width
// that reads best in long text; the margins that are left are generous
// on A4 and Letter, as in a book printed on a large page. On screen the
// margins are symmetric. In print, left and right are the recto's: the
// inner margin (left) is wider than the outer one by a binding gutter,
// for a ring binder, staples or a saddle stitch, and versos mirror them;
// the text measure stays the screen's.
func paperGeometry(name string, print bool) (*Geometry, error) {
	var g Geometry
	switch strings.ToLower(name) {
	case "", "a4":
		g = Geometry{Name: "a4", W: 210, H: 297, Left: 46, Right: 46, Top: 20, Bottom: 22, Body: 10}
	case "letter":
		g = Geometry{Name: "letter", W: 215.9, H: 279.4, Left: 48.95, Right: 48.95, Top: 16, Bottom: 19, Body: 10}
	case "a5":
		g = Geometry{Name: "a5", W: 148, H: 210, Left: 19, Right: 19, Top: 16, Bottom: 19, Body: 9.5}
	default:
		return nil, fmt.Errorf("pdf: unknown paper %q (want a4, letter or a5)", name)
	}
	if print {
		// The gutter: 8 mm on the big papers (a hole punch takes ~12 mm
		// of the inner margin), 4 mm on A5, which is stapled or folded.
		gutter := 8.0
		if g.Name == "a5" {
			gutter = 4
		}
		g.Left += gutter / 2
		g.Right -= gutter / 2
	}
	// 1.32 × the size: Charis has a large x-height for a serif and needs
	// a little more air than a book face usually gets.
	g.Lead = Grid(g.Body * 1.32 * PtMM)
	g.HeadY = g.Top - 0.45*g.Top
	g.FootY = g.H - g.Bottom + 0.5*g.Bottom
	return &g, nil
}

// RGB is a colour. Components are bytes, so that an op, of which a book
// has one per word, stays small.
type RGB struct{ R, G, B uint8 }

// The palette. Links are a dark teal rather than pure blue: visible as
// links on screen, quiet in running text.
var (
	colText    = RGB{30, 30, 34}
	colMuted   = RGB{105, 108, 115}
	colAccent  = RGB{0, 92, 110}
	colLink    = RGB{0, 98, 118}
	colCodeBg  = RGB{242, 244, 246}
	colCodeTxt = RGB{40, 44, 52}
	colRule    = RGB{196, 200, 206}
	colQuote   = RGB{170, 190, 196}
)

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

// mono returns the code style matching s: Go Mono is wide, so inline code
// is set a little smaller than the text around it.
func (s Style) mono() Style {
	if s.Face == fonts.Bold || s.Face == fonts.BoldItalic || s.Face == fonts.MonoBold {
		s.Face = fonts.MonoBold
	} else {
		s.Face = fonts.Mono
	}
	s.Size = math.Round(s.Size*0.9*4) / 4
	if s.Color == colText {
		s.Color = colCodeTxt
	}
	return s
}
