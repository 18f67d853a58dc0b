package hyphen

import (
	"fmt"
	"slices"
)

// dotSym is the symbol of '.', the word boundary; letters are numbered from
// 2 on, and 0 stands for a letter that no pattern contains.
const dotSym = 1

// maxPatternLen bounds a pattern's characters so that offsets fit a byte
// (TeX's own limit is 63 letters).
const maxPatternLen = 250

// table is the compiled form of a pattern file: a trie of the patterns over
// symbols (numbered characters), laid out breadth first so that the
// children of a node are contiguous and sorted by symbol.
type table struct {
	ascii [128]uint16     // the symbol of each ASCII character, 0 if none
	sym   map[rune]uint16 // the symbols of the other characters

	nodes  []node   // nodes[0] is the root
	labels []uint16 // labels[i] is the symbol on the edge into nodes[i]
	values []uint8  // the digits of all patterns, see node

	exceptions map[string][]int // lower-cased word → letters before each point
}

// node is a trie node. Its children are nodes[first : first+n]. If the path
// to it spells a pattern with nonzero digits, values[voff : voff+vn] are
// that pattern's digits from gap vfrom on (gap g is the one before the
// pattern's character g), trimmed of zeros at both ends.
type node struct {
	first, n  int32
	voff      int32
	vfrom, vn uint8
}

// symbol returns the symbol of the lower-case letter r.
func (t *table) symbol(r rune) uint16 {
	if r < 128 {
		return t.ascii[r]
	}
	return t.sym[r]
}

// compile builds the trie.
func compile(pats []pattern, exceptions map[string][]int) (*table, error) {
	t := &table{sym: map[rune]uint16{}, exceptions: exceptions}

	// Number the characters: '.' first, then the letters in order.
	var ascii [128]bool
	other := map[rune]bool{}
	for _, p := range pats {
		if len(p.chars) > maxPatternLen {
			return nil, &SyntaxError{Line: p.line, Msg: fmt.Sprintf("pattern of %d characters, more than %d", len(p.chars), maxPatternLen)}
		}
		for _, r := range p.chars {
			if r < 128 {
				ascii[r] = true
			} else {
				other[r] = true
			}
		}
	}
	var alphabet []rune
	for r, ok := range ascii {
		if ok && r != '.' {
			alphabet = append(alphabet, rune(r))
		}
	}
	for r := range other {
		alphabet = append(alphabet, r)
	}
	slices.Sort(alphabet)
	if len(alphabet) > 1<<16-3 {
		return nil, &SyntaxError{Line: 1, Msg: fmt.Sprintf("%d distinct letters in patterns, too many", len(alphabet))}
	}
	t.ascii['.'] = dotSym
	for i, r := range alphabet {
		s := uint16(i + 2)
		if r < 128 {
			t.ascii[r] = s
		} else {
			t.sym[r] = s
		}
	}

	// Each pattern as a key of symbols, sorted. Entries hold no
	// pointers, which makes sorting them cheaper.
	type entry struct {
		prefix      uint64 // the key's first 4 symbols, 0s after its end
		off, n, pat int32  // the key is keys[off : off+n], of pats[pat]
	}
	total := 0
	for _, p := range pats {
		total += len(p.chars)
	}
	keys := make([]uint16, 0, total)
	entries := make([]entry, len(pats))
	for i := range pats {
		start := len(keys)
		for _, r := range pats[i].chars {
			keys = append(keys, t.symbol(r))
		}
		e := entry{off: int32(start), n: int32(len(keys) - start), pat: int32(i)}
		for j := range 4 {
			e.prefix <<= 16
			if start+j < len(keys) {
				e.prefix |= uint64(keys[start+j])
			}
		}
		entries[i] = e
	}
	key := func(e entry) []uint16 { return keys[e.off : e.off+e.n] }
	// Symbols are never 0, so comparing prefixes orders keys as
	// comparing them does, as far as the prefixes go.
	slices.SortFunc(entries, func(a, b entry) int {
		if a.prefix != b.prefix {
			if a.prefix < b.prefix {
				return -1
			}
			return 1
		}
		return slices.Compare(key(a), key(b))
	})
	for i := 1; i < len(entries); i++ {
		if slices.Equal(key(entries[i-1]), key(entries[i])) {
			a, b := &pats[entries[i-1].pat], &pats[entries[i].pat]
			if a.line > b.line {
				a, b = b, a
			}
			return nil, &SyntaxError{Line: b.line, Msg: fmt.Sprintf("duplicate pattern %q (first on line %d)", string(b.chars), a.line)}
		}
	}

	// Breadth first: each queued node covers the entries [lo, hi) that
	// share its path of depth symbols.
	type item struct {
		node, lo, hi, depth int32
	}
	t.nodes = make([]node, 1, 2*len(entries)+1)
	t.labels = make([]uint16, 1, 2*len(entries)+1)
	queue := make([]item, 1, 2*len(entries)+1)
	queue[0] = item{node: 0, lo: 0, hi: int32(len(entries)), depth: 0}
	for q := 0; q < len(queue); q++ {
		it := queue[q]
		lo := it.lo
		if lo < it.hi && entries[lo].n == it.depth {
			t.setValues(it.node, pats[entries[lo].pat].digits)
			lo++
		}
		first := int32(len(t.nodes))
		for lo < it.hi {
			s := keys[entries[lo].off+it.depth]
			hi := lo + 1
			for hi < it.hi && keys[entries[hi].off+it.depth] == s {
				hi++
			}
			t.nodes = append(t.nodes, node{})
			t.labels = append(t.labels, s)
			queue = append(queue, item{node: int32(len(t.nodes) - 1), lo: lo, hi: hi, depth: it.depth + 1})
			lo = hi
		}
		t.nodes[it.node].first = first
		t.nodes[it.node].n = int32(len(t.nodes)) - first
	}
	t.nodes = slices.Clip(t.nodes)
	t.labels = slices.Clip(t.labels)
	return t, nil
}

// setValues stores a pattern's digits for node i.
func (t *table) setValues(i int32, digits []uint8) {
	from, to := 0, len(digits)
	for from < to && digits[from] == 0 {
		from++
	}
	for to > from && digits[to-1] == 0 {
		to--
	}
	if from == to {
		return
	}
	nd := &t.nodes[i]
	nd.voff = int32(len(t.values))
	nd.vfrom = uint8(from)
	nd.vn = uint8(to - from)
	t.values = append(t.values, digits[from:to]...)
}
