package typeset

import "testing"

// TestQRPenalty checks the four penalty rules on small symbols.
func TestQRPenalty(t *testing.T) {
	mk := func(rows ...string) *QRCode {
		c := &QRCode{N: len(rows)}
		for _, r := range rows {
			for _, ch := range r {
				c.Dark = append(c.Dark, ch == '#')
			}
		}
		return c
	}
	// A checkerboard: no runs, no blocks, no finders, half dark.
	if p := qrPenalty(mk("#.#.#.", ".#.#.#", "#.#.#.", ".#.#.#", "#.#.#.", ".#.#.#")); p != 0 {
		t.Errorf("checkerboard: penalty %d, want 0", p)
	}
	// All light, 5×5: 10 runs of 5 (3 each), 16 blocks (3 each), 0%
	// dark (10 × 10).
	if p, want := qrPenalty(mk(".....", ".....", ".....", ".....", ".....")), 10*3+16*3+100; p != want {
		t.Errorf("blank: penalty %d, want %d", p, want)
	}
	// A finder-like row with four light modules after it.
	row := "#.###.#...." // 11 wide
	c := mk(row, row, row, row, row, row, row, row, row, row, row)
	base := qrPenalty(c)
	c.Dark[0] = false // break the pattern in the first row only
	if d := base - qrPenalty(c); d < 40-10 {
		t.Errorf("breaking one finder-like pattern lowers the penalty by %d, want about 40", d)
	}
}

// TestEncodeQR: the smallest version that holds the text, a square
// symbol, and the same code every time.
func TestEncodeQR(t *testing.T) {
	ps := &qrPlans{}
	a, err := encodeQR("https://arxiv.org/abs/1706.03762", ps)
	if err != nil {
		t.Fatal(err)
	}
	if a.N != 29 { // 32 bytes at level M need version 3
		t.Errorf("symbol of %d modules, want 29", a.N)
	}
	b, _ := encodeQR("https://arxiv.org/abs/1706.03762", &qrPlans{})
	if len(a.Dark) != a.N*a.N || string(boolBytes(a.Dark)) != string(boolBytes(b.Dark)) {
		t.Errorf("encoding differs between runs")
	}
	if _, err := encodeQR(string(make([]byte, 3000)), ps); err == nil {
		t.Errorf("3000 bytes encoded; they do not fit any version at level M")
	}
}

func boolBytes(bs []bool) []byte {
	out := make([]byte, len(bs))
	for i, b := range bs {
		if b {
			out[i] = 1
		}
	}
	return out
}
