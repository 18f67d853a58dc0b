package compile

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/epub"
)

// nested returns pathological sources: constructs nested n deep, each of
// which cost time quadratic (or worse) in its size before issue 13, item
// 7. The figures are the compile and dump times measured then, on this
// project's 2-core build machine.
func nested(n int) []struct {
	name string
	body string
	was  string
	slow bool
} {
	stair := func(n int) string {
		var sb strings.Builder
		for i := 0; i < n; i++ {
			sb.WriteString(strings.Repeat("  ", i) + "- x\n")
		}
		return sb.String()
	}
	return []struct {
		name string
		body string
		was  string
		slow bool // left out under -short: linear, but a second or so
	}{
		{"brackets", strings.Repeat("[", n) + strings.Repeat("]", n), "compile 13.2 s", false},
		{"open-brackets", strings.Repeat("[", n), "compile 0.7 s", false},
		{"list-markers", strings.Repeat("- ", n/5) + "x", "compile 70 s, dump 76 s", false},
		{"quote-markers", strings.Repeat(">", n/5) + " x", "compile 16 s, dump 9 s", false},
		{"emphasis", strings.Repeat("*a ", n/4) + strings.Repeat(" b*", n/4), "dump 16 s", false},
		{"list-staircase", stair(n / 250), "compile 1 s, growing as size^1.5", true},
		{"html-block", "<div>\n" + strings.Repeat("<b>x</b>\n", n/5) + "</div>", "", true},
		{"same-headings", strings.Repeat("## Exercises\n\nText.\n\n", n/40), "", true},
	}
}

// nestingSize is the size of the pathological sources, about 200 KB.
const nestingSize = 200_000

// allocated returns the bytes and the allocations f makes: work that does
// not depend on the machine or its load, unlike time.
func allocated(f func()) (bytes, mallocs uint64) {
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc, b.Mallocs - a.Mallocs
}

// TestNestingLinear compiles, dumps and writes as an EPUB each
// pathological source (issue 13, item 7; the times before the fix are in
// nested) at two sizes, and checks that the work, counted in bytes and
// allocations, grows with the size and not with its square: at most 2.6
// times for twice the size (issue 25: counted, not timed;
// BenchmarkNesting times it). The books stay sound: deep markers are
// dropped with a warning, extra brackets are text.
func TestNestingLinear(t *testing.T) {
	half, whole := nested(nestingSize/2), nested(nestingSize)
	for i, c := range whole {
		t.Run(c.name, func(t *testing.T) {
			if c.slow && testing.Short() {
				t.Skip("linear but slow; run without -short")
			}
			var dumped int
			work := func(body string) func() {
				return func() {
					fsys := fstest.MapFS{"index.md": {Data: []byte("---\ntitle: t\n---\n<h1>I</h1>\n\n" + body + "\n")}}
					bk, diags := Load(fsys, Options{})
					if bk == nil {
						t.Fatal(diags)
					}
					if err := tree.Check(bk); err != nil {
						t.Fatal(err)
					}
					var buf bytes.Buffer
					if err := tree.Dump(&buf, bk); err != nil {
						t.Fatal(err)
					}
					dumped = buf.Len()
					buf.Reset()
					if err := epub.Write(&buf, bk, epub.Options{Cover: []byte("\x89PNG\r\n\x1a\n")}); err != nil {
						t.Fatal(err)
					}
				}
			}
			b1, m1 := allocated(work(half[i].body))
			b2, m2 := allocated(work(c.body))
			if float64(b2) > 2.6*float64(b1) || float64(m2) > 2.6*float64(m1) {
				t.Errorf("twice the size (%d bytes) took %.1f times the bytes allocated and %.1f times the allocations (before the fix: %s)",
					len(c.body), float64(b2)/float64(b1), float64(m2)/float64(m1), c.was)
			}
			if dumped > 4*len(c.body)+100_000 {
				t.Errorf("the dump of %d bytes is %d bytes long", len(c.body), dumped)
			}
		})
	}
}

// TestFlattenNesting: markers beyond the hundredth on a line, or beyond
// column 400, become spaces, positions unchanged, with one warning.
func TestFlattenNesting(t *testing.T) {
	src := []byte(strings.Repeat("> ", 150) + "deep\n- shallow\n" + strings.Repeat(" ", 401) + "- far\n")
	out, cuts := flattenNesting(src)
	if len(out) != len(src) || len(cuts) != 2 || cuts[0] != 200 || cuts[1] != len(strings.Repeat("> ", 150)+"deep\n- shallow\n")+401 {
		t.Fatalf("cuts %v (len %d → %d)", cuts, len(src), len(out))
	}
	if got := string(out[:200]); got != strings.Repeat("> ", 100) {
		t.Errorf("the first hundred markers changed")
	}
	if strings.Contains(string(out[200:]), ">") || !strings.Contains(string(out), "deep\n- shallow\n") || strings.Contains(string(out), "- far") {
		t.Errorf("got %q", out)
	}
	if same, cuts := flattenNesting([]byte("> a\n- b\n  1. c\n")); cuts != nil || string(same) != "> a\n- b\n  1. c\n" {
		t.Errorf("a shallow source changed")
	}
	bk, diags := Load(fstest.MapFS{"index.md": {Data: []byte("---\ntitle: t\n---\n<h1>I</h1>\n\n" + string(src))}}, Options{})
	if bk == nil || len(diags) != 2 || diags[0].Pos.Line != 6 || !strings.Contains(diags[0].Msg, "nested more than 100 deep") {
		t.Errorf("diagnostics %v", diags)
	}
}

// TestOpenBracketsBounded: past 500 open brackets in a paragraph, a "["
// is text; the link before the pile still works, and every bracket is
// kept.
func TestOpenBracketsBounded(t *testing.T) {
	src := "[a](https://a.example) " + strings.Repeat("[", 600) + " end\n"
	bk, diags := Load(fstest.MapFS{"index.md": {Data: []byte("---\ntitle: t\n---\n<h1>I</h1>\n\n" + src)}}, Options{})
	if bk == nil {
		t.Fatal(diags)
	}
	if n := len(tree.Links(bk)); n != 1 {
		t.Errorf("%d links, want 1", n)
	}
	if got := tree.PlainText(bk.Parts[0].Blocks[0].(*tree.Paragraph).Content); got != "a "+strings.Repeat("[", 600)+" end" {
		t.Errorf("the brackets are not kept as text: %.60q…", got)
	}
}
