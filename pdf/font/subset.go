package font

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strings"
)

// closure returns the glyphs to keep for drawing gids: them, .notdef
// and the components of composite glyphs, recursively; sorted.
func (fc *face) closure(gids []uint16) ([]uint16, error) {
	keep := map[uint16]bool{0: true}
	todo := append([]uint16{0}, gids...)
	var comps []uint16
	for len(todo) > 0 {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if int(g) >= fc.numGlyphs {
			continue
		}
		keep[g] = true
		var err error
		comps, err = fc.components(comps[:0], g)
		if err != nil {
			return nil, err
		}
		for _, c := range comps {
			if !keep[c] {
				keep[c] = true
				todo = append(todo, c)
			}
		}
	}
	out := make([]uint16, 0, len(keep))
	for g := range keep {
		out = append(out, g)
	}
	slices.Sort(out)
	return out, nil
}

// The tables of a subset, in the order of their tags (the table
// directory is sorted by tag). cvt, fpgm and prep are the hinting
// programs a TrueType rasterizer runs (the PDF specification lists them
// among the tables FontFile2 needs); OS/2, a short name, a minimal post
// and an empty cmap are not read through a CIDFontType2 with
// /CIDToGIDMap /Identity, but font parsers require them (sfnt, and the
// OpenType Sanitizer through which browsers load the fonts of PDF
// viewers written in JavaScript). GSUB, GPOS and the rest are left out:
// the shaping is done.
var subsetTables = []string{"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "prep"}

// subset returns a TrueType font holding the glyphs keep (sorted, with
// 0) under their original glyph ids; every other glyph is empty (no
// outline, zero advance), so that the PDF's CIDs are the glyph ids of
// the shaper and /CIDToGIDMap is /Identity. The font ends at the last
// glyph kept: glyph ids are kept, but not the glyphs after them, whose
// empty locations and metrics would only be compressed for nothing.
func (fc *face) subset(keep []uint16) []byte {
	n := int(keep[len(keep)-1]) + 1
	numHM := min(fc.numHM, n)
	glyf := make([]byte, 0, 64*len(keep))
	loca := make([]uint32, n+1)
	hmtx := make([]byte, 4*numHM+2*(n-numHM))
	src := fc.tables["hmtx"]
	k := 0
	for g := range n {
		loca[g] = uint32(len(glyf))
		if k < len(keep) && int(keep[k]) == g {
			k++
			glyf = append(glyf, fc.glyph(uint16(g))...)
			// Glyph data is 4-byte aligned, as recommended, and
			// even as the short loca format requires.
			for len(glyf)%4 != 0 {
				glyf = append(glyf, 0)
			}
			switch {
			case g < numHM:
				binary.BigEndian.PutUint16(hmtx[4*g:], fc.advance(uint16(g)))
				copy(hmtx[4*g+2:4*g+4], fc.lsb(uint16(g), src))
			default:
				at := 4*numHM + 2*(g-numHM)
				copy(hmtx[at:at+2], src[4*fc.numHM+2*(g-fc.numHM):])
			}
		}
	}
	loca[n] = uint32(len(glyf))
	// The last long metric's advance applies to every glyph after it:
	// keep it whether or not that glyph is used.
	binary.BigEndian.PutUint16(hmtx[4*(numHM-1):], fc.advance(uint16(numHM-1)))

	long := len(glyf) > 2*0xFFFF
	var locaB []byte
	if long {
		locaB = make([]byte, 4*len(loca))
		for i, o := range loca {
			binary.BigEndian.PutUint32(locaB[4*i:], o)
		}
	} else {
		locaB = make([]byte, 2*len(loca))
		for i, o := range loca {
			binary.BigEndian.PutUint16(locaB[2*i:], uint16(o/2))
		}
	}

	head := append([]byte(nil), fc.tables["head"][:54]...)
	binary.BigEndian.PutUint32(head[8:], 0) // checkSumAdjustment, set below
	locFormat := uint16(0)
	if long {
		locFormat = 1
	}
	binary.BigEndian.PutUint16(head[50:], locFormat)

	post := make([]byte, 32)
	if p := fc.tables["post"]; len(p) >= 32 {
		copy(post, p[:32])
	}
	binary.BigEndian.PutUint32(post[0:], 0x00030000) // version 3: no glyph names

	hhea := bytes.Clone(fc.tables["hhea"][:36])
	binary.BigEndian.PutUint16(hhea[34:], uint16(numHM))
	maxp := bytes.Clone(fc.tables["maxp"])
	binary.BigEndian.PutUint16(maxp[4:], uint16(n))

	tables := map[string][]byte{
		"name": fc.shortName(),
		"cmap": emptyCmap,
		"glyf": glyf,
		"head": head,
		"hhea": hhea,
		"hmtx": hmtx,
		"loca": locaB,
		"maxp": maxp,
		"post": post,
	}
	for _, t := range []string{"OS/2", "cvt ", "fpgm", "prep"} {
		if b := fc.tables[t]; b != nil {
			tables[t] = b
		}
	}
	return assemble(tables)
}

// lsb returns glyph gid's left side bearing in hmtx (src), two bytes.
func (fc *face) lsb(gid uint16, src []byte) []byte {
	g := int(gid)
	if g < fc.numHM {
		return src[4*g+2 : 4*g+4]
	}
	at := 4*fc.numHM + 2*(g-fc.numHM)
	return src[at : at+2]
}

// emptyCmap maps no character: version 0, one subtable (Windows,
// Unicode BMP) of format 4 with only the final segment 0xFFFF.
var emptyCmap = []byte{
	0, 0, 0, 1, // version, numTables
	0, 3, 0, 1, 0, 0, 0, 12, // platform 3, encoding 1, offset 12
	0, 4, 0, 24, 0, 0, // format 4, length 24, language
	0, 2, 0, 2, 0, 0, 0, 0, // segCountX2, searchRange, entrySelector, rangeShift
	0xFF, 0xFF, // endCode
	0, 0, // reservedPad
	0xFF, 0xFF, // startCode
	0, 1, // idDelta
	0, 0, // idRangeOffset
}

// assemble writes an sfnt file of tables: directory sorted by tag,
// tables 4-byte aligned, checksums and head's checkSumAdjustment.
func assemble(tables map[string][]byte) []byte {
	var tags []string
	for _, t := range subsetTables {
		if tables[t] != nil {
			tags = append(tags, t)
		}
	}
	slices.SortFunc(tags, strings.Compare)
	n := len(tags)
	size := 12 + 16*n
	for _, t := range tags {
		size += (len(tables[t]) + 3) &^ 3
	}
	out := make([]byte, 12+16*n, size)
	binary.BigEndian.PutUint32(out[0:], 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	// searchRange, entrySelector, rangeShift: the largest power of two
	// not over n, in units of 16 bytes.
	es := 0
	for 1<<(es+1) <= n {
		es++
	}
	binary.BigEndian.PutUint16(out[6:], uint16(16<<es))
	binary.BigEndian.PutUint16(out[8:], uint16(es))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16<<es))
	headAt := 0
	for i, t := range tags {
		data := tables[t]
		at := len(out)
		if t == "head" {
			headAt = at
		}
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		e := out[12+16*i:]
		copy(e, t)
		binary.BigEndian.PutUint32(e[4:], checksum(out[at:len(out)]))
		binary.BigEndian.PutUint32(e[8:], uint32(at))
		binary.BigEndian.PutUint32(e[12:], uint32(len(data)))
	}
	if headAt > 0 {
		binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	}
	return out
}

// checksum is the sfnt checksum: the sum of big-endian uint32s (b is
// padded to 4 bytes).
func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i+4 <= len(b); i += 4 {
		s += binary.BigEndian.Uint32(b[i:])
	}
	return s
}

// shortName returns the font's name table with only its Windows
// (platform 3) records of names 0 to 6: copyright, family, subfamily,
// unique identifier, full name, version and PostScript name (the rest,
// a font's description, designer, licence text and so on, can be
// kilobytes); a table of the PostScript name alone when the font has
// none such.
func (fc *face) shortName() []byte {
	type rec struct {
		platform, encoding, lang, id uint16
		s                            []byte
	}
	var recs []rec
	if nt := fc.tables["name"]; len(nt) >= 6 {
		n, strs := int(u16(nt, 2)), int(u16(nt, 4))
		for i := range n {
			at := 6 + 12*i
			if at+12 > len(nt) {
				break
			}
			r := rec{u16(nt, at), u16(nt, at+2), u16(nt, at+4), u16(nt, at+6), nil}
			l, o := int(u16(nt, at+8)), strs+int(u16(nt, at+10))
			if r.platform != 3 || r.id > 6 || o+l > len(nt) {
				continue
			}
			r.s = nt[o : o+l]
			recs = append(recs, r)
		}
	}
	if len(recs) == 0 {
		u := make([]byte, 0, 2*len(fc.psName))
		for _, c := range []byte(fc.psName) {
			u = append(u, 0, c)
		}
		recs = []rec{{3, 1, 0x409, 6, u}}
	}
	out := make([]byte, 6+12*len(recs))
	binary.BigEndian.PutUint16(out[2:], uint16(len(recs)))
	binary.BigEndian.PutUint16(out[4:], uint16(len(out)))
	for i, r := range recs {
		at := 6 + 12*i
		for j, v := range []uint16{r.platform, r.encoding, r.lang, r.id, uint16(len(r.s)), uint16(len(out) - (6 + 12*len(recs)))} {
			binary.BigEndian.PutUint16(out[at+2*j:], v)
		}
		out = append(out, r.s...)
	}
	return out
}
