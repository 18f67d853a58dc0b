package linebreak

import "math"

// Break returns the lines of the optimal breaking of items under p: the one
// with the least total demerits among those whose lines are all feasible.
//
// A line of badness b = 100|r|³ (0 for a line with Fil glue), ending at a
// break of penalty pen, costs (LinePenalty + b)² + pen² if pen >= 0,
// (LinePenalty + b)² − pen² if Forced < pen < 0, and (LinePenalty + b)² at a
// forced break; plus FlaggedDemerits if it and the line before it both end
// at flagged penalties, and FitnessDemerits if their fitness classes differ
// by more than one.
//
// Break never fails. Where no feasible line reaches a breakpoint and none
// can reach any later one — every line from the line starts still open
// would be overfull — it recovers locally, as TeX's final pass does, and
// then carries on optimally from there:
//
//   - If a line can start at the breakpoint before (or after it), the items
//     from that start to this breakpoint have no breakpoint inside and are
//     wider than a line: they get an overfull Ragged line of their own.
//   - Otherwise the lines to the breakpoint before are all merely too
//     loose. The best of them (least demerits so far, plus a cost growing
//     with the line's shortfall) is set Ragged at natural width, and the
//     paragraph goes on from there.
//
// A forced break that no feasible line reaches is likewise reached by the
// best too-loose line, set Ragged. So a Ragged line appears only where the
// paragraph cannot be set within tolerance, and the lines around it are
// still chosen by total fit. Where TeX's final pass would set an overfull
// line of several words, Break sets the words that fit, ragged, and moves
// on. Each breakpoint is tried at most twice, so this costs no more than
// the rest.
//
// As in TeX, a line start is given up once a line from it is overfull,
// counting the width of the penalty broken at, though a later breakpoint
// might fit again if a hyphen was wider than the rest of its word.
func Break(items []Item, p Params) []Line {
	var b Breaker
	return b.Break(items, p)
}

// A Breaker breaks paragraphs as Break does, keeping its working memory
// from one paragraph to the next: a book's thousands of paragraphs then
// allocate little but their lines. The zero value is ready to use. A
// Breaker is not safe for concurrent use.
type Breaker struct {
	k breaker
}

// Break returns the lines of the optimal breaking of items under p (see
// the function Break). The lines are the caller's; the Breaker keeps
// nothing of items.
func (b *Breaker) Break(items []Item, p Params) []Line {
	k := &b.k
	defer func() { k.items = nil }()
	n := len(items)
	last := n - 1
	for last >= 0 && discardable(&items[last]) {
		last--
	}
	if last < 0 {
		return nil // nothing to set
	}
	end := n // the final break: the last forced penalty, or the end
	if items[last].Kind == Penalty {
		end = last
	}

	sum, nodes := k.sum[:0], k.nodes[:0] // their memory is reused
	*k = breaker{
		items:   items,
		tol:     p.Tolerance,
		linePen: demeritsParam(p.LinePenalty, DefaultLinePenalty),
		flagDem: demeritsParam(p.FlaggedDemerits, DefaultFlaggedDemerits),
		fitDem:  demeritsParam(p.FitnessDemerits, DefaultFitnessDemerits),
		maxFlag: max(p.MaxFlagged, 0),
		prevBP:  -1,
	}
	if !(k.tol > 0) {
		k.tol = DefaultTolerance
	}
	nw := max(len(p.Widths), 1)
	if 2*nw <= len(k.buf) {
		k.widths, k.eps = k.buf[:nw], k.buf[nw:2*nw]
	} else {
		k.widths, k.eps = make([]float64, nw), make([]float64, nw)
	}
	for j := range k.widths {
		if j < len(p.Widths) {
			k.widths[j] = finite(p.Widths[j])
		}
		k.eps[j] = 1e-9 * max(1, math.Abs(k.widths[j]))
	}

	// Prefix sums: k.sum[i] totals items[:i].
	if cap(sum) < end+1 {
		sum = make([]sums, end+1)
	}
	k.sum = sum[:end+1]
	k.sum[0] = sums{}
	var s sums
	breaks := 0
	negative := 0.0 // the most that negative penalties can take off
	for i := 0; i < end; i++ {
		it := &items[i]
		switch it.Kind {
		case Glue:
			s.w += finite(it.Width)
			if x := it.Stretch; math.IsInf(x, 1) {
				s.f += Fil
			} else if x >= Fil {
				s.f += finite(x)
			} else {
				s.y += finite(x)
			}
			s.z += finite(it.Shrink)
			if i > 0 && isBox(items[i-1].Kind) {
				breaks++
			}
		case Penalty:
			if pen := penaltyOf(it); pen < Never {
				breaks++
				if pen < 0 && pen > Forced {
					negative += pen * pen
				}
			}
		default:
			s.w += finite(it.Width)
		}
		k.sum[i+1] = s
	}

	if c := 16 + min(breaks/2, 1024); cap(nodes) < c {
		nodes = make([]node, 0, c)
	}
	k.nodes = nodes[:1]
	k.nodes[0] = node{prev: -1, end: -1, forced: true, fitness: decent, start: k.startAfter(-1)}
	half := len(k.idxBuf) / 2
	k.active = k.idxBuf[:1:half]
	k.spare = k.idxBuf[half:half:len(k.idxBuf)]
	k.cands = k.candBuf[:0]

	// No optimal breaking costs more than some breaking, nor can a node
	// that already costs more (beyond what negative penalties ahead can
	// take off) lead to one: such nodes need not be kept.
	k.limit = math.Inf(1)
	if !testNoBound {
		k.limit = k.bound(end)
		k.limit += negative + 1e-9*math.Abs(k.limit) + 1e-9
	}

	for i := 0; i <= end; i++ {
		if i == n || k.legal(i) {
			k.try(i)
		}
	}

	best := int32(-1)
	for _, a := range k.active {
		if best < 0 || k.nodes[a].total < k.nodes[best].total {
			best = a
		}
	}
	if best < 0 {
		// Cannot happen (see try); rather than fail, one ragged line.
		return []Line{{Start: k.nodes[0].start, End: end, Ragged: true}}
	}
	count := 0
	for a := best; k.nodes[a].prev >= 0; a = k.nodes[a].prev {
		count++
	}
	lines := make([]Line, count)
	for a, j := best, count-1; j >= 0; a, j = k.nodes[a].prev, j-1 {
		nd := &k.nodes[a]
		lines[j] = Line{Start: k.nodes[nd.prev].start, End: nd.end, Ratio: nd.ratio, Ragged: nd.ragged}
	}
	return lines
}

// testNoBound turns the bound off, for tests to see that it changes nothing.
var testNoBound = false

// Fitness classes, in TeX's order of tightness (TeX numbers them the other
// way round); adjacent lines whose classes differ by more than one cost
// FitnessDemerits.
const (
	tight     uint8 = iota // r < −0.5
	decent                 // −0.5 <= r <= 0.5
	loose                  // 0.5 < r <= 1
	veryLoose              // r > 1
)

type breaker struct {
	items   []Item
	tol     float64
	linePen float64
	flagDem float64
	fitDem  float64
	maxFlag int       // Params.MaxFlagged; 0: no limit
	widths  []float64 // line widths, made finite
	eps     []float64 // for each, the slack below which a line fits exactly

	sum    []sums
	nodes  []node  // every node made, for walking back
	active []int32 // nodes from which a line may still start
	spare  []int32 // the other buffer of active, for the next breakpoint
	cands  []cand

	prevBP int     // the breakpoint tried last
	limit  float64 // nodes that cost more are not made

	memoFrom, memoStart int // startAfter(q) is memoStart for memoFrom <= q < memoStart

	// Backing for the slices above while they are small.
	buf     [4]float64
	idxBuf  [64]int32
	candBuf [8]cand
}

// offer records c as a candidate node at the breakpoint being tried, unless
// one with the same future (fitness, line class, flag) is as good.
func (k *breaker) offer(c node) {
	lc := k.lineClass(c.line)
	for j := range k.cands {
		d := &k.cands[j]
		if d.lc == lc && d.fitness == c.fitness && d.flags == c.flags {
			if c.total < d.total {
				d.node = c
			}
			return
		}
	}
	k.cands = append(k.cands, cand{node: c, lc: lc})
}

// commit makes nodes of the candidates and activates them, dropping those
// that cannot lead to a better breaking than another of their line class:
// from the same breakpoint and line width, futures differ only by
// FitnessDemerits (and FlaggedDemerits, where flags differ).
func (k *breaker) commit() {
	for j := range k.cands {
		c := &k.cands[j]
		least, mixed := c.total, false
		for h := range k.cands {
			d := &k.cands[h]
			if d.lc != c.lc {
				continue
			}
			if k.maxFlag > 0 && d.flags > c.flags {
				// d may not end its next line in a hyphen where c may:
				// its future is narrower, so it bounds nothing.
				continue
			}
			if d.total < least {
				least = d.total
			}
			mixed = mixed || d.flags != c.flags
		}
		limit := least + k.fitDem
		if mixed {
			limit += k.flagDem
		}
		if (c.total <= limit || c.total == least) && !(c.total > k.limit) {
			k.nodes = append(k.nodes, c.node)
			k.active = append(k.active, int32(len(k.nodes)-1))
		}
	}
}

// makeNode adds a node for the rescue line r and returns its index.
func (k *breaker) makeNode(r rescue) int32 {
	k.nodes = append(k.nodes, node{
		total:   r.total,
		ratio:   r.ratio,
		prev:    r.pred,
		fitness: decent,
		flags:   flagsAfter(&k.nodes[r.pred], r.flagged),
		forced:  r.forced,
		ragged:  true,
		end:     r.at,
		start:   k.startAfter(r.at),
		line:    k.nodes[r.pred].line + 1,
	})
	return int32(len(k.nodes) - 1)
}

// bound is the total demerits of a breaking found greedily, ending each
// line where its own demerits are least, or +Inf if that runs into a point
// no feasible line reaches (or takes too long: it gives up after some 4n
// steps, where lines of little width make it slow). Every line of it is one
// try would find, so try finds a breaking that costs no more, and no node
// of its best breaking costs more, apart from negative penalties ahead.
func (k *breaker) bound(end int) float64 {
	steps := 4*end + 1000
	cur := k.nodes[0]
	for {
		var best node
		at := -1
	scan:
		for i := cur.start; i <= end; i++ {
			if steps--; steps < 0 {
				return math.Inf(1)
			}
			if i < len(k.items) && !k.legal(i) {
				continue
			}
			pw, pen, flagged, forced := k.breakAt(i)
			var c node
			switch {
			case cur.start >= i && cur.forced: // a forced break just after a forced break
				c = node{total: cur.total + k.demerits(0, pen, flagged, &cur, decent), fitness: decent, flags: flagsAfter(&cur, flagged), end: i, line: cur.line + 1}
			case cur.start >= i: // cur's break serves as the forced break i
				c = cur
			default:
				kind, _, _, r, bad, fit := k.measure(&cur, &k.sum[i], pw)
				if kind == lineLoose && !forced {
					continue
				}
				if kind != lineFeasible { // overfull, or too loose at a forced break
					break scan
				}
				c = node{total: cur.total + k.demerits(bad, pen, flagged, &cur, fit), ratio: r, fitness: fit, flags: flagsAfter(&cur, flagged), end: i, line: cur.line + 1}
			}
			c.forced = forced
			if at < 0 || c.total < best.total {
				best, at = c, i
			}
			if forced {
				break
			}
		}
		if at < 0 {
			return math.Inf(1)
		}
		if at == end {
			return best.total
		}
		best.start = k.startAfter(at)
		cur = best
	}
}

// Kinds of line, as measure finds them.
const (
	lineFeasible = iota // can be set justified
	lineLoose           // too loose: short of its width by more than Tolerance allows
	lineOverfull        // too wide even shrunk fully
)

// measure sizes up the line from node a to a break whose items[:i] total
// si, at a penalty of width pw: its kind, the gap between its width and its
// natural width, its shrink, and if feasible its adjustment ratio, badness
// and fitness class.
func (k *breaker) measure(a *node, si *sums, pw float64) (kind int, gap, z, r, bad float64, fit uint8) {
	sa := &k.sum[a.start]
	lc := k.lineClass(a.line)
	eps := k.eps[lc]
	gap = k.widths[lc] - (si.w - sa.w + pw)
	fit = decent
	if gap > eps { // to be stretched
		y, f := si.y-sa.y, si.f-sa.f
		if f > 0 {
			r = gap / (y + f)
			return
		}
		if !(y > 0) || gap > k.tol*y {
			kind = lineLoose
			return
		}
		r = gap / y
		bad = 100 * r * r * r
		fit = fitnessOf(r)
	} else if gap < -eps { // to be shrunk
		z = si.z - sa.z
		if -gap-z > eps {
			kind = lineOverfull
			return
		}
		r = max(gap/z, -1)
		bad = -100 * r * r * r
		fit = fitnessOf(r)
	}
	return
}

// try tries the breakpoint i (len(items) for the implicit final break):
// measures the line to it from every active node, makes nodes at i for the
// feasible lines, deactivates the nodes from which the line is overfull,
// and, where that would leave no way on, falls back.
//
// The fallback keeps an invariant: after each breakpoint, some node is
// active. Suppose every active node is overfull at i and no node was made
// at the previous breakpoint q. The nodes then all start lines before q
// (a node at a forced q, or anything after q, would start after q), and were
// active at q, so each line to q was neither overfull (they would have been
// deactivated) nor feasible (a node would have been made at q): all were too
// loose, and the best of them is taken, set ragged, making a node at q. If
// the line from that node to i is still overfull, it has no breakpoint
// inside and is set overfull. So each breakpoint is tried at most twice, and
// no recovery reaches back further than one breakpoint. The too-loose lines
// are only looked for then, from the nodes as they were before trying i.
func (k *breaker) try(i int) {
	pw, pen, flagged, forced := k.breakAt(i)
	si := k.sum[i]
	startI := -1 // startAfter(i), once needed
	retried := false

	for {
		k.cands = k.cands[:0]
		var over, overAny rescue
		keep := k.spare[:0]
		for _, ai := range k.active {
			a := &k.nodes[ai]
			if a.start >= i {
				// Nothing but discardable items since a: no line to i.
				if forced {
					// i must be broken at. After a forced break that makes
					// an empty line; after any other, a's break serves as i.
					if startI < 0 {
						startI = k.startAfter(i)
					}
					if a.forced {
						k.offer(node{
							total: a.total + k.demerits(0, pen, flagged, a, decent),
							prev:  ai, fitness: decent, flags: flagsAfter(a, flagged), forced: true,
							end: i, start: startI, line: a.line + 1,
						})
					} else {
						t := *a
						t.start, t.forced = startI, true
						k.offer(t)
					}
				}
				keep = append(keep, ai)
				continue
			}

			kind, _, z, r, bad, fit := k.measure(a, &si, pw)
			if kind == lineLoose {
				keep = append(keep, ai)
				continue
			}
			if kind == lineOverfull { // a is done
				d := a.total + k.fallbackDemerits(10000, pen, flagged, a)
				ratio := 0.0
				if z > 0 {
					ratio = -1
				}
				o := rescue{ok: true, pred: ai, total: d, ratio: ratio, at: i, flagged: flagged, forced: forced}
				if a.start > k.prevBP && (!over.ok || d < over.total) {
					over = o // the line has no breakpoint inside
				}
				if !overAny.ok || d < overAny.total {
					overAny = o
				}
				continue
			}
			if startI < 0 {
				startI = k.startAfter(i)
			}
			k.offer(node{
				total: a.total + k.demerits(bad, pen, flagged, a, fit),
				ratio: r, prev: ai, fitness: fit, flags: flagsAfter(a, flagged), forced: forced,
				end: i, start: startI, line: a.line + 1,
			})
			keep = append(keep, ai)
		}
		old := k.active // as before trying i
		k.active, k.spare = keep, old

		if len(k.cands) > 0 {
			if forced {
				k.active = k.active[:0]
			}
			k.commit()
			break
		}
		if forced {
			if r := k.tooLoose(old, i); r.ok {
				k.active = append(k.active[:0], k.makeNode(r))
				break
			}
		} else if len(k.active) > 0 {
			break // nothing reaches i; the active nodes go on
		}
		// Every active node is overfull at i.
		if over.ok {
			k.active = append(k.active[:0], k.makeNode(over))
			break
		}
		if !retried {
			if r := k.tooLoose(old, k.prevBP); r.ok {
				// Set the best line to the previous breakpoint ragged, and
				// try i again from there.
				k.active = append(k.active[:0], k.makeNode(r))
				retried = true
				continue
			}
		}
		if overAny.ok {
			// Unreachable by the invariant above; kept so as never to fail.
			k.active = append(k.active[:0], k.makeNode(overAny))
		}
		break
	}
	k.prevBP = i
}

// tooLoose is the best line from the nodes of list to the breakpoint at
// that is too loose to be set justified, to be set ragged.
func (k *breaker) tooLoose(list []int32, at int) rescue {
	if at < 0 {
		return rescue{}
	}
	pw, pen, flagged, forced := k.breakAt(at)
	s := &k.sum[at]
	var best rescue
	for _, ai := range list {
		a := &k.nodes[ai]
		if a.start >= at {
			continue
		}
		kind, gap, _, _, _, _ := k.measure(a, s, pw)
		if kind != lineLoose {
			continue
		}
		lw := k.widths[k.lineClass(a.line)]
		d := a.total + k.fallbackDemerits(10000*shortfall(gap, lw), pen, flagged, a)
		if !best.ok || d < best.total {
			best = rescue{ok: true, pred: ai, total: d, at: at, flagged: flagged, forced: forced}
		}
	}
	return best
}

// shortfall is gap as a fraction of the line width lw, within [0, 1].
func shortfall(gap, lw float64) float64 {
	if !(lw > 0) || gap >= lw {
		return 1
	}
	if gap <= 0 {
		return 0
	}
	return gap / lw
}
