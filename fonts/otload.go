package fonts

import (
	"bytes"
	"encoding/binary"
	"io"

	otfont "github.com/go-text/typesetting/font"
)

// The shaper's parser (go-text's font.NewFont) reads every table it
// knows in full on loading: for a Charis face about 3 MB of allocations
// and several milliseconds, most of it in tables shaping does not need.
// The font is therefore given to it with some tables hidden (their tags
// renamed in a copy of the table directory; the file is not copied):
//
//   - glyf and loca (the outlines, all glyphs' points parsed at once),
//     when the font has GPOS: HarfBuzz reads outlines only to position
//     marks in fonts without GPOS and for GPOS anchors given as contour
//     points, which also carry design coordinates, equal to the point's
//     when the font is not hinted, as here;
//   - post (every glyph's name, for debugging output only; the one flag
//     we need, isFixedPitch, is read from it directly).

// tableInfo is what the shaper needs to know of a font's table
// directory before parsing it.
type tableInfo struct {
	gpos       bool
	fixedPitch bool // post.isFixedPitch
}

// table returns the directory entry's table data, or nil.
func table(ttf []byte, tag string) []byte {
	if len(ttf) < 12 {
		return nil
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	for i := 0; i < n && 12+16*i+16 <= len(ttf); i++ {
		e := ttf[12+16*i:]
		if string(e[:4]) == tag {
			off, size := int64(binary.BigEndian.Uint32(e[8:])), int64(binary.BigEndian.Uint32(e[12:]))
			if off+size > int64(len(ttf)) {
				return nil
			}
			return ttf[off : off+size]
		}
	}
	return nil
}

func readTables(ttf []byte) tableInfo {
	var t tableInfo
	if post := table(ttf, "post"); len(post) >= 16 {
		t.fixedPitch = binary.BigEndian.Uint32(post[12:]) != 0
	}
	t.gpos = table(ttf, "GPOS") != nil
	return t
}

// parseOT parses ttf for the shaper with the tables above hidden.
func parseOT(ttf []byte, t tableInfo) (*otfont.Font, error) {
	ld := otfont.Resource(bytes.NewReader(ttf))
	if n := dirEnd(ttf); n > 0 {
		dir := append([]byte(nil), ttf[:n]...)
		for i := 12; i < n; i += 16 {
			hide := false
			switch string(dir[i : i+4]) {
			case "glyf", "loca":
				hide = t.gpos
			case "post":
				hide = true
			}
			if hide {
				// No parser knows this tag (lower-case tags are
				// Apple's, and Apple has none such).
				copy(dir[i:], "zzzz")
			}
		}
		ld = &overlay{head: dir, data: ttf}
	}
	face, err := otfont.ParseTTF(ld)
	if err != nil {
		return nil, err
	}
	return face.Font, nil
}

// overlay reads data with its first len(head) bytes replaced by head.
type overlay struct {
	head, data []byte
	at         int64
}

func (o *overlay) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, io.ErrUnexpectedEOF
	}
	if off >= int64(len(o.data)) {
		return 0, io.EOF
	}
	n := copy(p, o.data[off:])
	if off < int64(len(o.head)) {
		copy(p, o.head[off:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (o *overlay) Read(p []byte) (int, error) {
	n, err := o.ReadAt(p, o.at)
	o.at += int64(n)
	if n > 0 && err == io.EOF {
		err = nil
	}
	return n, err
}

func (o *overlay) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		off += o.at
	case io.SeekEnd:
		off += int64(len(o.data))
	}
	if off < 0 {
		return 0, io.ErrUnexpectedEOF
	}
	o.at = off
	return off, nil
}

// dirEnd returns the end of ttf's table directory, 0 if it is cut short.
func dirEnd(ttf []byte) int {
	if len(ttf) < 12 {
		return 0
	}
	if n := 12 + 16*int(binary.BigEndian.Uint16(ttf[4:])); n <= len(ttf) {
		return n
	}
	return 0
}
