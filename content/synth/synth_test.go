package synth_test

import (
	"bytes"
	"testing"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/synth"
)

func size(t *testing.T, n int) int {
	total := 0
	for _, f := range synth.Generate(n) {
		total += len(f.Data)
	}
	return total
}

// TestGenerate: the generated handbook compiles cleanly with the real
// one's structure, scales linearly and is deterministic.
func TestGenerate(t *testing.T) {
	for _, n := range []int{1, 3} {
		bk, diags := compile.Load(synth.Generate(n), compile.Options{})
		if bk == nil || len(diags) != 0 {
			t.Fatalf("n=%d: %v", n, diags)
		}
		s := tree.Count(bk)
		if s.Sections != 9*n || s.Chapters != 1+54*n || s.InternalLinks != 9*n || s.InternalResolved != s.InternalLinks {
			t.Errorf("n=%d: %+v", n, s)
		}
		if s.ExternalLinks < 290*n {
			t.Errorf("n=%d: only %d external links", n, s.ExternalLinks)
		}
	}
	one, three := size(t, 1), size(t, 3)
	if one < 80_000 || one > 130_000 {
		t.Errorf("1× is %d bytes; the real handbook is about 100 KB", one)
	}
	if r := float64(three) / float64(one); r < 2.8 || r > 3.2 {
		t.Errorf("3× is %.2f times 1×", r)
	}
	a, b := synth.Generate(2), synth.Generate(2)
	for name, f := range a {
		if !bytes.Equal(f.Data, b[name].Data) {
			t.Errorf("%s differs between runs", name)
		}
	}
}
