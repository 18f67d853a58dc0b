package tree

import "testing"

func TestCountWords(t *testing.T) {
	for s, want := range map[string]int{"": 0, "  ": 0, "one": 1, " two  words ": 2, "a\tb\nc\rd": 4, "no\u00a0break": 1, "p. 12": 2} {
		if got := CountWords(s); got != want {
			t.Errorf("CountWords(%q) = %d, want %d", s, got, want)
		}
	}
}
