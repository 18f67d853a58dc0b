package edition

import (
	"bufio"
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/genai-handbook/handbook/pdf/internal/testbook"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// spacing is the word spacing of a book's justified lines, from its dump.
type spacing struct {
	lines  int       // justified body lines of 7 words or more
	gaps   []float64 // their median gaps, in ems, sorted
	over   int       // lines with a median gap over 0.5 em
	ragged int       // body lines the breaker could not justify
	hyph   int       // lines ending in an added hyphen
	maxRun int       // most consecutive lines ending in a hyphen
}

// measureSpacing reads a dump: justified lines are paragraph and list
// lines that are not the last of their paragraph and reach the measure's
// right edge.
func measureSpacing(t testing.TB, dump string, right float64) spacing {
	var s spacing
	run := 0
	sc := bufio.NewScanner(strings.NewReader(dump))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		l := sc.Text()
		f := strings.Fields(l)
		if len(f) < 4 || (f[1] != "p" && f[1] != "li") {
			continue
		}
		bar := strings.Index(l, " | ")
		words := strings.Fields(l[bar+3:])
		if strings.HasSuffix(l, "-") && !strings.HasSuffix(l, " -") {
			s.hyph++
			run++
			s.maxRun = max(s.maxRun, run)
		} else {
			run = 0
		}
		if strings.Contains(l, " ragged ") {
			s.ragged++
		}
		var x1 float64
		var gap string
		var last bool
		for _, x := range f {
			switch {
			case strings.HasPrefix(x, "x="):
				_, b, _ := strings.Cut(x[2:], "..")
				x1, _ = strconv.ParseFloat(b, 64)
			case strings.HasPrefix(x, "gap="):
				gap = x[4:]
			case strings.Contains(x, "/") && f[2][0] == 'g' && x == f[3]:
				a, b, _ := strings.Cut(x, "/")
				last = a == b
			}
		}
		if len(words) < 7 || last || gap == "-" || x1 < right-0.05 {
			continue
		}
		g, err := strconv.ParseFloat(gap, 64)
		if err != nil {
			t.Fatalf("bad gap in %q", l)
		}
		s.lines++
		s.gaps = append(s.gaps, g)
		if g > 0.5 {
			s.over++
		}
	}
	sort.Float64s(s.gaps)
	return s
}

func (s spacing) String() string {
	if s.lines == 0 {
		return "no justified lines"
	}
	p := func(q float64) float64 { return s.gaps[int(q*float64(len(s.gaps)-1))] }
	return fmt.Sprintf("%d justified lines: median gap %.2f em, p95 %.2f em, %.1f%% over 0.5 em; %d ragged; %d hyphenated, at most %d in a row",
		s.lines, p(0.5), p(0.95), 100*float64(s.over)/float64(s.lines), s.ragged, s.hyph, s.maxRun)
}

// TestWordSpacing: justified body text has even word spaces. At most 2%
// of lines have a median gap over 0.5 em, the 95th percentile is at most
// 0.45 em, and never more than two hyphenated lines follow each other.
func TestWordSpacing(t *testing.T) {
	for _, bk := range testbook.All(t) {
		for _, paper := range []string{"a4", "letter", "a5"} {
			lay := layoutOf(t, bk.Tree, Options{Paper: paper})
			var d bytes.Buffer
			if err := lay.Dump(&d); err != nil {
				t.Fatal(err)
			}
			g := lay.Geometry
			s := measureSpacing(t, d.String(), g.W-g.Right)
			t.Logf("%s/%s: %s", bk.Name, paper, s)
			if s.lines < 20 {
				continue // too few lines for percentages
			}
			if p95 := s.gaps[int(0.95*float64(len(s.gaps)-1))]; p95 > 0.45 {
				t.Errorf("%s/%s: 95th percentile gap %.2f em > 0.45", bk.Name, paper, p95)
			}
			if float64(s.over) > 0.02*float64(s.lines) {
				t.Errorf("%s/%s: %d of %d lines have gaps over 0.5 em", bk.Name, paper, s.over, s.lines)
			}
			if s.maxRun > 2 {
				t.Errorf("%s/%s: %d hyphenated lines in a row", bk.Name, paper, s.maxRun)
			}
		}
	}
}

// TestMeasure: body lines hold 60 to 75 characters on every paper (the
// average over the real handbook's, or the example's, full justified lines).
func TestMeasure(t *testing.T) {
	bks := testbook.All(t)
	bk := bks[len(bks)-1]
	for _, paper := range []string{"a4", "letter", "a5"} {
		lay := layoutOf(t, bk.Tree, Options{Paper: paper})
		var d bytes.Buffer
		if err := lay.Dump(&d); err != nil {
			t.Fatal(err)
		}
		n, chars := 0, 0
		for _, l := range strings.Split(d.String(), "\n") {
			f := strings.Fields(l)
			if len(f) < 4 || f[1] != "p" || !strings.Contains(l, "gap=") {
				continue
			}
			bar := strings.Index(l, " | ")
			if g := lay.Geometry; !strings.Contains(l, fmt.Sprintf("..%.2f ", g.W-g.Right)) {
				continue // not a full line
			}
			n++
			chars += len([]rune(l[bar+3:]))
		}
		if n == 0 {
			t.Fatalf("%s/%s: no full lines", bk.Name, paper)
		}
		avg := float64(chars) / float64(n)
		t.Logf("%s/%s: %.1f characters a line over %d lines", bk.Name, paper, avg, n)
		if avg < 60 || avg > 75 {
			t.Errorf("%s/%s: %.1f characters a line, want 60–75", bk.Name, paper, avg)
		}
	}
}

// TestHyphenation: the real handbook gets at least 15 automatic
// hyphenations, none in a heading, code or an address, and no line of any
// book has a space wider than 1 em.
func TestHyphenation(t *testing.T) {
	for _, bk := range testbook.All(t) {
		lay := layoutOf(t, bk.Tree, Options{Paper: "a4"})
		var d bytes.Buffer
		if err := lay.Dump(&d); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, l := range strings.Split(d.String(), "\n") {
			if !strings.Contains(l, " hyph ") {
				continue
			}
			n++
			f := strings.Fields(l)
			words := strings.Fields(l[strings.Index(l, " | ")+3:])
			last := words[len(words)-1]
			if f[1] == "h" || f[1] == "code" || strings.Contains(last, "://") || strings.HasPrefix(last, "www.") || strings.Contains(last, ".") && strings.Contains(last, "/") {
				t.Errorf("%s: hyphenated where it must not be: %s", bk.Name, l)
			}
			if !strings.HasSuffix(last, "-") {
				t.Errorf("%s: a hyphenated line without its hyphen: %s", bk.Name, l)
			}
		}
		t.Logf("%s: %d automatic hyphenations", bk.Name, n)
		if bk.Real && n < 15 {
			t.Errorf("%s: %d automatic hyphenations, want at least 15", bk.Name, n)
		}
		for _, pg := range lay.Pages {
			for _, pl := range pg.Placed {
				if pl.Item.Tag != "p" && pl.Item.Tag != "li" && pl.Item.Tag != "lead" {
					continue
				}
				var texts []layout.Op
				for _, o := range pl.Item.Ops {
					if o.Kind == layout.OpText {
						texts = append(texts, o)
					}
				}
				for _, ln := range layout.TextLines(texts) {
					for _, g := range ln.Gaps {
						if em := g / (ln.Size * layout.PtMM); em > 1 {
							t.Errorf("%s page %s: a space of %.2f em in %q", bk.Name, pg.Label, em, strings.Join(ln.Words, " "))
						}
					}
				}
			}
		}
	}
}
