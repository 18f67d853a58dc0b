package pdf

import (
	"bytes"
	"testing"
	"testing/fstest"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/content/example"
)

// FuzzWrite compiles arbitrary handbook text, typesets it, draws it and
// writes the PDF: Write must not panic or fail on any tree the compiler
// accepts, and must produce a PDF. Its inputs are small (a few hundred
// bytes), but each writes a file with its fonts; typeset's FuzzLayout
// fuzzes the layout alone, much faster.
func FuzzWrite(f *testing.F) {
	f.Add("<h1 id=\"intro\">Intro</h1>\n\nSome *text* with **strong** and `code` and a [link](https://example.com/a/long/path?q=1).\n\n<h2>One</h2>\n\n- a\n  - b\n\n> quoted\n\n```\ncode block\n```\n")
	f.Add("<div class=\"section\"><h1>Section I: x</h1><div class=\"section-summary\"><b>Goal:</b> y</div>\n\n## z\n\n| a | b |\n|---|---|\n| ![i](assets/diagram.png) | 😀 |\n")
	f.Add("<h1 id=\"intro\">Intro</h1>\n\n<h2>A</h2>\n\n" + string(bytes.Repeat([]byte("x"), 500)) + "\n\n```\n" + string(bytes.Repeat([]byte("y"), 400)) + "\n```\n")
	f.Add("- a\n  - b\n    - c\n      - d\n\n> q\n\n1. one[^n]\n\n[^n]: note\n")
	png, _ := example.FS.ReadFile("assets/diagram.png")
	f.Fuzz(func(t *testing.T, body string) {
		fsys := fstest.MapFS{
			"index.md":           {Data: []byte("---\ntitle: f\n---\n" + body)},
			"assets/diagram.png": {Data: png},
		}
		bk, _ := compile.Load(fsys, compile.Options{})
		if bk == nil {
			return
		}
		var buf bytes.Buffer
		if _, err := Write(&buf, bk, Options{}); err != nil {
			t.Fatalf("Write: %v", err)
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
			t.Fatalf("not a PDF")
		}
	})
}
