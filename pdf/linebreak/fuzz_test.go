package linebreak

import (
	"testing"
)

// decode makes a paragraph and parameters of fuzz data: a byte of flags
// (finished, number of widths, tolerance), the widths, then an item for
// each pair of bytes (what, value).
func decode(data []byte) (items []Item, p Params, finished bool) {
	if len(data) == 0 {
		return nil, Params{Widths: []float64{10}}, false
	}
	flags := data[0]
	data = data[1:]
	finished = flags&1 != 0
	nw := int(flags>>1) & 3 // 0 to 3 widths: none is allowed
	for i := 0; i < nw && len(data) > 0; i++ {
		p.Widths = append(p.Widths, float64(data[0])/4)
		data = data[1:]
	}
	p.Tolerance = []float64{0, 0.1, 0.5, 1, 2, 3, 10, -1}[flags>>3&7]
	if flags&64 != 0 {
		p.FlaggedDemerits, p.FitnessDemerits, p.LinePenalty = -1, 10000, 1
	}
	for ; len(data) >= 2; data = data[2:] {
		what, v := data[0], float64(data[1])
		switch what % 12 {
		case 0, 1, 2, 3:
			items = append(items, Item{Kind: Box, Width: v / 8})
		case 4:
			items = append(items, Item{Kind: Box, Width: v})
		case 5, 6:
			w := float64(data[1]&7) / 4
			items = append(items, Item{Kind: Glue, Width: w, Stretch: float64(data[1]>>3&3) / 2, Shrink: w * float64(data[1]>>5) / 8})
		case 7:
			pens := []float64{0, 50, -200, 1000, Never, Forced}
			items = append(items, Item{Kind: Penalty, Penalty: pens[data[1]%6], Width: float64(data[1]/6%3) / 4, Flagged: data[1]&128 != 0})
		case 8:
			items = append(items, Item{Kind: Glue, Stretch: Fil})
		case 9:
			items = append(items, Item{Kind: Box, Width: -v / 16}) // a kern
		case 10:
			items = append(items, Item{Kind: Kind(3 + what%5), Width: v / 8}) // taken as a box
		case 11:
			items = append(items, Item{Kind: Box})
		}
	}
	if finished {
		items = Finish(items)
	}
	return items, p, finished
}

func FuzzBreak(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3, 40, 0, 30, 5, 9, 0, 20, 5, 9, 4, 200, 5, 9, 0, 20})
	f.Add([]byte{1 | 2<<1, 20, 80, 0, 10, 7, 3, 0, 10, 7, 5, 7, 5, 0, 10, 9, 40, 0, 10})
	f.Add([]byte{1 | 1<<1 | 4<<3, 120, 0, 4, 7, 3, 0, 4, 7, 131, 0, 4, 7, 3, 0, 4, 8, 0, 7, 5, 0, 4})
	f.Add([]byte{0, 0, 10, 5, 9, 0, 10})
	f.Fuzz(func(t *testing.T, data []byte) {
		items, p, finished := decode(data)
		lines := Break(items, p)
		if err := breakingError(items, p, lines, finished); err != nil {
			t.Fatalf("%v\n%s", err, dump(items, p, lines))
		}
	})
}
