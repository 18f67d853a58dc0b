package content

import (
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
)

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

// TestPathologicalInputs checks that inputs that could make a naive
// scanner quadratic load in linear work: twice the input, at most 2.6
// times the bytes allocated and the allocations (issue 25: counted, not
// timed), and diagnostics where the input is wrong.
func TestPathologicalInputs(t *testing.T) {
	cases := func(n int) []struct{ name, body string } {
		return []struct{ name, body string }{
			{"raw", "{% raw %}" + strings.Repeat("{%", n) + "%}"},
			{"comment", "{% comment %}" + strings.Repeat("{%", n) + "%}"},
			{"braces", strings.Repeat("{", n)},
			{"tags", strings.Repeat("{{ site.title }}{% if %}", n/10)},
			{"trim", strings.Repeat(" ", n) + "{%- comment -%}" + strings.Repeat(" ", n) + "{% endcomment %}"},
		}
	}
	const n = 200000
	half := cases(n / 2)
	for i, tc := range cases(n) {
		t.Run(tc.name, func(t *testing.T) {
			load := func(body string) func() {
				return func() {
					m := fstest.MapFS{"index.md": {Data: []byte("---\n---\n" + body)}}
					s, diags := Load(m, Options{})
					if s == nil || len(diags) == 0 && tc.name != "braces" && tc.name != "trim" {
						t.Errorf("no diagnostics")
					}
				}
			}
			b1, m1 := allocated(load(half[i].body))
			b2, m2 := allocated(load(tc.body))
			if float64(b2) > 2.6*float64(b1) || float64(m2) > 2.6*float64(m1) {
				t.Errorf("twice the input took %.1f times the bytes allocated and %.1f times the allocations", float64(b2)/float64(b1), float64(m2)/float64(m1))
			}
		})
	}
}
