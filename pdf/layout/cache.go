package layout

import (
	"encoding/binary"
	"math"
	"strings"
	"sync"

	"github.com/genai-handbook/handbook/pdf/hyphen"
)

// Cache holds what several Typeset calls on the same book can share: the
// lines its paragraphs break into (the same on every paper whose measure
// and type size are the same, as A4's and Letter's are, and in every pass
// of the print edition), and the hyphenation of its words. A release build typesets a book
// three or four times; with a Cache each paragraph is broken once. Results
// do not depend on which call filled it. Safe for concurrent use; the zero
// value is ready.
type Cache struct {
	// NoLines keeps no broken paragraphs, only hyphenation:
	// for a very long book, whose paragraphs would hold hundreds of
	// megabytes while the book is set, for little gain when its editions
	// are made one at a time and it is set in one pass.
	NoLines bool

	mu     sync.Mutex
	lines  map[string]*broken
	hyphMu sync.Mutex
	hyph   map[hyphKey][]int
}

// hyphKey is a word hyphenated by some patterns.
type hyphKey struct {
	p    *hyphen.Patterns
	word string
}

// hyphenPoints returns p's hyphenation points of word, found once per
// cache: a book's words repeat (a few thousand distinct in the real
// handbook's 11,000), and every edition breaks its paragraphs anew. The
// result is shared: read only.
func (c *Cache) hyphenPoints(p *hyphen.Patterns, word string) []int {
	k := hyphKey{p, word}
	c.hyphMu.Lock()
	pts, ok := c.hyph[k]
	c.hyphMu.Unlock()
	if ok {
		return pts
	}
	pts = p.AppendPoints(nil, word)
	c.hyphMu.Lock()
	defer c.hyphMu.Unlock()
	if c.hyph == nil {
		c.hyph = map[hyphKey][]int{}
	}
	k.word = strings.Clone(word) // not the paragraph it was cut from
	c.hyph[k] = pts
	return pts
}

// broken is a paragraph broken into lines, with the tokens it found too
// wide for its lines (reported again by every typesetting that uses it).
type broken struct {
	lines []Line
	wide  []wideToken
}

// wideToken is a token broken between characters, for its warning.
type wideToken struct {
	s        string
	w, width float64
}

// breakKey is the key of a paragraph: everything breakLines reads of its
// words (their fragments' text, page reference, style, link and width;
// spaces; hard breaks), the width, the alignment and whether it is hyphenated.
func breakKey(ws []Word, width float64, al Align, hyph bool, buf []byte) []byte {
	b := buf[:0]
	f64 := func(x float64) { b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x)) }
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	f64(width)
	b = append(b, byte(al))
	if hyph {
		b = append(b, 1)
	}
	for i := range ws {
		w := &ws[i]
		f64(w.Space)
		if w.Break {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = binary.AppendUvarint(b, uint64(len(w.Frags)))
		for j := range w.Frags {
			fr := &w.Frags[j]
			str(fr.Text)
			str(fr.Ref)
			f64(fr.W)
			f64(fr.Style.Size)
			f64(fr.Style.Rise)
			b = append(b, byte(fr.Style.Face), fr.Style.Color.R, fr.Style.Color.G, fr.Style.Color.B)
			if fr.Style.Strike {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
			if l := fr.Link; l != nil {
				b = append(b, 1)
				str(l.URI)
				str(l.Dest)
				if l.Source {
					b = append(b, 1)
				}
			} else {
				b = append(b, 0)
			}
		}
	}
	return b
}

// Len returns the number of broken paragraphs c keeps.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.lines)
}

// lookup returns the paragraph cached under key, or nil.
func (c *Cache) lookup(key []byte) *broken {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lines[string(key)]
}

// store caches br under key.
func (c *Cache) store(key []byte, br *broken) {
	if c.NoLines {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lines == nil {
		c.lines = map[string]*broken{}
	}
	c.lines[string(key)] = br
}
