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
	inks := []color.RGBA{coverInk, coverMuted, coverFaint, coverAccent}
	layers := make([]*image.Alpha, len(inks))
	dirty := make([]image.Rectangle, len(inks)) // what was drawn on each layer
	layer := func(c color.RGBA, r image.Rectangle) *image.Alpha {
		i := slices.Index(inks, c)
		if layers[i] == nil {
			layers[i] = image.NewAlpha(image.Rect(0, 0, coverW, coverH))
		}
		dirty[i] = dirty[i].Union(r)
		return layers[i]
	}
	fill := func(x0, y0, x1, y1 int, c color.RGBA) {
		r := image.Rect(x0, y0, x1, y1)
		draw.Draw(layer(c, r), r, image.Opaque, image.Point{}, draw.Src)
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
		d := font.Drawer{Dst: layer(c, r), Src: image.Opaque, Face: fc, Dot: fixed.P(x, y)}
		d.DrawString(s)
	}
	width := coverW - 2*coverMargin

	fill(coverMargin, 220, coverW-coverMargin, 228, coverAccent)

	// The title: the largest size at which it fits in four lines and
	// leaves room for the subtitle above the foot.
	title := m.Title
	if title == "" {
		title = "Untitled"
	}
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
	for li, l := range layers {
		if l == nil {
			continue
		}
		base := 1 + li*coverLevels
		r := dirty[li].Intersect(img.Rect)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				i := y*coverW + x
				if k := (int(l.Pix[i])*coverLevels + 127) / 255; k > 0 {
					img.Pix[i] = uint8(base + k - 1)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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
