// Package font embeds TrueType faces in a PDF as the glyphs that
// fonts.Font.Shape chose: a Type0 font (Identity-H: a two-byte code per
// glyph, the code being the glyph id), its CIDFontType2 descendant with
// the widths of the glyphs used, a font descriptor, the font file as a
// subset of just those glyphs, and a ToUnicode map from each glyph to the
// text it stands for (a ligature to all its letters), so that text
// extraction, search and copying give plain letters.
//
// A face's tables are read once per process and shared by every book
// written; each book collects its glyphs in a Used per face and embeds
// them once. The objects are written through the small Objects interface
// that the PDF writer implements.
package font

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/genai-handbook/handbook/fonts"
)

// Used collects the glyphs one book draws with one face, with the text
// each stands for. The zero value is empty and ready; it is not safe for
// concurrent use (a book is written by one goroutine).
type Used struct {
	text map[uint16]string
}

// Add records that glyph g is drawn, standing for text (normally the
// text of its range, s[g.Start:g.End]). A glyph added with several texts
// (one glyph for a space and a no-break space, say) keeps the shortest,
// then the first in byte order, so that the result does not depend on
// the order of the calls; "" records the glyph without text (a mark
// drawn in the same cluster as its base, whose text the base carries).
func (u *Used) Add(g fonts.Glyph, text string) {
	if u.text == nil {
		u.text = map[uint16]string{}
	}
	old, ok := u.text[g.ID]
	if !ok || old == "" || (text != "" && (len(text) < len(old) || len(text) == len(old) && text < old)) {
		u.text[g.ID] = text
	}
}

// AddRun records the glyphs of s as Shape set them: each with its
// range's text, except that of several glyphs sharing one range only the
// first carries the text.
func (u *Used) AddRun(s string, gs []fonts.Glyph) {
	for i, g := range gs {
		t := s[g.Start:g.End]
		if i > 0 && gs[i-1].Start == g.Start {
			t = ""
		}
		u.Add(g, t)
	}
}

// Len returns the number of glyphs recorded.
func (u *Used) Len() int { return len(u.text) }

// glyphs returns the recorded glyph ids, sorted.
func (u *Used) glyphs() []uint16 {
	gs := make([]uint16, 0, len(u.text))
	for g := range u.text {
		gs = append(gs, g)
	}
	slices.Sort(gs)
	return gs
}

// Objects is how Embed writes PDF objects; the PDF writer implements it.
type Objects interface {
	// Alloc returns a new object number.
	Alloc() int
	// Put writes object n, whose text is obj (a dictionary).
	Put(n int, obj string)
	// Stream writes object n as a stream of data, with the dictionary
	// entries dict ("/Filter /FlateDecode /Length1 5120"); the writer
	// adds /Length.
	Stream(n int, dict string, data []byte)
}

// Options are Embed's settings.
type Options struct {
	// Compressor deflates the font file and the ToUnicode map; nil
	// takes one from a pool shared by the process.
	Compressor *Compressor
}

// Compressor deflates streams with one reused zlib writer: a new writer
// allocates over a megabyte, and compressing is a large part of writing a
// PDF. compress/zlib's output depends only on its input and level, so
// files stay reproducible. Not safe for concurrent use: a writer owns
// one.
type Compressor struct {
	level int
	w     *zlib.Writer
	buf   bytes.Buffer
}

// NewCompressor returns a compressor at zlib level (zlib.BestSpeed to
// zlib.BestCompression, or zlib.DefaultCompression).
func NewCompressor(level int) *Compressor { return &Compressor{level: level} }

// Compress returns data deflated in the zlib format (PDF's
// /FlateDecode), in a new slice.
func (c *Compressor) Compress(data []byte) []byte {
	c.buf.Reset()
	if c.w == nil {
		w, err := zlib.NewWriterLevel(&c.buf, c.level)
		if err != nil {
			w = zlib.NewWriter(&c.buf)
		}
		c.w = w
	} else {
		c.w.Reset(&c.buf)
	}
	c.w.Write(data)
	c.w.Close()
	return bytes.Clone(c.buf.Bytes())
}

// compressors serves Embed when Options has no Compressor. BestSpeed,
// as the writer's content streams: a font subset of a book is tens of
// kilobytes, and the default level costs several times the time for a
// few percent.
var compressors = sync.Pool{New: func() any { return NewCompressor(zlib.BestSpeed) }}

// Embed writes face f with the glyphs of u (nil: none) to o, subset, and
// returns the object number of its Type0 font, to name in a page's /Font
// resources. The objects depend only on f, u, the compressor's level and
// the numbers o allocates.
func Embed(o Objects, f *fonts.Font, u *Used, opt Options) (int, error) {
	if u == nil {
		u = &Used{}
	}
	fc, err := faceOf(f)
	if err != nil {
		return 0, fmt.Errorf("font %s: %w", f.Name, err)
	}
	used := u.glyphs()
	for _, g := range used {
		if int(g) >= fc.numGlyphs {
			return 0, fmt.Errorf("font %s: glyph %d of %d", f.Name, g, fc.numGlyphs)
		}
	}
	keep, err := fc.closure(used)
	if err != nil {
		return 0, fmt.Errorf("font %s: %w", f.Name, err)
	}
	c := opt.Compressor
	if c == nil {
		c = compressors.Get().(*Compressor)
		defer compressors.Put(c)
	}
	name := subsetTag(fc.psName, used) + "+" + pdfName(fc.psName)

	type0, cid, desc, file, cmap := o.Alloc(), o.Alloc(), o.Alloc(), o.Alloc(), o.Alloc()
	sub := fc.subset(keep)
	o.Stream(file, "/Filter /FlateDecode /Length1 "+strconv.Itoa(len(sub)), c.Compress(sub))
	o.Stream(cmap, "/Filter /FlateDecode", c.Compress(toUnicode(used, u.text)))

	em := func(v int16) string { return num(float64(v) * 1000 / fc.upem) }
	// Flags (PDF 32000-1, 9.8.2): FixedPitch 1, Serif 2, Symbolic 4
	// (always: the glyphs are reached by id, not by a standard
	// encoding), Italic 64.
	flags := 4
	if fc.fixedPitch {
		flags |= 1
	}
	if fc.serif {
		flags |= 2
	}
	if fc.italicAngle != 0 || fc.italicStyled {
		flags |= 64
	}
	capHeight := fc.capHeight
	if capHeight == 0 {
		capHeight = fc.ascent
	}
	// No table gives the dominant vertical stem width; this estimate
	// from the weight class (10 + 0.244 × (weight − 50), as Typst
	// does) is what viewers substituting a font look at.
	stemV := num(10 + 0.244*(float64(fc.weight)-50))
	var d strings.Builder
	fmt.Fprintf(&d, "<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%s %s %s %s] /ItalicAngle %s /Ascent %s /Descent %s /CapHeight %s",
		name, flags, em(fc.bbox[0]), em(fc.bbox[1]), em(fc.bbox[2]), em(fc.bbox[3]), num(fc.italicAngle), em(fc.ascent), em(fc.descent), em(capHeight))
	if fc.xHeight != 0 {
		fmt.Fprintf(&d, " /XHeight %s", em(fc.xHeight))
	}
	fmt.Fprintf(&d, " /StemV %s /FontFile2 %d 0 R >>", stemV, file)
	o.Put(desc, d.String())

	o.Put(cid, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /W %s /CIDToGIDMap /Identity >>",
		name, desc, fc.widths(used)))
	o.Put(type0, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
		name, cid, cmap))
	return type0, nil
}

// width returns glyph gid's width as /W gives it, in thousandths of an
// em, rounded to 1/10000: exact for fonts of 1000 or 2048 units per em
// and within 0.00005 of the advance otherwise.
func (fc *face) width(gid uint16) float64 {
	if int(gid) >= len(fc.w) {
		return 0
	}
	return fc.w[gid]
}

// widths returns the /W array of glyphs gids (sorted): runs of
// consecutive ids as "first [w1 w2 ...]".
func (fc *face) widths(gids []uint16) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i < len(gids); {
		j := i + 1
		for j < len(gids) && gids[j] == gids[j-1]+1 {
			j++
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%d [", gids[i])
		for k, g := range gids[i:j] {
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(num(fc.width(g)))
		}
		b.WriteByte(']')
		i = j
	}
	b.WriteByte(']')
	return b.String()
}

// GlyphWidth returns the width the embedded font gives glyph gid of f
// (its /W entry), in thousandths of an em; 0 if f cannot be read. The
// pen moves by this after drawing the glyph, so a shaped glyph's
// kerning is the TJ adjustment GlyphWidth − Glyph.Advance (see AppendTJ).
func GlyphWidth(f *fonts.Font, gid uint16) float64 {
	fc, err := faceOf(f)
	if err != nil {
		return 0
	}
	return fc.width(gid)
}

// subsetTag returns the six capital letters naming a subset (PDF
// 32000-1, 9.6.4), from a hash of the face's name and the glyph set:
// the same book gets the same tag every time, and two different subsets
// of a face (two books) get different tags, so that a viewer holding
// both files never mistakes one for the other.
func subsetTag(psName string, gids []uint16) string {
	h := sha256.New()
	h.Write([]byte(psName))
	var b [2]byte
	for _, g := range gids {
		binary.BigEndian.PutUint16(b[:], g)
		h.Write(b[:])
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag)
}

// pdfName escapes s for use as a PDF name (without the slash): bytes
// outside the printable ASCII range, delimiters and '#' as #xx.
func pdfName(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7F || strings.IndexByte("#()<>[]{}/%", c) >= 0 {
			fmt.Fprintf(&b, "#%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// num formats v for PDF: at most 4 decimals, no exponent, no trailing
// zeros.
func num(v float64) string { return string(appendNum(nil, v)) }

// appendNum appends v formatted as num does, without allocating (see
// AppendTJ).
func appendNum(b []byte, v float64) []byte {
	v = math.Round(v*1e4) / 1e4
	if v == 0 {
		return append(b, '0')
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}
