package pdf

import (
	"bytes"
	"testing"
	"testing/fstest"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/content/example"
)

// FuzzWrite compiles arbitrary handbook text and typesets it: Write must
// not panic or fail on any tree the compiler accepts, and must produce a
// PDF.
func FuzzWrite(f *testing.F) {
	for _, name := range []string{"_includes/intro.md", "_includes/section1.md", "_includes/section3.md"} {
		data, _ := example.FS.ReadFile(name)
		f.Add(string(data))
	}
	f.Add("<h1 id=\"intro\">Intro</h1>\n\n<h2>A</h2>\n\n" + string(bytes.Repeat([]byte("x"), 500)) + "\n\n```\n" + string(bytes.Repeat([]byte("y"), 400)) + "\n```\n")
	f.Add("- a\n  - b\n    - c\n      - d\n\n> q\n\n| a | b |\n|---|---|\n| 1 | 😀 |\n")
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
