package content

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestPathologicalInputs checks that inputs that could make a naive
// scanner quadratic load quickly.
func TestPathologicalInputs(t *testing.T) {
	const n = 200000
	for _, tc := range []struct{ name, body string }{
		{"raw", "{% raw %}" + strings.Repeat("{%", n) + "%}"},
		{"comment", "{% comment %}" + strings.Repeat("{%", n) + "%}"},
		{"braces", strings.Repeat("{", n)},
		{"tags", strings.Repeat("{{ site.title }}{% if %}", n/10)},
		{"trim", strings.Repeat(" ", n) + "{%- comment -%}" + strings.Repeat(" ", n) + "{% endcomment %}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := fstest.MapFS{"index.md": {Data: []byte("---\n---\n" + tc.body)}}
			start := time.Now()
			s, diags := Load(m, Options{})
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("Load took %v", d)
			}
			if s == nil || len(diags) == 0 && tc.name != "braces" && tc.name != "trim" {
				t.Errorf("no diagnostics")
			}
		})
	}
}
