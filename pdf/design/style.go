package design

import (
	"fmt"
	"math"
	"strings"

	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// Paper returns the page design for a paper name ("" means A4).
// The measures give 65–72 characters a line of the body face, the width
// that reads best in long text; the margins that are left are generous
// on A4 and Letter, as in a book printed on a large page. On screen the
// margins are symmetric. In print, left and right are the recto's: the
// inner margin (left) is wider than the outer one by a binding gutter,
// for a ring binder, staples or a saddle stitch, and versos mirror them;
// the text measure stays the screen's.
func Paper(name string, print bool) (*layout.Geometry, error) {
	var g layout.Geometry
	switch strings.ToLower(name) {
	case "", "a4":
		g = layout.Geometry{Name: "a4", W: 210, H: 297, Left: 46, Right: 46, Top: 20, Bottom: 22, Body: 10}
	case "letter":
		g = layout.Geometry{Name: "letter", W: 215.9, H: 279.4, Left: 48.95, Right: 48.95, Top: 16, Bottom: 19, Body: 10}
	case "a5":
		g = layout.Geometry{Name: "a5", W: 148, H: 210, Left: 19, Right: 19, Top: 16, Bottom: 19, Body: 9.5}
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
	g.Lead = layout.Grid(g.Body * 1.32 * layout.PtMM)
	g.HeadY = g.Top - 0.45*g.Top
	g.FootY = g.H - g.Bottom + 0.5*g.Bottom
	return &g, nil
}

// The palette. Links are a dark teal rather than pure blue: visible as
// links on screen, quiet in running text.
var (
	ColText     = layout.RGB{R: 30, G: 30, B: 34}
	ColMuted    = layout.RGB{R: 105, G: 108, B: 115}
	ColAccent   = layout.RGB{R: 0, G: 92, B: 110}
	ColLink     = layout.RGB{R: 0, G: 98, B: 118}
	ColCodeBg   = layout.RGB{R: 242, G: 244, B: 246}
	ColCodeText = layout.RGB{R: 40, G: 44, B: 52}
	ColRule     = layout.RGB{R: 196, G: 200, B: 206}
	ColQuote    = layout.RGB{R: 170, G: 190, B: 196}
)

// mono returns the code style matching s: Go Mono is wide, so inline code
// is set a little smaller than the text around it.
func mono(s layout.Style) layout.Style {
	if s.Face == fonts.Bold || s.Face == fonts.BoldItalic || s.Face == fonts.MonoBold {
		s.Face = fonts.MonoBold
	} else {
		s.Face = fonts.Mono
	}
	s.Size = math.Round(s.Size*0.9*4) / 4
	if s.Color == ColText {
		s.Color = ColCodeText
	}
	return s
}

// Ink maps the screen palette to the print edition's: all text black,
// accents black, rules and quote bars a mid grey that prints as a clean
// hairline. Layout is done with the screen's colours so that both
// editions share one typesetter; only the ink differs.
func Ink(pg *layout.Page) {
	for _, ops := range [][]layout.Op{pg.Ops, pg.Furniture} {
		for i := range ops {
			o := &ops[i]
			switch o.Kind {
			case layout.OpText:
				o.Style.Color = ColInk
			case layout.OpRect:
				switch o.Color {
				case ColRule, ColQuote:
					o.Color = ColGrey
				default:
					o.Color = ColInk
				}
			}
		}
	}
}

// The print edition's inks.
var (
	ColInk  = layout.RGB{R: 0, G: 0, B: 0}
	ColGrey = layout.RGB{R: 150, G: 150, B: 150}
)
