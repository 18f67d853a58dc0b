package font

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/genai-handbook/handbook/content/realbook"
	"github.com/genai-handbook/handbook/fonts"
)

// file is a minimal PDF writer for the tests: it implements Objects and
// writes header, objects in number order, cross-reference table and
// trailer.
type file struct {
	objs [][]byte // objs[n-1] is object n
}

func (w *file) Alloc() int {
	w.objs = append(w.objs, nil)
	return len(w.objs)
}

func (w *file) Put(n int, obj string) { w.objs[n-1] = []byte(obj) }

func (w *file) Stream(n int, dict string, data []byte) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<< /Length %d %s >>\nstream\n", len(data), dict)
	b.Write(data)
	b.WriteString("\nendstream")
	w.objs[n-1] = b.Bytes()
}

// bytes writes the file with root as its catalog.
func (w *file) bytes(root int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	offs := make([]int, len(w.objs))
	for i, o := range w.objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(w.objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(w.objs)+1, root, xref)
	return b.Bytes()
}

// line is a line of text of the test page, in one face.
type line struct {
	face *fonts.Font
	text string
}

// page writes a PDF drawing lines, 24 pt apart at 12 pt, 28 lines a
// page, each shaped and embedded with this package, and returns it. The
// pages are wide, so that no line runs off them (pdftotext reads only
// what is on the page).
func page(t testing.TB, lines []line, opt Options) []byte {
	t.Helper()
	const perPage = 28
	w := &file{}
	catalog, pages := w.Alloc(), w.Alloc()
	used := map[*fonts.Font]*Used{}
	var order []*fonts.Font
	var kids []int
	var contents [][]byte
	for i, l := range lines {
		if i%perPage == 0 {
			contents = append(contents, nil)
		}
		u := used[l.face]
		if u == nil {
			u = &Used{}
			used[l.face] = u
			order = append(order, l.face)
		}
		gs := l.face.Shape(l.text)
		u.AddRun(l.text, gs)
		cs := &contents[len(contents)-1]
		*cs = fmt.Appendf(*cs, "BT /F%d 12 Tf 72 %d Td\n", slicesIndex(order, l.face), 720-24*(i%perPage))
		*cs = AppendTJ(*cs, l.face, gs, 12)
		*cs = append(*cs, "ET\n"...)
	}
	var res strings.Builder
	for i, f := range order {
		n, err := Embed(w, f, used[f], opt)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&res, "/F%d %d 0 R ", i, n)
	}
	var refs strings.Builder
	for _, cs := range contents {
		pg, content := w.Alloc(), w.Alloc()
		kids = append(kids, pg)
		fmt.Fprintf(&refs, "%d 0 R ", pg)
		w.Put(pg, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 2400 792] /Resources << /Font << %s>> >> /Contents %d 0 R >>", pages, res.String(), content))
		w.Stream(content, "", cs)
	}
	w.Put(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pages))
	w.Put(pages, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", refs.String(), len(kids)))
	return w.bytes(catalog)
}

func slicesIndex(fs []*fonts.Font, f *fonts.Font) int {
	for i, g := range fs {
		if g == f {
			return i
		}
	}
	return -1
}

// testLines: ligatures in Charis, kerning in DejaVu Sans (Charis has
// none), characters outside the BMP (surrogates in ToUnicode), and a
// composite glyph.
func testLines() []line {
	set := fonts.Default()
	return []line{
		{set.Face(fonts.Regular), "office find fluff"},
		{set.Face(fonts.Italic), "affluent éclair"},
		{set.Face(fonts.Symbol), "AVAVAVAV"},
		{set.Face(fonts.Symbol), "AAAAVVVV"},
		{set.Face(fonts.Symbol), "😀 ∑ α"},
		{set.Face(fonts.Mono), "x := fi(1)"},
	}
}

// need returns the path of tool or skips.
func need(t *testing.T, tool string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: runs qpdf, pdffonts and pdftotext")
	}
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed", tool)
		}
		t.Skipf("%s is not installed", tool)
	}
	return p
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// TestValidators checks a page drawn with embedded subsets with real
// tools: qpdf finds the file sound; pdffonts sees every font embedded,
// subset, with a ToUnicode map, of type CID TrueType; pdftotext reads
// the words drawn with ligature glyphs as plain letters, and sees the
// kerned "AVAVAVAV" narrower than "AAAAVVVV" (the same glyphs, fewer
// kern pairs).
func TestValidators(t *testing.T) {
	need(t, "qpdf")
	need(t, "pdffonts")
	need(t, "pdftotext")
	dir := t.TempDir()
	name := filepath.Join(dir, "page.pdf")
	if err := os.WriteFile(name, page(t, testLines(), Options{}), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := run(t, "qpdf", "--check", name); !strings.Contains(out, "No syntax or stream encoding errors found") {
		t.Errorf("qpdf --check:\n%s", out)
	}

	fontsOut := run(t, "pdffonts", name)
	rows := strings.Split(strings.TrimSpace(fontsOut), "\n")[2:]
	if len(rows) != 4 {
		t.Errorf("pdffonts lists %d fonts, want 4:\n%s", len(rows), fontsOut)
	}
	row := regexp.MustCompile(`^[A-Z]{6}\+(\S+)\s+CID TrueType\s+Identity-H\s+yes yes yes\s+\d+\s+0$`)
	for _, r := range rows {
		if !row.MatchString(r) {
			t.Errorf("pdffonts row not a subset CID TrueType font, embedded, with ToUnicode:\n%s", r)
		}
	}

	text := run(t, "pdftotext", "-raw", name, "-")
	for _, want := range []string{"office find fluff", "affluent éclair", "AVAVAVAV", "AAAAVVVV", "😀 ∑ α", "x := fi(1)"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, text)
		}
	}
	if strings.ContainsAny(text, "\uFB00\uFB01\uFB02\uFB03\uFB04") {
		t.Errorf("pdftotext gives presentation forms:\n%s", text)
	}

	html := run(t, "pdftotext", "-bbox", name, "-")
	box := func(word string) float64 {
		m := regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="[0-9.]+" xMax="([0-9.]+)" yMax="[0-9.]+">` + word + `</word>`).FindStringSubmatch(html)
		if m == nil {
			t.Fatalf("no box for %q:\n%s", word, html)
		}
		x0, _ := strconv.ParseFloat(m[1], 64)
		x1, _ := strconv.ParseFloat(m[2], 64)
		return x1 - x0
	}
	av, aa := box("AVAVAVAV"), box("AAAAVVVV")
	if !(av < aa-1) {
		t.Errorf("AVAVAVAV box %.2f pt not narrower than AAAAVVVV %.2f pt", av, aa)
	}
	// The boxes are as wide as the shaper measured.
	sym := fonts.Default().Face(fonts.Symbol)
	for w, got := range map[string]float64{"AVAVAVAV": av, "AAAAVVVV": aa} {
		if want := sym.ShapedWidth(w, 12); got < want-0.5 || got > want+0.5 {
			t.Errorf("%s: box %.2f pt, shaped width %.2f pt", w, got, want)
		}
	}
}

// TestSanitizer runs the subsets through the OpenType Sanitizer
// (Debian's opentype-sanitizer), the strict checker browsers pass every
// web font through, PDF viewers written in JavaScript included. It is
// not among the packages CI installs: without it the test skips.
func TestSanitizer(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs ots-sanitize")
	}
	if _, err := exec.LookPath("ots-sanitize"); err != nil {
		t.Skip("ots-sanitize is not installed (Debian: opentype-sanitizer)")
	}
	dir := t.TempDir()
	byFace := map[*fonts.Font][]string{}
	for _, l := range testLines() {
		byFace[l.face] = append(byFace[l.face], l.text)
	}
	byFace[fonts.Default().Face(fonts.Bold)] = nil // .notdef alone
	i := 0
	for f, texts := range byFace {
		e := embed(t, f, texts...)
		name := filepath.Join(dir, strconv.Itoa(i)+".ttf")
		i++
		if err := os.WriteFile(name, e.sub, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("ots-sanitize", name, filepath.Join(dir, "out.ttf")).CombinedOutput(); err != nil {
			t.Errorf("%s subset of %q: ots-sanitize: %v\n%s", f.Name, texts, err, out)
		}
	}
}

// TestHandbookWords draws every word of the real handbook that Charis
// can draw, in its Regular face, and reads them back with pdftotext: each
// ligature, each character, comes back as itself.
func TestHandbookWords(t *testing.T) {
	need(t, "pdftotext")
	dir := realbook.Need(t)
	names, _ := filepath.Glob(filepath.Join(dir, "_includes", "*.md"))
	reg := fonts.Default().Face(fonts.Regular)
	var words []string
	for _, name := range append(names, filepath.Join(dir, "index.md")) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
	word:
		for _, w := range strings.Fields(string(data)) {
			for _, r := range w {
				// Characters Charis lacks are drawn in another
				// face by the book: here they would all be glyph
				// 0, which stands for one text only.
				if !reg.HasGlyph(r) {
					continue word
				}
			}
			words = append(words, w)
		}
	}
	var lines []line
	for i := 0; i < len(words); i += 6 {
		lines = append(lines, line{reg, strings.Join(words[i:min(i+6, len(words))], " ")})
	}
	name := filepath.Join(t.TempDir(), "words.pdf")
	if err := os.WriteFile(name, page(t, lines, Options{}), 0o644); err != nil {
		t.Fatal(err)
	}
	need(t, "qpdf")
	if out := run(t, "qpdf", "--check", name); !strings.Contains(out, "No syntax or stream encoding errors found") {
		t.Errorf("qpdf --check:\n%s", out)
	}
	got := strings.Fields(run(t, "pdftotext", "-raw", name, "-"))
	if len(got) != len(words) {
		for i := range min(len(got), len(words)) {
			if got[i] != words[i] {
				t.Fatalf("pdftotext gives %d words, %d drawn; from word %d: drawn %q, extracted %q", len(got), len(words), i, words[i:i+3], got[i:i+3])
			}
		}
		t.Fatalf("pdftotext gives %d words, %d drawn", len(got), len(words))
	}
	bad := 0
	for i := range words {
		if got[i] != words[i] {
			if bad++; bad <= 10 {
				t.Errorf("word %d: drawn %q, extracted %q", i, words[i], got[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d words extract differently", bad, len(words))
	}
}
