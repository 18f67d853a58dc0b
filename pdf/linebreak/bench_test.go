package linebreak

import (
	"fmt"
	"math/rand"
	"testing"
)

// text is a paragraph of n words as a typesetter at 10 pt would make it:
// words of 2 to 10 characters of about 5 pt, hyphenation points in longer
// words (flagged, penalty 50, a hyphen of 3.3 pt), and TeX-like spaces.
func text(n int, seed int64) []Item {
	rng := rand.New(rand.NewSource(seed))
	space := Item{Kind: Glue, Width: 3.33, Stretch: 1.67, Shrink: 1.11}
	items := make([]Item, 0, 3*n)
	for w := 0; w < n; w++ {
		if w > 0 {
			items = append(items, space)
		}
		chars := 2 + rng.Intn(9)
		for chars > 0 {
			syl := min(chars, 2+rng.Intn(3))
			chars -= syl
			items = append(items, Item{Kind: Box, Width: float64(syl) * (4 + 2*rng.Float64())})
			if chars > 0 && syl > 1 {
				items = append(items, Item{Kind: Penalty, Width: 3.33, Penalty: 50, Flagged: true})
			}
		}
	}
	return Finish(items)
}

// longToken is one token of about n items: characters of 0.45 to 0.55
// units with breaks of penalty 50 between them, on lines of 100, so that
// hardly a line fits exactly and nearly every one is Ragged.
func longToken(n int) []Item {
	rng := rand.New(rand.NewSource(1))
	return Finish(token(n/2, 50, func(int) float64 { return 0.45 + 0.1*rng.Float64() }))
}

// exactToken is longToken with characters of 0.5: 200 fit a line exactly.
func exactToken(n int) []Item {
	return Finish(token(n/2, 50, func(int) float64 { return 0.5 }))
}

func BenchmarkParagraph(b *testing.B) {
	items := text(200, 1)
	p := Params{Widths: []float64{345}}
	b.ReportAllocs()
	var lines []Line
	for b.Loop() {
		lines = Break(items, p)
	}
	b.ReportMetric(float64(len(items)), "items")
	b.ReportMetric(float64(len(lines)), "lines")
}

// BenchmarkLongToken breaks a token of 100,000 items, with lines Ragged
// (the fallback throughout) or exact.
func BenchmarkLongToken(b *testing.B) {
	for _, c := range []struct {
		name  string
		items []Item
	}{{"ragged", longToken(100000)}, {"exact", exactToken(100000)}} {
		b.Run(c.name, func(b *testing.B) {
			p := Params{Widths: []float64{100}}
			b.ReportAllocs()
			var lines []Line
			for b.Loop() {
				lines = Break(c.items, p)
			}
			b.ReportMetric(float64(len(c.items)), "items")
			b.ReportMetric(float64(len(lines)), "lines")
		})
	}
}

// BenchmarkLinear breaks n and 4n items of text and of a long token: the
// time per item (ns/item) should stay about the same.
func BenchmarkLinear(b *testing.B) {
	for _, n := range []int{25000, 100000} {
		for _, c := range []struct {
			name  string
			items []Item
			width float64
		}{
			{"text", text(n/3, 2), 345},
			{"token", longToken(n), 100},
		} {
			b.Run(fmt.Sprintf("%s/n=%d", c.name, n), func(b *testing.B) {
				p := Params{Widths: []float64{c.width}}
				b.ReportAllocs()
				for b.Loop() {
					Break(c.items, p)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(c.items)), "ns/item")
			})
		}
	}
}
