package epub

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/example"
)

// fuzzSeeds are small handbook texts with every construct the writers
// handle: each fuzz input is a few hundred bytes, so that a run tries
// hundreds of inputs a second rather than a few a minute.
var fuzzSeeds = []string{
	"<h1 id=\"1x\">Intro</h1>\n\n<h2 id=\"a b\">A &amp; <b>B</b></h2>\n\n[x](#a%20b) <i>[^1]</i>\n\n[^1]: note\n",
	"<div class=\"section\"><h1>Section I: x</h1><div class=\"section-summary\"><b>Goal:</b> \x00y</div>\n\n## z\n\n| a |\n|---|\n| ![i](assets/diagram.png) |\n",
	"<h1 id=\"intro\">Intro</h1>\n\nSome *text* with **strong** and `code` and a [link](https://example.com).\n\n<h2>One</h2>\n\n- a\n  - b\n    - c\n\n> quoted\n\n```\ncode block\n```\n",
	"<h2>A</h2>\n\n1. one\n2. two[^n]\n\n[^n]: a note with *emphasis*\n\n<h2>B</h2>\n\nSee [A](#a) and ![remote](https://example.com/x.png).\n",
	"Ada \\\n[v0.1](https://example.com) (June 5, 2024)\n\n<h1 id=\"intro\">Intro</h1>\n\nשלום 😀 漢字 ~~gone~~ <https://example.org/a-long-address>\n",
}

// fuzzBook compiles body as a handbook's index.md beside the example's
// diagram; nil when the compiler refuses it.
func fuzzBook(t *testing.T, body string, png []byte) *tree.Book {
	fsys := fstest.MapFS{
		"index.md":           {Data: []byte("---\ntitle: f\n---\n" + body)},
		"assets/diagram.png": {Data: png},
	}
	bk, _ := compile.Load(fsys, compile.Options{})
	if bk == nil {
		return nil
	}
	if err := tree.Check(bk); err != nil {
		t.Fatal(err)
	}
	return bk
}

// idAttr finds the id attributes the printers write.
var idAttr = regexp.MustCompile(` id="([^"]*)"`)

// wellFormed fails t unless doc is well-formed XML.
func wellFormed(t *testing.T, name string, doc []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		if _, err := d.Token(); err == io.EOF {
			return
		} else if err != nil {
			t.Fatalf("%s is not well-formed: %v\n%s", name, err, doc)
		}
	}
}

// FuzzRender compiles arbitrary handbook text and renders every content
// document and the navigation document with our printers, as Write does
// but without go-epub and the zip: each must be well-formed, and no id
// may repeat within a document. Hundreds of inputs a second; FuzzWrite
// fuzzes the whole writer, more slowly.
func FuzzRender(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	png, _ := example.FS.ReadFile("assets/diagram.png")
	f.Fuzz(func(t *testing.T, body string) {
		bk := fuzzBook(t, body, png)
		if bk == nil {
			return
		}
		bd := &builder{book: bk, opt: Options{Cover: png}.withDefaults(), l: newLayout(bk), images: map[string]string{}}
		bd.toc = bd.l.toc()
		var buf bytes.Buffer
		for _, d := range bd.l.docs {
			buf.Reset()
			buf.WriteString(`<body xmlns:epub="http://www.idpf.org/2007/ops">`)
			bd.body(d, &buf)
			buf.WriteString("</body>")
			wellFormed(t, d.name, buf.Bytes())
			seen := map[string]bool{}
			for _, m := range idAttr.FindAllSubmatch(buf.Bytes(), -1) {
				if seen[string(m[1])] {
					t.Fatalf("%s: id %q twice", d.name, m[1])
				}
				seen[string(m[1])] = true
			}
		}
		wellFormed(t, "nav.xhtml", bd.navDocument())
	})
}

// FuzzWrite compiles arbitrary handbook text and writes it as an EPUB:
// Write must not panic or fail on any tree the compiler accepts, and every
// XHTML and XML entry must stay well-formed.
func FuzzWrite(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	png, _ := example.FS.ReadFile("assets/diagram.png")
	f.Fuzz(func(t *testing.T, body string) {
		bk := fuzzBook(t, body, png)
		if bk == nil {
			return
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
			data, _ := io.ReadAll(rc)
			rc.Close()
			wellFormed(t, e.Name, data)
		}
	})
}
