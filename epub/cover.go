package epub

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"slices"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
)

// Cover geometry, in pixels. 1600×2560 (1:1.6) is the size the major
// stores recommend for reflowable e-book covers.
const (
	coverW      = 1600
	coverH      = 2560
	coverMargin = 150
	coverLevels = 63 // anti-aliasing steps per colour: 1 + 4×63 colours fit a 256-entry palette
)

var (
	coverBG     = color.RGBA{0x17, 0x1f, 0x2c, 0xff} // deep slate
	coverInk    = color.RGBA{0xf4, 0xf1, 0xea, 0xff} // warm white
	coverMuted  = color.RGBA{0xc3, 0xcb, 0xd8, 0xff}
	coverFaint  = color.RGBA{0x8d, 0x99, 0xad, 0xff}
	coverAccent = color.RGBA{0xe3, 0xa5, 0x34, 0xff} // amber
)

// DrawCover draws the cover Write draws for b when Options.Cover is nil,
// in fs (nil: fonts.Default()), as a PNG: to be passed to Write as
// Options.DrawnCover.
func DrawCover(b *tree.Book, fs *fonts.Set) ([]byte, error) {
	if fs == nil {
		fs = fonts.Default()
	}
	return drawCover(b.Meta, fs)
}

// drawCover draws a cover from the book's metadata: the title large and
// wrapped, an accent rule, the subtitle, and the author and version at the
// foot. The PNG encoding of a fixed drawing is deterministic.
func drawCover(m tree.Meta, fs *fonts.Set) ([]byte, error) {
	// Each colour is drawn as a coverage mask of its own; the masks are
	// then combined into a paletted image of the background blended
	// towards each colour in coverLevels steps. A paletted PNG encodes
	// several times faster than an RGBA one and is a third the size, and
	// nobody can see the difference between 63 and 256 levels of
	// anti-aliasing.
	//
	// The drawing is planned first and rendered afterwards (see
	// paintCover), so that a mask covers only what is drawn on it rather
	// than the whole 4 MB page.
	inks := []color.RGBA{coverInk, coverMuted, coverFaint, coverAccent}
	var ops []coverOp
	fill := func(x0, y0, x1, y1 int, c color.RGBA) {
		ops = append(ops, coverOp{ink: slices.Index(inks, c), r: image.Rect(x0, y0, x1, y1)})
	}
	bold, err := opentype.Parse(fs.Face(fonts.Bold).TTF)
	if err != nil {
		return nil, err
	}
	regular, err := opentype.Parse(fs.Face(fonts.Regular).TTF)
	if err != nil {
		return nil, err
	}
	mono, err := opentype.Parse(fs.Face(fonts.Mono).TTF)
	if err != nil {
		return nil, err
	}
	face := func(f *opentype.Font, size float64) (font.Face, error) {
		return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	}
	text := func(fc font.Face, c color.RGBA, x, y int, s string) {
		b, _ := font.BoundString(fc, s)
		r := image.Rect(b.Min.X.Floor(), b.Min.Y.Floor(), b.Max.X.Ceil(), b.Max.Y.Ceil()).Add(image.Pt(x, y)).Inset(-2)
		ops = append(ops, coverOp{ink: slices.Index(inks, c), r: r, draw: func(dst *image.Alpha) {
			drawString(dst, fc, fixed.P(x, y), s)
		}})
	}
	width := coverW - 2*coverMargin

	fill(coverMargin, 220, coverW-coverMargin, 228, coverAccent)

	// The title: the largest size at which it fits in four lines and
	// leaves room for the subtitle above the foot.
	title := m.Title // never empty (tree.DefaultTitle when the source names none)
	var lines []string
	size := 180.0
	var tf font.Face
	for ; ; size -= 10 {
		if tf, err = face(bold, size); err != nil {
			return nil, err
		}
		var fits bool
		lines, fits = wrap(tf, title, width)
		if fits && len(lines) <= 4 || size <= 60 {
			break
		}
	}
	y := 560
	for i, l := range lines {
		if i > 0 {
			y += int(size * 1.12)
		}
		text(tf, coverInk, coverMargin, y, l)
	}
	y += 110
	fill(coverMargin, y, coverMargin+320, y+14, coverAccent)
	y += 14

	if m.Subtitle != "" {
		sf, err := face(regular, 80)
		if err != nil {
			return nil, err
		}
		sub, _ := wrap(sf, m.Subtitle, width)
		for _, l := range sub {
			y += 110
			text(sf, coverMuted, coverMargin, y, l)
		}
	}

	foot := coverH - 380
	if m.Author != "" {
		af, err := face(regular, 88)
		if err != nil {
			return nil, err
		}
		a, _ := wrap(af, m.Author, width)
		text(af, coverInk, coverMargin, foot, a[0])
	}
	var ver []string
	if m.Version != "" {
		ver = append(ver, m.Version)
	}
	if m.Date != "" {
		ver = append(ver, m.Date)
	}
	if len(ver) > 0 {
		vf, err := face(mono, 52)
		if err != nil {
			return nil, err
		}
		text(vf, coverFaint, coverMargin, foot+110, strings.Join(ver, " · "))
	}
	fill(coverMargin, coverH-228, coverW-coverMargin, coverH-220, coverAccent)

	pal := color.Palette{coverBG}
	for _, c := range inks {
		for k := 1; k <= coverLevels; k++ {
			pal = append(pal, blend(coverBG, c, k, coverLevels))
		}
	}
	img := image.NewPaletted(image.Rect(0, 0, coverW, coverH), pal)
	paintCover(img, len(inks), ops)
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// coverOp is one thing drawn on the cover: an opaque rectangle (draw is
// nil) or a line of text within r, in one of the inks.
type coverOp struct {
	ink  int // index into the inks; its palette entries start at 1+ink*coverLevels
	r    image.Rectangle
	draw func(dst *image.Alpha)
}

// coverLevel maps a mask's coverage (0–255) to a step of coverLevels (0
// for none).
var coverLevel = func() (t [256]uint8) {
	for a := range t {
		t[a] = uint8((a*coverLevels + 127) / 255)
	}
	return t
}()

// paintCover draws ops into img, ink by ink: each ink's coverage mask,
// then the palette entry of its level wherever the mask is not empty, so
// that a later ink covers an earlier one. The operations of one ink that
// overlap share one mask, where their coverage adds up as it does on one
// page-sized layer; the others get masks of their own, and the pixels
// outside every operation's rectangle are never visited.
func paintCover(img *image.Paletted, inks int, ops []coverOp) {
	for ink := range inks {
		for _, group := range overlapping(ops, ink) {
			r := group[0].r
			for _, o := range group[1:] {
				r = r.Union(o.r)
			}
			mask := image.NewAlpha(r)
			for _, o := range group {
				if o.draw == nil {
					fillAlpha(mask, o.r)
				} else {
					o.draw(mask)
				}
			}
			base := 1 + ink*coverLevels
			r = r.Intersect(img.Rect)
			for y := r.Min.Y; y < r.Max.Y; y++ {
				src := mask.Pix[mask.PixOffset(r.Min.X, y):][:r.Dx()]
				dst := img.Pix[img.PixOffset(r.Min.X, y):][:r.Dx()]
				for x, a := range src {
					if k := coverLevel[a]; k > 0 {
						dst[x] = uint8(base + int(k) - 1)
					}
				}
			}
		}
	}
}

// drawString draws s into dst in opaque ink, starting at dot, exactly as
// font.Drawer.DrawString with an image.Opaque source does. It exists
// because image/draw has no fast path for an *image.Alpha destination:
// its generic path, through interface calls and 16-bit colours for every
// pixel, took a quarter of the time of drawing the cover.
func drawString(dst *image.Alpha, f font.Face, dot fixed.Point26_6, s string) {
	prev := rune(-1)
	for _, c := range s {
		if prev >= 0 {
			dot.X += f.Kern(prev, c)
		}
		dr, mask, mp, advance, _ := f.Glyph(dot, c)
		if !dr.Empty() {
			if m, ok := mask.(*image.Alpha); ok {
				overAlpha(dst, dr, m, mp)
			} else {
				draw.DrawMask(dst, dr, image.Opaque, image.Point{}, mask, mp, draw.Over)
			}
		}
		dot.X += advance
		prev = c
	}
}

// overAlpha composites an opaque source through mask onto dst within r,
// as draw.DrawMask(dst, r, image.Opaque, image.Point{}, mask, mp,
// draw.Over) does: the same clipping and the same 16-bit arithmetic.
func overAlpha(dst *image.Alpha, r image.Rectangle, mask *image.Alpha, mp image.Point) {
	orig := r.Min
	r = r.Intersect(dst.Rect).Intersect(mask.Rect.Add(orig.Sub(mp)))
	if r.Empty() {
		return
	}
	mp = mp.Add(r.Min.Sub(orig))
	const m = 0xffff
	for y := r.Min.Y; y < r.Max.Y; y++ {
		d := dst.Pix[dst.PixOffset(r.Min.X, y):][:r.Dx()]
		src := mask.Pix[mask.PixOffset(mp.X, mp.Y+y-r.Min.Y):][:r.Dx()]
		for x, a := range src {
			if a == 0 {
				continue
			}
			ma, da := uint32(a)*0x101, uint32(d[x])*0x101
			d[x] = uint8((da*(m-ma) + m*ma) / m >> 8)
		}
	}
}

// fillAlpha makes dst opaque within r.
func fillAlpha(dst *image.Alpha, r image.Rectangle) {
	r = r.Intersect(dst.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := dst.Pix[dst.PixOffset(r.Min.X, y):][:r.Dx()]
		for i := range row {
			row[i] = 0xff
		}
	}
}

// overlapping returns the operations of one ink in groups whose bounding
// rectangles do not overlap each other, each group in drawing order.
func overlapping(ops []coverOp, ink int) [][]coverOp {
	type group struct {
		r   image.Rectangle
		idx []int // into ops, ascending
	}
	var gs []group
	for i, o := range ops {
		if o.ink != ink || o.r.Empty() {
			continue
		}
		g := group{r: o.r, idx: []int{i}}
		// Absorb every group g now overlaps, until none is left: a
		// union can reach a group that the operation alone did not.
		for merged := true; merged; {
			merged = false
			for j := 0; j < len(gs); j++ {
				if gs[j].r.Overlaps(g.r) {
					g.r = g.r.Union(gs[j].r)
					g.idx = append(g.idx, gs[j].idx...)
					gs = slices.Delete(gs, j, j+1)
					merged = true
					j--
				}
			}
		}
		slices.Sort(g.idx)
		gs = append(gs, g)
	}
	out := make([][]coverOp, len(gs))
	for i, g := range gs {
		for _, j := range g.idx {
			out[i] = append(out[i], ops[j])
		}
	}
	return out
}

// blend returns bg moved k/n of the way towards fg.
func blend(bg, fg color.RGBA, k, n int) color.RGBA {
	mix := func(a, b uint8) uint8 { return uint8((int(a)*(n-k) + int(b)*k + n/2) / n) }
	return color.RGBA{mix(bg.R, fg.R), mix(bg.G, fg.G), mix(bg.B, fg.B), 0xff}
}

// wrap breaks s into lines no wider than width, greedily at spaces. fits
// is false when a single word is wider than width.
func wrap(f font.Face, s string, width int) (lines []string, fits bool) {
	fits = true
	limit := fixed.I(width)
	var cur string
	for _, w := range strings.Fields(s) {
		if font.MeasureString(f, w) > limit {
			fits = false
		}
		if cur == "" {
			cur = w
			continue
		}
		if font.MeasureString(f, cur+" "+w) <= limit {
			cur += " " + w
			continue
		}
		lines = append(lines, cur)
		cur = w
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines, fits
}
