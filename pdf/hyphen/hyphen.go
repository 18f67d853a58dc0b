// Package hyphen finds the points where a word may be hyphenated, by Frank
// Liang's algorithm as TeX uses it (F. M. Liang, "Word Hy-phen-a-tion by
// Com-put-er", Stanford, 1983): a set of patterns, each a string of letters
// with digits between them, is matched against every substring of the word
// framed by '.' at both ends; at each gap between two letters the highest
// digit of the matching patterns wins, and an odd winner allows a hyphen.
// An exception list, TeX's \hyphenation{}, overrides the patterns for the
// words it names.
//
// The package bundles TeX's US-English patterns (hyph-en-us.tex from the
// hyph-utf8 project: Liang and Knuth's patterns with Gerard Kuiken's
// additions, and Knuth's exception list; see LICENSE in its directory),
// available through ForLanguage. Other pattern files in TeX's format can be
// read with Parse.
//
// Words are runs of letters: splitting text into words, and deciding what
// to do with hyphens, digits and apostrophes, is the caller's business.
package hyphen

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// DefaultLeftMin is the default minimum number of letters before the first
// hyphenation point (TeX's \lefthyphenmin for US English).
const DefaultLeftMin = 2

// DefaultRightMin is the default minimum number of letters after the last
// hyphenation point (TeX's \righthyphenmin for US English).
const DefaultRightMin = 3

// Options are the settings of a Patterns that are not part of its pattern
// file. The zero value means the defaults.
type Options struct {
	// LeftMin is the minimum number of letters before the first
	// hyphenation point. Zero means DefaultLeftMin (2); values below 1
	// act as 1.
	LeftMin int
	// RightMin is the minimum number of letters after the last
	// hyphenation point. Zero means DefaultRightMin (3); values below 1
	// act as 1.
	RightMin int
}

// DefaultOptions returns the options of Parse's and ForLanguage's results:
// LeftMin DefaultLeftMin and RightMin DefaultRightMin.
func DefaultOptions() Options {
	return Options{LeftMin: DefaultLeftMin, RightMin: DefaultRightMin}
}

// Patterns is a compiled set of hyphenation patterns and exceptions for one
// language, with its Options. Safe for concurrent use (immutable after
// construction). A nil *Patterns is valid and finds no hyphenation points,
// so that the result of ForLanguage for an unsupported language can be used
// as it is.
type Patterns struct {
	t           *table
	left, right int
}

// WithOptions returns a copy of p that uses o; p itself is unchanged, and
// the copy shares p's compiled patterns, so this is cheap. WithOptions of a
// nil *Patterns is nil.
func (p *Patterns) WithOptions(o Options) *Patterns {
	if p == nil {
		return nil
	}
	return &Patterns{t: p.t, left: minimum(o.LeftMin, DefaultLeftMin), right: minimum(o.RightMin, DefaultRightMin)}
}

func minimum(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 1:
		return 1
	}
	return v
}

// Options returns the options p uses, with defaults filled in.
func (p *Patterns) Options() Options {
	if p == nil {
		return DefaultOptions()
	}
	return Options{LeftMin: p.left, RightMin: p.right}
}

//go:embed hyph-en-us.tex
var enUS []byte

var english = sync.OnceValue(func() *Patterns {
	p, err := Parse(enUS)
	if err != nil {
		panic("hyphen: bundled hyph-en-us.tex: " + err.Error())
	}
	return p
})

// ForLanguage returns the bundled patterns for a BCP 47 language tag, with
// DefaultOptions. Every English tag ("en", "en-US", "en-us", "en_US",
// "en-GB", ...; the primary subtag "en" in any case, '-' or '_' before
// any further subtags) maps to TeX's US-English patterns, which are the
// only ones bundled: British spelling is then hyphenated the American way.
// The empty tag also means English, the book's default. Any other language
// returns nil, which hyphenates nothing (those books are set unhyphenated).
//
// The bundled file is parsed on the first call for English, once, and the
// result is shared by all callers.
func ForLanguage(lang string) *Patterns {
	primary := lang
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		primary = lang[:i]
	}
	if lang == "" || strings.EqualFold(primary, "en") {
		return english()
	}
	return nil
}

// Hyphenate returns the byte offsets in word where a hyphen may be inserted,
// in increasing order, or nil if there are none: an offset i means word[:i]
// and word[i:] may go on different lines. At least LeftMin letters precede
// the first point and at least RightMin letters follow the last.
//
// word is a run of letters (Unicode letters and combining marks), matched
// case-insensitively (Unicode lower-casing). A word containing anything
// else (digits, punctuation, apostrophes, spaces, invalid UTF-8) returns
// nil: the caller splits text into letter runs. A word in the exception
// list (\hyphenation{}) gets the exception's points instead of the
// patterns', still subject to LeftMin and RightMin, as in TeX.
func (p *Patterns) Hyphenate(word string) []int {
	return p.AppendPoints(nil, word)
}

// stackLetters is the longest word that AppendPoints hyphenates without
// allocating.
const stackLetters = 64

// AppendPoints appends to dst the points that Hyphenate returns for word and
// returns the extended slice. With a dst of enough capacity it does not
// allocate for words of up to 64 letters.
func (p *Patterns) AppendPoints(dst []int, word string) []int {
	if p == nil || p.t == nil || word == "" {
		return dst
	}
	t := p.t

	// syms: the word's letters as trie symbols, framed by dotSym;
	// offs[k]: the byte offset of its k-th letter (from 0);
	// low: the lower-cased word, the key of the exception list.
	var symArr [stackLetters + 2]uint16
	var offArr [stackLetters]int32
	var lowArr [4 * stackLetters]byte
	syms := append(symArr[:0], dotSym)
	offs := offArr[:0]
	low := lowArr[:0]
	for i, r := range word {
		if r < utf8.RuneSelf {
			c := byte(r) | 0x20
			if c < 'a' || c > 'z' {
				return dst
			}
			offs = append(offs, int32(i))
			low = append(low, c)
			syms = append(syms, t.ascii[c])
			continue
		}
		if !isLetter(r) {
			return dst
		}
		r = lower(r)
		offs = append(offs, int32(i))
		low = utf8.AppendRune(low, r)
		syms = append(syms, t.symbol(r))
	}
	syms = append(syms, dotSym)
	n := len(offs)
	if n < p.left+p.right {
		return dst
	}
	if len(t.exceptions) > 0 {
		if points, ok := t.exceptions[string(low)]; ok {
			for _, l := range points {
				if l >= p.left && n-l >= p.right {
					dst = append(dst, int(offs[l]))
				}
			}
			return dst
		}
	}

	// vals[g] is the highest digit seen for the gap before syms[g].
	var valArr [stackLetters + 3]uint8
	var vals []uint8
	if len(syms)+1 <= len(valArr) {
		vals = valArr[:len(syms)+1]
	} else {
		vals = make([]uint8, len(syms)+1)
	}
	nodes, labels, values := t.nodes, t.labels, t.values
	for i := range syms {
		nd := &nodes[0]
		for _, s := range syms[i:] {
			// Find the child of nd labelled s; children are
			// contiguous and sorted by label.
			lo, hi := nd.first, nd.first+nd.n
			if hi-lo > 8 {
				for lo < hi {
					m := int32(uint32(lo+hi) >> 1)
					if labels[m] < s {
						lo = m + 1
					} else {
						hi = m
					}
				}
				if lo == nd.first+nd.n || labels[lo] != s {
					break
				}
			} else {
				for lo < hi && labels[lo] != s {
					lo++
				}
				if lo == hi {
					break
				}
			}
			nd = &nodes[lo]
			if nd.vn > 0 {
				g := vals[i+int(nd.vfrom):]
				for k, v := range values[nd.voff : nd.voff+int32(nd.vn)] {
					if v > g[k] {
						g[k] = v
					}
				}
			}
		}
	}
	// The point after l letters is the gap before syms[l+1].
	for l := p.left; l <= n-p.right; l++ {
		if vals[l+1]&1 != 0 {
			dst = append(dst, int(offs[l]))
		}
	}
	return dst
}
