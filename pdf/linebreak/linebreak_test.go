package linebreak

import (
	"math"
	"math/rand"
	"testing"
)

// space is the inter-word glue of the hand-computed tests.
var space = Item{Kind: Glue, Width: 1, Stretch: 1, Shrink: 1}

func box(w float64) Item { return Item{Kind: Box, Width: w} }

func penalty(w, pen float64, flagged bool) Item {
	return Item{Kind: Penalty, Width: w, Penalty: pen, Flagged: flagged}
}

// words is boxes of the given widths with glue g between them.
func words(g Item, widths ...float64) []Item {
	var items []Item
	for i, w := range widths {
		if i > 0 {
			items = append(items, g)
		}
		items = append(items, box(w))
	}
	return items
}

// want is an expected line; ratio NaN means "the last line": ratio ~0.
type want struct {
	start, end int
	ratio      float64
	ragged     bool
}

func checkLines(t *testing.T, got []Line, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d lines %v, want %d %v", len(got), got, len(wants), wants)
	}
	for i, w := range wants {
		g := got[i]
		okRatio := math.Abs(g.Ratio-w.ratio) < 1e-9
		if math.IsNaN(w.ratio) {
			okRatio = g.Ratio >= 0 && g.Ratio < 1e-6
		}
		if g.Start != w.start || g.End != w.end || !okRatio || g.Ragged != w.ragged {
			t.Errorf("line %d = %+v, want %+v (all: %v)", i, g, w, got)
		}
	}
}

var last = math.NaN()

// The classic case: first fit fills the first line exactly and leaves the
// second very loose (r = 1.5); total fit moves a word down and sets both
// lines at r = 1 and 1/3.
func TestTotalFitBeatsFirstFit(t *testing.T) {
	glue := Item{Kind: Glue, Width: 1, Stretch: 1}
	items := Finish(words(glue, 3, 1, 4, 1, 1, 1, 5, 3))
	got := Break(items, Params{Widths: []float64{12}})
	checkLines(t, got, []want{{0, 5, 1, false}, {6, 13, 1.0 / 3, false}, {14, 17, last, false}})

	// With the break after the 4 forbidden — a Never penalty before the
	// glue, which then follows no box — first fit's breaking is the only one.
	items = Finish(append(words(glue, 3, 1, 4), append([]Item{penalty(0, Never, false), glue}, words(glue, 1, 1, 1, 5, 3)...)...))
	got = Break(items, Params{Widths: []float64{12}})
	checkLines(t, got, []want{{0, 8, 0, false}, {9, 14, 1.5, false}, {15, 18, last, false}})
}

func TestShrinkAndExact(t *testing.T) {
	// 4+1+4+1+4 = 14 on a line of 12: shrink by 2 of 2, r = −1.
	items := Finish(words(space, 4, 4, 4, 4, 4))
	got := Break(items, Params{Widths: []float64{12}})
	checkLines(t, got, []want{{0, 5, -1, false}, {6, 11, last, false}})
	// Exact fit with no glue at all: r = 0.
	items = Finish([]Item{box(5), penalty(0, 0, false), box(5), penalty(0, 0, false), box(5)})
	got = Break(items, Params{Widths: []float64{10}})
	checkLines(t, got, []want{{0, 3, 0, false}, {4, 7, last, false}})
}

func TestForcedBreak(t *testing.T) {
	// A forced break with fill glue before it, on a line wide enough for all.
	items := words(space, 4, 4)
	items = append(items, penalty(0, Never, false), Item{Kind: Glue, Stretch: Fil}, penalty(0, Forced, false))
	items = Finish(append(items, words(space, 4, 4)...))
	got := Break(items, Params{Widths: []float64{100}})
	checkLines(t, got, []want{{0, 5, last, false}, {6, 11, last, false}})

	// A forced break straight after a box, no fill: the line is justified.
	items = Finish(append(append(words(space, 4, 4), penalty(0, Forced, false)), words(space, 4)...))
	got = Break(items, Params{Widths: []float64{10}})
	checkLines(t, got, []want{{0, 3, 1, false}, {4, 7, last, false}})

	// Two in a row make an empty line.
	items = Finish(append(append(words(space, 4, 4), penalty(0, Forced, false), penalty(0, Forced, false)), words(space, 4)...))
	got = Break(items, Params{Widths: []float64{10}})
	checkLines(t, got, []want{{0, 3, 1, false}, {4, 4, 0, false}, {5, 8, last, false}})

	// Glue then a forced break: as in TeX, the glue is part of the line
	// ending at the forced break (4+1+4+1 = 10)...
	items = Finish(append(append(words(space, 4, 4), space, penalty(0, Forced, false)), words(space, 4)...))
	got = Break(items, Params{Widths: []float64{10}})
	checkLines(t, got, []want{{0, 4, 0, false}, {5, 8, last, false}})
	// ... but the break at the glue may stand for the forced one, when that
	// is better: here the line with the glue would be overfull.
	rigid := Item{Kind: Glue, Width: 1, Stretch: 1}
	items = Finish(append(append(words(rigid, 4, 4), rigid, penalty(0, Forced, false)), words(rigid, 4)...))
	got = Break(items, Params{Widths: []float64{9}})
	checkLines(t, got, []want{{0, 3, 0, false}, {5, 8, last, false}})
}

func TestNeverBreakAtNever(t *testing.T) {
	// Boxes of 5 on lines of 10 fit exactly in pairs; a Never penalty
	// between the second and the third forbids the exact breaking, so the
	// first line gets one box, ragged, and the rest pair up after it.
	pen0 := penalty(0, 0, false)
	items := Finish([]Item{box(5), pen0, box(5), penalty(0, Never, false), box(5), pen0, box(5), pen0, box(5)})
	got := Break(items, Params{Widths: []float64{10}})
	for _, l := range got {
		if l.End == 3 {
			t.Fatalf("broke at a Never penalty: %v", got)
		}
	}
	checkLines(t, got, []want{{0, 1, 0, true}, {2, 5, 0, false}, {6, 11, last, false}})
}

// Two breakings of equal badness: after a first line ending in a hyphen,
// the second may end at a space (r = 0.5) or in a hyphen too (r = −0.5).
// The one without consecutive hyphens wins. The hyphens' width counts: the
// first line is exact only with it.
func TestFlaggedDemerits(t *testing.T) {
	hyph := penalty(1, 0, true)
	build := func(v1 float64) []Item {
		items := []Item{box(5), space, box(3), hyph, box(3), space, box(2), space, box(2), space, box(v1), hyph, box(3)}
		return Finish(items)
	}
	got := Break(build(0.5), Params{Widths: []float64{10}})
	checkLines(t, got, []want{{0, 3, 0, false}, {4, 9, 0.5, false}, {10, 15, last, false}})

	// With v1 = 0.2 the hyphenated second line is better on its own
	// (r = −0.4), but not by FlaggedDemerits...
	got = Break(build(0.2), Params{Widths: []float64{10}})
	checkLines(t, got, []want{{0, 3, 0, false}, {4, 9, 0.5, false}, {10, 15, last, false}})
	// ... which, turned off, lets it win.
	got = Break(build(0.2), Params{Widths: []float64{10}, FlaggedDemerits: -1})
	checkLines(t, got, []want{{0, 3, 0, false}, {4, 11, -0.4, false}, {12, 15, last, false}})
}

// A tight line then a loose one (X: r = −0.6, 0.6) beats a decent pair
// (Y: r = 0.2, −0.12, but Y's first line ends at a penalty of 45) on
// badness alone; FitnessDemerits turns that round.
func TestFitnessDemerits(t *testing.T) {
	items := words(space, 4, 4, 4, 4.4)
	items = append(items, penalty(0, 45, false), space)
	items = append(items, words(space, 2, 3, 3, 3, 3, 1.6)...)
	items = append(items, penalty(0, Forced, false), box(5))
	items = Finish(items)
	y := []want{{0, 7, 0.2, false}, {9, 20, -0.12, false}, {21, 24, last, false}}
	x := []want{{0, 10, -0.6, false}, {11, 20, 0.6, false}, {21, 24, last, false}}
	checkLines(t, Break(items, Params{Widths: []float64{20}}), y)
	checkLines(t, Break(items, Params{Widths: []float64{20}, FitnessDemerits: -1}), x)
}

func TestVaryingWidths(t *testing.T) {
	items := Finish(words(space, 4, 4, 4, 4, 4, 4, 4))
	got := Break(items, Params{Widths: []float64{10, 20}})
	checkLines(t, got, []want{{0, 3, 1, false}, {4, 11, 1.0 / 3, false}, {12, 15, last, false}})
	got = Break(items, Params{Widths: []float64{20}})
	checkLines(t, got, []want{{0, 7, 1.0 / 3, false}, {8, 15, last, false}})
	// The last width holds for all later lines. Five words on the first
	// line (r = −1, then "4 4" at r = 1: tight next to loose) lose to four.
	items = Finish(words(space, 4, 4, 4, 4, 4, 4, 4, 4, 4))
	got = Break(items, Params{Widths: []float64{20, 10}})
	checkLines(t, got, []want{{0, 7, 1.0 / 3, false}, {8, 11, 1, false}, {12, 15, 1, false}, {16, 19, last, false}})
}

func TestWithoutFinish(t *testing.T) {
	// The end of the items is a forced break: the last line is justified,
	// and ends at len(items).
	items := words(space, 4, 4, 4, 4)
	got := Break(items, Params{Widths: []float64{9}})
	checkLines(t, got, []want{{0, 3, 0, false}, {4, 7, 0, false}})
	// Trailing glue counts in that line, as TeX would have it.
	got = Break(append(items, space), Params{Widths: []float64{10}})
	checkLines(t, got, []want{{0, 3, 1, false}, {4, 8, 0, false}})
}

func TestEmpty(t *testing.T) {
	if got := Break(nil, Params{Widths: []float64{10}}); got != nil {
		t.Errorf("Break(nil) = %v", got)
	}
	if got := Break([]Item{space, penalty(0, 0, false)}, Params{Widths: []float64{10}}); got != nil {
		t.Errorf("Break(discardables) = %v", got)
	}
	checkLines(t, Break(Finish(nil), Params{Widths: []float64{10}}), []want{{2, 2, 0, false}})
}

func TestFinish(t *testing.T) {
	in := []Item{box(3), space, penalty(0, 50, false), space}
	out := Finish(in)
	if len(out) != 4 || out[0] != in[0] || out[1].Penalty != Never || out[2].Stretch != Fil || out[3].Penalty != Forced {
		t.Fatalf("Finish(%v) = %v", in, out)
	}
	if len(in) != 4 || in[1] != space {
		t.Fatalf("Finish changed its input: %v", in)
	}
	// A copy, even with spare capacity.
	in = make([]Item, 1, 10)
	out = Finish(in)
	out[0].Width = 7
	if in[0].Width != 0 {
		t.Fatal("Finish aliases its input")
	}
}

// The fitness classes and which neighbours cost FitnessDemerits: those more
// than one class apart, such as very loose next to tight.
func TestFitnessClasses(t *testing.T) {
	for _, c := range []struct {
		r    float64
		want uint8
	}{{2, veryLoose}, {1.0001, veryLoose}, {1, loose}, {0.5001, loose}, {0.5, decent}, {0, decent}, {-0.5, decent}, {-0.5001, tight}, {-1, tight}} {
		if got := fitnessOf(c.r); got != c.want {
			t.Errorf("fitnessOf(%v) = %d, want %d", c.r, got, c.want)
		}
	}
	k := breaker{linePen: 10, fitDem: 3000}
	for prev := tight; prev <= veryLoose; prev++ {
		for fit := tight; fit <= veryLoose; fit++ {
			d := k.demerits(0, 0, false, &node{fitness: prev}, fit)
			want := 100.0
			if fit+1 < prev || prev+1 < fit {
				want += 3000
			}
			if d != want {
				t.Errorf("a line of class %d after one of %d: demerits %v, want %v", fit, prev, d, want)
			}
		}
	}
}

// MaxFlagged: among seeded random paragraphs rich in hyphenation points,
// those whose best breaking ends three or more lines in a row in a hyphen
// are set, with MaxFlagged 2 (and 1), with no longer run, and at the least
// demerits such a breaking has (the brute-force reference agrees).
func TestMaxFlagged(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	flaggedRun := func(items []Item, ls []Line) int {
		most, run := 0, 0
		for _, l := range ls {
			if l.End < len(items) && items[l.End].Flagged {
				run++
			} else {
				run = 0
			}
			most = max(most, run)
		}
		return most
	}
	found := 0
	for iter := 0; iter < 4000 && found < 20; iter++ {
		p := Params{Widths: []float64{6 + 10*rng.Float64()}, Tolerance: 3, FlaggedDemerits: -1}
		items := Finish(paragraph(rng, 3+rng.Intn(10), p.Widths[0], false))
		if flaggedRun(items, Break(items, p)) < 3 {
			continue
		}
		found++
		for _, m := range []int{2, 1} {
			p.MaxFlagged = m
			got := Break(items, p)
			checkBreaking(t, items, p, got, true)
			want := reference(items, p)
			if want >= excessFlagged {
				continue // no breaking keeps to the limit
			}
			if r := flaggedRun(items, got); r > m {
				t.Fatalf("paragraph %d, MaxFlagged %d: %d flagged lines in a row\n%s", iter, m, r, dump(items, p, got))
			}
		}
	}
	t.Logf("%d paragraphs with three or more hyphenated lines in a row", found)
	if found < 5 {
		t.Fatalf("only %d paragraphs with three hyphenated lines in a row: the test tests little", found)
	}
}
