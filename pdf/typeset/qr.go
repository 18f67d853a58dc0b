package typeset

import (
	"runtime"
	"sync"

	"github.com/boombuler/barcode/qr"

	"github.com/genai-handbook/handbook/compile/tree"
)

// QR codes are encoded with the library maroto uses (boombuler/barcode)
// but drawn as vector paths in the incremental update, not with maroto's
// QR component: that one embeds a PNG with one pixel per module, which
// viewers and printer drivers smooth when they scale it by less than
// 4×, blurring the module edges a scanner looks for. A path is sharp at
// any resolution and costs a few hundred bytes a code.

// QRCode is an encoded QR code.
type QRCode struct {
	N    int    // modules per side
	Dark []bool // n×n, row by row from the top
}

// encodeQR encodes s with error correction level M (15% of the code may
// be damaged or dirty), maroto's choice too.
func encodeQR(s string) (*QRCode, error) {
	bc, err := qr.Encode(s, qr.M, qr.Auto)
	if err != nil {
		return nil, err
	}
	b := bc.Bounds()
	c := &QRCode{N: b.Dx(), Dark: make([]bool, b.Dx()*b.Dy())}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, _, _, _ := bc.At(b.Min.X+x, b.Min.Y+y).RGBA()
			c.Dark[y*c.N+x] = r < 0x8000
		}
	}
	return c, nil
}

// encodeURLs encodes the QR codes of every deep link of b (see deepLink), in
// parallel: encoding tries all eight masks of a code and dominates the
// print edition's typesetting otherwise. The result does not depend on
// the scheduling; addresses that cannot be encoded are left out (cite
// reports them).
func encodeURLs(b *tree.Book) map[string]*QRCode {
	seen := map[string]bool{}
	var urls []string
	add := func(u string) {
		if deepLink(u) && !seen[u] {
			seen[u] = true
			urls = append(urls, u)
		}
	}
	tree.Walk(b, func(_ tree.Block, in tree.Inline) bool {
		switch x := in.(type) {
		case *tree.Link:
			if !x.IsInternal() {
				add(x.URL)
			}
		case *tree.Image:
			if x.File == nil && x.IsRemote() {
				add(x.Src)
			}
		}
		return true
	})
	for _, l := range b.Meta.AuthorLinks {
		add(l.URL)
	}
	add(b.Meta.VersionURL)
	codes := make([]*QRCode, len(urls))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				codes[i], _ = encodeQR(QRText(urls[i]))
			}
		}()
	}
	for i := range urls {
		next <- i
	}
	close(next)
	wg.Wait()
	m := make(map[string]*QRCode, len(urls))
	for i, u := range urls {
		if codes[i] != nil {
			m[u] = codes[i]
		}
	}
	return m
}
