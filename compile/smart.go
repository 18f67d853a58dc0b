package compile

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/genai-handbook/handbook/compile/tree"
)

// smarten gives text that came from raw HTML (headings, Section
// summaries, HTML paragraphs) the typography goldmark's typographer gives
// markdown: curly quotes and apostrophes, en and em dashes for "--" and
// "---", an ellipsis for "...". kramdown leaves raw HTML as it is, so the
// site shows straight quotes there; a book should not. Whether a quote
// opens or closes is decided by the character before it, across the
// inline nodes in order; code is left alone. Text that is already curly
// is unchanged, so smarten is safe on text the typographer has seen.
func smarten(ins []tree.Inline) {
	prev := ' ' // the start of the text counts as after a space
	tree.WalkInlines(ins, func(_ tree.Block, in tree.Inline) bool {
		switch x := in.(type) {
		case *tree.Text:
			x.Text, prev = smartText(x.Text, prev)
		case *tree.Code:
			if r, _ := utf8.DecodeLastRuneInString(x.Text); r != utf8.RuneError {
				prev = r
			}
		case *tree.LineBreak:
			prev = ' '
		case *tree.Footnote:
			return false // a note's text is not part of the sentence
		}
		return true
	})
}

// smartenHTML smartens the text that came from raw HTML, and the part
// titles taken from it, after ids and cross-references are settled.
func (c *compiler) smartenHTML(bk *tree.Book) {
	for _, ins := range c.fromHTML {
		smarten(ins)
	}
	for _, p := range bk.Parts {
		p.Title, _ = smartText(p.Title, ' ')
	}
}

// smartText smartens s, which follows the character prev, and returns it
// with its last character.
func smartText(s string, prev rune) (string, rune) {
	if !strings.ContainsAny(s, "\"'-.") {
		if r, _ := utf8.DecodeLastRuneInString(s); r != utf8.RuneError {
			prev = r
		}
		return s, prev
	}
	var sb strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		next := rune(' ')
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		opens := unicode.IsSpace(prev) || strings.ContainsRune("([{<“‘—–/", prev)
		switch {
		case r == '"':
			if opens {
				r = '“'
			} else {
				r = '”'
			}
		case r == '\'':
			if opens && unicode.IsLetter(next) {
				r = '‘'
			} else {
				r = '’' // a closing quote or an apostrophe
			}
		case r == '-' && next == '-':
			if i+2 < len(rs) && rs[i+2] == '-' {
				r = '—'
				i += 2
			} else {
				r = '–'
				i++
			}
		case r == '.' && next == '.' && i+2 < len(rs) && rs[i+2] == '.':
			r = '…'
			i += 2
		}
		sb.WriteRune(r)
		prev = r
	}
	return sb.String(), prev
}
