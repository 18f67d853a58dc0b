package pdf

import (
	"bytes"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/synth"
	"github.com/genai-handbook/handbook/fonts"
)

// TestDeterministic asserts that the same input gives the same bytes, and
// that the date is the only thing Created changes.
func TestDeterministic(t *testing.T) {
	for _, bk := range books(t) {
		opt := Options{Created: time.Date(2024, 6, 5, 0, 0, 0, 0, time.UTC), Generator: "test"}
		var a, b, c bytes.Buffer
		if _, err := Write(&a, bk.b, opt); err != nil {
			t.Fatal(err)
		}
		// Several builds in one process: state leaking from one build
		// into the next (gofpdf once rewrote the shared font bytes) shows
		// up only after a few.
		for i := 0; i < 4; i++ {
			b.Reset()
			if _, err := Write(&b, bk.b, opt); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s: build %d differs from the first", bk.name, i+2)
			}
		}
		opt.Created = opt.Created.Add(24 * time.Hour)
		if _, err := Write(&c, bk.b, opt); err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(a.Bytes(), c.Bytes()) {
			t.Errorf("%s: Created does not reach the file", bk.name)
		}
		if bytes.Contains(a.Bytes(), []byte(time.Now().UTC().Format("20060102"))) {
			t.Errorf("%s: today's date is in the file", bk.name)
		}
	}
}

// TestFontsUntouched asserts that writing a PDF leaves the shared font
// data alone.
func TestFontsUntouched(t *testing.T) {
	fs := fonts.Go()
	var before [][]byte
	for st := fonts.Regular; st <= fonts.MonoBold; st++ {
		before = append(before, append([]byte(nil), fs.Face(st).TTF...))
	}
	if _, err := Write(io.Discard, fixtureBook(), Options{}); err != nil {
		t.Fatal(err)
	}
	for st := fonts.Regular; st <= fonts.MonoBold; st++ {
		if !bytes.Equal(before[st], fs.Face(st).TTF) {
			t.Errorf("font %s modified by Write", st)
		}
	}
}

// TestZeroCreated asserts the documented default date.
func TestZeroCreated(t *testing.T) {
	var a bytes.Buffer
	if _, err := Write(&a, fixtureBook(), Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(a.Bytes(), []byte("(D:20000101000000Z)")) {
		t.Error("zero Created is not 2000-01-01")
	}
}

// TestLayoutRules checks the typesetter's layout record on every book and
// paper: nothing drawn outside the text area, no heading in the last two
// lines of a page, no widow or orphan line.
func TestLayoutRules(t *testing.T) {
	for _, bk := range books(t) {
		for _, p := range papers {
			_, lay, err := write(io.Discard, bk.b, Options{Paper: p})
			if err != nil {
				t.Fatal(err)
			}
			name := bk.name + "/" + p
			checkLayout(t, name, lay)
		}
	}
}

// checkLayout checks the layout rules on every page: text, images, rules
// and QR codes inside the text area (mirrored on the versos of a two-sided
// print), QR codes with their quiet zone clear, headings kept with what
// follows, no widows or orphans.
func checkLayout(t *testing.T, name string, lay *Layout) {
	g := lay.Geometry
	const eps = 0.01
	for pi, pg := range lay.Pages {
		where := func() string { return name + " page " + pg.Label }
		if pg.Kind == PageCover {
			continue
		}
		left, right := g.left, g.right
		if !pg.Recto {
			left, right = right, left
		}
		for _, o := range pg.Ops {
			if o.Kind != OpText && o.Kind != OpImage && o.Kind != OpRect && o.Kind != OpQR {
				continue
			}
			top := o.Y
			if o.Kind == OpText {
				top = o.Y - o.Style.Size*PtMM*0.75
			}
			bottom := o.Y + o.H
			if o.X < left-eps || o.X+o.W > g.W-right+eps || top < g.top-eps || bottom > g.H-g.bottom+eps {
				t.Errorf("%s: %q drawn outside the text area at x=%.1f..%.1f y=%.1f..%.1f", where(), o.Text, o.X, o.X+o.W, top, bottom)
			}
		}
		checkQuietZones(t, where(), pg)
		// Headings: at least two text lines after them on the page,
		// unless their section ends first.
		for i, pl := range pg.Placed {
			if !pl.it.heading {
				continue
			}
			lines := 0
			for _, q := range pg.Placed[i+1:] {
				if q.it.kind == kLine && !q.it.heading {
					lines++
				}
			}
			sectionEnds := pi == len(lay.Pages)-1 || lay.Pages[pi+1].Kind != PageBody && lay.Pages[pi+1].Kind != PageTOC
			if lines < 2 && !sectionEnds {
				t.Errorf("%s: heading %q followed by %d lines at the foot of the page", where(), firstText(pl.it), lines)
			}
		}
		if len(pg.Placed) > 0 {
			last := pg.Placed[len(pg.Placed)-1]
			if last.y+last.it.h > g.H-g.bottom+eps {
				t.Errorf("%s: content runs into the bottom margin", where())
			}
		}
	}
	// Widows and orphans: a paragraph or code block split across pages has
	// at least two lines on each.
	type key struct{ group, page int }
	count := map[key]int{}
	pagesOf := map[int][]int{}
	for pi, pg := range lay.Pages {
		for _, pl := range pg.Placed {
			if g := pl.it.group; g != 0 {
				k := key{g, pi}
				if count[k] == 0 {
					pagesOf[g] = append(pagesOf[g], pi)
				}
				count[k]++
			}
		}
	}
	for g, ps := range pagesOf {
		if len(ps) < 2 {
			continue
		}
		for _, p := range ps {
			if n := count[key{g, p}]; n < 2 {
				t.Errorf("%s: page %s has a single line (widow or orphan) of a paragraph spanning pages %v", name, lay.Pages[p].Label, ps)
			}
		}
	}
}

func firstText(it *item) string {
	for _, o := range it.ops {
		if o.Kind == OpText {
			return o.Text
		}
	}
	return ""
}

// TestReleaseSameBytes asserts that Write, which lets go of the layout as
// it draws it, writes the same bytes as write, which keeps it for tests.
func TestReleaseSameBytes(t *testing.T) {
	for _, bk := range books(t)[:2] {
		for _, opt := range []Options{{}, {Edition: "print"}, {Booklet: true}} {
			var a, b bytes.Buffer
			if _, err := Write(&a, bk.b, opt); err != nil {
				t.Fatal(err)
			}
			if _, _, err := write(&b, bk.b, opt); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s %+v: Write and write differ", bk.name, opt)
			}
		}
	}
}

// BenchmarkWrite measures typesetting and writing the example and, when
// present, the real handbook: the screen edition, the print edition (set
// twice or more, until its page references settle) and the booklet. The
// synthetic handbooks, 1, 10 and 100 times the real one's size, show how
// the cost grows with the book (run 100x with -benchtime 1x).
func BenchmarkWrite(b *testing.B) {
	type source struct {
		name string
		load func() *tree.Book
	}
	var srcs []source
	for _, bk := range books(b)[1:] {
		srcs = append(srcs, source{bk.name, func() *tree.Book { return bk.b }})
	}
	for _, n := range []int{1, 10, 100} {
		srcs = append(srcs, source{"synth" + strconv.Itoa(n) + "x", func() *tree.Book {
			bk, diags := compile.Load(synth.Generate(n), compile.Options{})
			if bk == nil {
				b.Fatalf("synthetic handbook %dx does not compile: %v", n, diags)
			}
			return bk
		}})
	}
	for _, src := range srcs {
		var bk *tree.Book // loaded on first use: -bench filters skip the big ones
		for _, c := range []struct {
			name string
			opt  Options
		}{
			{"screen", Options{}},
			{"print", Options{Edition: "print"}},
			{"booklet", Options{Booklet: true}},
		} {
			b.Run(src.name+"/"+c.name, func(b *testing.B) {
				if bk == nil {
					bk = src.load()
				}
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := Write(io.Discard, bk, c.opt); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
