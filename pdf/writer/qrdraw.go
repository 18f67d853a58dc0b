package writer

import (
	"strconv"

	"github.com/genai-handbook/handbook/pdf/layout"
	"github.com/genai-handbook/handbook/pdf/qr"
)

// appendQR appends the drawing of QR code o on a page h mm high: one
// path of rectangles, filled once, in the code's own coordinates: a
// transformation puts module (col, row) at its place on the page, so the
// rectangles are whole numbers of modules and adjacent ones share their
// edges exactly (no hairline seams). Each rectangle is a run of dark
// modules in a row, extended down over the rows below that have the
// same run, so that a code takes a few hundred rectangles rather than
// one per module.
func appendQR(b []byte, o *layout.Op, h float64) []byte {
	c := o.QR
	s := o.W / float64(c.N) * k // a module, in points
	b = append(b, "q 1 0 0 1 "...)
	b = appendNums(b, o.X*k, (h-o.Y-o.W)*k)
	b = append(b, " cm "...)
	b = appendNums(b, s, 0, 0, s, 0, 0)
	b = append(b, " cm\n"...)
	b = appendModules(b, c)
	return append(b, "f\nQ\n"...)
}

// appendModules appends the rectangles of c's dark modules, in module
// units with the origin at the code's bottom-left corner.
func appendModules(b []byte, c *qr.Code) []byte {
	type run struct{ from, to, row int } // modules [from, to) from row down
	emit := func(r run, rows int) {
		b = strconv.AppendInt(b, int64(r.from), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(c.N-r.row-rows), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(r.to-r.from), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(rows), 10)
		b = append(b, " re\n"...)
	}
	// open and next are in order of their first module: a run of a row
	// goes on from the row above when the run there starting at the same
	// module ends at the same module too (its row is then set to -1).
	var open, next []run
	for row := 0; row <= c.N; row++ {
		next = next[:0]
		i := 0 // the first run of open that may start at from or later
		if row < c.N {
			c.Runs(row, func(from, to int) {
				r := run{from, to, row}
				for i < len(open) && open[i].from < from {
					i++
				}
				if i < len(open) && open[i].from == from && open[i].to == to {
					r.row = open[i].row // the same run as above: extend it
					open[i].row = -1
				}
				next = append(next, r)
			})
		}
		// Runs that do not go on into this row end above it.
		for _, o := range open {
			if o.row >= 0 {
				emit(o, row-o.row)
			}
		}
		open, next = next, open
	}
	return b
}
