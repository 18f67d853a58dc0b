package font

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"weak"

	"github.com/genai-handbook/handbook/fonts"
)

// face is what embedding needs of a TrueType font, read once per face
// and process: its tables (slices of the font's bytes), the glyph
// locations and advances, and the descriptor's metrics.
type face struct {
	ttf       []byte
	tables    map[string][]byte
	numGlyphs int
	upem      float64
	loca      []uint32  // numGlyphs+1 offsets into glyf
	numHM     int       // hhea.numberOfHMetrics
	w         []float64 // every glyph's width (see width)
	psName    string

	bbox                            [4]int16 // head xMin, yMin, xMax, yMax
	ascent, descent                 int16    // hhea
	capHeight, xHeight              int16    // OS/2 (version 2 on), else 0
	weight                          uint16   // OS/2 usWeightClass, 400 without OS/2
	italicAngle                     float64  // post, degrees
	fixedPitch, serif, italicStyled bool
}

// The faces read so far, keyed weakly: an entry goes when its font is
// collected (a watching process reads a user's fonts anew on each
// build), and the four books of a build share one reading.
var (
	facesMu sync.Mutex
	faces   = map[weak.Pointer[fonts.Font]]*faceEntry{}
)

type faceEntry struct {
	once sync.Once
	face *face
	err  error
}

// faceOf returns f's tables, reading them on first use.
func faceOf(f *fonts.Font) (*face, error) {
	k := weak.Make(f)
	facesMu.Lock()
	e, ok := faces[k]
	if !ok {
		e = &faceEntry{}
		faces[k] = e
		runtime.AddCleanup(f, func(k weak.Pointer[fonts.Font]) {
			facesMu.Lock()
			delete(faces, k)
			facesMu.Unlock()
		}, k)
	}
	facesMu.Unlock()
	e.once.Do(func() { e.face, e.err = readFace(f.TTF, f.PostScriptName) })
	return e.face, e.err
}

var errShort = errors.New("font table too short")

// u16, i16 and u32 read big-endian numbers; callers check lengths.
func u16(b []byte, at int) uint16 { return binary.BigEndian.Uint16(b[at:]) }
func i16(b []byte, at int) int16  { return int16(binary.BigEndian.Uint16(b[at:])) }
func u32(b []byte, at int) uint32 { return binary.BigEndian.Uint32(b[at:]) }

// readFace reads the tables of a TrueType font (glyf outlines; a CFF
// font is refused, as the fonts package's README says).
func readFace(ttf []byte, psName string) (*face, error) {
	if len(ttf) < 12 {
		return nil, errShort
	}
	if v := u32(ttf, 0); v != 0x00010000 && v != 0x74727565 { // 1.0 or "true"
		return nil, fmt.Errorf("not a TrueType font (version %#x)", v)
	}
	n := int(u16(ttf, 4))
	if 12+16*n > len(ttf) {
		return nil, errShort
	}
	fc := &face{ttf: ttf, tables: map[string][]byte{}, psName: psName}
	for i := range n {
		e := ttf[12+16*i:]
		off, size := uint64(u32(e, 8)), uint64(u32(e, 12))
		if off+size > uint64(len(ttf)) {
			return nil, fmt.Errorf("table %q outside the file", e[:4])
		}
		tag := string(e[:4])
		if _, dup := fc.tables[tag]; !dup {
			fc.tables[tag] = ttf[off : off+size]
		}
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf"} {
		if fc.tables[tag] == nil {
			return nil, fmt.Errorf("no %s table", tag)
		}
	}
	head, hhea, maxp := fc.tables["head"], fc.tables["hhea"], fc.tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, errShort
	}
	fc.upem = float64(u16(head, 18))
	if fc.upem < 16 {
		return nil, fmt.Errorf("unitsPerEm %v", fc.upem)
	}
	for i := range fc.bbox {
		fc.bbox[i] = i16(head, 36+2*i)
	}
	longLoca := i16(head, 50) == 1
	fc.numGlyphs = int(u16(maxp, 4))
	fc.ascent, fc.descent = i16(hhea, 4), i16(hhea, 6)
	fc.numHM = int(u16(hhea, 34))
	if fc.numHM < 1 || fc.numHM > fc.numGlyphs || len(fc.tables["hmtx"]) < 4*fc.numHM+2*(fc.numGlyphs-fc.numHM) {
		return nil, errors.New("bad hmtx")
	}
	// Every glyph's /W width, once: the content streams ask for one a
	// glyph drawn (see AppendTJ).
	fc.w = make([]float64, fc.numGlyphs)
	for g := range fc.w {
		fc.w[g] = math.Round(float64(fc.advance(uint16(g)))*1000/fc.upem*1e4) / 1e4
	}
	loca := fc.tables["loca"]
	fc.loca = make([]uint32, fc.numGlyphs+1)
	glyfLen := uint32(len(fc.tables["glyf"]))
	for i := range fc.loca {
		var o uint32
		if longLoca {
			if 4*i+4 > len(loca) {
				return nil, errShort
			}
			o = u32(loca, 4*i)
		} else {
			if 2*i+2 > len(loca) {
				return nil, errShort
			}
			o = 2 * uint32(u16(loca, 2*i))
		}
		if o > glyfLen || (i > 0 && o < fc.loca[i-1]) {
			return nil, fmt.Errorf("bad loca entry %d", i)
		}
		fc.loca[i] = o
	}
	fc.weight = 400
	if os2 := fc.tables["OS/2"]; len(os2) >= 78 {
		fc.weight = u16(os2, 4)
		// sFamilyClass: the class is its high byte; 1-5 and 7 are the
		// serif classes (oldstyle, transitional, modern, clarendon,
		// slab, freeform). Or PANOSE: family kind 2 (Latin text) with
		// a serif style from 2 (cove) to 10 (triangle).
		switch u16(os2, 30) >> 8 {
		case 1, 2, 3, 4, 5, 7:
			fc.serif = true
		}
		if os2[32] == 2 && os2[33] >= 2 && os2[33] <= 10 {
			fc.serif = true
		}
		fc.italicStyled = u16(os2, 62)&1 != 0 // fsSelection ITALIC
		if u16(os2, 0) >= 2 && len(os2) >= 90 {
			fc.xHeight, fc.capHeight = i16(os2, 86), i16(os2, 88)
		}
	}
	if post := fc.tables["post"]; len(post) >= 16 {
		fc.italicAngle = float64(int32(u32(post, 4))) / 65536
		fc.fixedPitch = u32(post, 12) != 0
	}
	return fc, nil
}

// advance returns glyph gid's advance in font units.
func (fc *face) advance(gid uint16) uint16 {
	g := int(gid)
	if g >= fc.numGlyphs {
		return 0
	}
	if g >= fc.numHM {
		g = fc.numHM - 1
	}
	return u16(fc.tables["hmtx"], 4*g)
}

// glyph returns glyph gid's data in glyf; empty for a glyph without
// outline (a space).
func (fc *face) glyph(gid uint16) []byte {
	if int(gid) >= fc.numGlyphs {
		return nil
	}
	return fc.tables["glyf"][fc.loca[gid]:fc.loca[gid+1]]
}

// components returns the glyphs a composite glyph is made of (none for
// a simple glyph), appended to dst.
func (fc *face) components(dst []uint16, gid uint16) ([]uint16, error) {
	g := fc.glyph(gid)
	if len(g) < 10 || i16(g, 0) >= 0 {
		return dst, nil
	}
	// A composite glyph: after its 10-byte header, components of flags,
	// glyph index, arguments and an optional transform, while flags
	// has MORE_COMPONENTS.
	const (
		argsAreWords  = 0x0001
		haveScale     = 0x0008
		moreComps     = 0x0020
		haveXYScale   = 0x0040
		haveTwoByTwo  = 0x0080
		componentHead = 4
	)
	at := 10
	for {
		if at+componentHead > len(g) {
			return dst, fmt.Errorf("glyph %d: composite cut short", gid)
		}
		flags, c := u16(g, at), u16(g, at+2)
		if int(c) >= fc.numGlyphs {
			return dst, fmt.Errorf("glyph %d: component %d out of range", gid, c)
		}
		dst = append(dst, c)
		at += componentHead + 2
		if flags&argsAreWords != 0 {
			at += 2
		}
		switch {
		case flags&haveScale != 0:
			at += 2
		case flags&haveXYScale != 0:
			at += 4
		case flags&haveTwoByTwo != 0:
			at += 8
		}
		if flags&moreComps == 0 {
			return dst, nil
		}
	}
}
