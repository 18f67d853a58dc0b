package pdf

import (
	"bytes"
	"compress/zlib"
	"math"

	"github.com/genai-handbook/handbook/pdf/typeset"
)

// qrStream returns a content stream that draws the QR codes among ops on
// a page h mm high: one black path of rectangles, filled once. Each
// rectangle is a run of dark modules in a row, extended down over the
// rows below that have the same run, so that a code takes a few hundred
// rectangles rather than one per module. Module edges are rounded to the
// stream's precision before widths are taken, so that adjacent
// rectangles share their edges exactly and no hairline seams show.
func qrStream(ops []typeset.Op, h float64) []byte {
	var b []byte
	type run struct{ from, to, row int } // modules [from, to) from row down
	for _, o := range ops {
		if o.Kind != typeset.OpQR || o.QR == nil {
			continue
		}
		c := o.QR
		m := o.W / float64(c.N)
		edge := func(mm float64) float64 { return math.Round(mm*k*100) / 100 }
		emit := func(r run, rows int) {
			x0, x1 := edge(o.X+float64(r.from)*m), edge(o.X+float64(r.to)*m)
			y0, y1 := edge(h-o.Y-float64(r.row+rows)*m), edge(h-o.Y-float64(r.row)*m)
			b = appendNum(b, x0)
			b = append(b, ' ')
			b = appendNum(b, y0)
			b = append(b, ' ')
			b = appendNum(b, x1-x0)
			b = append(b, ' ')
			b = appendNum(b, y1-y0)
			b = append(b, " re\n"...)
		}
		var open, next []run
		for row := 0; row <= c.N; row++ {
			next = next[:0]
			for col := 0; row < c.N && col < c.N; {
				if !c.Dark[row*c.N+col] {
					col++
					continue
				}
				end := col
				for end < c.N && c.Dark[row*c.N+end] {
					end++
				}
				r := run{col, end, row}
				for _, o := range open {
					if o.from == col && o.to == end {
						r.row = o.row // the same run as above: extend it
					}
				}
				next = append(next, r)
				col = end
			}
			// Runs that do not go on into this row end above it.
			for _, o := range open {
				goesOn := false
				for _, n := range next {
					if n.row == o.row && n.from == o.from && n.to == o.to {
						goesOn = true
					}
				}
				if !goesOn {
					emit(o, row-o.row)
				}
			}
			open, next = next, open
		}
	}
	if len(b) == 0 {
		return nil
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, "q 0 g\n"...)
	out = append(out, b...)
	return append(out, "f\nQ\n"...)
}

// appendNum appends f formatted as num does.
func appendNum(b []byte, f float64) []byte { return append(b, num(f)...) }

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
		d.w, _ = zlib.NewWriterLevel(&d.buf, zlib.BestSpeed)
	} else {
		d.w.Reset(&d.buf)
	}
	d.w.Write(data)
	d.w.Close()
	return append([]byte(nil), d.buf.Bytes()...)
}
