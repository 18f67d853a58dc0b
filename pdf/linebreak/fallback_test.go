package linebreak

import (
	"math/rand"
	"testing"
)

// A box wider than the line gets an overfull Ragged line of its own, and
// the lines around it are set as usual.
func TestWideBox(t *testing.T) {
	items := words(space, 4, 4, 4, 4, 30, 4, 4, 4)
	items = Finish(items)
	got := Break(items, Params{Widths: []float64{20}})
	checkLines(t, got, []want{{0, 7, 1.0 / 3, false}, {8, 9, 0, true}, {10, 17, last, false}})

	// As the last thing in the paragraph, it makes an overfull last line.
	got = Break(Finish(words(space, 4, 4, 4, 4, 30)), Params{Widths: []float64{20}})
	checkLines(t, got, []want{{0, 7, 1.0 / 3, false}, {8, 11, 0, true}})

	// An unbreakable run with shrinkable glue inside is shrunk fully.
	run := []Item{box(15), penalty(0, Never, false), space, box(15)}
	got = Break(Finish(append(words(space, 4, 4, 4, 4), append([]Item{space}, run...)...)), Params{Widths: []float64{20}})
	checkLines(t, got, []want{{0, 7, 1.0 / 3, false}, {8, 14, -1, true}})
}

// The only feasible breaks leave a line too loose: it is set Ragged.
func TestTooLooseLine(t *testing.T) {
	items := Finish(words(space, 4, 4, 18))
	got := Break(items, Params{Widths: []float64{20}})
	checkLines(t, got, []want{{0, 3, 0, true}, {4, 7, last, false}})

	// A short line, then a box too wide to share a line with anything:
	// both ragged, and the text after them justified again.
	items = Finish(words(space, 4, 19, 4, 4, 4, 4, 4, 4))
	got = Break(items, Params{Widths: []float64{20}})
	checkLines(t, got, []want{{0, 1, 0, true}, {2, 3, 0, true}, {4, 11, 1.0 / 3, false}, {12, 17, last, false}})

	// A forced break no feasible line reaches.
	items = Finish(append(append(words(space, 4, 4), penalty(0, Forced, false)), words(space, 4)...))
	got = Break(items, Params{Widths: []float64{20}})
	checkLines(t, got, []want{{0, 3, 0, true}, {4, 7, last, false}})
}

// Tolerance bounds the ratio of every line not Ragged.
func TestTolerance(t *testing.T) {
	items := Finish(words(space, 4, 4, 4, 4, 4, 4, 4))
	// "4 4" on 10 needs r = 1.
	checkLines(t, Break(items, Params{Widths: []float64{10}, Tolerance: 1}),
		[]want{{0, 3, 1, false}, {4, 7, 1, false}, {8, 11, 1, false}, {12, 15, last, false}})
	got := Break(items, Params{Widths: []float64{10}, Tolerance: 0.9})
	for _, l := range got[:len(got)-1] {
		if !l.Ragged || l.Ratio != 0 {
			t.Fatalf("lines at r = 1 with tolerance 0.9: %v", got)
		}
	}
}

// token is one long token of n characters of widths from width(i), with
// break opportunities of penalty pen between them.
func token(n int, pen float64, width func(i int) float64) []Item {
	items := make([]Item, 0, 2*n)
	for i := 0; i < n; i++ {
		if i > 0 {
			items = append(items, Item{Kind: Penalty, Penalty: pen})
		}
		items = append(items, Item{Kind: Box, Width: width(i)})
	}
	return items
}

func TestLongToken(t *testing.T) {
	// Characters of 0.5 on lines of 100: exactly 200 a line, all feasible.
	items := Finish(token(1000, 50, func(int) float64 { return 0.5 }))
	got := Break(items, Params{Widths: []float64{100}})
	if len(got) != 5 {
		t.Fatalf("%d lines, want 5: %v", len(got), got)
	}
	for i, l := range got {
		if l.Start != 400*i || l.Ragged || l.Ratio != 0 && i < 4 {
			t.Fatalf("line %d = %+v", i, l)
		}
	}
	checkBreaking(t, items, Params{Widths: []float64{100}}, got, true)

	// Widths that never add up to the line: every line but the last is
	// Ragged and as full as it can be.
	rng := rand.New(rand.NewSource(7))
	ws := make([]float64, 5000)
	for i := range ws {
		ws[i] = 0.4 + 0.2*rng.Float64()
	}
	items = Finish(token(len(ws), 50, func(i int) float64 { return ws[i] }))
	p := Params{Widths: []float64{100}}
	got = Break(items, p)
	checkBreaking(t, items, p, got, true)
	for i, l := range got[:len(got)-1] {
		w := 0.0
		for j := l.Start; j < l.End; j++ {
			w += items[j].Width
		}
		if !l.Ragged || w > 100 || w+items[l.End+1].Width <= 100 {
			t.Fatalf("line %d = %+v, width %v, next %v", i, l, w, items[l.End+1].Width)
		}
	}
	if got[len(got)-1].Ragged {
		t.Fatalf("last line ragged: %+v", got[len(got)-1])
	}
}

// A URL of 300 characters in a paragraph: break opportunities after
// slashes and dots at penalty 0, between other characters at 1000.
func TestURLInText(t *testing.T) {
	url := "https://example.org/a/very/long/path/that/goes/on.and.on/and/never/ends/" +
		"with-many-segments_and_underscores/and/query?parameters=values&more=values" +
		"&even=more.values/and/then/some/more/path/segments/for/good/measure/index.html" +
		"#and-a-fragment-identifier-that-is-rather-long-as-well-to-make-three-hundred"
	var items []Item
	for i := 0; i < 40; i++ {
		items = append(items, box(3+float64(i%5)), space)
	}
	for i := range len(url) {
		if i > 0 {
			pen := 1000.0
			if c := url[i-1]; c == '/' || c == '.' || c == '&' || c == '?' {
				pen = 0
			}
			items = append(items, penalty(0, pen, false))
		}
		items = append(items, box(0.47+0.013*float64(i%7)))
	}
	for i := 0; i < 40; i++ {
		items = append(items, space, box(3+float64(i%3)))
	}
	items = Finish(items)
	for _, w := range []float64{30, 45, 60} {
		p := Params{Widths: []float64{w}}
		got := Break(items, p)
		checkBreaking(t, items, p, got, true)
		ragged := 0
		for _, l := range got {
			if l.Ragged {
				ragged++
			}
		}
		// The URL is 150 or so wide: about 150/w lines of it, most ragged; the
		// text around is justified.
		if ragged == 0 || ragged > 150/int(w)+2 {
			t.Errorf("width %v: %d ragged lines of %d: %v", w, ragged, len(got), got)
		}
	}
}
