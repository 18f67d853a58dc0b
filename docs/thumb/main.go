// Command thumb scales a PNG down to a given width for the README's
// pictures (used by docs/render.sh): go run ./docs/thumb IN OUT WIDTH.
package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"strconv"

	"golang.org/x/image/draw"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: thumb IN.png OUT.png WIDTH")
		os.Exit(2)
	}
	if err := thumb(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "thumb:", err)
		os.Exit(1)
	}
}

func thumb(in, out, width string) error {
	w, err := strconv.Atoi(width)
	if err != nil || w <= 0 {
		return fmt.Errorf("bad width %q", width)
	}
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		return err
	}
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, w, b.Dy()*w/b.Dx()))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := png.Encode(o, dst); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}
