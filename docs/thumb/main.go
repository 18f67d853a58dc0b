// Command thumb makes the README's pictures from rendered pages (used by
// docs/render.sh):
//
//	go run ./docs/thumb IN.png OUT.png WIDTH     scale IN to WIDTH pixels wide
//	go run ./docs/thumb side OUT.png IN.png...   set pages side by side
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"strconv"

	"golang.org/x/image/draw"
)

func main() {
	var err error
	switch {
	case len(os.Args) >= 4 && os.Args[1] == "side":
		err = side(os.Args[2], os.Args[3:])
	case len(os.Args) == 4:
		err = thumb(os.Args[1], os.Args[2], os.Args[3])
	default:
		fmt.Fprintln(os.Stderr, "usage: thumb IN.png OUT.png WIDTH | thumb side OUT.png IN.png...")
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "thumb:", err)
		os.Exit(1)
	}
}

func load(p string) (image.Image, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}

func save(p string, im image.Image) error {
	o, err := os.Create(p)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(o, im); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}

func thumb(in, out, width string) error {
	w, err := strconv.Atoi(width)
	if err != nil || w <= 0 {
		return fmt.Errorf("bad width %q", width)
	}
	src, err := load(in)
	if err != nil {
		return err
	}
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, w, b.Dy()*w/b.Dx()))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	return save(out, dst)
}

// side sets the pages side by side on a grey ground, as on a desk.
func side(out string, ins []string) error {
	const gap = 12
	var ims []image.Image
	w, h := gap, 0
	for _, in := range ins {
		im, err := load(in)
		if err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		ims = append(ims, im)
		w += im.Bounds().Dx() + gap
		h = max(h, im.Bounds().Dy())
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h+2*gap))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.RGBA{0x9a, 0x9e, 0xa6, 0xff}), image.Point{}, draw.Src)
	x := gap
	for _, im := range ims {
		b := im.Bounds()
		draw.Draw(dst, image.Rect(x, gap, x+b.Dx(), gap+b.Dy()), im, b.Min, draw.Src)
		x += b.Dx() + gap
	}
	return save(out, dst)
}
