package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"math"
	"strings"

	"github.com/genai-handbook/handbook/pdf/typeset"
)

// qrStream returns a content stream that draws the QR codes among ops on
// a page h mm high: one black path of the codes' dark runs, filled once.
// Module edges are rounded to the stream's precision before widths are
// taken, so that adjacent runs share their edges exactly and no
// hairline seams show between rows.
func qrStream(ops []typeset.Op, h float64) []byte {
	var sb strings.Builder
	for _, o := range ops {
		if o.Kind != typeset.OpQR || o.QR == nil {
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
