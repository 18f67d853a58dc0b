package typeset

import (
	"errors"
	"runtime"
	"sync"

	"rsc.io/qr/coding"

	"github.com/genai-handbook/handbook/compile/tree"
)

// QR codes are encoded with rsc.io/qr's coding package, which builds
// the symbol for a version, level and mask, with the mask chosen here by
// the standard's penalty rules (the package's own Encode always uses mask
// 0). They are drawn as vector paths in the incremental update, not with
// maroto's QR component: that one embeds a PNG with one pixel per module,
// which viewers and printer drivers smooth when they scale it by less
// than 4×, blurring the module edges a scanner looks for. A path is sharp
// at any resolution and costs a few hundred bytes a code.

// QRCode is an encoded QR code.
type QRCode struct {
	N    int    // modules per side
	Dark []bool // n×n, row by row from the top
}

// qrPlans caches the encoding plans of one build, per version and mask:
// a plan is the symbol's layout, the same for every code of its size.
type qrPlans struct {
	mu sync.Mutex
	m  map[[2]int]*coding.Plan
}

// plan returns the plan for version v and mask m at level M.
func (ps *qrPlans) plan(v coding.Version, m coding.Mask) (*coding.Plan, error) {
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

// encodeQR encodes s in byte mode with error correction level M (15% of
// the code may be damaged or dirty), in the smallest version that holds
// it and the mask with the least penalty.
func encodeQR(s string, ps *qrPlans) (*QRCode, error) {
	enc := coding.String(s)
	v := coding.Version(coding.MinVersion)
	for ; enc.Bits(v) > v.DataBytes(coding.M)*8; v++ {
		if v >= coding.MaxVersion {
			return nil, errors.New("address too long for a QR code")
		}
	}
	var best *QRCode
	bestPen := 0
	for m := coding.Mask(0); m < 8; m++ {
		p, err := ps.plan(v, m)
		if err != nil {
			return nil, err
		}
		cc, err := p.Encode(enc)
		if err != nil {
			return nil, err
		}
		c := &QRCode{N: cc.Size, Dark: make([]bool, cc.Size*cc.Size)}
		for y := 0; y < cc.Size; y++ {
			for x := 0; x < cc.Size; x++ {
				c.Dark[y*c.N+x] = cc.Black(x, y)
			}
		}
		if pen := qrPenalty(c); best == nil || pen < bestPen {
			best, bestPen = c, pen
		}
	}
	return best, nil
}

// qrPenalty scores a masked symbol by the four rules of ISO/IEC 18004
// (7.8.3), lower being easier to read: runs of five or more modules of
// one colour in a row or column, 2×2 blocks of one colour, patterns that
// look like a finder (1:1:3:1:1 with four light modules beside), and a
// balance of dark and light away from half.
func qrPenalty(c *QRCode) int {
	n, d := c.N, c.Dark
	at := func(x, y int, col bool) bool {
		if col {
			return d[x*n+y]
		}
		return d[y*n+x]
	}
	pen := 0
	for _, col := range []bool{false, true} {
		for y := 0; y < n; y++ {
			run := 1
			for x := 1; x <= n; x++ {
				if x < n && at(x, y, col) == at(x-1, y, col) {
					run++
					continue
				}
				if run >= 5 {
					pen += 3 + run - 5
				}
				run = 1
			}
			// Finder-like: dark light dark dark dark light dark, with
			// four light modules before or after.
			for x := 0; x+7 <= n; x++ {
				if !(at(x, y, col) && !at(x+1, y, col) && at(x+2, y, col) && at(x+3, y, col) && at(x+4, y, col) && !at(x+5, y, col) && at(x+6, y, col)) {
					continue
				}
				light := func(from, to int) bool {
					if from < 0 || to > n {
						return false
					}
					for k := from; k < to; k++ {
						if at(k, y, col) {
							return false
						}
					}
					return true
				}
				if light(x-4, x) || light(x+7, x+11) {
					pen += 40
				}
			}
		}
	}
	dark := 0
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if d[y*n+x] {
				dark++
			}
			if x+1 < n && y+1 < n {
				v := d[y*n+x]
				if d[y*n+x+1] == v && d[(y+1)*n+x] == v && d[(y+1)*n+x+1] == v {
					pen += 3
				}
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

// encodeURLs encodes the QR codes of every deep link of b (see deepLink), in
// parallel: encoding tries all eight masks of a code. The result does not depend on
// the scheduling; addresses that cannot be encoded are left out (cite
// reports them).
func encodeURLs(b *tree.Book, plans *qrPlans) map[string]*QRCode {
	seen := map[string]bool{}
	var urls []string
	add := func(u string) {
		if deepLink(u) && !seen[u] {
			seen[u] = true
			urls = append(urls, u)
		}
	}
	tree.Walk(b, func(_ tree.Block, in tree.Inline) bool {
		switch x := in.(type) {
		case *tree.Link:
			if !x.IsInternal() {
				add(x.URL)
			}
		case *tree.Image:
			if x.File == nil && x.IsRemote() {
				add(x.Src)
			}
		}
		return true
	})
	for _, l := range b.Meta.AuthorLinks {
		add(l.URL)
	}
	add(b.Meta.VersionURL)
	codes := make([]*QRCode, len(urls))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				codes[i], _ = encodeQR(QRText(urls[i]), plans)
			}
		}()
	}
	for i := range urls {
		next <- i
	}
	close(next)
	wg.Wait()
	m := make(map[string]*QRCode, len(urls))
	for i, u := range urls {
		if codes[i] != nil {
			m[u] = codes[i]
		}
	}
	return m
}
