package linebreak

import (
	"fmt"
	"math"
	"testing"
)

// legalBreak reports whether items[i] may be broken at.
func legalBreak(items []Item, i int) bool {
	switch items[i].Kind {
	case Glue:
		return i > 0 && isBox(items[i-1].Kind)
	case Penalty:
		return items[i].Penalty < Never
	}
	return false
}

func isForced(it Item) bool { return it.Kind == Penalty && it.Penalty <= Forced }

// nextStart is the first box or forced penalty at or after i, or len(items).
func nextStart(items []Item, i int) int {
	for i < len(items) && (items[i].Kind == Glue || items[i].Kind == Penalty && !isForced(items[i])) {
		i++
	}
	return i
}

// measure is the natural width, finite stretch, Fil stretch and shrink of
// a line items[start:end] broken at end.
func measure(items []Item, start, end int) (w, y, f, z float64) {
	for j := start; j < end; j++ {
		it := items[j]
		switch it.Kind {
		case Glue:
			w += it.Width
			if it.Stretch >= Fil {
				f += it.Stretch
			} else {
				y += it.Stretch
			}
			z += it.Shrink
		case Penalty:
		default:
			w += it.Width
		}
	}
	if end < len(items) && items[end].Kind == Penalty {
		w += items[end].Width
	}
	return
}

func lineWidth(p Params, i int) float64 {
	if len(p.Widths) == 0 {
		return 0
	}
	if i >= len(p.Widths) {
		i = len(p.Widths) - 1
	}
	return p.Widths[i]
}

// checkBreaking checks the properties every result of Break must have
// (for items of moderate, finite values); finished says the items were
// ended by Finish.
func checkBreaking(t testing.TB, items []Item, p Params, lines []Line, finished bool) {
	t.Helper()
	if err := breakingError(items, p, lines, finished); err != nil {
		t.Fatalf("%v\n%s", err, dump(items, p, lines))
	}
}

// dump shows a failing case, the items only if there are few.
func dump(items []Item, p Params, lines []Line) string {
	s := fmt.Sprintf("%d items\nparams %+v\nlines %v", len(items), p, lines)
	if len(items) <= 300 {
		s = fmt.Sprintf("items %v\n%s", items, s)
	}
	return s
}

func breakingError(items []Item, p Params, lines []Line, finished bool) error {
	n := len(items)
	lastND := n - 1
	for lastND >= 0 && nextStart(items, lastND) != lastND {
		lastND--
	}
	if lastND < 0 {
		if lines != nil {
			return fmt.Errorf("lines for nothing")
		}
		return nil
	}
	end := n
	if items[lastND].Kind == Penalty {
		end = lastND
	}
	if len(lines) == 0 {
		return fmt.Errorf("no lines")
	}
	tol := p.Tolerance
	if tol <= 0 {
		tol = DefaultTolerance
	}
	prevEnd := -1
	for k, l := range lines {
		want := nextStart(items, prevEnd+1)
		if want != l.Start && k > 0 && want < end && isForced(items[want]) && !isForced(items[prevEnd]) {
			// The previous line's break stands for the forced one after it.
			want = nextStart(items, want+1)
		}
		if l.Start != want {
			return fmt.Errorf("line %d starts at %d, want %d", k, l.Start, want)
		}
		if l.End < l.Start || l.End > end {
			return fmt.Errorf("line %d ends at %d", k, l.End)
		}
		if l.End < n && !legalBreak(items, l.End) {
			return fmt.Errorf("line %d ends at %d, no legal break", k, l.End)
		}
		if l.End == n && end != n {
			return fmt.Errorf("line %d ends at the end, past the final forced break", k)
		}
		for j := l.Start; j < l.End; j++ {
			if isForced(items[j]) {
				return fmt.Errorf("line %d runs over the forced break at %d", k, j)
			}
		}
		prevEnd = l.End
		if l.Start == l.End {
			if !isForced(items[l.End]) || l.Ratio != 0 || l.Ragged {
				return fmt.Errorf("empty line %d: %+v", k, l)
			}
			continue
		}
		w, y, f, z := measure(items, l.Start, l.End)
		lw := lineWidth(p, k)
		eps := 1e-6 * math.Max(1, math.Abs(lw))
		if !l.Ragged {
			if l.Ratio < -1 || f == 0 && l.Ratio > tol {
				return fmt.Errorf("line %d: ratio %v out of [-1, %v]", k, l.Ratio, tol)
			}
			set := w + l.Ratio*(y+f)
			if l.Ratio < 0 {
				set = w + l.Ratio*z
			}
			if math.Abs(set-lw) > eps {
				return fmt.Errorf("line %d set at %v, not %v (natural %v)", k, set, lw, w)
			}
			continue
		}
		switch {
		case math.Abs(w-z-lw) <= eps || math.Abs(w-lw) <= eps:
			// Too close to call.
		case w-z > lw+eps: // overfull: must be one unbreakable run
			for j := l.Start + 1; j < l.End; j++ {
				if legalBreak(items, j) {
					return fmt.Errorf("overfull line %d could break at %d", k, j)
				}
			}
			if want := 0.0; z > 0 && l.Ratio != -1 || z <= 0 && l.Ratio != want {
				return fmt.Errorf("overfull line %d: ratio %v", k, l.Ratio)
			}
		default: // underfull: must be infeasible, and set at natural width
			if l.Ratio != 0 || w > lw+eps {
				return fmt.Errorf("ragged line %d: %+v, natural %v of %v", k, l, w, lw)
			}
			if f > 0 || y > 0 && (lw-w)/y <= tol {
				return fmt.Errorf("ragged line %d could be justified: %+v, natural %v of %v, stretch %v", k, l, w, lw, y)
			}
		}
	}
	if prevEnd != end && nextStart(items, prevEnd+1) != end {
		return fmt.Errorf("last line ends at %d, want %d", prevEnd, end)
	}
	if finished {
		l := lines[len(lines)-1]
		// Its shortfall goes to the Fil glue, next to nothing to the rest.
		if w, y, f, _ := measure(items, l.Start, l.End); l.Ratio > 0 && (f == 0 || l.Ratio*y > 1e-5*math.Max(1, lineWidth(p, len(lines)-1)-w)) {
			return fmt.Errorf("last line justified: %+v", l)
		}
		if l.Ragged {
			w, _, _, z := measure(items, l.Start, l.End)
			if w-z <= lineWidth(p, len(lines)-1) {
				return fmt.Errorf("last line ragged: %+v", l)
			}
		}
	}
	return nil
}
