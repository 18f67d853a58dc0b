package edition

import (
	"testing"
	"testing/fstest"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/content/example"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// fuzzSeeds are small handbook texts with every construct the typesetter
// sets: each fuzz input is a few hundred bytes, so that a run tries
// hundreds of inputs a second.
var fuzzSeeds = []string{
	"<h1 id=\"intro\">Intro</h1>\n\nSome *text* with **strong** and `code` and a [link](https://example.com/a/long/path?q=1).\n\n<h2>One</h2>\n\n- a\n  - b\n    - c\n\n> quoted\n\n```\ncode block with a long line that goes on and on and on and on and on\n```\n",
	"<div class=\"section\"><h1>Section I: x</h1><div class=\"section-summary\"><b>Goal:</b> y</div>\n\n## z\n\n| a | b |\n|---|---|\n| ![i](assets/diagram.png) | 😀 |\n\n![fig](assets/diagram.png)\n",
	"<h2>A</h2>\n\n1. one\n2. two[^n]\n\n[^n]: a note with *emphasis*\n\n<h2>B</h2>\n\nSee [A](#a), <https://example.org/x> and ![remote](https://example.com/x.png).\n",
	"Ada \\\n[v0.1](https://example.com) (June 5, 2024)\n\n<h1 id=\"intro\">Intro</h1>\n\nשלום 漢字 ~~gone~~ averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongword\n",
}

// FuzzLayout compiles arbitrary handbook text and typesets it, on screen,
// in print or as a booklet (by the input's length), without drawing: Typeset must not panic or fail on any
// tree the compiler accepts, every page must have its label, and every
// operation must lie on its page. Hundreds of inputs a second; the pdf
// package's FuzzWrite also draws and writes the file, more slowly.
func FuzzLayout(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	png, _ := example.FS.ReadFile("assets/diagram.png")
	cache := &layout.Cache{} // shared, as a build shares it between editions
	f.Fuzz(func(t *testing.T, body string) {
		fsys := fstest.MapFS{
			"index.md":           {Data: []byte("---\ntitle: f\n---\n" + body)},
			"assets/diagram.png": {Data: png},
		}
		bk, _ := compile.Load(fsys, compile.Options{})
		if bk == nil {
			return
		}
		// One edition an input, chosen by the input (so the fuzzer can
		// steer it): three Typesets an input ran under a hundred inputs
		// a second, and each edition still meets every kind of tree.
		editions := []Options{{}, {Print: true, Duplex: true, Cache: cache}, {Paper: "a5", Print: true, Duplex: true, Booklet: true, Cache: cache}}
		for _, opt := range editions[len(body)%len(editions) : len(body)%len(editions)+1] {
			lay, _, err := Typeset(bk, opt)
			if err != nil {
				t.Fatalf("Typeset(%+v): %v", opt, err)
			}
			if len(lay.Pages) == 0 {
				t.Fatal("no pages")
			}
			g := lay.Geometry
			for i, p := range lay.Pages {
				if p.Label == "" {
					t.Fatalf("page %d has no label", i+1)
				}
				for _, op := range p.Ops {
					if op.X < -1 || op.Y < -1 || op.X > g.W+1 || op.Y > g.H+1 {
						t.Fatalf("page %d: %v operation at (%.1f, %.1f), off the %.0f×%.0f mm page", i+1, op.Kind, op.X, op.Y, g.W, g.H)
					}
				}
			}
		}
	})
}
