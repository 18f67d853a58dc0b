package edition

import (
	"fmt"
	"math"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/compile/words"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/design"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// This file sets the print edition's study plan: a table with a row per
// chapter (its page, the time its text takes to read, its resources by
// kind, a box to tick and a ruled column for notes) and a subtotal per
// Section, for a group that meets chapter by chapter.

// Anchor ids of the print edition's own pages.
const (
	StudyID = "pdf:study-plan"
	AboutID = "pdf:about"
)

// wordsPerMinute is the reading speed the plan assumes for expository
// text read with attention.
const wordsPerMinute = 230

// planEntry is one row of the study plan: a part (its Section's opening
// text) or a chapter.
type planEntry struct {
	title string
	id    string
	part  bool
	words int // words of its text, code blocks left out
	res   []*resource
}

// PlanRow is a row of the study plan, as Layout.Plan records it.
type PlanRow struct {
	Title   string         // "Chapter 2: …", or the Section's title for its opening pages
	ID      string         // the anchor of the chapter or Section
	Section bool           // the opening pages of a Section
	Minutes int            // reading time of its text, rounded up
	Counts  map[string]int // its distinct resources by kind ("video", "paper", …)
}

// readingMinutes returns the minutes it takes to read words at
// wordsPerMinute, rounded up; 0 for no words.
func readingMinutes(words int) int {
	return (words + wordsPerMinute - 1) / wordsPerMinute
}

// kindCounts counts resources by kind.
func kindCounts(res []*resource) [numKinds]int {
	var c [numKinds]int
	for _, r := range res {
		c[r.kind]++
	}
	return c
}

// countsText writes counts by kind as "2 videos, 1 paper", "—" for none.
func countsText(c [numKinds]int, wd *words.Words) string {
	var parts []string
	for k, n := range c {
		if n > 0 {
			parts = append(parts, words.Count(n, wd.KindOne[k], wd.KindMany[k]))
		}
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

// studyPlan lays out the study plan.
func (t *printMatter) studyPlan() *layout.Section {
	t.cites = nil
	f := &layout.Flow{}
	c := t.BodyCtx()
	f.Add(design.Strut(t.Geometry.TextH() * 0.04))
	size, lead := t.HeadingSize(2)
	st := layout.Style{Face: fonts.Bold, Size: size, Color: design.ColText}
	wd := t.Wording()
	leave := t.Enter(t.NewNode("Sect", t.Container()))
	defer leave()
	_, endHeading := t.Open("H1")
	t.DisplayLines(f, t.Plain(wd.StudyPlan, st, nil, tree.Pos{}), c, size, lead, layout.AlignLeft, StudyID)
	endHeading()
	f.Add(&layout.Item{Kind: layout.ItemBlock, H: layout.Grid(c.Lead * 0.9), Keep: true, Ops: []layout.Op{{Kind: layout.OpRect, X: 0, Y: c.Lead * 0.35, W: c.W, H: 0.25, Color: design.ColRule}}})
	f.KeepNext = 2
	t.Paragraph(f, []tree.Inline{&tree.Text{Text: fmt.Sprintf(wd.StudyPlanIntro, wordsPerMinute)}}, c, tree.Pos{}, layout.AlignLeft)

	// Columns: box, title, page, minutes, resources, notes.
	tc := c
	tc.Size = c.Size * 0.86
	tc.Lead = layout.Grid(c.Lead * 0.86)
	reg := t.Fonts.Face(fonts.Regular)
	box := layout.Grid(tc.Lead * 0.6)
	pageW := layout.Grid(reg.Width(wd.PlanPageWidth, tc.Size)*layout.PtMM + 2)
	minW := layout.Grid(reg.Width(wd.PlanMinutesWidth, tc.Size)*layout.PtMM + 2)
	notesW := layout.Grid(c.W * 0.14)
	resW := layout.Grid(c.W * 0.28)
	const gap = 2.5 // between columns
	titleX := box + gap
	titleW := c.W - titleX - pageW - minW - resW - notesW - 3*gap
	pageX := titleX + titleW
	minX := pageX + pageW
	resX := minX + minW + gap
	notesX := resX + resW + gap
	base := t.Baseline(tc.Size, tc.Lead)
	rs := layout.Style{Face: fonts.Regular, Size: tc.Size, Color: design.ColText}
	hs := layout.Style{Face: fonts.Bold, Size: tc.Size * 0.9, Color: design.ColMuted}

	// right sets s flush right in [x, x+w) on baseline y.
	table := t.NewNode("Table", t.Container())
	prev := t.Node
	defer func() { t.Node = prev }()
	right := func(it *layout.Item, s string, st layout.Style, x, w, y float64, n *layout.Node) {
		if s == "" {
			return
		}
		sw := t.Fonts.Face(st.Face).Width(s, st.Size) * layout.PtMM
		it.Ops = append(it.Ops, layout.Op{Kind: layout.OpText, X: x + w - sw, Y: y, W: sw, Style: st, Text: s, Node: n})
	}
	// row sets one row: title words, page, minutes, resources; with a box
	// and a ruled notes column when box is set.
	row := func(title []layout.Word, page, mins, res string, withBox bool, st layout.Style) *layout.Item {
		it := &layout.Item{Kind: layout.ItemLine, Tag: "plan", Base: base}
		tr := t.NewNode("TR", table)
		var cells [4]*layout.Node // chapter, page, reading time, resources
		for k := range cells {
			cells[k] = t.NewNode("TD", tr)
		}
		y := 0.0
		t.Node = cells[0]
		for _, l := range t.Lines(title, titleW, layout.AlignLeft) {
			it.Ops = append(it.Ops, t.Render(l, titleX, titleW, y+base, layout.AlignLeft)...)
			y += tc.Lead
		}
		ry := 0.0
		t.Node = cells[3]
		for _, l := range t.Lines(t.Plain(res, rs, nil, tree.Pos{}), resW, layout.AlignLeft) {
			it.Ops = append(it.Ops, t.Render(l, resX, resW, ry+base, layout.AlignLeft)...)
			ry += tc.Lead
		}
		right(it, page, st, pageX, pageW, base, cells[1])
		right(it, mins, st, minX, minW, base, cells[2])
		h := math.Max(y, ry)
		if withBox {
			it.Ops = append(it.Ops, checkbox(0, base, box)...)
			it.Ops = append(it.Ops, layout.Op{Kind: layout.OpRect, X: notesX, Y: base + 0.6, W: c.W - notesX, H: 0.15, Color: design.ColRule})
		}
		it.H = layout.Grid(h + tc.Lead*0.25)
		return it
	}
	head := &layout.Item{Kind: layout.ItemLine, Tag: "plan", Base: base, Keep: true}
	headRow := t.NewNode("TR", table)
	for _, col := range []struct {
		s    string
		x, w float64
		r    bool
	}{{wd.PlanColumns[0], titleX, titleW, false}, {wd.PlanColumns[1], pageX, pageW, true}, {wd.PlanColumns[2], minX, minW, true}, {wd.PlanColumns[3], resX, resW, false}, {wd.PlanColumns[4], notesX, c.W - notesX, false}} {
		th := t.NewNode("TH", headRow)
		if col.r {
			right(head, col.s, hs, col.x, col.w, base, th)
			continue
		}
		w := t.Fonts.Face(hs.Face).Width(col.s, hs.Size) * layout.PtMM
		head.Ops = append(head.Ops, layout.Op{Kind: layout.OpText, X: col.x, Y: base, W: w, Style: hs, Text: col.s, Node: th})
	}
	head.Ops = append(head.Ops, layout.Op{Kind: layout.OpRect, X: 0, Y: tc.Lead, W: c.W, H: 0.3, Color: design.ColRule})
	head.H = layout.Grid(tc.Lead * 1.3)
	f.Add(head)

	mins := func(w int) string { return fmt.Sprintf(wd.Minutes, readingMinutes(w)) }
	// The plan's entries come in book order: a part, then its chapters.
	for i := 0; i < len(t.plan); {
		e := t.plan[i]
		j := i + 1
		for j < len(t.plan) && !t.plan[j].part {
			j++
		}
		group := t.plan[i:j]
		i = j
		if e.part {
			f.Space(tc.Lead * 0.6)
			ps := rs.Bold()
			pr := row(t.Plain(e.title, ps, &layout.Link{Dest: e.id}, tree.Pos{}), fmt.Sprintf(wd.PageRef, t.pageLabel(e.id, false)), "", "", false, ps)
			pr.Heading = true
			f.Add(pr)
			f.KeepNext = 2
			if e.words > 0 || len(e.res) > 0 {
				f.Add(row(t.Plain(wd.PlanOpening, rs.Italic(), &layout.Link{Dest: e.id}, tree.Pos{}), "", mins(e.words), countsText(kindCounts(e.res), wd), true, rs))
			}
			group = group[1:]
		}
		words := e.words
		var total [numKinds]int
		if e.part {
			total = kindCounts(e.res)
		} else {
			words = 0
		}
		for _, ch := range group {
			f.Add(row(t.Plain(ch.title, rs, &layout.Link{Dest: ch.id}, tree.Pos{}), fmt.Sprintf(wd.PageRef, t.pageLabel(ch.id, false)), mins(ch.words), countsText(kindCounts(ch.res), wd), true, rs))
			words += ch.words
			for k, n := range kindCounts(ch.res) {
				total[k] += n
			}
		}
		if e.part {
			sum := row(t.Plain(wd.PlanTotal, rs.Italic(), nil, tree.Pos{}), "", mins(words), countsText(total, wd), false, rs.Italic())
			sum.Keep = true
			sum.Ops = append(sum.Ops, layout.Op{Kind: layout.OpRect, X: titleX, Y: 0, W: c.W - titleX, H: 0.15, Color: design.ColRule})
			f.Add(sum)
		}
	}
	for _, e := range t.plan {
		counts := map[string]int{}
		for k, n := range kindCounts(e.res) {
			if n > 0 {
				counts[kindIDs[k]] = n
			}
		}
		t.planRows = append(t.planRows, PlanRow{Title: e.title, ID: e.id, Section: e.part, Minutes: readingMinutes(e.words), Counts: counts})
	}
	return &layout.Section{Kind: layout.PageOpener, Head: wd.StudyPlan, Recto: true, Items: f.Items}
}

// checkbox returns the outline of a square box of side s at x whose
// bottom sits a little below the baseline base.
func checkbox(x, base, s float64) []layout.Op {
	const th = 0.25
	y := base + 0.25 - s
	return []layout.Op{
		{Kind: layout.OpRect, X: x, Y: y, W: s, H: th, Color: design.ColText},
		{Kind: layout.OpRect, X: x, Y: y + s - th, W: s, H: th, Color: design.ColText},
		{Kind: layout.OpRect, X: x, Y: y, W: th, H: s, Color: design.ColText},
		{Kind: layout.OpRect, X: x + s - th, Y: y, W: th, H: s, Color: design.ColText},
	}
}
