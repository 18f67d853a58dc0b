package edition

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/pdf/design"
	"github.com/genai-handbook/handbook/pdf/internal/testbook"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// TestSignaturesPlan checks the plan of a booklet's signatures: each
// section starts one, the first with the front matter; a section longer
// than a signature is split into signatures of near-equal thickness; only
// a section's last signature is padded.
func TestSignaturesPlan(t *testing.T) {
	for _, c := range []struct {
		nf, nb int
		starts []int
		max    int
		want   []Signature
	}{
		// Front matter with the introduction, then two sections that fit.
		{8, 20, []int{0, 4, 12}, 8, []Signature{{0, 12, 0}, {12, 8, 0}, {20, 8, 0}}},
		// Odd sections are padded at their signature's end.
		{8, 13, []int{0, 5}, 8, []Signature{{0, 16, 3}, {16, 8, 0}}},
		// 74 pages are 19 sheets: three signatures of 7, 6 and 6.
		{4, 70, []int{0}, 8, []Signature{{0, 28, 0}, {28, 24, 0}, {52, 24, 2}}},
		// One sheet a signature: the front matter is split too.
		{8, 3, []int{0}, 1, []Signature{{0, 4, 0}, {4, 4, 0}, {8, 4, 1}}},
		// Body pages before the first section go with the front matter.
		{2, 6, []int{2}, 8, []Signature{{0, 4, 0}, {4, 4, 0}}},
		// A section with no pages starts nothing.
		{4, 8, []int{0, 4, 4}, 8, []Signature{{0, 8, 0}, {8, 4, 0}}},
		// Exactly a signature's worth.
		{0, 64, []int{0, 32}, 8, []Signature{{0, 32, 0}, {32, 32, 0}}},
	} {
		got := signatures(c.nf, c.nb, c.starts, c.max)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("signatures(%d, %d, %v, %d) = %v, want %v", c.nf, c.nb, c.starts, c.max, got, c.want)
		}
	}
}

// TestBookletLayout checks the booklet's layout on every book, with the
// default signatures of at most 8 sheets and with SignatureSheets 2:
// signatures hold the pages in order, each a multiple of four, at most
// the sheets allowed; sections start signatures; Notes pages pad each
// signature at its end and nowhere else; page numbers run on through
// them; the sheets are in saddle-stitch order within each signature,
// with the creep a sheet and fold marks clear of the text; the
// instruction sheet comes first.
func TestBookletLayout(t *testing.T) {
	for _, bk := range testbook.All(t) {
		for _, max := range []int{0, 2} {
			name := fmt.Sprintf("%s/%d sheets", bk.Name, max)
			lay := layoutOf(t, bk.Tree, Options{Print: true, Duplex: true, Paper: "a5", Booklet: true, SignatureSheets: max})
			if max == 0 {
				max = 8
			}
			checkSignatures(t, name, lay, max)
			checkSections(t, name, lay, bk.Tree.Parts, max)
			checkSheets(t, name, lay, 0.1)
			var sizes []string
			for _, sg := range lay.Signatures {
				sizes = append(sizes, strconv.Itoa(sg.Sheets()))
			}
			t.Logf("%s: %d pages, %d signatures of %s sheets", name, len(lay.Pages), len(lay.Signatures), strings.Join(sizes, ", "))
		}
	}
}

// checkSignatures checks that lay's signatures hold its pages in order,
// each a multiple of four and at most max sheets, padded with Notes
// pages at their ends, and that the body's page numbers run on.
func checkSignatures(t *testing.T, name string, lay *Book, max int) {
	t.Helper()
	next := 0
	for k, sg := range lay.Signatures {
		if sg.First != next || sg.Pages%4 != 0 || sg.Pages == 0 || sg.Sheets() > max || sg.Pad < 0 || sg.Pad > 3 {
			t.Errorf("%s: signature %d is %+v (next page %d, at most %d sheets)", name, k+1, sg, next, max)
		}
		for i := sg.First; i < sg.First+sg.Pages && i < len(lay.Pages); i++ {
			pg := lay.Pages[i]
			pad := i >= sg.First+sg.Pages-sg.Pad
			if (pg.Kind == layout.PageNotes) != pad {
				t.Errorf("%s: signature %d: page %s (index %d) is %s, padding %v", name, k+1, pg.Label, i, pg.Kind, pad)
			}
			if pad && !isNotesPage(pg) {
				t.Errorf("%s: padding page %s has no title and rules", name, pg.Label)
			}
		}
		next += sg.Pages
	}
	if next != len(lay.Pages) {
		t.Errorf("%s: signatures hold %d of %d pages", name, next, len(lay.Pages))
	}
	for i, pg := range lay.Pages[lay.Front:] {
		if pg.Label != strconv.Itoa(i+1) {
			t.Errorf("%s: body page %d labelled %s", name, i+1, pg.Label)
		}
		if pg.Kind == layout.PageBlank {
			t.Errorf("%s: blank body page %s: a booklet pads with Notes pages", name, pg.Label)
		}
		if pg.Kind == layout.PageNotes && pg.Folio != pg.Label {
			t.Errorf("%s: Notes page %s has folio %q", name, pg.Label, pg.Folio)
		}
	}
	for _, e := range lay.TOC {
		if d, ok := lay.Anchors[e.ID]; ok && lay.Pages[d.Page].Label != e.Label {
			t.Errorf("%s: contents give %q page %s, it is on page %s", name, e.Title, e.Label, lay.Pages[d.Page].Label)
		}
	}
}

// isNotesPage reports whether pg has the title "Notes" and at least ten
// grey hairlines, evenly spaced, inside the text area.
func isNotesPage(pg *layout.Page) bool {
	title := false
	var ys []float64
	for _, o := range pg.Ops {
		switch {
		case o.Kind == layout.OpText && o.Text == "Notes":
			title = true
		case o.Kind == layout.OpRect && o.Color == design.ColGrey && o.H <= 0.2:
			ys = append(ys, o.Y)
		}
	}
	for i := 2; i < len(ys); i++ {
		if math.Abs(ys[i]-ys[i-1]-(ys[1]-ys[0])) > 1e-6 {
			return false
		}
	}
	return title && len(ys) >= 10
}

// checkSections checks that every section (each part, the study plan)
// starts a signature, and that a signature starts elsewhere only within
// a section too long for one signature (the first section counted with
// the front matter).
func checkSections(t *testing.T, name string, lay *Book, parts []*tree.Part, max int) {
	t.Helper()
	var starts []int
	for _, p := range parts {
		starts = append(starts, lay.Anchors[p.ID].Page)
	}
	starts = append(starts, lay.Anchors[StudyID].Page)
	sort.Ints(starts)
	starts[0] = 0 // the front matter goes with the first section
	first := map[int]bool{}
	for _, sg := range lay.Signatures {
		first[sg.First] = true
	}
	for i, s := range starts {
		end := len(lay.Pages)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		if !first[s] {
			t.Errorf("%s: the section on page %s does not start a signature", name, lay.Pages[s].Label)
		}
		// Signatures that start within the section: only when it is
		// longer than one.
		for p := s + 1; p < end; p++ {
			if first[p] && end-s <= 4*max {
				t.Errorf("%s: a signature starts on page %s, within a section of %d pages", name, lay.Pages[p].Label, end-s)
			}
		}
	}
}

// checkSheets checks the imposition: saddle-stitch order within each
// signature, the creep, fold marks outside the text and clear of it, and
// the instruction sheet.
func checkSheets(t *testing.T, name string, lay *Book, creep float64) {
	t.Helper()
	g := lay.Geometry
	i := 0
	for k, sg := range lay.Signatures {
		n := sg.Pages
		for s := 0; s < n/4; s++ {
			for back := 0; back < 2; back++ {
				if i >= len(lay.Sheets) {
					t.Fatalf("%s: %d sheet sides, too few", name, len(lay.Sheets))
				}
				sh := lay.Sheets[i]
				i++
				l, r := n-2*s, 2*s+1 // counted from 1 within the signature
				if back == 1 {
					l, r = 2*s+2, n-2*s-1
				}
				if sh.Left != sg.First+l-1 || sh.Right != sg.First+r-1 || sh.Signature != k || sh.Index != s || sh.Back != (back == 1) {
					t.Errorf("%s: side %d is %+v, want signature %d sheet %d pages %d and %d", name, i, *sh, k, s, l, r)
				}
				if want := float64(s) * creep; math.Abs(sh.Creep-want) > 1e-9 {
					t.Errorf("%s: signature %d sheet %d: creep %.3f mm, want %.3f", name, k+1, s+1, sh.Creep, want)
				}
				checkFoldMarks(t, fmt.Sprintf("%s: signature %d sheet %d", name, k+1, s+1), sh.Page, g)
			}
		}
	}
	if i != len(lay.Sheets) {
		t.Errorf("%s: %d sheet sides, want %d", name, len(lay.Sheets), i)
	}
	if len(lay.Instructions) != 2 || len(lay.Instructions[1].Ops) != 0 {
		t.Fatalf("%s: instruction sheet of %d sides", name, len(lay.Instructions))
	}
	var words []string
	for _, o := range lay.Instructions[0].Ops {
		if o.Kind == layout.OpText {
			words = append(words, o.Text)
		}
	}
	text := strings.Join(words, " ")
	for _, want := range []string{"double-sided, flipping on the short edge", "Fold each signature", "staple or sew", fmt.Sprintf("%d signatures", len(lay.Signatures))} {
		if len(lay.Signatures) == 1 && strings.HasSuffix(want, " signatures") {
			want = "one signature"
		}
		if !strings.Contains(text, want) {
			t.Errorf("%s: instructions do not say %q:\n%s", name, want, text)
		}
	}
}

// checkFoldMarks checks that a sheet side has a fold mark at the middle
// of its top and bottom edges, outside both pages' text areas and clear
// of every piece of text.
func checkFoldMarks(t *testing.T, where string, side *layout.Page, g *layout.Geometry) {
	t.Helper()
	dy := (SheetH - g.H) / 2
	var marks []layout.Op
	for _, o := range side.Furniture {
		if o.Kind == layout.OpRect && o.H > o.W && math.Abs(o.X+o.W/2-SheetW/2) < 1e-9 {
			marks = append(marks, o)
		}
	}
	if len(marks) != 2 || marks[0].Y > FoldMarkInset+1e-9 || marks[1].Y+marks[1].H < SheetH-FoldMarkInset-1e-9 {
		t.Errorf("%s: fold marks %+v", where, marks)
		return
	}
	for _, m := range marks {
		if m.Y+m.H > dy+g.Top && m.Y < dy+g.H-g.Bottom {
			t.Errorf("%s: fold mark at y=%.1f..%.1f reaches into the text area", where, m.Y, m.Y+m.H)
		}
		for _, ops := range [][]layout.Op{side.Ops, side.Furniture} {
			for _, o := range ops {
				if o.Kind != layout.OpText {
					continue
				}
				top, bottom := o.Y-o.Style.Size*layout.PtMM, o.Y+o.Style.Size*layout.PtMM*0.3
				if o.X < m.X+m.W && o.X+o.W > m.X && top < m.Y+m.H && bottom > m.Y {
					t.Errorf("%s: fold mark crosses %q", where, o.Text)
				}
			}
		}
	}
}

// TestBookletCreep checks the creep option: none with a negative Creep,
// 0.25 mm a sheet when asked, and an error for a negative signature size
// or a creep that would move the innermost pages too far.
func TestBookletCreep(t *testing.T) {
	b := testbook.All(t)[1].Tree
	for _, c := range []struct {
		creep, want float64
	}{{-1, 0}, {0.25, 0.25}} {
		lay := layoutOf(t, b, Options{Print: true, Duplex: true, Paper: "a5", Booklet: true, Creep: c.creep})
		checkSheets(t, fmt.Sprintf("creep %g", c.creep), lay, c.want)
		// The pages' own ops do not move: the shift is the sheet's.
		for _, sh := range lay.Sheets {
			if sh.Index == 0 {
				continue
			}
			src := lay.Pages[sh.Right]
			for j, o := range sh.Page.Ops[len(sh.Page.Ops)-len(src.Ops):] {
				if d := src.Ops[j].X + SheetX(true, lay.Geometry.W) - o.X; math.Abs(d-sh.Creep) > 1e-9 {
					t.Fatalf("creep %g: sheet %d: right page's op moved %.3f mm left, want %.3f", c.creep, sh.Index, d, sh.Creep)
				}
			}
		}
	}
	for _, o := range []Options{{SignatureSheets: -1}, {Creep: 2}, {SignatureSheets: 200, Creep: 0.1}} {
		o.Print, o.Duplex, o.Paper, o.Booklet = true, true, "a5", true
		if _, _, err := Typeset(b, o); err == nil {
			t.Errorf("Typeset(%+v) accepted it", o)
		}
	}
}
