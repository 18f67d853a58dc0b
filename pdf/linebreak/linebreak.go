// Package linebreak breaks a paragraph into lines by the Knuth–Plass
// total-fit algorithm (D. E. Knuth and M. F. Plass, "Breaking Paragraphs
// into Lines", 1981; TeX §813–890), over the abstract box/glue/penalty model.
//
// The package knows nothing of fonts or PDF. A typesetter measures a
// paragraph into Items — words or pieces of words as boxes, inter-word spaces
// as glue, hyphenation points and other break opportunities as penalties —
// and Break chooses where its lines end, minimising the paragraph's total
// demerits.
//
// The conventions are TeX's:
//
//   - glue is a legal breakpoint only if the item just before it is a box;
//   - a penalty is a legal breakpoint unless its Penalty is >= Never, and one
//     whose Penalty is <= Forced must be broken at;
//   - glue and non-forced penalties at the start of a line are discarded:
//     a line starts at the first box or forced penalty after the break.
//
// A paragraph should end with Glue{Stretch: Fil} then Penalty{Penalty: Forced}
// (and a Penalty{Penalty: Never} before that glue, so the line cannot break
// at it), so that its last line is set at natural width rather than
// justified. Finish appends that ending. If the items end otherwise, the end
// of the slice acts as a forced break with no fill, and the last line is
// justified like the others.
//
// Break always returns a complete breaking. Where no feasible line (one
// whose adjustment ratio lies within [-1, Params.Tolerance]) reaches some
// point of the paragraph — a long token, a short line before a wide box — it
// recovers locally, as TeX's final pass does, but sets a line at natural
// width (Line.Ragged) where TeX would set an underfull or overfull box, and
// an overfull line only for a run of items with no breakpoint inside that
// is wider than a line; then it carries on optimally. See Break.
//
// Time and memory are linear in the number of items for realistic input: a
// line is measured in constant time from prefix sums, and a line start is
// given up as soon as a line from it would be overfull, so the work per
// breakpoint is bounded by the number of breakpoints that fit on a line.
// (Items of no width in bulk, such as thousands of empty boxes with
// breakpoints between them, keep line starts open and make it quadratic.)
// Where a quick greedy pass can set the paragraph, line starts that already
// cost more than its breaking are not kept either.
package linebreak

import "slices"

// Kind tells what an Item is.
type Kind uint8

const (
	// Box is material of fixed width: a word, part of a word, an image.
	// Items of any kind other than Glue and Penalty are taken as boxes.
	Box Kind = iota
	// Glue is elastic space. A line may break at glue that follows a box; the
	// glue then disappears, with any glue and non-forced penalties after it.
	Glue
	// Penalty is a possible breakpoint with a cost, and an optional width
	// (a hyphen) that is set at the end of the line if it breaks there.
	Penalty
)

const (
	// Forced is the Penalty that forces a break (TeX's −10000): a penalty
	// at or below it is always broken at.
	Forced = -10000
	// Never is the Penalty that forbids a break (TeX's +10000): a penalty at
	// or above it is never broken at.
	Never = 10000
	// Fil is the stretch of infinitely stretchable glue, such as the glue
	// that fills the last line of a paragraph. Glue whose Stretch is at least
	// Fil counts as infinitely stretchable: a line containing it is never too
	// loose, has badness 0, and gives its whole shortfall to such glue (its
	// Ratio, applied to finite stretch, is negligible: shortfall/Fil). Fil is
	// meant for widths in points or similar units, far below it. A Stretch of
	// +Inf is read as Fil.
	Fil = 1e9
)

// Defaults of Params.
const (
	// DefaultTolerance is the default of Params.Tolerance: a line may stretch
	// its glue to twice its stretchability (badness 800). TeX's usual
	// \tolerance 200 corresponds to a ratio of about 1.26.
	DefaultTolerance = 2
	// DefaultLinePenalty is the default of Params.LinePenalty (TeX's
	// \linepenalty).
	DefaultLinePenalty = 10
	// DefaultFlaggedDemerits is the default of Params.FlaggedDemerits. TeX's
	// \doublehyphendemerits is 10000; 3000 dislikes consecutive hyphens
	// somewhat less than TeX does, about as much as a line of badness 45.
	DefaultFlaggedDemerits = 3000
	// DefaultFitnessDemerits is the default of Params.FitnessDemerits. TeX's
	// \adjdemerits is 10000; 3000 is chosen here as for FlaggedDemerits.
	DefaultFitnessDemerits = 3000
)

// Item is one element of a paragraph.
//
// Widths, stretches and shrinks should be finite; NaN is read as 0 and
// magnitudes beyond 1e18 are clamped, so that odd input cannot make Break
// misbehave.
type Item struct {
	Kind Kind
	// Width is the natural width. For a Penalty it is the width added at the
	// end of the line if the line breaks there (a hyphen), and nothing
	// otherwise.
	Width float64
	// Stretch is how much Glue may grow (at adjustment ratio 1). See Fil.
	Stretch float64
	// Shrink is how much Glue may shrink (at adjustment ratio −1, the most
	// it ever shrinks).
	Shrink float64
	// Penalty is the cost of breaking at a Penalty: <= Forced forces a
	// break, >= Never forbids it; negative values invite a break.
	Penalty float64
	// Flagged marks a Penalty as a hyphenated break: two consecutive lines
	// ending at flagged penalties cost Params.FlaggedDemerits more.
	Flagged bool
}

// Params tunes Break. The zero value of each field means its documented
// default; a negative value of a demerits field means zero.
type Params struct {
	// Widths[i] is the width of line i; the last entry holds for all later
	// lines. Required: with no entry every line has width 0, so that each
	// unbreakable run of boxes gets an overfull line of its own.
	Widths []float64
	// Tolerance is the largest adjustment ratio r of a line (how far its
	// glue may stretch, relative to its stretchability). A line with
	// r > Tolerance, or r < −1 (shrunk beyond its shrinkability), is
	// infeasible. The default, for zero, negative or NaN, is
	// DefaultTolerance.
	Tolerance float64
	// LinePenalty is added to each line's badness before squaring (TeX's
	// \linepenalty); it makes fewer lines preferable. Default
	// DefaultLinePenalty.
	LinePenalty float64
	// FlaggedDemerits is added for two consecutive lines ending at flagged
	// penalties (TeX's \doublehyphendemerits). Default
	// DefaultFlaggedDemerits.
	FlaggedDemerits float64
	// MaxFlagged is the most consecutive lines that may end at flagged
	// penalties (in hyphens): a breaking with more is chosen only where
	// the paragraph has no feasible breaking without. Default 0: no
	// limit, as in TeX.
	MaxFlagged int
	// FitnessDemerits is added for adjacent lines whose fitness classes
	// differ by more than one (TeX's \adjdemerits); the classes are very
	// loose (r > 1), loose (0.5 < r <= 1), decent (−0.5 <= r <= 0.5) and
	// tight (r < −0.5). The paragraph's start counts as decent. Default
	// DefaultFitnessDemerits.
	FitnessDemerits float64
}

// Line is one line of a breaking: items[Start:End] are on it.
//
// End is the index of the item broken at — a glue or penalty, which is not
// part of the line except for a penalty's Width — or len(items) if the items
// do not end with a forced break. Start is the first box or forced penalty
// after the previous line's break. A forced penalty straight after another
// forced break (two in a row) makes an empty line, Start == End.
//
// A forced penalty preceded by glue, say, may be broken at there or at the
// glue: where only glue and penalties lie between a legal break and a
// forced penalty (or the end of the items), the line may end at the earlier
// break, leaving them out, if that sets it better. The forced penalty is
// then skipped like the glue: the next line starts after it.
//
// Ratio is the adjustment ratio to apply to the line's glue: each glue is
// set at Width + Ratio×Stretch if Ratio >= 0, Width + Ratio×Shrink if not.
// Unless Ragged, it lies in [−1, Params.Tolerance] (a line containing Fil
// glue apart, whose Ratio is shortfall/Fil) and the line so set is exactly
// its width.
//
// Ragged is true when the line could not be set within tolerance and was
// made by Break's fallback: the caller sets it at natural width (Ratio is
// then 0), left-aligned. A Ragged line is either underfull — shorter than
// its width, which would need its glue stretched beyond Tolerance — or
// overfull: a run of items with no breakpoint inside, wider than the line
// even when shrunk. An overfull line's Ratio is −1 if it has shrinkable glue
// (shrinking it fully makes the overflow smallest), else 0.
type Line struct {
	Start, End int
	Ratio      float64
	Ragged     bool
}

// Finish returns a copy of items ended as a paragraph: trailing glue and
// non-forced penalties are dropped, then Penalty{Never}, Glue{Stretch: Fil}
// and Penalty{Forced} are appended, so that the last line is set at its
// natural width. Finish(nil) is just that ending, which breaks into one
// empty line; items that end with a forced penalty get an empty last line.
func Finish(items []Item) []Item {
	return AppendFinish(nil, items)
}

// AppendFinish appends items ended as a paragraph (see Finish) to dst
// and returns the extended slice.
func AppendFinish(dst, items []Item) []Item {
	m := len(items)
	for m > 0 && discardable(&items[m-1]) {
		m--
	}
	out := slices.Grow(dst, m+3)
	out = append(out, items[:m]...)
	return append(out,
		Item{Kind: Penalty, Penalty: Never},
		Item{Kind: Glue, Stretch: Fil},
		Item{Kind: Penalty, Penalty: Forced})
}

// discardable reports whether it vanishes at the start of a line.
func discardable(it *Item) bool {
	return it.Kind == Glue || it.Kind == Penalty && penaltyOf(it) > Forced
}

// isBox reports whether k is taken as a box.
func isBox(k Kind) bool { return k != Glue && k != Penalty }

// penaltyOf is it.Penalty with NaN read as 0.
func penaltyOf(it *Item) float64 {
	if p := it.Penalty; p == p {
		return p
	}
	return 0
}

// maxMagnitude bounds the values Break computes with, so that sums of
// widths stay finite.
const maxMagnitude = 1e18

// finite is x with NaN read as 0 and magnitudes clamped to maxMagnitude.
func finite(x float64) float64 {
	switch {
	case x != x:
		return 0
	case x > maxMagnitude:
		return maxMagnitude
	case x < -maxMagnitude:
		return -maxMagnitude
	}
	return x
}
