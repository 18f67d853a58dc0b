package tree

// Words are how the backends agree on a place inside a block: "the 12th
// word of this paragraph" means the same in the print edition, which
// reports where each of its pages begins, and in the EPUB, which marks
// the beginning of each page there.
//
// A block's words are the maximal runs of characters other than word
// spaces in the text a reader sees of it, in order: Text and Code, the
// content of Emph, Strong, Strike and Link (a link without content: its
// URL), with a LineBreak as a space. Footnote references and images are
// not words (each backend shows them its own way). A table's words are
// those of its cells, row by row, header first; a code block's those of
// its text.

// IsWordSpace reports whether r separates words: a space, a tab, a line
// feed or a carriage return. A no-break space does not.
func IsWordSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

// CountWords returns the number of words of s, a run of text.
func CountWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		if IsWordSpace(r) {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

// PageStart is where a page of a printed edition begins in the book's
// text, in words: the print edition reports one for each of its pages (its
// page map), and the EPUB marks its text with them, so that a page number
// of the printed book can be found in the e-book.
type PageStart struct {
	// Label is the page's number as printed: "iii", "12". Unique in a
	// page map.
	Label string
	// Block and Word say where the page's text begins: before the
	// Word-th word (counted from 0, see IsWordSpace) of Block. A page
	// that begins with what only the printed edition has (a Resources
	// list, the study plan, the front matter) begins where the book's
	// text goes on after it. Block is nil for a page after the end of
	// the book's text.
	Block Block
	Word  int
}

// ReadingWords returns how many words a reader reads in bs: the words of
// text, inline code and images' alt text, not those of code blocks (read,
// if at all, at another pace). The study plan's reading times and the
// summary `handbook check` prints count them.
func ReadingWords(bs []Block) int {
	n := 0
	WalkBlocks(bs, func(b Block, in Inline) bool {
		switch x := in.(type) {
		case *Text:
			n += CountWords(x.Text)
		case *Code:
			n += CountWords(x.Text)
		case *Image:
			n += CountWords(x.Alt)
		}
		_, code := b.(*CodeBlock)
		return !code
	})
	return n
}
