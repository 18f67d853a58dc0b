package font

import (
	"fmt"
	"strings"
	"unicode/utf16"
)

// toUnicode returns the ToUnicode CMap of glyphs gids (sorted) standing
// for texts: each glyph's code (its id, two bytes) to its text in
// UTF-16BE, surrogate pairs included; a ligature's glyph maps to all of
// its letters ("fi"), which is how extraction, search and copying get
// plain letters. Runs of consecutive glyphs standing for consecutive
// single characters are written as bfrange, the rest as bfchar, at most
// 100 entries a block (the limit of the CMap specification, Adobe
// technical note 5014). Glyphs without text are left out.
func toUnicode(gids []uint16, text map[uint16]string) []byte {
	type entry struct {
		lo, hi uint16 // glyph range
		dst    []uint16
	}
	var ranges, chars []entry
	for i := 0; i < len(gids); {
		g := gids[i]
		t := text[g]
		if t == "" {
			i++
			continue
		}
		u := utf16.Encode([]rune(t))
		// A range: the next glyphs are consecutive and stand for the
		// next code units, one each, within the last byte of both
		// (a range may only vary the last byte of the source code
		// and increments only the last byte of the destination).
		j := i + 1
		if len(u) == 1 && !utf16.IsSurrogate(rune(u[0])) {
			for j < len(gids) {
				n := j - i
				next := text[gids[j]]
				nu := utf16.Encode([]rune(next))
				if gids[j] != g+uint16(n) || len(nu) != 1 || nu[0] != u[0]+uint16(n) ||
					gids[j]>>8 != g>>8 || nu[0]>>8 != u[0]>>8 {
					break
				}
				j++
			}
		}
		if j-i > 1 {
			ranges = append(ranges, entry{g, gids[j-1], u})
		} else {
			chars = append(chars, entry{g, g, u})
		}
		i = j
	}
	var b strings.Builder
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	hex := func(u []uint16) string {
		var s strings.Builder
		for _, c := range u {
			fmt.Fprintf(&s, "%04X", c)
		}
		return s.String()
	}
	for len(chars) > 0 {
		n := min(len(chars), 100)
		fmt.Fprintf(&b, "%d beginbfchar\n", n)
		for _, e := range chars[:n] {
			fmt.Fprintf(&b, "<%04X> <%s>\n", e.lo, hex(e.dst))
		}
		b.WriteString("endbfchar\n")
		chars = chars[n:]
	}
	for len(ranges) > 0 {
		n := min(len(ranges), 100)
		fmt.Fprintf(&b, "%d beginbfrange\n", n)
		for _, e := range ranges[:n] {
			fmt.Fprintf(&b, "<%04X> <%04X> <%s>\n", e.lo, e.hi, hex(e.dst))
		}
		b.WriteString("endbfrange\n")
		ranges = ranges[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return []byte(b.String())
}
