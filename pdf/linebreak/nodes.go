package linebreak

// This file holds the breaker's active nodes and what it weighs: fitness
// classes, demerits, the legal breaks and the limit on flagged lines.

// demeritsParam is v, or def if v is zero or NaN, or 0 if v is negative.
func demeritsParam(v, def float64) float64 {
	switch {
	case v == 0 || v != v:
		return def
	case v < 0:
		return 0
	}
	return finite(v)
}

func fitnessOf(r float64) uint8 {
	switch {
	case r > 1:
		return veryLoose
	case r > 0.5:
		return loose
	case r >= -0.5:
		return decent
	}
	return tight
}

// sums are the totals of a run of items.
type sums struct {
	w float64 // width of boxes and glue
	y float64 // finite stretch of glue
	z float64 // shrink of glue
	f float64 // stretch of Fil glue
}

// node is a breakpoint reached by a line: the end of the best breaking up
// to it for its fitness class and line width (TeX's active and passive
// nodes in one). Node 0 is the paragraph's start.
type node struct {
	total   float64 // demerits of the breaking up to here
	ratio   float64 // adjustment ratio of the line ending here
	prev    int32   // node the line ending here starts from; −1 for node 0
	fitness uint8   // fitness class of the line ending here
	flags   uint8   // that line ends at a flagged penalty: 1 + the flags of the line before; else 0
	forced  bool    // the break is forced, or is the paragraph's start
	ragged  bool    // that line was made by the fallback
	end     int     // Line.End of that line
	start   int     // Line.Start of the next line
	line    int     // index of the next line
}

// cand is a node to be made at the breakpoint being tried.
type cand struct {
	node
	lc int // line class: the next line's index, capped at len(Widths)−1
}

// rescue is a line the fallback may take: the best line to a breakpoint
// that is too loose, or the best overfull one.
type rescue struct {
	ok      bool
	pred    int32   // node the line starts from
	total   float64 // demerits of the breaking ending with this line
	ratio   float64
	at      int // breakpoint the line ends at
	flagged bool
	forced  bool
}

// lineClass is the index into widths of line number line.
func (k *breaker) lineClass(line int) int {
	if line >= len(k.widths) {
		return len(k.widths) - 1
	}
	return line
}

// legal reports whether items[i] is a legal breakpoint.
func (k *breaker) legal(i int) bool {
	switch it := &k.items[i]; it.Kind {
	case Glue:
		return i > 0 && isBox(k.items[i-1].Kind)
	case Penalty:
		return penaltyOf(it) < Never
	}
	return false
}

// breakAt is what breaking at breakpoint i adds to a line: the penalty's
// width, its cost and flag, and whether it is forced.
func (k *breaker) breakAt(i int) (pw, pen float64, flagged, forced bool) {
	if i == len(k.items) {
		return 0, Forced, false, true
	}
	if it := &k.items[i]; it.Kind == Penalty {
		pen = penaltyOf(it)
		return finite(it.Width), pen, it.Flagged, pen <= Forced
	}
	return 0, 0, false, false
}

// startAfter is the index of the first box or forced penalty after q, or
// len(items).
func (k *breaker) startAfter(q int) int {
	if q >= k.memoFrom && q < k.memoStart {
		return k.memoStart
	}
	s := q + 1
	for s < len(k.items) && discardable(&k.items[s]) {
		s++
	}
	if s > len(k.items) {
		s = len(k.items)
	}
	k.memoFrom, k.memoStart = q, s
	return s
}

// demerits of a line of badness bad and fitness class fit from node a to a
// break of penalty pen.
func (k *breaker) demerits(bad, pen float64, flagged bool, a *node, fit uint8) float64 {
	d := k.fallbackDemerits(bad, pen, flagged, a)
	if fit > a.fitness+1 || a.fitness > fit+1 {
		d += k.fitDem
	}
	return d
}

// fallbackDemerits of a ragged line from node a to a break of penalty pen,
// costing bad in place of badness: 10000 times its shortfall as a fraction
// of its width, or 10000 if it is overfull. Only its growth with the
// shortfall matters: the fallback compares such lines with one another,
// never with feasible ones. These are TeX's demerits without the fitness
// term, which demerits adds.
func (k *breaker) fallbackDemerits(bad, pen float64, flagged bool, a *node) float64 {
	d := k.linePen + bad
	d *= d
	if pen > 0 {
		d += pen * pen
	} else if pen > Forced {
		d -= pen * pen
	}
	if flagged && a.flags > 0 {
		d += k.flagDem
	}
	if k.tooManyFlagged(a, flagged) {
		d += excessFlagged
	}
	return d
}

// excessFlagged is what a line costs that ends one flagged line too many
// (see Params.MaxFlagged): more than any breaking within the limit can
// cost, so that one is always preferred, yet finite, so that a paragraph
// that cannot keep to the limit is still set like any other.
const excessFlagged = 1e12

// flagsAfter is the flags of a line from a that ends at a break flagged or
// not.
func flagsAfter(a *node, flagged bool) uint8 {
	if !flagged {
		return 0
	}
	if a.flags == 255 {
		return 255
	}
	return a.flags + 1
}

// tooManyFlagged reports whether a line from a ending at a flagged break
// would make more consecutive flagged lines than Params.MaxFlagged allows.
func (k *breaker) tooManyFlagged(a *node, flagged bool) bool {
	return flagged && k.maxFlag > 0 && int(a.flags) >= k.maxFlag
}
