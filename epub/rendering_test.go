package epub

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/genai-handbook/handbook/content/example"
	"github.com/genai-handbook/handbook/epub/chromium"
)

var docsFlag = flag.Bool("docs", false, "write the README's pictures of a phone-width page, light and dark, into docs/ (TestRendering)")

// unzipBook writes the container's entries under dir and returns its
// XHTML documents (the navigation document included), sorted.
func unzipBook(t testing.TB, data []byte, dir string) []string {
	t.Helper()
	var docs []string
	for name, b := range unpack(t, data).files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".xhtml") {
			docs = append(docs, name)
		}
	}
	slices.Sort(docs)
	return docs
}

// TestRendering renders every XHTML document of the example's and the
// real handbook's EPUBs with the book's CSS in headless Chromium, at a
// phone's and a tablet's width, in the light and the dark scheme, and
// asserts what epubcheck cannot see: nothing wider than the screen (code
// and long URLs wrap), all text at 4.5:1 contrast or better against the
// page, every image within the screen and loaded, every internal link's
// target present, and every footnote marked for pop-ups (see package
// chromium). With -docs it also writes the README's pictures of a
// phone-width page of the example, light and dark.
func TestRendering(t *testing.T) {
	br := chromium.Start(t)
	books := map[string][]byte{
		"example": write(t, loadBook(t, example.FS), Options{Modified: time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)}),
	}
	if fsys, ok := handbookFS(); ok {
		books["handbook"] = write(t, loadBook(t, fsys), Options{})
	} else {
		t.Log("the real handbook is absent: only the example is rendered")
	}
	for _, name := range sortedKeys(books) {
		dir := t.TempDir()
		docs := unzipBook(t, books[name], dir)
		start := time.Now()
		rep, err := br.Check(dir, docs)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range rep.Findings {
			t.Errorf("%s: %s", name, f)
		}
		if rep.Renders != len(docs)*len(chromium.Viewports)*len(chromium.Schemes) || rep.Texts == 0 || rep.Links == 0 {
			t.Errorf("%s: rendered and checked too little: %s", name, rep.Summary())
		}
		// The time is logged, never asserted.
		t.Logf("%s: %s, in %v", name, rep.Summary(), time.Since(start).Round(time.Millisecond))
		if name == "example" && *docsFlag {
			writeDocsPictures(t, br, dir)
		}
	}
}

// writeDocsPictures writes a phone-width page of the example (a chapter
// with a code block, links and a footnote), light and dark, into docs/.
func writeDocsPictures(t *testing.T, br *chromium.Browser, dir string) {
	for _, scheme := range chromium.Schemes {
		png, err := br.Screenshot(filepath.Join(dir, "EPUB", "xhtml", "ch-006.xhtml"), chromium.Viewports[0], scheme)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join("..", "docs", "epub-phone-"+scheme+".png")
		if err := os.WriteFile(out, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", out, len(png))
	}
}

// TestRenderingCanFail renders a page made to break every check (a table
// of 24 columns, text in a colour of its own too faint on a light page, an
// image without a source, a link to no id, a footnote marked for no
// reading system) beside the example's documents, and asserts that each
// check fails on it, and on it alone.
func TestRenderingCanFail(t *testing.T) {
	br := chromium.Start(t)
	dir := t.TempDir()
	docs := unzipBook(t, write(t, loadBook(t, example.FS), Options{}), dir)
	broken, err := os.ReadFile(filepath.Join("testdata", "render-broken.xhtml"))
	if err != nil {
		t.Fatal(err)
	}
	const name = "EPUB/xhtml/broken.xhtml"
	os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), broken, 0o644)
	rep, err := br.Check(dir, append(docs, name))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // check → what its finding names
		"overflow": "table#wide-table",
		"contrast": "span#pale",
		"image":    "img#stray",
		"link":     "#nowhere",
		"footnote": "a#ref-1",
	}
	found := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Doc != name {
			t.Errorf("a finding in the example itself: %s", f)
			continue
		}
		if strings.Contains(f.What, want[f.Check]) {
			found[f.Check] = true
		}
		t.Logf("found, as it should: %s", f)
	}
	for check, what := range want {
		if !found[check] {
			t.Errorf("the %s check did not find %s", check, what)
		}
	}
	if got := strings.Join(rep.Failed(), ","); got != "contrast,footnote,image,link,overflow" {
		t.Errorf("failed checks %s, want all five", got)
	}
}
