package fonts

import "testing"

func TestGoFontsMeasure(t *testing.T) {
	set := Go()
	reg := set.Face(Regular)
	if w := reg.Width("MMMM", 10); w <= reg.Width("iiii", 10) {
		t.Fatalf("Width(MMMM)=%v not wider than iiii", w)
	}
	mono := set.Face(Mono)
	if a, b := mono.Width("iiii", 10), mono.Width("MMMM", 10); a != b || a == 0 {
		t.Fatalf("mono widths differ or are zero: %v %v", a, b)
	}
	// Typographic punctuation the compiler produces must be drawable.
	for _, r := range "“”‘’—–…" {
		for st := Regular; st < numStyles; st++ {
			if !set.Face(st).HasGlyph(r) {
				t.Errorf("%s has no glyph for %q", st, r)
			}
		}
	}
	if reg.HasGlyph('\U0001F600') {
		t.Errorf("Go Regular unexpectedly has an emoji glyph")
	}
	if a := reg.Ascent(10); a < 7 || a > 11 {
		t.Errorf("Ascent(10) = %v, want about 9", a)
	}
}

func TestNewSetFallsBack(t *testing.T) {
	set, err := NewSet("X", map[Style][]byte{Regular: Go().Face(Regular).TTF})
	if err != nil {
		t.Fatal(err)
	}
	if set.Face(Bold) != set.Face(Regular) || set.Face(MonoBold) != Default().Face(Mono) || set.Face(Symbol) != Default().Face(Symbol) {
		t.Errorf("fallbacks not applied")
	}
	if _, err := NewSet("Y", map[Style][]byte{Bold: []byte("not a font")}); err == nil {
		t.Errorf("bad TTF accepted")
	}
}

// TestDefault: the book faces are Charis SIL, all four styles, with the
// typography the compiler produces; the Symbol face covers what Charis
// lacks; and a hyphen is narrower than an en dash (the Go fonts' hyphen
// is wider, which made "Decoder-Only" read as "Decoder–Only").
func TestDefault(t *testing.T) {
	set := Default()
	for st := Regular; st <= BoldItalic; st++ {
		f := set.Face(st)
		for _, r := range "“”‘’—–…éćñüß" {
			if !f.HasGlyph(r) {
				t.Errorf("%s has no glyph for %q", st, r)
			}
		}
		if h, n := f.RuneWidth('-', 10), f.RuneWidth('–', 10); h >= n*0.8 {
			t.Errorf("%s: hyphen %.2f not clearly narrower than en dash %.2f", st, h, n)
		}
	}
	sym := set.Face(Symbol)
	for _, r := range "ΣαβΔ→⇒≤≥≠≈∞∑∫√−∂∇∈ℝ✓★↪" {
		if !sym.HasGlyph(r) {
			t.Errorf("Symbol face has no glyph for %q", r)
		}
	}
	if set.Face(Mono) != Go().Face(Mono) {
		t.Errorf("Default's code face is not Go Mono")
	}
	if set.Credit == "" {
		t.Errorf("no credit line")
	}
}

// TestPostScriptName reads the fonts' own names.
func TestPostScriptName(t *testing.T) {
	for st, want := range map[Style]string{Regular: "CharisSIL", Bold: "CharisSIL-Bold", Italic: "CharisSIL-Italic", BoldItalic: "CharisSIL-BoldItalic", Mono: "GoMono", Symbol: "DejaVuSans"} {
		if got := Default().Face(st).PostScriptName; got != want {
			t.Errorf("%s: PostScriptName = %q, want %q", st, got, want)
		}
	}
}
