package font

import (
	"math"

	"github.com/genai-handbook/handbook/fonts"
)

// AppendTJ appends to dst the operators that draw gs, glyphs of f as
// Shape set them, at size (in text space units, the Tf size) inside a
// BT…ET with f's Type0 font selected: "[<00120034> -40 <0056>] TJ", one
// hex string per run of glyphs (their codes are their ids) and, between
// glyphs, the adjustment by which the shaped advance differs from the
// embedded width (kerning; positive numbers move left, in thousandths of
// the size). A glyph moved by GPOS (a mark) is shifted in the array
// horizontally and raised with Ts, which is reset after it.
func AppendTJ(dst []byte, f *fonts.Font, gs []fonts.Glyph, size float64) []byte {
	// The face is looked up once a call, not once a glyph (GlyphWidth):
	// a book draws a few hundred thousand glyphs. nil (a face that
	// cannot be read) gives zero widths, as GlyphWidth.
	fc, _ := faceOf(f)
	open := false // inside "[" of a TJ
	inHex := false
	start := func() {
		if !open {
			dst = append(dst, '[')
			open = true
		}
	}
	adjust := func(v float64) {
		if math.Round(v*1e4) != 0 { // num(v) != "0"
			start()
			if inHex {
				dst = append(dst, '>')
				inHex = false
			}
			dst = append(dst, ' ')
			dst = appendNum(dst, v)
			dst = append(dst, ' ')
		}
	}
	closeTJ := func() {
		if inHex {
			dst = append(dst, '>')
			inHex = false
		}
		if open {
			dst = append(dst, "] TJ\n"...)
			open = false
		}
	}
	for _, g := range gs {
		if g.YOffset != 0 {
			closeTJ()
			dst = append(dst, num(g.YOffset*size/1000)...)
			dst = append(dst, " Ts\n"...)
		}
		adjust(-g.XOffset)
		start()
		if !inHex {
			dst = append(dst, '<')
			inHex = true
		}
		dst = append(dst, hexDigits[g.ID>>12], hexDigits[g.ID>>8&15], hexDigits[g.ID>>4&15], hexDigits[g.ID&15])
		w := 0.0
		if fc != nil {
			w = fc.width(g.ID)
		}
		adjust(w - g.Advance + g.XOffset)
		if g.YOffset != 0 {
			closeTJ()
			dst = append(dst, "0 Ts\n"...)
		}
	}
	closeTJ()
	return dst
}

// hexDigits are the digits of a glyph id in a hex string, as "%04X".
const hexDigits = "0123456789ABCDEF"
