package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"math"
	"runtime"
	"strings"
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

// encodeURLs encodes the QR codes of every external address of b, in
// parallel: encoding tries all eight masks of a code and dominates the
// print edition's typesetting otherwise. The result does not depend on
// the scheduling; addresses that cannot be encoded are left out (cite
// reports them).
func encodeURLs(b *tree.Book) map[string]*QRCode {
	seen := map[string]bool{}
	var urls []string
	add := func(u string) {
		if u != "" && !seen[u] {
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
			if x.File == nil {
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

// qrStream returns a content stream that draws the QR codes among ops on
// a page h mm high: one black path of the codes' dark runs, filled once.
// Module edges are rounded to the stream's precision before widths are
// taken, so that adjacent runs share their edges exactly and no
// hairline seams show between rows.
func qrStream(ops []Op, h float64) []byte {
	var sb strings.Builder
	for _, o := range ops {
		if o.Kind != OpQR || o.QR == nil {
			continue
		}
		c := o.QR
		m := o.W / float64(c.N)
		edge := func(mm float64) float64 { return math.Round(mm*k*100) / 100 }
		for row := 0; row < c.N; row++ {
			y0, y1 := edge(h-o.Y-float64(row+1)*m), edge(h-o.Y-float64(row)*m)
			for col := 0; col < c.N; {
				if !c.Dark[row*c.N+col] {
					col++
					continue
				}
				end := col
				for end < c.N && c.Dark[row*c.N+end] {
					end++
				}
				x0, x1 := edge(o.X+float64(col)*m), edge(o.X+float64(end)*m)
				fmt.Fprintf(&sb, "%s %s %s %s re\n", num(x0), num(y0), num(x1-x0), num(y1-y0))
				col = end
			}
		}
	}
	if sb.Len() == 0 {
		return nil
	}
	return []byte("q 0 g\n" + sb.String() + "f\nQ\n")
}

// deflater compresses content streams with one reused zlib writer (a
// new one allocates over a megabyte). compress/zlib's output depends only
// on its input and level, so the file stays reproducible.
type deflater struct {
	w   *zlib.Writer
	buf bytes.Buffer
}

// deflate returns data compressed.
func (d *deflater) deflate(data []byte) []byte {
	d.buf.Reset()
	if d.w == nil {
		d.w, _ = zlib.NewWriterLevel(&d.buf, zlib.BestCompression)
	} else {
		d.w.Reset(&d.buf)
	}
	d.w.Write(data)
	d.w.Close()
	return append([]byte(nil), d.buf.Bytes()...)
}
