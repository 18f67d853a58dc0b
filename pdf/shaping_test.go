package pdf

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
)

// typoBook compiles a one-chapter book whose paragraph is text.
func typoBook(t *testing.T, text string) *tree.Book {
	t.Helper()
	src := fstest.MapFS{"index.md": {Data: []byte("---\ntitle: Typography\n---\n<h1 id=\"intro\">Intro</h1>\n\n<h2>One</h2>\n\n" + text + "\n")}}
	b, diags := compile.Load(src, compile.Options{})
	if diags.HasErrors() {
		t.Fatalf("compile: %v", diags)
	}
	return b
}

// writeTypo writes b set in fs into dir and returns the file's path.
func writeTypo(t *testing.T, b *tree.Book, fs *fonts.Set, dir, name string) string {
	t.Helper()
	var buf bytes.Buffer
	if _, _, err := write(&buf, b, Options{Paper: "a4", Fonts: fs, Generator: "handbook test", Created: printCreated}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// bboxWords returns the width, in points, of every word pdftotext -bbox
// finds in the PDF at path, by word (the last one met for a word that
// occurs twice).
func bboxWords(t *testing.T, path string) map[string]float64 {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", path, "-")
	ws := map[string]float64{}
	for _, m := range kernWordRE.FindAllStringSubmatch(out, -1) {
		x0, _ := strconv.ParseFloat(m[1], 64)
		x1, _ := strconv.ParseFloat(m[2], 64)
		ws[m[3]] = x1 - x0
	}
	return ws
}

var kernWordRE = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>`)

// TestKerning: set in DejaVu Sans, whose kerning pairs include A–V
// (Charis SIL, the book face, has no kerning at all; see the fonts
// package), "AVAVAVAV" (seven kern pairs) is drawn narrower than
// "AAAAVVVV" (one), the same glyphs: the writer draws the shaper's
// kerned advances, as TJ adjustments, and the line breaker measured them.
func TestKerning(t *testing.T) {
	need(t, "pdftotext")
	ttf, err := os.ReadFile("../fonts/dejavu/DejaVuSans.ttf")
	if err != nil {
		t.Fatal(err)
	}
	fs, err := fonts.NewSet("DejaVu", map[fonts.Style][]byte{fonts.Regular: ttf})
	if err != nil {
		t.Fatal(err)
	}
	path := writeTypo(t, typoBook(t, "Kerning: AVAVAVAV and AAAAVVVV and To"), fs, t.TempDir(), "kern.pdf")
	ws := bboxWords(t, path)
	av, aa := ws["AVAVAVAV"], ws["AAAAVVVV"]
	if av == 0 || aa == 0 {
		t.Fatalf("pdftotext -bbox lacks the words: %v", ws)
	}
	t.Logf("AVAVAVAV %.2f pt, AAAAVVVV %.2f pt", av, aa)
	if !(av < aa-1) {
		t.Errorf("AVAVAVAV (%.2f pt) is not narrower than AAAAVVVV (%.2f pt): not kerned", av, aa)
	}
}

// TestLigatures: in Charis SIL, "office", "fluff", "find" are drawn with
// fewer glyphs than letters (ffi, fl, ff, fi ligatures), and pdftotext
// reads them back as those words, in plain letters, never as U+FB01-style
// presentation forms.
func TestLigatures(t *testing.T) {
	need(t, "pdftotext", "qpdf")
	words := []string{"office", "fluff", "find", "affluent", "waffle"}
	path := writeTypo(t, typoBook(t, "Ligatures: "+strings.Join(words, " ")+"."), fonts.Default(), t.TempDir(), "liga.pdf")

	txt := run(t, "pdftotext", "-enc", "UTF-8", path, "-")
	for _, w := range words {
		if !regexp.MustCompile(`\b` + w + `\b`).MatchString(txt) {
			t.Errorf("pdftotext does not give %q", w)
		}
	}
	if strings.ContainsAny(txt, "\ufb00\ufb01\ufb02\ufb03\ufb04") {
		t.Errorf("pdftotext gives ligature presentation forms:\n%s", txt)
	}

	// The glyphs drawn: each word's shaped glyphs (fewer than its
	// letters) are in a page's text, by their ids (the writer's subsets
	// keep the font's glyph ids: /CIDToGIDMap /Identity).
	face := fonts.Default().Face(fonts.Regular)
	d := readQPDF(t, path)
	var content strings.Builder
	for _, pref := range d.pages {
		if c, _ := d.dict(t, pref)["/Contents"].(string); c != "" {
			content.Write(d.data(t, c))
		}
	}
	text := strings.ToLower(content.String())
	for _, w := range words {
		gs := face.Shape(w)
		if len(gs) >= len(w) {
			t.Errorf("%q shapes to %d glyphs for %d letters: no ligature", w, len(gs), len(w))
		}
		var ids strings.Builder
		for _, g := range gs {
			fmt.Fprintf(&ids, "%04x", g.ID)
		}
		if !strings.Contains(text, ids.String()) {
			t.Errorf("%q: its %d shaped glyphs %s are not drawn", w, len(gs), ids.String())
		}
	}
}
