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
	if set.Face(Bold) != set.Face(Regular) || set.Face(MonoBold) != Go().Face(Mono) {
		t.Errorf("fallbacks not applied")
	}
	if _, err := NewSet("Y", map[Style][]byte{Bold: []byte("not a font")}); err == nil {
		t.Errorf("bad TTF accepted")
	}
}
