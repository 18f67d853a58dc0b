package compile

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// This file bounds the two places where goldmark's time grows with the
// square of a construct's size, so that compiling stays linear in the
// size of the source however it nests (issue 13, item 7):
//
//   - Each "]" makes goldmark's link parser walk every node after its
//     "[" (to refuse a link inside a link), so n nested brackets in one
//     paragraph cost n² steps: 100,000 took 3.8 s.
//   - Each container block (">", "-", "1.") opened on a line makes its
//     block parser measure the line's indentation from the line's start,
//     so n containers on one line cost n² steps: a line of 20,000 nested
//     list markers took 13 s. And every open list measures the
//     indentation of every line, so a staircase of lists, each indented
//     below the one before, costs its depth times its size: 800 levels
//     (640 KB) took 1 s, and the cost grows as the size to the power 1.5.
//
// No handbook comes near the limits below; beyond them the extra brackets
// are text and the extra markers are dropped, with a warning.

// maxOpenBrackets is the most "[" a paragraph may have open (not yet
// closed by "]") for them to start links; further ones are text.
const maxOpenBrackets = 500

// maxLineNesting is the most container blocks (quotes and list items) a
// line may open; the markers beyond it are dropped. So are markers that
// start beyond column maxMarkerColumn, which only lists nested more than
// a hundred deep reach (each level indents its items by two columns or
// more).
const (
	maxLineNesting  = 100
	maxMarkerColumn = 4 * maxLineNesting
)

// boundedLinks is goldmark's link parser with at most maxOpenBrackets
// brackets open per block: past that, a "[" is left to be text.
type boundedLinks struct{ parser.InlineParser }

// openBracketsKey holds, in the parser context, the block being parsed
// and how many of its brackets are open.
var openBracketsKey = parser.NewContextKey()

type openBrackets struct {
	block ast.Node
	n     int
}

func (b boundedLinks) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	st, _ := pc.Get(openBracketsKey).(*openBrackets)
	if st == nil || st.block != parent {
		st = &openBrackets{block: parent}
		pc.Set(openBracketsKey, st)
	}
	switch {
	case len(line) > 0 && (line[0] == '[' || line[0] == '!' && len(line) > 1 && line[1] == '['):
		if st.n >= maxOpenBrackets {
			return nil // text
		}
		st.n++
	case len(line) > 0 && line[0] == ']' && st.n > 0:
		st.n-- // a "]" closes the innermost open bracket, link or not
	}
	return b.InlineParser.Parse(parent, block, pc)
}

// CloseBlock lets the link parser turn the brackets still open at the end
// of a block back into text, as it does unwrapped (goldmark finds the
// method only on the parser it was given).
func (b boundedLinks) CloseBlock(parent ast.Node, block text.Reader, pc parser.Context) {
	if cb, ok := b.InlineParser.(parser.CloseBlocker); ok {
		cb.CloseBlock(parent, block, pc)
	}
}

// inlineParsers returns goldmark's default inline parsers with the link
// parser bounded.
func inlineParsers() []util.PrioritizedValue {
	ps := parser.DefaultInlineParsers()
	for i, p := range ps {
		if ip, ok := p.Value.(parser.InlineParser); ok && bytes.IndexByte(ip.Trigger(), '[') >= 0 {
			ps[i].Value = boundedLinks{ip}
		}
	}
	return ps
}

// flattenNesting returns src with the container markers beyond
// maxLineNesting on any line, or beyond maxMarkerColumn, replaced by spaces (so that every offset, and
// so every position, stays as it was), and the offsets of the first
// marker dropped on each such line. It returns src itself when no line
// nests that deep.
func flattenNesting(src []byte) ([]byte, []int) {
	var out []byte
	var cuts []int
	for start := 0; start < len(src); {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		depth, col, cut := 0, 0, false
		for i := start; i < end; {
			for ; i < end && (src[i] == ' ' || src[i] == '\t'); i++ {
				if src[i] == '\t' {
					col += 4 - col%4
				} else {
					col++
				}
			}
			n := containerMarker(src[i:end])
			if n == 0 {
				break
			}
			if depth++; depth > maxLineNesting || col > maxMarkerColumn {
				if out == nil {
					out = append([]byte(nil), src...)
				}
				if !cut {
					cuts, cut = append(cuts, i), true
				}
				for k := i; k < i+n; k++ {
					out[k] = ' '
				}
			}
			i += n
			col += n
		}
		start = end + 1
	}
	if out == nil {
		return src, nil
	}
	return out, cuts
}

// containerMarker returns the length of the block-quote or list-item
// marker at the start of b ("> ", "- ", "12. "), or 0.
func containerMarker(b []byte) int {
	switch {
	case len(b) == 0:
		return 0
	case b[0] == '>':
		return 1
	case b[0] == '-' || b[0] == '+' || b[0] == '*':
		if len(b) == 1 || b[1] == ' ' || b[1] == '\t' {
			return 1
		}
		return 0
	}
	i := 0
	for i < len(b) && i < 9 && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i > 0 && i < len(b) && (b[i] == '.' || b[i] == ')') && (i+1 == len(b) || b[i+1] == ' ' || b[i+1] == '\t') {
		return i + 1
	}
	return 0
}
