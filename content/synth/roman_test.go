package synth

import (
	"testing"

	"github.com/genai-handbook/handbook/compile/tree"
)

// TestRoman: synth's numerals are the tree's (synth may not import it).
func TestRoman(t *testing.T) {
	for n := 1; n <= 400; n++ {
		if got, want := roman(n), tree.Roman(n); got != want {
			t.Fatalf("roman(%d) = %q, want %q", n, got, want)
		}
	}
}
