package content

import (
	"bytes"
	"sort"

	"github.com/genai-handbook/handbook/content/diag"
)

// srcFile is one file of the source tree after normalisation (BOM stripped,
// CRLF turned into LF), with the start offset of each of its lines.
type srcFile struct {
	path  string // slash-separated, relative to the root
	data  []byte // normalised content; nil when the file could not be used
	lines []int  // lines[i] is the offset in data of the start of line i+1
	ok    bool   // data is usable (read, within limits, valid UTF-8)

	// controls are the control characters removed from the file: the
	// first on each line, up to maxControlLines lines, and how many lines
	// had them in all.
	controls     []control
	controlLines int
}

// control is a control character removed from a line: its position in
// the file as it was, the character and how many the line had.
type control struct {
	pos   diag.Pos
	char  byte
	count int
}

// maxControlLines bounds the lines whose control characters are reported
// one by one; a binary file would otherwise give a warning per line.
const maxControlLines = 10

// newSrcFile normalises raw and builds its line table.
func newSrcFile(path string, raw []byte) *srcFile {
	data := normalize(raw)
	f := &srcFile{path: path}
	data = f.removeControls(data)
	f.data = data
	f.lines = make([]int, 1, bytes.Count(data, []byte{'\n'})+1)
	for i, c := range data {
		if c == '\n' {
			f.lines = append(f.lines, i+1)
		}
	}
	return f
}

// isControl reports whether c is a C0 control character the book cannot
// hold: all of U+0000–U+001F but tab, line feed and carriage return. XML
// forbids them, so an EPUB cannot carry them, and a PDF font has no glyph
// for them.
func isControl(c byte) bool { return c < 0x20 && c != '\t' && c != '\n' && c != '\r' }

// removeControls returns data without its C0 control characters (see
// isControl), recording where they were for the warnings: every book then
// gets the same text, because the characters are gone before anything
// reads it. Removing rather than replacing them (with U+FFFD) keeps line
// numbers and the columns before them; columns after them on the same
// line count the bytes that remain. data is not modified.
func (f *srcFile) removeControls(data []byte) []byte {
	first := -1
	for i, c := range data {
		if isControl(c) {
			first = i
			break
		}
	}
	if first < 0 {
		return data
	}
	out := make([]byte, first, len(data))
	copy(out, data[:first])
	line, lineStart := 1+bytes.Count(data[:first], []byte{'\n'}), bytes.LastIndexByte(data[:first], '\n')+1
	lastLine := 0 // the last line with a control character
	for i := first; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
			line, lineStart = line+1, i+1
		case isControl(c):
			if line != lastLine {
				lastLine = line
				f.controlLines++
				if len(f.controls) < maxControlLines {
					f.controls = append(f.controls, control{pos: diag.Pos{File: f.path, Line: line, Col: i - lineStart + 1}, char: c})
				}
			}
			if n := len(f.controls); n > 0 && f.controls[n-1].pos.Line == line {
				f.controls[n-1].count++
			}
			continue
		}
		out = append(out, c)
	}
	return out
}

// normalize strips a leading UTF-8 byte order mark and turns every CRLF
// into LF. A lone CR is kept. raw is not modified.
func normalize(raw []byte) []byte {
	if len(raw) >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF {
		raw = raw[3:]
	}
	n := 0
	for i := 0; i+1 < len(raw); i++ {
		if raw[i] == '\r' && raw[i+1] == '\n' {
			n++
		}
	}
	if n == 0 {
		return raw
	}
	out := make([]byte, 0, len(raw)-n)
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\r' && i+1 < len(raw) && raw[i+1] == '\n' {
			continue
		}
		out = append(out, raw[i])
	}
	return out
}

// pos returns the position of byte offset off of f's normalised data.
// Offsets past the end are clamped to the end of the file.
func (f *srcFile) pos(off int) diag.Pos {
	if off < 0 {
		off = 0
	}
	if off > len(f.data) {
		off = len(f.data)
	}
	// The last line start <= off.
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > off }) - 1
	return diag.Pos{File: f.path, Line: i + 1, Col: off - f.lines[i] + 1}
}

// span maps the bytes of Text from off up to the next span's off to bytes
// of one file: either contiguously from foff on, or, when fixed, all to
// the single offset foff (substituted variables such as site.title).
type span struct {
	off   int   // offset in Text where the span starts
	foff  int   // offset in the file's normalised data
	file  int32 // index into Source.files
	fixed bool  // every byte maps to foff
}

// Pos returns the file, line and column that byte offset off of s.Text
// came from. Lines are those of the original file; columns count bytes of
// the line after BOM and CR removal. Bytes substituted for a Liquid
// variable such as {{ site.title }} map to the position of the tag, bytes
// of an include parameter value map to the value in the include tag.
// Offset len(s.Text) maps to the end of the last byte's file position.
// Out-of-range offsets, and any offset when Text is empty, give the zero Pos.
func (s *Source) Pos(off int) diag.Pos {
	if s == nil || off < 0 || off > len(s.Text) || len(s.spans) == 0 {
		return diag.Pos{}
	}
	// The last span starting at or before off.
	i := sort.Search(len(s.spans), func(i int) bool { return s.spans[i].off > off }) - 1
	if i < 0 {
		i = 0
	}
	sp := s.spans[i]
	f := s.files[sp.file]
	if sp.fixed {
		return f.pos(sp.foff)
	}
	return f.pos(sp.foff + off - sp.off)
}
