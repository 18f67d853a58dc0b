package compile

import "testing"

// TestKindleAccepts: the primary subtag decides, in any case.
func TestKindleAccepts(t *testing.T) {
	for lang, want := range map[string]bool{
		"en": true, "en-US": true, "pt-BR": true, "zh-Hant-TW": true, "DE": true, "ger": true, "gsw": true,
		"tlh": false, "": false, "x-private": false, "english": false,
	} {
		if got := KindleAccepts(lang); got != want {
			t.Errorf("KindleAccepts(%q) = %v, want %v", lang, got, want)
		}
	}
}
