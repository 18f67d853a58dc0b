package fonts

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-text/typesetting/language"

	"github.com/genai-handbook/handbook/content/realbook"
)

// covers reports whether gs's byte ranges cover s exactly, in order.
func covers(gs []Glyph, s string) bool {
	at := 0
	for i, g := range gs {
		if g.Start > g.End || g.End > len(s) {
			return false
		}
		if g.Start != at {
			// Glyphs of one cluster share its range.
			if i == 0 || g.Start != gs[i-1].Start || g.End != gs[i-1].End {
				return false
			}
		}
		at = g.End
	}
	return at == len(s)
}

func sumAdvance(gs []Glyph) float64 {
	var w float64
	for _, g := range gs {
		w += g.Advance
	}
	return w
}

// TestShapeLigatures: Charis SIL draws "ffi", "fl", "ff", "fi" as one
// glyph each (its "liga" feature); the ligature's range covers its
// letters, so the text of every glyph is known.
func TestShapeLigatures(t *testing.T) {
	for st := Regular; st <= BoldItalic; st++ {
		f := Default().Face(st)
		for _, s := range []string{"office", "fluff", "find", "affluent"} {
			gs := f.Shape(s)
			if len(gs) >= utf8.RuneCountInString(s) {
				t.Errorf("%s: %q shaped to %d glyphs, want fewer than its letters", st, s, len(gs))
			}
			if !covers(gs, s) {
				t.Errorf("%s: %q: ranges %v do not cover the text", st, s, gs)
			}
			lig := false
			for _, g := range gs {
				if g.End-g.Start > 1 {
					lig = true
					if f.HasGlyph(rune(s[g.Start])) && g.ID == f.Shape(s[g.Start : g.Start+1])[0].ID {
						t.Errorf("%s: %q: glyph %d over %q is the plain letter's", st, s, g.ID, s[g.Start:g.End])
					}
				}
			}
			if !lig {
				t.Errorf("%s: %q: no glyph covers several letters: %v", st, s, gs)
			}
		}
	}
	// Clusters are byte ranges: "é" is two bytes.
	gs := Default().Face(Regular).Shape("éfi")
	if len(gs) != 2 || gs[0].Start != 0 || gs[0].End != 2 || gs[1].Start != 2 || gs[1].End != 4 {
		t.Errorf("éfi: %+v, want [0,2) [2,4)", gs)
	}
}

// TestShapeKerning: Charis SIL (6.101) has no kerning at all (no "kern"
// table, GPOS only for marks), nor have the Go fonts, so kerning is
// shown with the bundled DejaVu Sans, which has both a GPOS "kern"
// feature and a legacy table: the same glyphs set with more kern pairs
// are narrower.
func TestShapeKerning(t *testing.T) {
	f := Default().Face(Symbol)
	av, aa := f.ShapedWidth("AVAVAVAV", 10), f.ShapedWidth("AAAAVVVV", 10)
	if !(av < aa) {
		t.Errorf("DejaVu Sans: AVAVAVAV %.3f pt not narrower than AAAAVVVV %.3f pt", av, aa)
	}
	if plain := plainWidth(f, "AVAVAVAV", 10); !(av < plain-0.5) {
		t.Errorf("DejaVu Sans: AVAVAVAV shaped %.3f pt, plain %.3f pt: not kerned", av, plain)
	}
	if to, plain := f.ShapedWidth("To", 10), plainWidth(f, "To", 10); !(to < plain) {
		t.Errorf("DejaVu Sans: To shaped %.3f pt, plain %.3f pt: not kerned", to, plain)
	}
	// Charis: shaped widths are the plain ones where no ligature forms.
	c := Default().Face(Regular)
	for _, s := range []string{"AVAVAVAV", "To", "r.", "Typography"} {
		if a, b := c.ShapedWidth(s, 10), plainWidth(c, s, 10); math.Abs(a-b) > 1e-9 {
			t.Errorf("Charis %q: shaped %.6f, plain %.6f", s, a, b)
		}
	}
}

// TestShapeMono: a monospaced face is neither kerned nor ligated: one
// glyph per character at the plain advance.
func TestShapeMono(t *testing.T) {
	for _, st := range []Style{Mono, MonoBold} {
		f := Default().Face(st)
		for _, s := range []string{"office", "fluff", "find", "AVAVAVAV", "x := f(a, b) // ok"} {
			gs := f.Shape(s)
			if len(gs) != len(s) {
				t.Fatalf("%s %q: %d glyphs, want %d", st, s, len(gs), len(s))
			}
			for i, g := range gs {
				if g.Start != i || g.End != i+1 {
					t.Errorf("%s %q: glyph %d covers [%d,%d)", st, s, i, g.Start, g.End)
				}
				if want := f.RuneWidth(rune(s[i]), 1000); g.Advance != want || g.ID == 0 {
					t.Errorf("%s %q: glyph %d id %d advance %v, want %v", st, s, i, g.ID, g.Advance, want)
				}
			}
			if a, b := f.ShapedWidth(s, 9), plainWidth(f, s, 9); math.Abs(a-b) > 1e-9 {
				t.Errorf("%s %q: shaped %v, plain %v", st, s, a, b)
			}
		}
	}
}

// TestShapeMissing: a character the face lacks is glyph 0 with a zero
// advance, measured as RuneWidth measures it, and its range is kept.
func TestShapeMissing(t *testing.T) {
	for _, st := range []Style{Regular, Mono} {
		f := Default().Face(st)
		s := "a😀b"
		gs := f.Shape(s)
		if len(gs) != 3 || gs[1].ID != 0 || gs[1].Advance != 0 || gs[1].Start != 1 || gs[1].End != 5 {
			t.Errorf("%s %q: %+v, want glyph 0 of zero advance over [1,5)", st, s, gs)
		}
		if a, b := f.ShapedWidth(s, 10), plainWidth(f, s, 10); math.Abs(a-b) > 1e-9 {
			t.Errorf("%s %q: shaped %v, plain %v", st, s, a, b)
		}
	}
	if gs := Default().Face(Regular).Shape(""); len(gs) != 0 {
		t.Errorf("empty string shaped to %v", gs)
	}
	// Bytes that are not UTF-8 are shaped as U+FFFD, one byte each.
	for _, st := range []Style{Regular, Mono} {
		if gs := Default().Face(st).Shape("a\xffb"); len(gs) != 3 || !covers(gs, "a\xffb") {
			t.Errorf("%s: invalid UTF-8 shaped to %v", st, gs)
		}
	}
}

// TestShapedWidth: ShapedWidth is the sum of Shape's advances, scaled,
// for cached and uncached (long) strings alike.
func TestShapedWidth(t *testing.T) {
	long := strings.Repeat("office affluent ", 10) // over maxCachedKey
	for _, st := range []Style{Regular, Italic, Mono, Symbol} {
		f := Default().Face(st)
		for _, s := range []string{"office", "Typography", long} {
			want := sumAdvance(f.Shape(s)) * 11 / 1000
			if got := f.ShapedWidth(s, 11); got != want {
				t.Errorf("%s %q: ShapedWidth %v, advances sum to %v", st, s[:min(len(s), 20)], got, want)
			}
		}
	}
}

// TestShapeConcurrent: shaping from several goroutines at once gives
// what shaping alone gives (run with -race to check the locking).
func TestShapeConcurrent(t *testing.T) {
	f, err := Parse("regular", charisRegular)
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Fields("the office fluff find affluent Typography of efficient shuffling waffles AVA To r. " + strings.Repeat("x", maxCachedKey+1))
	want := map[string][]Glyph{}
	ref, _ := Parse("ref", charisRegular)
	for _, w := range words {
		want[w] = append([]Glyph(nil), ref.Shape(w)...)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				w := words[(i*7+g)%len(words)]
				got := f.Shape(w)
				if len(got) != len(want[w]) {
					errs <- w
					return
				}
				for j := range got {
					if got[j] != want[w][j] {
						errs <- w
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for w := range errs {
		t.Errorf("%q shaped differently under concurrency", w)
	}
}

// TestShapeCacheBound: the cache's accounted size stays within its
// bound however many distinct strings are shaped.
func TestShapeCacheBound(t *testing.T) {
	f, err := Parse("regular", charisRegular)
	if err != nil {
		t.Fatal(err)
	}
	s := []byte("abcdefghij")
	var max int64
	for i := range 30000 {
		for j, k := 0, i; j < 5; j, k = j+1, k/26 {
			s[j] = byte('a' + k%26)
		}
		f.Shape(string(s))
		f.shape.mu.RLock()
		max = maxOf(max, int64(f.shape.bytes))
		f.shape.mu.RUnlock()
	}
	if max > maxCacheBytes {
		t.Errorf("cache accounted %d bytes, bound %d", max, maxCacheBytes)
	}
	if max < maxCacheBytes/2 {
		t.Errorf("cache accounted at most %d bytes: 30000 words should have filled it", max)
	}
	n := len(f.shape.cache)
	if n == 0 || n >= 30000 {
		t.Errorf("cache holds %d entries after 30000 words", n)
	}
}

func maxOf(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

var linkTarget = regexp.MustCompile(`\]\([^)]*\)`)

// handbookWords returns the words of the real handbook's markdown, each
// with the face it is mostly set in (a crude reading of the markup:
// `code`, *emphasis*, **strong**), or skips.
func handbookWords(tb testing.TB) (words []string, styles []Style) {
	dir := realbook.Need(tb)
	files, _ := filepath.Glob(filepath.Join(dir, "_includes", "*.md"))
	files = append(files, filepath.Join(dir, "index.md"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		// A link reads as its text; its address is not set in the
		// body face.
		text := linkTarget.ReplaceAllString(string(data), "]")
		for _, w := range strings.Fields(text) {
			st := Regular
			switch {
			case strings.HasPrefix(w, "`"):
				st = Mono
			case strings.HasPrefix(w, "**"):
				st = Bold
			case strings.HasPrefix(w, "*") || strings.HasPrefix(w, "_"):
				st = Italic
			}
			words = append(words, w)
			styles = append(styles, st)
		}
	}
	return words, styles
}

// TestShapeHandbook: every word of the real handbook shapes to glyphs
// covering it; none is displaced (no GPOS mark offsets in its text).
func TestShapeHandbook(t *testing.T) {
	words, styles := handbookWords(t)
	set := Default()
	offsets := 0
	for i, w := range words {
		gs := set.Face(styles[i]).Shape(w)
		if !covers(gs, w) {
			t.Errorf("%q: ranges do not cover the word: %v", w, gs)
		}
		for _, g := range gs {
			if g.XOffset != 0 || g.YOffset != 0 {
				offsets++
			}
		}
	}
	t.Logf("%d glyphs with mark offsets; Regular's cache holds %d bytes", offsets, set.Face(Regular).shape.bytes)
}

// BenchmarkShapeHandbook measures what shaping costs a process that
// typesets the real handbook: each word measured as 4 editions measure
// it. "cold" starts every iteration from freshly parsed faces (empty
// caches, layout tables read anew), as a process does; "warm" is the
// cost once cached.
func BenchmarkShapeHandbook(b *testing.B) {
	words, styles := handbookWords(b)
	chars := 0
	for _, w := range words {
		chars += len(w)
	}
	b.Logf("%d words, %d bytes", len(words), chars)
	run := func(faces [numStyles]*Font) {
		for range 4 {
			for i, w := range words {
				faces[styles[i]].ShapedWidth(w, 10)
			}
		}
	}
	fresh := func() (faces [numStyles]*Font) {
		for st, data := range [][]byte{charisRegular, charisBold, charisItalic, charisBoldItalic} {
			f, err := Parse(Style(st).String(), data)
			if err != nil {
				b.Fatal(err)
			}
			faces[st] = f
		}
		// Go Mono is parsed by sfnt once per process anyway; a fresh
		// parse of it would measure sfnt, not shaping.
		m, _ := Parse("mono", Default().Face(Mono).TTF)
		faces[Mono], faces[MonoBold], faces[Symbol] = m, m, m
		return faces
	}
	b.Run("cold", func(b *testing.B) {
		var cpu time.Duration
		for b.Loop() {
			b.StopTimer()
			faces := fresh()
			runtime.GC() // the previous iteration's garbage is not this one's
			t := cpuTime()
			b.StartTimer()
			run(faces)
			b.StopTimer()
			cpu += cpuTime() - t
			b.StartTimer()
		}
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	})
	b.Run("warm", func(b *testing.B) {
		faces := fresh()
		run(faces)
		t := cpuTime()
		for b.Loop() {
			run(faces)
		}
		b.ReportMetric(float64((cpuTime()-t).Nanoseconds())/float64(b.N), "cpu-ns/op")
	})
}

// cpuTime is the CPU the process has used, user and system, all
// threads: on a shared machine a benchmark's wall time counts other
// processes' turns too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestShapeMatchesHarfBuzz compares Shape with HarfBuzz's own hb-shape
// (Debian's libharfbuzz-bin) on the words of the real handbook, or of a
// list of our own when it is absent, in each proportional face: the
// same glyphs, clusters, advances and offsets.
func TestShapeMatchesHarfBuzz(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs hb-shape")
	}
	if _, err := exec.LookPath("hb-shape"); err != nil {
		t.Skip("hb-shape is not installed (Debian: libharfbuzz-bin)")
	}
	words := strings.Fields("office fluff find affluent AVAVAVAV To Ty r. Wave “quoted” naïve façade e\u0301te\u0301 Vie\u0323\u0302t 1.5 — … ﬁ")
	if _, ok := realbook.Dir(); ok {
		hw, _ := handbookWords(t)
		words = append(words, hw...)
	}
	// hb-shape is told the script; compare only words whose script
	// Shape takes to be Latin too.
	var latin []string
	seen := map[string]bool{}
	for _, w := range words {
		if seen[w] || strings.ContainsAny(w, "\n\r") {
			continue
		}
		seen[w] = true
		sc := language.Latin
		for _, r := range w {
			if s := language.LookupScript(r); s.Strong() && s != language.Unknown {
				sc = s
				break
			}
		}
		if sc == language.Latin {
			latin = append(latin, w)
		}
	}
	dir := t.TempDir()
	text := filepath.Join(dir, "words.txt")
	if err := os.WriteFile(text, []byte(strings.Join(latin, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, st := range []Style{Regular, Bold, Italic, BoldItalic, Symbol} {
		f := Default().Face(st)
		ttf := filepath.Join(dir, st.String()+".ttf")
		if err := os.WriteFile(ttf, f.TTF, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("hb-shape", "--output-format=json", "--no-glyph-names", "--script=Latn", "--utf8-clusters", "--text-file="+text, ttf)
		// LC_ALL=C: hb-shape takes the language from the locale;
		// Shape uses the font's default language system.
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("hb-shape: %v", err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) != len(latin) {
			t.Fatalf("%s: hb-shape gave %d lines for %d words", st, len(lines), len(latin))
		}
		bad := 0
		for i, w := range latin {
			var want []struct{ G, Cl, Dx, Dy, Ax int }
			if err := json.Unmarshal([]byte(lines[i]), &want); err != nil {
				t.Fatalf("%s %q: %v", st, w, err)
			}
			got := f.Shape(w)
			same := len(got) == len(want)
			for j := 0; same && j < len(got); j++ {
				g, h := got[j], want[j]
				units := func(v float64) int { return int(math.Round(v * f.unitsPerEm / 1000)) }
				same = int(g.ID) == h.G && g.Start == h.Cl && (units(g.Advance) == h.Ax || g.ID == 0) && units(g.XOffset) == h.Dx && units(g.YOffset) == h.Dy
			}
			if !same {
				if bad++; bad <= 5 {
					t.Errorf("%s %q:\nShape    %v\nhb-shape %s", st, w, got, lines[i])
				}
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d of %d words differ", st, bad, len(latin))
		}
	}
}

// plainWidth is s's width at size as the sum of its characters'
// advances: unshaped.
func plainWidth(f *Font, s string, size float64) float64 {
	var w float64
	for _, r := range s {
		w += f.RuneWidth(r, size)
	}
	return w
}
