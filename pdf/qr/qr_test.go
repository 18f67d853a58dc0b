package qr

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"rsc.io/qr/coding"
)

// TestQRPenalty checks the four penalty rules on small symbols.
func TestQRPenalty(t *testing.T) {
	type grid struct {
		rows, cols []byte
		n          int
	}
	mk := func(lines ...string) *grid {
		n := len(lines)
		g := &grid{make([]byte, n*n), make([]byte, n*n), n}
		for y, r := range lines {
			for x, ch := range r {
				if ch == '#' {
					g.rows[y*n+x], g.cols[x*n+y] = 1, 1
				}
			}
		}
		return g
	}
	qrPenalty := func(g *grid) int { return qrPenalty(g.rows, g.cols, g.n) }
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
	c.rows[0], c.cols[0] = 0, 0 // break the pattern in the first row only
	if d := base - qrPenalty(c); d < 40-10 {
		t.Errorf("breaking one finder-like pattern lowers the penalty by %d, want about 40", d)
	}
}

// TestEncodeQR: the smallest version that holds the text, a square
// symbol, and the same code every time.
func TestEncodeQR(t *testing.T) {
	ps := &Encoder{}
	a, err := ps.Encode("https://arxiv.org/abs/1706.03762")
	if err != nil {
		t.Fatal(err)
	}
	if a.N != 29 { // 32 bytes at level M need version 3
		t.Errorf("symbol of %d modules, want 29", a.N)
	}
	b, _ := (&Encoder{}).Encode("https://arxiv.org/abs/1706.03762")
	if modules(a) != modules(b) {
		t.Errorf("encoding differs between runs")
	}
	if _, err := ps.Encode(string(make([]byte, 3000))); err == nil {
		t.Errorf("3000 bytes encoded; they do not fit any version at level M")
	}
}

// modules draws c's modules, '#' for dark, a row a line.
func modules(c *Code) string {
	var sb strings.Builder
	for y := 0; y < c.N; y++ {
		for x := 0; x < c.N; x++ {
			if c.Dark(x, y) {
				sb.WriteByte('#')
			} else {
				sb.WriteByte('.')
			}
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// TestQRPenaltyBits: the word-wide penalty agrees with the module-wide one
// on random symbols of every size up to 64.
func TestQRPenaltyBits(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	var rb, cb [64]uint64
	for iter := 0; iter < 2000; iter++ {
		n := 1 + rng.Intn(64)
		rows, cols := make([]byte, n*n), make([]byte, n*n)
		density := rng.Float64()
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				if rng.Float64() < density {
					rows[y*n+x], cols[x*n+y] = 1, 1
				}
			}
		}
		for i := 0; i < n; i++ {
			rb[i], cb[i] = 0, 0
			for x := 0; x < n; x++ {
				rb[i] |= uint64(rows[i*n+x]) << x
				cb[i] |= uint64(cols[i*n+x]) << x
			}
		}
		if a, b := qrPenalty(rows, cols, n), qrPenaltyBits(rb[:n], cb[:n], n); a != b {
			t.Fatalf("n=%d: qrPenalty %d, qrPenaltyBits %d", n, a, b)
		}
	}
}

// TestQRMasksAgree: the row-of-bits encoding chooses the same mask and
// gives the same symbol as placing the modules one by one, for addresses
// of every length that fits a symbol of up to 64 modules.
func TestQRMasksAgree(t *testing.T) {
	ps := &Encoder{}
	rng := rand.New(rand.NewSource(7))
	versions := map[int]bool{}
	for l := 1; l <= 200; l += 1 + l/20 {
		b := make([]byte, l)
		for i := range b {
			b[i] = byte(0x21 + rng.Intn(0x5e))
		}
		s := "https://example.org/" + string(b)
		enc := coding.String(s)
		v, err := qrVersion(enc)
		if err != nil || qrSide(v) > 64 {
			continue
		}
		versions[int(v)] = true
		fast, err := ps.Encode(s)
		if err != nil {
			t.Fatal(err)
		}
		var bits coding.Bits
		enc.Encode(&bits, v)
		bits.AddCheckBytes(v, coding.M)
		slow, err := encodeModules(bits.Bytes(), v, ps)
		if err != nil {
			t.Fatal(err)
		}
		if fast.N != slow.N || modules(fast) != modules(slow) {
			t.Fatalf("%d bytes (version %d): the two encodings differ", len(s), v)
		}
	}
	if len(versions) < 8 {
		t.Errorf("only versions %v tried", versions)
	}
}

// TestQRRuns: Runs finds the runs of dark modules that Dark shows, in
// rows that cross words of the module bits, for codes of every size.
func TestQRRuns(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for n := 1; n <= 90; n++ {
		c := newCode(n)
		density := rng.Float64()
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				if rng.Float64() < density {
					c.setDark(x, y)
				}
			}
		}
		for y := 0; y < n; y++ {
			var want, got [][2]int
			for x := 0; x < n; {
				if !c.Dark(x, y) {
					x++
					continue
				}
				e := x
				for e < n && c.Dark(e, y) {
					e++
				}
				want = append(want, [2]int{x, e})
				x = e
			}
			c.Runs(y, func(from, to int) { got = append(got, [2]int{from, to}) })
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("n=%d row %d: runs %v, want %v", n, y, got, want)
			}
		}
	}
}

// TestCodeOnce: Code returns Encode's code, the same one for the same
// text from every goroutine, and Encode's error for text too long.
func TestCodeOnce(t *testing.T) {
	var enc Encoder
	const u = "https://example.org/a/page"
	want, err := (&Encoder{}).Encode(u)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan *Code, 8)
	for range 8 {
		go func() {
			c, err := enc.Code(u)
			if err != nil {
				t.Error(err)
			}
			got <- c
		}()
	}
	first := <-got
	for range 7 {
		if c := <-got; c != first {
			t.Fatal("Code encoded the same text twice")
		}
	}
	if first.N != want.N || fmt.Sprint(first.dark) != fmt.Sprint(want.dark) {
		t.Fatalf("Code's code differs from Encode's (side %d, want %d)", first.N, want.N)
	}
	if _, err := enc.Code(strings.Repeat("x", 4000)); err == nil {
		t.Fatal("Code encoded 4,000 bytes, more than a code holds")
	}
}
