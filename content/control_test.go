package content

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestControlCharacters: NUL and the other C0 control characters but tab,
// LF and CR are removed from the source, once, with a warning at each
// line that had them (issue 13, item 14); positions after them still
// point into the right line.
func TestControlCharacters(t *testing.T) {
	fsys := fstest.MapFS{
		"index.md":            {Data: []byte("---\ntitle: t\n---\nA\x00B\x01C\tD\r\n\x1bEnd {% include x.md %}\n")},
		"_includes/x.md":      {Data: []byte("x\x7fy\x1fz\n")},
		"_includes/binary.md": {Data: []byte(strings.Repeat("\x00\x01\n", 50))},
	}
	src, diags := Load(fsys, Options{})
	if want := "A" + "BC\tD\nEnd x\x7fyz\n\n"; string(src.Text) != want {
		t.Errorf("text %q, want %q", src.Text, want)
	}
	var got []string
	for _, d := range diags {
		got = append(got, d.String())
	}
	want := []string{
		"index.md:4:2: warning: 2 control characters (the first U+0000) removed: a book cannot show it",
		"index.md:5:1: warning: control character U+001B removed: a book cannot show it",
		"_includes/x.md:1:4: warning: control character U+001F removed: a book cannot show it",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p := src.Pos(strings.Index(string(src.Text), "End")); p.Line != 5 || p.Col != 1 {
		t.Errorf("position after a removed control character: %v", p)
	}

	// A file full of them gives a bounded number of warnings.
	fsys["index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: t\n---\n{% include binary.md %}\n")}
	src, diags = Load(fsys, Options{})
	if strings.ContainsAny(string(src.Text), "\x00\x01") || len(diags) != maxControlLines+1 || !strings.Contains(diags[len(diags)-1].Msg, "40 more lines") {
		t.Errorf("%d diagnostics for a binary include, last %v", len(diags), diags[len(diags)-1])
	}
}
