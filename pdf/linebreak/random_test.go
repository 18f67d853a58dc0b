package linebreak

import (
	"math"
	"math/rand"
	"reflect"
	"testing"
)

// paragraph makes a random paragraph for lines of about lw: words of one
// to three syllables with hyphens (flagged, penalty 50, narrower than any
// syllable) between them and glue between words (shrink at most half its
// width). If wild, it also has long tokens, wide boxes, forced breaks bare
// or with fill glue, Never and negative penalties, empty boxes and stray
// glue.
func paragraph(rng *rand.Rand, words int, lw float64, wild bool) []Item {
	var items []Item
	for w := 0; w < words; w++ {
		if w > 0 {
			gw := 0.5 + rng.Float64()
			items = append(items, Item{Kind: Glue, Width: gw, Stretch: gw * (0.3 + rng.Float64()), Shrink: gw * 0.5 * rng.Float64()})
		}
		if wild {
			switch rng.Intn(25) {
			case 0: // a long token, breakable anywhere at a cost
				n := 10 + rng.Intn(300)
				for i := 0; i < n; i++ {
					if i > 0 {
						pens := []float64{0, 50, 1000, Never}
						items = append(items, Item{Kind: Penalty, Penalty: pens[rng.Intn(len(pens))]})
					}
					items = append(items, Item{Kind: Box, Width: 0.4 + 0.2*rng.Float64()})
				}
				continue
			case 1: // a box that may not fit on a line
				items = append(items, Item{Kind: Box, Width: lw * 2 * rng.Float64()})
				continue
			case 2: // a line break
				items = append(items, Item{Kind: Box, Width: 2}, Item{Kind: Penalty, Penalty: Never},
					Item{Kind: Glue, Stretch: Fil}, Item{Kind: Penalty, Penalty: Forced})
				continue
			case 3: // a bare forced break, maybe two
				items = append(items, Item{Kind: Penalty, Penalty: Forced})
				if rng.Intn(2) == 0 {
					items = append(items, Item{Kind: Penalty, Penalty: Forced})
				}
			case 4: // a tie
				items = append(items, Item{Kind: Penalty, Penalty: Never})
			case 5: // an invitation
				items = append(items, Item{Kind: Penalty, Penalty: -200 * rng.Float64()})
			case 6:
				items = append(items, Item{Kind: Box})
			case 7:
				items = append(items, Item{Kind: Glue, Width: 1, Stretch: 1})
			}
		}
		syl := 1 + rng.Intn(3)
		for s := 0; s < syl; s++ {
			if s > 0 {
				items = append(items, Item{Kind: Penalty, Width: 0.5, Penalty: 50, Flagged: true})
			}
			items = append(items, Item{Kind: Box, Width: 1 + 4*rng.Float64()})
		}
	}
	return items
}

func randomParams(rng *rand.Rand) Params {
	p := Params{Widths: make([]float64, 1+rng.Intn(3))}
	base := 8 + 60*rng.Float64()
	for i := range p.Widths {
		p.Widths[i] = base * (0.6 + 0.4*rng.Float64())
	}
	p.Tolerance = []float64{0, 0.5, 1, 2, 5}[rng.Intn(5)]
	if rng.Intn(3) == 0 {
		p.LinePenalty = []float64{-1, 1, 50}[rng.Intn(3)]
		p.FlaggedDemerits = []float64{-1, 100, 10000}[rng.Intn(3)]
		p.FitnessDemerits = []float64{-1, 100, 10000}[rng.Intn(3)]
	}
	if rng.Intn(3) == 0 {
		p.MaxFlagged = 1 + rng.Intn(2)
	}
	return p
}

// Many random paragraphs, tame and wild, finished or not: every breaking
// is complete and sound.
func TestRandomParagraphs(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for iter := 0; iter < 3000; iter++ {
		p := randomParams(rng)
		items := paragraph(rng, 1+rng.Intn(80), p.Widths[0], iter%2 == 1)
		finished := rng.Intn(4) != 0
		if finished {
			items = Finish(items)
		}
		lines := Break(items, p)
		if err := breakingError(items, p, lines, finished); err != nil {
			t.Fatalf("paragraph %d: %v\n%s", iter, err, dump(items, p, lines))
		}
	}
}

// refLine is what the reference knows of a line: its demerits (given the
// line before), fitness class and flag, or that it is infeasible.
func refLine(items []Item, p Params, start, end, index int, prevFit uint8, prevFlag bool) (d float64, fit uint8, flagged, ok bool) {
	tol, l, fd, ad := p.Tolerance, p.LinePenalty, p.FlaggedDemerits, p.FitnessDemerits
	if tol <= 0 {
		tol = 2
	}
	l = paramOr(l, 10)
	fd = paramOr(fd, 3000)
	ad = paramOr(ad, 3000)
	w, y, f, z := measure(items, start, end)
	lw := lineWidth(p, index)
	var r, bad float64
	fil := false // stretching Fil glue: badness 0, decent
	switch gap := lw - w; {
	case start == end: // an empty line between forced breaks
	case gap > 1e-9:
		if f > 0 {
			fil = true
			break
		}
		if y <= 0 || gap/y > tol {
			return 0, 0, false, false
		}
		r = gap / y
		bad = 100 * r * r * r
	case gap < -1e-9:
		if z <= 0 || gap/z < -1-1e-9 {
			return 0, 0, false, false
		}
		r = gap / z
		bad = -100 * r * r * r
	}
	fit = 1
	if !fil {
		switch {
		case r > 1:
			fit = 3
		case r > 0.5:
			fit = 2
		case r >= -0.5:
			fit = 1
		default:
			fit = 0
		}
	}
	d = (l + bad) * (l + bad)
	pen := 0.0
	if end < len(items) && items[end].Kind == Penalty {
		pen = items[end].Penalty
		flagged = items[end].Flagged
	}
	switch {
	case pen > 0:
		d += pen * pen
	case pen > Forced:
		d -= pen * pen
	}
	if flagged && prevFlag {
		d += fd
	}
	if fit > prevFit+1 || prevFit > fit+1 {
		d += ad
	}
	return d, fit, flagged, true
}

func paramOr(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return math.Max(v, 0)
}

// reference is the least total demerits of a breaking of (finished) items
// with every line feasible, found by trying every breakpoint after every
// other, or +Inf if there is none.
func reference(items []Item, p Params) float64 {
	type state struct {
		bp, lc int
		fit    uint8
		flags  int // consecutive flagged lines up to bp
	}
	end := len(items) - 1 // the final forced penalty
	var bps []int
	for i := 0; i <= end; i++ {
		if legalBreak(items, i) {
			bps = append(bps, i)
		}
	}
	// States in the order first reached (maps only looked up, never
	// ranged over, so that the search is deterministic).
	states := []state{{bp: -1, fit: 1}}
	best := map[state]float64{states[0]: 0}
	lineOf := map[state]int{states[0]: 0}
	result := math.Inf(1)
	for _, from := range append([]int{-1}, bps...) {
		for j := 0; j < len(states); j++ {
			s := states[j]
			if s.bp != from {
				continue
			}
			total := best[s]
			start := nextStart(items, from+1)
			for _, b := range bps {
				if b < start {
					continue
				}
				d, fit, flagged, ok := refLine(items, p, start, b, lineOf[s], s.fit, s.flags > 0)
				flags := 0
				if flagged {
					flags = s.flags + 1
				}
				if ok && p.MaxFlagged > 0 && flags > p.MaxFlagged {
					d += excessFlagged
				}
				if ok {
					line := lineOf[s] + 1
					lc := min(line, len(p.Widths)-1)
					ns := state{b, lc, fit, flags}
					old, seen := best[ns]
					if !seen {
						states = append(states, ns)
					}
					if !seen || total+d < old {
						best[ns] = total + d
						lineOf[ns] = line
					}
					if b == end {
						result = math.Min(result, total+d)
					}
				}
				if isForced(items[b]) {
					break
				}
			}
		}
	}
	return result
}

// On small paragraphs where every line can be feasible, Break finds a
// breaking of the least total demerits there is, with no Ragged line; where
// none can, it sets some line Ragged.
func TestOptimalAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	feasible := 0
	for iter := 0; iter < 1500; iter++ {
		p := randomParams(rng)
		items := paragraph(rng, 1+rng.Intn(14), p.Widths[0], false)
		if rng.Intn(4) == 0 { // a line break in the middle
			k := rng.Intn(len(items))
			if items[k].Kind == Box {
				items = append(items[:k+1:k+1], append([]Item{{Kind: Penalty, Penalty: Never},
					{Kind: Glue, Stretch: Fil}, {Kind: Penalty, Penalty: Forced}}, items[k+1:]...)...)
			}
		}
		items = Finish(items)
		lines := Break(items, p)
		checkBreaking(t, items, p, lines, true)
		want := reference(items, p)
		ragged := false
		got := 0.0
		fit, flagged, run := uint8(1), false, 0
		for k, l := range lines {
			ragged = ragged || l.Ragged
			var d float64
			var ok bool
			d, fit, flagged, ok = refLine(items, p, l.Start, l.End, k, fit, flagged)
			if !ok && !l.Ragged {
				t.Fatalf("paragraph %d: line %d %+v infeasible but not ragged", iter, k, l)
			}
			if flagged {
				run++
			} else {
				run = 0
			}
			if p.MaxFlagged > 0 && run > p.MaxFlagged {
				d += excessFlagged
			}
			got += d
		}
		if math.IsInf(want, 1) {
			if !ragged {
				t.Fatalf("paragraph %d: no feasible breaking, yet no ragged line: %v", iter, lines)
			}
			continue
		}
		feasible++
		if want < excessFlagged && got >= excessFlagged {
			t.Fatalf("paragraph %d: more than %d flagged lines in a row, though a breaking within the limit exists\n%s", iter, p.MaxFlagged, dump(items, p, lines))
		}
		if ragged || math.Abs(got-want) > 1e-9*math.Max(1, want) {
			t.Fatalf("paragraph %d: demerits %v (ragged %v), best %v\n%s", iter, got, ragged, want, dump(items, p, lines))
		}
	}
	if feasible < 500 {
		t.Errorf("only %d of the paragraphs could be set; the test tests little", feasible)
	}
}

// The bound prunes nodes that cannot lead to the best breaking: with it or
// without, Break breaks alike.
func TestBoundChangesNothing(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	defer func() { testNoBound = false }()
	for iter := 0; iter < 300; iter++ {
		// Mostly paragraphs that can be set, where the bound is finite.
		p := randomParams(rng)
		for i := range p.Widths {
			p.Widths[i] = 30 + 50*rng.Float64()
		}
		p.Tolerance = []float64{0, 1, 2, 5}[rng.Intn(4)]
		items := Finish(paragraph(rng, 1+rng.Intn(300), p.Widths[0], iter%4 == 3))
		testNoBound = false
		with := Break(items, p)
		testNoBound = true
		without := Break(items, p)
		if len(with) != len(without) {
			t.Fatalf("paragraph %d: %d lines with the bound, %d without", iter, len(with), len(without))
		}
		for i := range with {
			if with[i] != without[i] {
				t.Fatalf("paragraph %d, line %d: %+v with the bound, %+v without", iter, i, with[i], without[i])
			}
		}
	}
}

// TestBreakerReuse: one Breaker, used for paragraph after paragraph of
// every size (its memory reused and outgrown), breaks each as a fresh
// Break does; and AppendFinish appends what Finish returns.
func TestBreakerReuse(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	var b Breaker
	var buf []Item
	for iter := 0; iter < 400; iter++ {
		words := 1 + rng.Intn(300)
		if iter%7 == 0 {
			words = 1 + rng.Intn(5)
		}
		p := Params{Widths: []float64{10 + 40*rng.Float64()}, Tolerance: 200 + 800*rng.Float64(), MaxFlagged: iter % 3}
		raw := paragraph(rng, words, p.Widths[0], iter%4 == 3)
		items := Finish(raw)
		buf = AppendFinish(buf[:0], raw)
		if !reflect.DeepEqual(buf, items) {
			t.Fatalf("paragraph %d: AppendFinish differs from Finish", iter)
		}
		if got, want := b.Break(items, p), Break(items, p); !reflect.DeepEqual(got, want) {
			t.Fatalf("paragraph %d (%d words): reused Breaker %v, Break %v", iter, words, got, want)
		}
	}
}
