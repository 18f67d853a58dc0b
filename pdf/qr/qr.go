// Package qr encodes QR codes for the print edition's links: in byte
// mode at error correction level M, in the smallest version that holds the
// text, with the mask of least penalty by the standard's rules (ISO/IEC
// 18004, 7.8.3). rsc.io/qr's coding package builds the symbols; its own
// Encode always uses mask 0.
package qr

import (
	"errors"
	"math/bits"
	"sync"

	"strconv"
	"strings"

	"rsc.io/qr/coding"
)

// Code is an encoded QR code. The PDF writer draws it as vector paths,
// not as maroto's QR component, which embeds a PNG with one pixel per
// module that viewers and printer drivers smooth when they scale it by
// less than 4×, blurring the module edges a scanner looks for; a path is
// sharp at any resolution and costs a few hundred bytes a code.
type Code struct {
	N    int      // modules per side
	dark []uint64 // the dark modules, N×N row by row from the top, 64 to a word
}

// newCode returns a code of n×n light modules.
func newCode(n int) *Code { return &Code{N: n, dark: make([]uint64, (n*n+63)/64)} }

// Dark reports whether module (x, y), counted from the top left corner,
// is dark.
func (c *Code) Dark(x, y int) bool {
	i := y*c.N + x
	return c.dark[i/64]>>(i%64)&1 != 0
}

// Runs calls f for each run of dark modules [from, to) of row y, left to
// right.
func (c *Code) Runs(y int, f func(from, to int)) {
	i, end := y*c.N, (y+1)*c.N
	for i < end {
		// The next dark module at i or after, then the next light one.
		i = c.next(i, end, false)
		if i == end {
			return
		}
		j := c.next(i, end, true)
		f(i-y*c.N, j-y*c.N)
		i = j
	}
}

// next returns the first index in [i, end) of a light module when
// light is set, else of a dark one; end when there is none.
func (c *Code) next(i, end int, light bool) int {
	for i < end {
		w := c.dark[i/64]
		if light {
			w = ^w
		}
		w >>= i % 64
		if w != 0 {
			return min(i+bits.TrailingZeros64(w), end)
		}
		i += 64 - i%64
	}
	return end
}

// setDark makes module (x, y) dark.
func (c *Code) setDark(x, y int) {
	i := y*c.N + x
	c.dark[i/64] |= 1 << (i % 64)
}

// Encoder encodes codes, keeping what one build's codes share: the
// encoding plans per version and mask (a plan is the symbol's layout, the
// same for every code of its size), and the codes Code made (the print
// edition and the booklet draw the same addresses). Safe for concurrent
// use; the zero value is ready.
type Encoder struct {
	mu    sync.Mutex
	m     map[[2]int]*coding.Plan
	masks map[coding.Version]*qrMasks
	codes map[string]*Code
}

// Code returns the code of s as Encode makes it, encoding s once per
// Encoder.
func (ps *Encoder) Code(s string) (*Code, error) {
	ps.mu.Lock()
	code, ok := ps.codes[s]
	ps.mu.Unlock()
	if ok {
		return code, nil
	}
	code, err := ps.Encode(s)
	if err != nil {
		return nil, err
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if old, ok := ps.codes[s]; ok {
		return old, nil // encoded meanwhile by another caller: the same code
	}
	if ps.codes == nil {
		ps.codes = map[string]*Code{}
	}
	ps.codes[s] = code
	return code, nil
}

// plan returns the plan for version v and mask m at level M.
func (ps *Encoder) plan(v coding.Version, m coding.Mask) (*coding.Plan, error) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	k := [2]int{int(v), int(m)}
	if p := ps.m[k]; p != nil {
		return p, nil
	}
	p, err := coding.NewPlan(v, coding.M, m)
	if err != nil {
		return nil, err
	}
	if ps.m == nil {
		ps.m = map[[2]int]*coding.Plan{}
	}
	ps.m[k] = p
	return p, nil
}

// Encode encodes s in byte mode with error correction level M (15% of
// the code may be damaged or dirty), in the smallest version that holds
// it and the mask with the least penalty. The data and check bits are
// computed once; each mask then only places them, a row of bits at a
// time in symbols of up to 64 modules a side (addresses of up to about
// 200 characters), a module at a time in larger ones.
func (ps *Encoder) Encode(s string) (*Code, error) {
	enc := coding.String(s)
	v, err := qrVersion(enc)
	if err != nil {
		return nil, err
	}
	var bits coding.Bits
	enc.Encode(&bits, v)
	bits.AddCheckBytes(v, coding.M)
	data := bits.Bytes()
	if qrSide(v) <= 64 {
		q, err := ps.masksOf(v)
		if err != nil {
			return nil, err
		}
		return q.encode(data), nil
	}
	return encodeModules(data, v, ps)
}

// encodeModules is Encode's choice of mask for a symbol of any size,
// placing the data module by module under each mask's plan.
func encodeModules(data []byte, v coding.Version, ps *Encoder) (*Code, error) {
	var best []byte
	bestPen, n := 0, 0
	var rows, cols []byte
	for m := coding.Mask(0); m < 8; m++ {
		p, err := ps.plan(v, m)
		if err != nil {
			return nil, err
		}
		n = len(p.Pixel)
		if rows == nil {
			rows, cols = make([]byte, n*n), make([]byte, n*n)
		}
		for y, row := range p.Pixel {
			for x, pix := range row {
				dark := pix&coding.Black != 0
				if r := pix.Role(); r == coding.Data || r == coding.Check {
					o := pix.Offset()
					if data[o/8]&(1<<(7-o&7)) != 0 {
						dark = !dark
					}
				}
				var b byte
				if dark {
					b = 1
				}
				rows[y*n+x], cols[x*n+y] = b, b
			}
		}
		if pen := qrPenalty(rows, cols, n); best == nil || pen < bestPen {
			best, bestPen = append(best[:0], rows...), pen
		}
	}
	c := newCode(n)
	for i, b := range best {
		if b != 0 {
			c.setDark(i%n, i/n)
		}
	}
	return c, nil
}

// qrMasks is what encoding a code of one version (of at most 64 modules
// a side) needs of its eight masks' plans, as rows and columns of bits
// (bit x of row y, and bit y of column x, is module (x, y)): where the
// data and check bits go, and for each mask the dark function modules
// (the format bits name the mask) and the data modules the mask inverts.
// A mask's symbol is then a few word operations a row: function | (data
// XOR mask) on the data modules.
type qrMasks struct {
	n     int
	cells []qrCell       // the data and check modules, with their bit offsets
	data  [2][]uint64    // rows, columns: data and check modules
	fixed [8][2][]uint64 // dark function modules under each mask
	flip  [8][2][]uint64 // data modules each mask inverts
}

// qrCell is a data or check module: its position and which bit of the
// data it shows.
type qrCell struct {
	x, y uint8
	off  uint16
}

// masksOf returns the qrMasks of version v, built once per cache.
func (ps *Encoder) masksOf(v coding.Version) (*qrMasks, error) {
	ps.mu.Lock()
	q := ps.masks[v]
	ps.mu.Unlock()
	if q != nil {
		return q, nil
	}
	n := qrSide(v)
	q = &qrMasks{n: n}
	rowsCols := func() [2][]uint64 { return [2][]uint64{make([]uint64, n), make([]uint64, n)} }
	set := func(a [2][]uint64, x, y int) {
		a[0][y] |= 1 << x
		a[1][x] |= 1 << y
	}
	q.data = rowsCols()
	for m := range 8 {
		p, err := ps.plan(v, coding.Mask(m))
		if err != nil {
			return nil, err
		}
		q.fixed[m], q.flip[m] = rowsCols(), rowsCols()
		for y, row := range p.Pixel {
			for x, pix := range row {
				black := pix&coding.Black != 0
				switch r := pix.Role(); {
				case r == coding.Data || r == coding.Check:
					if m == 0 {
						q.cells = append(q.cells, qrCell{x: uint8(x), y: uint8(y), off: uint16(pix.Offset())})
						set(q.data, x, y)
					}
					if black {
						set(q.flip[m], x, y)
					}
				case black:
					set(q.fixed[m], x, y)
				}
			}
		}
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if old := ps.masks[v]; old != nil {
		return old, nil // built meanwhile by another worker: the same
	}
	if ps.masks == nil {
		ps.masks = map[coding.Version]*qrMasks{}
	}
	ps.masks[v] = q
	return q, nil
}

// encode places data (the data and check bytes) under each mask and
// returns the symbol with the least penalty, the first of equals.
func (q *qrMasks) encode(data []byte) *Code {
	n := q.n
	var d [2][64]uint64 // the data bits that are set, as rows and columns
	for _, c := range q.cells {
		if data[c.off/8]&(1<<(7-c.off&7)) != 0 {
			d[0][c.y] |= 1 << c.x
			d[1][c.x] |= 1 << c.y
		}
	}
	var rb, cb, best [64]uint64
	bestPen := -1
	for m := range 8 {
		for i := 0; i < n; i++ {
			rb[i] = q.fixed[m][0][i] | (q.flip[m][0][i]^d[0][i])&q.data[0][i]
			cb[i] = q.fixed[m][1][i] | (q.flip[m][1][i]^d[1][i])&q.data[1][i]
		}
		if pen := qrPenaltyBits(rb[:n], cb[:n], n); bestPen < 0 || pen < bestPen {
			best, bestPen = rb, pen
		}
	}
	c := newCode(n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if best[y]>>x&1 != 0 {
				c.setDark(x, y)
			}
		}
	}
	return c
}

// qrVersion returns the smallest version that holds enc at level M.
func qrVersion(enc coding.String) (coding.Version, error) {
	v := coding.Version(coding.MinVersion)
	for ; enc.Bits(v) > v.DataBytes(coding.M)*8; v++ {
		if v >= coding.MaxVersion {
			return 0, errors.New("address too long for a QR code")
		}
	}
	return v, nil
}

// qrSide returns the number of modules per side of a version's symbol.
func qrSide(v coding.Version) int { return 17 + 4*int(v) }

// qrPenalty scores a masked symbol by the four rules of ISO/IEC 18004
// (7.8.3), lower being easier to read: runs of five or more modules of
// one colour in a row or column, 2×2 blocks of one colour, patterns that
// look like a finder (1:1:3:1:1 with four light modules beside), and a
// balance of dark and light away from half. It scores symbols of more
// than 64 modules a side (and is the reference qrPenaltyBits is tested
// against); it works on rows and columns of bytes and finds the
// finder-like patterns with a sliding window of bits.
//
// rows holds the n×n modules row by row, cols column by column, 1 for
// dark.
func qrPenalty(rows, cols []byte, n int) int {
	dark := 0
	for _, b := range rows {
		dark += int(b)
	}
	// The finder-like patterns as 11-module windows, most recent module
	// in the lowest bit: 1011101 then 0000, or 0000 then 1011101.
	const (
		after  = 0b10111010000
		before = 0b00001011101
		mask11 = 1<<11 - 1
	)
	pen := 0
	for _, lines := range [][]byte{rows, cols} {
		for i := 0; i < n; i++ {
			line := lines[i*n : (i+1)*n]
			run := 1
			var win uint32
			for x := 0; x < n; x++ {
				if x > 0 {
					if line[x] == line[x-1] {
						run++
					} else {
						if run >= 5 {
							pen += run - 2
						}
						run = 1
					}
				}
				win = (win<<1 | uint32(line[x])) & mask11
				if x >= 10 && (win == after || win == before) {
					pen += 40
				}
			}
			if run >= 5 {
				pen += run - 2
			}
		}
	}
	for y := 0; y+1 < n; y++ {
		r0, r1 := rows[y*n:(y+1)*n], rows[(y+1)*n:(y+2)*n]
		for x := 0; x+1 < n; x++ {
			v := r0[x]
			if r0[x+1] == v && r1[x] == v && r1[x+1] == v {
				pen += 3
			}
		}
	}
	pct := dark * 100 / (n * n)
	dev := pct - 50
	if dev < 0 {
		dev = -dev
	}
	return pen + 10*(dev/5)
}

// qrPenaltyBits is qrPenalty of the n×n symbol, n ≤ 64, whose rows and
// columns are rb and cb (bit x set for a dark module x): the rules become
// shifts, masks and bit counts.
func qrPenaltyBits(rb, cb []uint64, n int) int {
	full := ^uint64(0)
	if n < 64 {
		full = 1<<n - 1
	}
	pen := 0
	for _, lines := range [][]uint64{rb, cb} {
		for _, w := range lines {
			// Runs: a run of L ≥ 5 modules of one colour costs L-2. It
			// holds L-4 windows of five equal modules (bit x of w5: x to
			// x+4 agree), so the cost is the windows plus 2 for each
			// first window of a run.
			if n >= 5 {
				same := ^(w ^ w>>1) // bit x: modules x and x+1 agree
				w5 := same & (same >> 1) & (same >> 2) & (same >> 3) & (full >> 4)
				pen += bits.OnesCount64(w5) + 2*bits.OnesCount64(w5&^(w5<<1))
			}
			// Finder-like patterns: 11 modules from x, read from x up,
			// are 1011101 then 0000, or 0000 then 1011101 (one of the
			// two at most, as module x is dark in one and light in the
			// other).
			if n >= 11 {
				nw := ^w
				core := w & (nw >> 1) & (w >> 2) & (w >> 3) & (w >> 4) & (nw >> 5) & (w >> 6) // 1011101 from x
				light := nw & (nw >> 1) & (nw >> 2) & (nw >> 3)                               // 0000 from x
				m := (core&(light>>7) | light&(core>>4)) & (full >> 10)                       // x+10 < n
				pen += 40 * bits.OnesCount64(m)
			}
		}
	}
	// 2×2 blocks of one colour: bit x set where modules x and x+1 of
	// both rows agree.
	for y := 0; y+1 < n; y++ {
		a, b := rb[y], rb[y+1]
		same := ^(a ^ a>>1) & ^(b ^ b>>1) & ^(a ^ b) & (full >> 1)
		pen += 3 * bits.OnesCount64(same)
	}
	dark := 0
	for _, w := range rb[:n] {
		dark += bits.OnesCount64(w)
	}
	pct := dark * 100 / (n * n)
	dev := pct - 50
	if dev < 0 {
		dev = -dev
	}
	return pen + 10*(dev/5)
}

// Side returns the number of modules per side of the code of s, without
// encoding it: what a layout needs to place a code before its modules are
// set (see Pending).
func Side(s string) (int, error) {
	v, err := qrVersion(coding.String(s))
	if err != nil {
		return 0, err
	}
	return qrSide(v), nil
}

// Pending returns a code of n modules a side whose modules are not set
// yet: a layout places it while Fill sets them, on another core. Nothing
// may read its modules before Fill.
func Pending(n int) *Code { return &Code{N: n} }

// Fill sets c's modules from from, an encoding of the same text.
func (c *Code) Fill(from *Code) { c.dark = from.dark }

// Text is the text a QR code holds for url: non-ASCII bytes, spaces and
// controls percent-encoded, as in a link annotation's URI, so that every
// phone reads the same address.
func Text(u string) string {
	var sb strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c < 0x21 || c >= 0x7f {
			sb.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)|0x100, 16)[1:]))
			continue
		}
		sb.WriteByte(c)
	}
	return sb.String()
}
