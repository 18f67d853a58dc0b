package epub

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/example"
)

// FuzzWrite compiles arbitrary handbook text and writes it as an EPUB:
// Write must not panic or fail on any tree the compiler accepts, and every
// XHTML and XML entry must stay well-formed.
func FuzzWrite(f *testing.F) {
	for _, name := range []string{"_includes/intro.md", "_includes/section1.md", "_includes/section2.md", "_includes/section3.md"} {
		data, _ := example.FS.ReadFile(name)
		f.Add(string(data))
	}
	f.Add("<h1 id=\"1x\">Intro</h1>\n\n<h2 id=\"a b\">A &amp; <b>B</b></h2>\n\n[x](#a%20b) <i>[^1]</i>\n\n[^1]: note\n")
	f.Add("<div class=\"section\"><h1>Section I: x</h1><div class=\"section-summary\"><b>Goal:</b> \x00y</div>\n\n## z\n\n| a |\n|---|\n| ![i](assets/diagram.png) |\n")
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
		if err := tree.Check(bk); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, bk, Options{Cover: png}); err != nil { // a given cover: drawing one is tested elsewhere and slow under coverage instrumentation
			t.Fatalf("Write: %v", err)
		}
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range zr.File {
			if !strings.HasSuffix(e.Name, ".xhtml") && !strings.HasSuffix(e.Name, ".opf") && !strings.HasSuffix(e.Name, ".ncx") {
				continue
			}
			rc, _ := e.Open()
			d := xml.NewDecoder(rc)
			for {
				if _, err := d.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("%s is not well-formed: %v", e.Name, err)
				}
			}
			rc.Close()
		}
	})
}
