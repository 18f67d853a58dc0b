package font

import (
	"bytes"
	"compress/zlib"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/genai-handbook/handbook/content/realbook"
	"github.com/genai-handbook/handbook/fonts"
)

// embedded is one Embed's objects, read back.
type embedded struct {
	w       *file
	type0   int
	objs    map[string]string // by /Type or role: "Type0", "CID", "Descriptor"
	sub     []byte            // the font file, inflated
	cmap    string            // the ToUnicode CMap, inflated
	length1 string
}

func inflate(t *testing.T, obj []byte) (dict string, data []byte) {
	t.Helper()
	i := bytes.Index(obj, []byte("\nstream\n"))
	j := bytes.LastIndex(obj, []byte("\nendstream"))
	if i < 0 || j < i {
		t.Fatalf("not a stream: %.80q", obj)
	}
	r, err := zlib.NewReader(bytes.NewReader(obj[i+8 : j]))
	if err != nil {
		t.Fatal(err)
	}
	data, err = io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(obj[:i]), data
}

// embed shapes texts in f, embeds them and reads the objects back.
func embed(t *testing.T, f *fonts.Font, texts ...string) *embedded {
	t.Helper()
	u := &Used{}
	for _, s := range texts {
		u.AddRun(s, f.Shape(s))
	}
	w := &file{}
	n, err := Embed(w, f, u, Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := &embedded{w: w, type0: n, objs: map[string]string{}}
	for _, o := range w.objs {
		s := string(o)
		switch {
		case strings.Contains(s, "/Subtype /Type0"):
			e.objs["Type0"] = s
		case strings.Contains(s, "/Subtype /CIDFontType2"):
			e.objs["CID"] = s
		case strings.Contains(s, "/Type /FontDescriptor"):
			e.objs["Descriptor"] = s
		case strings.Contains(s, "/Length1"):
			var dict string
			dict, e.sub = inflate(t, o)
			e.length1 = regexp.MustCompile(`/Length1 (\d+)`).FindStringSubmatch(dict)[1]
		default:
			_, data := inflate(t, o)
			e.cmap = string(data)
		}
	}
	return e
}

// TestSubsetParses: the subset is a TrueType font sfnt reads, with the
// outlines of the glyphs drawn (and of a composite's components), no
// outline for the others, and the original glyph ids and advances.
func TestSubsetParses(t *testing.T) {
	f := fonts.Default().Face(fonts.Regular)
	e := embed(t, f, "office éclair")
	sf, err := sfnt.Parse(e.sub)
	if err != nil {
		t.Fatalf("subset does not parse: %v", err)
	}
	orig, err := sfnt.Parse(f.TTF)
	if err != nil {
		t.Fatal(err)
	}
	// Glyph ids are kept: the subset ends at the last glyph kept (drawn
	// or a component of one drawn).
	var ids []uint16
	for _, g := range f.Shape("office éclair") {
		ids = append(ids, g.ID)
	}
	fc, _ := faceOf(f)
	keep, err := fc.closure(ids)
	if err != nil {
		t.Fatal(err)
	}
	if last := int(keep[len(keep)-1]); sf.NumGlyphs() != last+1 || last <= int(slices.Max(ids)) {
		t.Errorf("subset has %d glyphs, want %d: up to the last glyph kept, a component", sf.NumGlyphs(), last+1)
	}
	if e.length1 != itoa(len(e.sub)) {
		t.Errorf("/Length1 %s, font file %d bytes", e.length1, len(e.sub))
	}
	var b sfnt.Buffer
	segs := func(f *sfnt.Font, g uint16) int {
		s, err := f.LoadGlyph(&b, sfnt.GlyphIndex(g), fixed.I(1000), nil)
		if err != nil {
			t.Fatalf("glyph %d: %v", g, err)
		}
		return len(s)
	}
	drawn := map[uint16]bool{}
	for _, g := range f.Shape("office éclair") {
		drawn[g.ID] = true
		if n, want := segs(sf, g.ID), segs(orig, g.ID); n != want {
			t.Errorf("glyph %d: %d segments in the subset, %d in the font", g.ID, n, want)
		}
		adv, _ := sf.GlyphAdvance(&b, sfnt.GlyphIndex(g.ID), fixed.I(2048), font.HintingNone)
		oadv, _ := orig.GlyphAdvance(&b, sfnt.GlyphIndex(g.ID), fixed.I(2048), font.HintingNone)
		if adv != oadv {
			t.Errorf("glyph %d: advance %v, font's %v", g.ID, adv, oadv)
		}
	}
	// "é" is a composite in Charis: its components were kept, or the
	// check above would have found no outline.
	eacute := f.Shape("é")[0].ID
	if comps, _ := fc.components(nil, eacute); len(comps) == 0 {
		t.Errorf("é (glyph %d) is not a composite: the test does not test components", eacute)
	}
	z := f.Shape("Z")[0].ID
	if drawn[z] || segs(sf, z) != 0 || segs(orig, z) == 0 {
		t.Errorf("glyph of Z not emptied in the subset")
	}
	if len(e.sub) > len(f.TTF)/10 {
		t.Errorf("subset of 10 letters is %d bytes, the font %d", len(e.sub), len(f.TTF))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestToUnicode: each glyph maps to the text it stands for: a ligature
// to its letters, a character outside the BMP as a surrogate pair, runs
// of consecutive glyphs and characters as ranges.
func TestToUnicode(t *testing.T) {
	set := fonts.Default()
	reg := set.Face(fonts.Regular)
	e := embed(t, reg, "office find fluff", "abcdefg")
	ffi := reg.Shape("ffi")[0].ID
	fl := reg.Shape("fl")[0].ID
	for _, want := range []string{
		"<" + hex4(ffi) + "> <006600660069>",
		"<" + hex4(fl) + "> <0066006C>",
		"/CMapName /Adobe-Identity-UCS def",
		"beginbfrange",
	} {
		if !strings.Contains(e.cmap, want) {
			t.Errorf("ToUnicode lacks %q:\n%s", want, e.cmap)
		}
	}
	sym := embed(t, set.Face(fonts.Symbol), "😀")
	if g := set.Face(fonts.Symbol).Shape("😀")[0].ID; !strings.Contains(sym.cmap, "<"+hex4(g)+"> <D83DDE00>") {
		t.Errorf("ToUnicode of 😀 not a surrogate pair:\n%s", sym.cmap)
	}
	// Every glyph drawn is covered once: count the mappings.
	n := 0
	maps := e.cmap[strings.Index(e.cmap, "endcodespacerange"):]
	for _, m := range regexp.MustCompile(`(?m)^<([0-9A-F]{4})> <([0-9A-F]{4})> <`).FindAllStringSubmatch(maps, -1) {
		n += int(parseHex(m[2])-parseHex(m[1])) + 1
	}
	n += len(regexp.MustCompile(`(?m)^<[0-9A-F]{4}> <[0-9A-F]+>$`).FindAllString(maps, -1))
	u := &Used{}
	u.AddRun("office find fluff", reg.Shape("office find fluff"))
	u.AddRun("abcdefg", reg.Shape("abcdefg"))
	if n != u.Len() {
		t.Errorf("ToUnicode maps %d glyphs, %d drawn:\n%s", n, u.Len(), e.cmap)
	}
}

func hex4(g uint16) string {
	return strings.ToUpper(string([]byte{hexd(g >> 12), hexd(g >> 8), hexd(g >> 4), hexd(g)}))
}

func hexd(v uint16) byte { return "0123456789ABCDEF"[v&15] }

func parseHex(s string) uint16 {
	var v uint16
	for _, c := range s {
		v = v<<4 | uint16(strings.IndexRune("0123456789ABCDEF", c))
	}
	return v
}

// TestDescriptor: the font objects name the subset, give widths of the
// glyphs used only, and the descriptor's metrics from the font's tables.
func TestDescriptor(t *testing.T) {
	reg := fonts.Default().Face(fonts.Regular)
	e := embed(t, reg, "AVA")
	tag := regexp.MustCompile(`/BaseFont /([A-Z]{6})\+CharisSIL `).FindStringSubmatch(e.objs["Type0"])
	if tag == nil {
		t.Fatalf("Type0 font without subset name: %s", e.objs["Type0"])
	}
	for _, want := range []string{"/Encoding /Identity-H", "/ToUnicode "} {
		if !strings.Contains(e.objs["Type0"], want) {
			t.Errorf("Type0 lacks %s: %s", want, e.objs["Type0"])
		}
	}
	a, v := reg.Shape("A")[0], reg.Shape("V")[0]
	w := "/W [" + itoa(int(a.ID)) + " [" + num(a.Advance) + "] " + itoa(int(v.ID)) + " [" + num(v.Advance) + "]]"
	if !strings.Contains(e.objs["CID"], w) || !strings.Contains(e.objs["CID"], "/CIDToGIDMap /Identity") {
		t.Errorf("CIDFont: want %s:\n%s", w, e.objs["CID"])
	}
	d := e.objs["Descriptor"]
	for _, re := range []string{`/FontName /` + tag[1] + `\+CharisSIL `, `/Flags 4 `, `/FontBBox \[-?\d+(\.\d+)? -\d+(\.\d+)? \d+(\.\d+)? \d+(\.\d+)?\]`, `/ItalicAngle 0 `, `/Ascent [1-9]\d*(\.\d+)? `, `/Descent -[1-9]`, `/CapHeight [1-9]`, `/StemV \d`, `/FontFile2 \d+ 0 R`} {
		if !regexp.MustCompile(re).MatchString(d) {
			t.Errorf("descriptor lacks %s:\n%s", re, d)
		}
	}
	// Charis's OS/2 classifies it neither by family class nor by
	// PANOSE serif style, so it is not flagged Serif; italic it is.
	it := embed(t, fonts.Default().Face(fonts.Italic), "AVA").objs["Descriptor"]
	if !regexp.MustCompile(`/Flags 68 .*/ItalicAngle -\d`).MatchString(it) {
		t.Errorf("italic descriptor: %s", it)
	}
	mono := embed(t, fonts.Default().Face(fonts.Mono), "AVA").objs["Descriptor"]
	// Go Mono: fixed pitch, slab serif (family class 5).
	if !strings.Contains(mono, "/Flags 7 ") {
		t.Errorf("mono descriptor: %s", mono)
	}
}

// TestDeterministic: the same glyphs give the same bytes, whatever the
// order they were added in and whichever compressor; other glyphs give
// another tag.
func TestDeterministic(t *testing.T) {
	reg := fonts.Default().Face(fonts.Regular)
	out := func(c *Compressor, texts ...string) []byte {
		u := &Used{}
		for _, s := range texts {
			u.AddRun(s, reg.Shape(s))
		}
		w := &file{}
		n, err := Embed(w, reg, u, Options{Compressor: c})
		if err != nil {
			t.Fatal(err)
		}
		return w.bytes(n)
	}
	c := NewCompressor(zlib.BestSpeed)
	a := out(nil, "office", "find")
	if b := out(c, "find", "office"); !bytes.Equal(a, b) {
		t.Errorf("same glyphs, different bytes")
	}
	if b := out(c, "office", "find"); !bytes.Equal(a, b) {
		t.Errorf("reused compressor, different bytes")
	}
	tagOf := func(b []byte) string {
		return regexp.MustCompile(`/BaseFont /([A-Z]{6})\+`).FindStringSubmatch(string(b))[1]
	}
	if tagOf(a) == tagOf(out(c, "office", "fund")) {
		t.Errorf("different glyph sets, same tag %s", tagOf(a))
	}
}

// TestUsedAdd: a glyph added with several texts keeps one chosen
// independently of the order; a second glyph of a cluster has no text.
func TestUsedAdd(t *testing.T) {
	g := fonts.Glyph{ID: 3}
	for _, order := range [][]string{{" ", "\u00a0", ""}, {"", "\u00a0", " "}} {
		u := &Used{}
		for _, s := range order {
			u.Add(g, s)
		}
		if u.text[3] != " " {
			t.Errorf("order %q: text %q, want a space", order, u.text[3])
		}
	}
	u := &Used{}
	u.AddRun("e\u0301", []fonts.Glyph{{ID: 10, Start: 0, End: 3}, {ID: 11, Start: 0, End: 3}})
	if u.text[10] != "e\u0301" || u.text[11] != "" || u.Len() != 2 {
		t.Errorf("cluster of two glyphs: %v", u.text)
	}
}

// TestAppendTJ: glyph ids in hex strings, kerning as adjustments of the
// width less the shaped advance, marks shifted and raised.
func TestAppendTJ(t *testing.T) {
	sym := fonts.Default().Face(fonts.Symbol)
	gs := sym.Shape("AV")
	got := string(AppendTJ(nil, sym, gs, 10))
	k := num(GlyphWidth(sym, gs[0].ID) - gs[0].Advance)
	if want := "[<0024> " + k + " <0039>] TJ\n"; got != want || k == "0" {
		t.Errorf("AV: %q, want %q", got, want)
	}
	if got := string(AppendTJ(nil, sym, sym.Shape("HH"), 10)); got != "[<002B002B>] TJ\n" {
		t.Errorf("HH: %q", got)
	}
	mark := []fonts.Glyph{{ID: 0x44, Advance: GlyphWidth(sym, 0x44)}, {ID: 0x200, XOffset: -300, YOffset: 100, Advance: 0}}
	got = string(AppendTJ(nil, sym, mark, 10))
	want := "[<0044>] TJ\n1 Ts\n[ 300 <0200> " + num(GlyphWidth(sym, 0x200)-300) + " ] TJ\n0 Ts\n"
	if got != want {
		t.Errorf("mark: %q, want %q", got, want)
	}
}

// TestFaceOnce: a face's tables are read once however many books embed
// it.
func TestFaceOnce(t *testing.T) {
	reg := fonts.Default().Face(fonts.Regular)
	a, err := faceOf(reg)
	if err != nil {
		t.Fatal(err)
	}
	embed(t, reg, "x")
	if b, _ := faceOf(reg); a != b {
		t.Errorf("face read again")
	}
}

// TestBadFonts: fonts cut short or with tables out of range are refused
// with an error, never a panic.
func TestBadFonts(t *testing.T) {
	ttf := fonts.Default().Face(fonts.Regular).TTF
	for _, n := range []int{0, 11, 12, 100, 300, 5000} {
		if _, err := readFace(ttf[:n], "x"); err == nil {
			t.Errorf("font cut to %d bytes read", n)
		}
	}
	bad := bytes.Clone(ttf)
	copy(bad, "OTTO")
	if _, err := readFace(bad, "x"); err == nil {
		t.Errorf("CFF font read")
	}
}

// TestFaceCollected: a face's tables go when its font does (a watching
// process parses a user's fonts on each build).
func TestFaceCollected(t *testing.T) {
	count := func() int {
		facesMu.Lock()
		defer facesMu.Unlock()
		return len(faces)
	}
	before := count()
	func() {
		f, err := fonts.Parse("tmp", fonts.Default().Face(fonts.Regular).TTF)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := faceOf(f); err != nil {
			t.Fatal(err)
		}
	}()
	if count() != before+1 {
		t.Fatalf("%d faces, want %d", count(), before+1)
	}
	// Cleanups run after a collection, on a goroutine of their own.
	for i := 0; i < 100 && count() > before; i++ {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if count() != before {
		t.Errorf("%d faces after the font was collected, want %d", count(), before)
	}
}

// BenchmarkEmbed embeds the glyphs of the real handbook's text (or of a
// pangram) in Charis: what each book pays per face.
func BenchmarkEmbed(b *testing.B) {
	reg := fonts.Default().Face(fonts.Regular)
	text := "The quick brown fox jumps over the lazy dog; office, find, fluff — “quoted” 0123456789."
	if dir, ok := realbook.Dir(); ok {
		names, _ := filepath.Glob(filepath.Join(dir, "_includes", "*.md"))
		for _, name := range append(names, filepath.Join(dir, "index.md")) {
			data, err := os.ReadFile(name)
			if err != nil {
				b.Fatal(err)
			}
			text += string(data)
		}
	}
	u := &Used{}
	for _, w := range strings.Fields(text) {
		u.AddRun(w, reg.Shape(w))
	}
	c := NewCompressor(zlib.BestSpeed)
	if _, err := faceOf(reg); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d glyphs", u.Len())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Embed(&file{}, reg, u, Options{Compressor: c}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEmbedNothing: a face with no glyph recorded still embeds, as a
// font of .notdef alone.
func TestEmbedNothing(t *testing.T) {
	e := embed(t, fonts.Default().Face(fonts.Regular))
	sf, err := sfnt.Parse(e.sub)
	if err != nil {
		t.Fatalf("empty subset does not parse: %v", err)
	}
	if sf.NumGlyphs() != 1 || !strings.Contains(e.objs["CID"], "/W []") {
		t.Errorf("empty subset: %d glyphs, %s", sf.NumGlyphs(), e.objs["CID"])
	}
	if _, err := Embed(&file{}, fonts.Default().Face(fonts.Regular), nil, Options{}); err != nil {
		t.Errorf("nil Used: %v", err)
	}
}
