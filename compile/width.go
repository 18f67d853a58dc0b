package compile

import (
	"strings"
	"unicode/utf8"

	"github.com/genai-handbook/handbook/compile/tree"
)

// A table cannot be narrower than its columns' longest words: on a phone
// a wide one makes the reader scroll sideways, or loses its right-hand
// columns on a reading system that cannot scroll. The EPUB's rendering
// test measures every table in Chromium; the compiler estimates the
// narrowest a table can be, to warn at its line before a book is made.
// The constants are the EPUB stylesheet's and Chromium's, and the
// estimate was checked against Chromium's layout: a table of 24 columns
// of 2-3 characters measures 909 px there and is estimated at 870; the
// example's table of 4 columns, estimated at 332 px, fits a 360 px screen.
// It errs on the side of silence: hyphenation may make a column narrower,
// but never wider.
const (
	phoneWidth   = 360  // CSS px: the narrowest screen in common use
	pageMargins  = 16   // CSS px: a reading system's margins, at least
	tableFontPx  = 14.4 // the table's font size: 0.9em of 16 px
	charEm       = 0.55 // a character's average advance, in em (DejaVu Sans, a wide default)
	cellPadEm    = 1.0  // a cell's padding left and right, in em
	cellBorderPx = 1
)

// tableMinWidth estimates, in CSS px, the narrowest t can be laid out:
// each column as wide as its longest unbreakable run of characters (the
// stylesheet does not break words inside cells), plus its padding and
// border.
func tableMinWidth(t *tree.Table) int {
	longest := make([]int, len(t.Align))
	for _, row := range append([][][]tree.Inline{t.Header}, t.Rows...) {
		for i, cell := range row {
			if i >= len(longest) {
				break
			}
			for _, w := range strings.Fields(tree.PlainText(cell)) {
				longest[i] = max(longest[i], utf8.RuneCountInString(w))
			}
		}
	}
	px := float64(cellBorderPx)
	for _, n := range longest {
		px += (float64(n)*charEm+cellPadEm)*tableFontPx + cellBorderPx
	}
	return int(px)
}

// checkTableWidth warns about a table wider than a phone's screen.
func (c *compiler) checkTableWidth(t *tree.Table) {
	if w := tableMinWidth(t); w > phoneWidth-pageMargins {
		c.diags.Warnf(t.Pos, "table of %d columns is at least %d px wide, wider than a phone's screen (%d px): readers there must scroll sideways or lose columns; use fewer columns or shorter words (a long address: a link with text)",
			len(t.Align), w, phoneWidth)
	}
}
