package pdf

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/design"
	"github.com/genai-handbook/handbook/pdf/edition"
	"github.com/genai-handbook/handbook/pdf/internal/testbook"
	"github.com/genai-handbook/handbook/pdf/layout"
	"github.com/genai-handbook/handbook/pdf/qr"
)

// This file tests the print edition: references and QR codes, page
// references, two-sided layout, the booklet, determinism and the layout
// rules.

var docsFlag = flag.Bool("docs", false, "render the print edition's sample images into docs/print/")

var printCreated = time.Date(2024, 6, 5, 12, 0, 0, 0, time.UTC)

// printBuild is one written print-edition PDF.
type printBuild struct {
	built
	opt Options
}

// printCache holds the print builds the tests share: the real handbook
// takes a second or two to build, and several tests read the same file.
var printCache struct {
	sync.Mutex
	dir string
	m   map[string]*printBuild
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if printCache.dir != "" {
		os.RemoveAll(printCache.dir)
	}
	os.Exit(code)
}

// buildPrint writes bk with opt (Created and Generator set here), once.
func buildPrint(t testing.TB, bk book, opt Options) *printBuild {
	t.Helper()
	opt.Created = printCreated
	opt.Generator = "handbook test"
	printCache.Lock()
	defer printCache.Unlock()
	if printCache.m == nil {
		dir, err := os.MkdirTemp("", "pdf-print-")
		if err != nil {
			t.Fatal(err)
		}
		printCache.dir, printCache.m = dir, map[string]*printBuild{}
	}
	key := bk.name + "-" + Filename(bk.b, opt)
	if opt.SignatureSheets != 0 || opt.Creep != 0 {
		key += fmt.Sprintf("-%d-sheets-%g-creep", opt.SignatureSheets, opt.Creep)
	}
	if pb := printCache.m[key]; pb != nil {
		return pb
	}
	var buf bytes.Buffer
	res, lay, err := write(&buf, bk.b, opt)
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	path := filepath.Join(printCache.dir, key)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	paper := opt.Paper
	if paper == "" {
		paper = "a4"
	}
	pb := &printBuild{built: built{book: bk, paper: paper, path: path, data: buf.Bytes(), res: res, lay: lay}, opt: opt}
	printCache.m[key] = pb
	return pb
}

// externalURLs returns every external address of the book: links, remote
// images, the author's links and the version's source.
func externalURLs(b *tree.Book) map[string]bool {
	urls := map[string]bool{}
	tree.Walk(b, func(_ tree.Block, in tree.Inline) bool {
		switch x := in.(type) {
		case *tree.Link:
			if !x.IsInternal() && x.URL != "" {
				urls[x.URL] = true
			}
		case *tree.Image:
			if x.File == nil && x.Src != "" {
				urls[x.Src] = true
			}
		}
		return true
	})
	for _, l := range b.Meta.AuthorLinks {
		urls[l.URL] = true
	}
	if b.Meta.VersionURL != "" {
		urls[b.Meta.VersionURL] = true
	}
	return urls
}

// TestPrintOptions checks option validation and file names.
func TestPrintOptions(t *testing.T) {
	b := testbook.Fixture()
	names := map[string]bool{}
	for _, o := range []Options{
		{}, {Paper: "letter"}, {Paper: "a5"},
		{Edition: "print"}, {Edition: "print", Paper: "letter"}, {Edition: "print", Paper: "a5"},
		{Edition: "print", Simplex: true}, {Booklet: true},
	} {
		n := Filename(b, o)
		if names[n] {
			t.Errorf("%+v: file name %s is not distinct", o, n)
		}
		names[n] = true
	}
	for n, o := range map[string]Options{
		"generative-ai-handbook-v0.1-print.pdf":        {Edition: "print"},
		"generative-ai-handbook-v0.1-print-letter.pdf": {Edition: "print", Paper: "letter"},
		"generative-ai-handbook-v0.1-print-a5.pdf":     {Edition: "Print", Paper: "A5"},
		"generative-ai-handbook-v0.1-booklet.pdf":      {Edition: "print", Booklet: true},
		"generative-ai-handbook-v0.1.pdf":              {Edition: "screen"},
	} {
		if got := Filename(b, o); got != n {
			t.Errorf("Filename(%+v) = %s, want %s", o, got, n)
		}
	}
	for _, o := range []Options{
		{Edition: "paper"},
		{Edition: "screen", Booklet: true},
		{Booklet: true, Simplex: true},
		{Booklet: true, Paper: "letter"},
		{Booklet: true, SignatureSheets: -1},
		{Booklet: true, Creep: 3},
	} {
		if _, err := Write(io.Discard, b, o); err == nil {
			t.Errorf("Write(%+v) accepted invalid options", o)
		}
	}
}

// TestPrintURLs asserts that every external address of the example and
// the real handbook is printed in full in the print edition. pdftotext
// gives a broken address as consecutive lines; a break never adds a
// character, so joining the lines restores it.
func TestPrintURLs(t *testing.T) {
	need(t, "pdftotext")
	for _, bk := range books(t)[1:] {
		pb := buildPrint(t, bk, Options{Edition: "print"})
		txt := run(t, "pdftotext", "-enc", "UTF-8", pb.path, "-")
		joined := strings.ReplaceAll(txt, "\n", "")
		want := externalURLs(bk.b)
		found := 0
		for u := range want {
			if strings.Contains(joined, u) {
				found++
			} else {
				t.Errorf("%s: %s not printed in full", bk.name, u)
			}
		}
		t.Logf("%s: %d of %d external URLs printed in full", bk.name, found, len(want))
		if bk.real && len(want) < 250 {
			t.Errorf("handbook has %d external URLs, expected about 270", len(want))
		}
	}
}

// TestPrintQRCodes renders the pages that carry QR codes (only the column
// the codes are in) and decodes every code with zbarimg: the decoded
// addresses must be exactly the codes drawn, one per resource, and as a
// set the book's external addresses.
func TestPrintQRCodes(t *testing.T) {
	need(t, "pdftoppm", "zbarimg")
	t.Parallel()
	for _, bk := range books(t)[1:] {
		pb := buildPrint(t, bk, Options{Edition: "print"})
		got := decodeQR(t, pb.path, pb.lay.Pages, pb.lay.Geometry)
		var want []string
		for _, pg := range pb.lay.Pages {
			for _, o := range pg.Ops {
				if o.Kind == layout.OpQR {
					want = append(want, qr.Text(o.Text))
				}
			}
		}
		sort.Strings(want)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: decoded %d codes, drew %d; first differences: %v", bk.name, len(got), len(want), head(diffSorted(got, want), 10))
		}
		set := map[string]bool{}
		for _, u := range got {
			set[u] = true
		}
		// A code for every deep link, none for a home page.
		for u := range externalURLs(bk.b) {
			pu, err := url.Parse(u)
			deep := err == nil && (strings.Trim(pu.EscapedPath(), "/") != "" || pu.RawQuery != "")
			if deep && !set[qr.Text(u)] {
				t.Errorf("%s: no QR code decodes to %s", bk.name, u)
			}
			if !deep && set[qr.Text(u)] {
				t.Errorf("%s: a QR code for %s, which is no deep link", bk.name, u)
			}
		}
		t.Logf("%s: %d QR codes decoded (%d distinct URLs)", bk.name, len(got), len(set))
	}
}

// qrDPI is the resolution QR pages are rendered at: the lowest at which
// every code decodes reliably (modules are ≥ 0.45 mm, 2.7 pixels).
const qrDPI = 150

// decodeQR renders the pages with QR codes at qrDPI, cropped to the
// column they are in, and returns the sorted decoded strings.
func decodeQR(t *testing.T, path string, pages []*layout.Page, g *layout.Geometry) []string {
	t.Helper()
	var idx []int
	minX, maxX := math.Inf(1), math.Inf(-1)
	for i, pg := range pages {
		has := false
		for _, o := range pg.Ops {
			if o.Kind == layout.OpQR {
				has = true
				minX = math.Min(minX, o.X)
				maxX = math.Max(maxX, o.X+o.W)
			}
		}
		if has {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	px := func(mm float64) int { return int(mm / 25.4 * qrDPI) }
	// A quiet zone's width of white on both sides (the codes bring
	// theirs, but the crop must not cut it).
	x0, x1 := math.Max(0, minX-6), math.Min(g.W, maxX+6)
	dir := t.TempDir()
	// Starting pdftoppm costs more than rendering a narrow strip of a
	// page, so two processes render the span from the first page with
	// codes to the last, half each, and only pages with codes are read.
	first, last := idx[0]+1, idx[len(idx)-1]+1
	mid := (first + last) / 2
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for _, r := range [][2]int{{first, mid}, {mid + 1, last}} {
		if r[0] > r[1] {
			continue
		}
		wg.Add(1)
		go func(r [2]int) {
			defer wg.Done()
			out, err := exec.Command("pdftoppm", "-gray", "-r", strconv.Itoa(qrDPI),
				"-f", strconv.Itoa(r[0]), "-l", strconv.Itoa(r[1]),
				"-x", strconv.Itoa(px(x0)), "-y", "0", "-W", strconv.Itoa(px(x1-x0)), "-H", strconv.Itoa(px(g.H)),
				path, filepath.Join(dir, "p")).CombinedOutput()
			if err != nil {
				errs <- fmt.Errorf("pdftoppm: %v: %s", err, out)
			}
		}(r)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// pdftoppm names pages p-N.pgm with N zero-padded to the width of
	// the document's last page number.
	digits := len(strconv.Itoa(len(pages)))
	var files []string
	for _, i := range idx {
		f := filepath.Join(dir, fmt.Sprintf("p-%0*d.pgm", digits, i+1))
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("pdftoppm did not render page %d: %v", i+1, err)
		}
		files = append(files, f)
	}
	// Two zbarimg processes, each on half the images.
	var mu sync.Mutex
	var got []string
	half := (len(files) + 1) / 2
	for _, part := range [][]string{files[:half], files[half:]} {
		if len(part) == 0 {
			continue
		}
		wg.Add(1)
		go func(part []string) {
			defer wg.Done()
			cmd := exec.Command("zbarimg", append([]string{"-q", "--raw", "-Sdisable", "-Sqrcode.enable"}, part...)...)
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			err := cmd.Run()
			var ee *exec.ExitError
			if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 4) { // 4: an image had no code
				t.Errorf("zbarimg: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, l := range strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n") {
				if l != "" {
					got = append(got, l)
				}
			}
		}(part)
	}
	wg.Wait()
	sort.Strings(got)
	return got
}

// diffSorted returns the strings that occur more often in one sorted
// list than in the other, marked - (only in a) and + (only in b).
func diffSorted(a, b []string) []string {
	count := map[string]int{}
	for _, s := range a {
		count[s]++
	}
	for _, s := range b {
		count[s]--
	}
	var d []string
	for s, n := range count {
		if n > 0 {
			d = append(d, "-"+s)
		} else if n < 0 {
			d = append(d, "+"+s)
		}
	}
	sort.Strings(d)
	return d
}

// TestPrintPageRefs asserts that every page reference printed (after an
// internal link, in the study plan and the about page) names the page on
// which its target is drawn, that the target's heading is on that page of
// the PDF, and that each internal link's reference is in the text.
func TestPrintPageRefs(t *testing.T) {
	need(t, "pdftotext")
	for _, bk := range books(t) {
		pb := buildPrint(t, bk, Options{Edition: "print"})
		lay := pb.lay
		for id, printed := range lay.Refs {
			d, ok := lay.Anchors[id]
			if !ok {
				t.Errorf("%s: reference to %s, which is nowhere", bk.name, id)
				continue
			}
			if got := lay.Pages[d.Page].Label; got != printed {
				t.Errorf("%s: reference to %s says p. %s, it is on p. %s", bk.name, id, printed, got)
			}
		}
		pages := strings.Split(run(t, "pdftotext", "-enc", "UTF-8", pb.path, "-"), "\f")
		all := squash(strings.Join(pages, " "))
		n := 0
		for _, l := range tree.Links(bk.b) {
			if l.Target == nil {
				continue
			}
			n++
			id := l.Target.ID
			d := lay.Anchors[id]
			label := lay.Pages[d.Page].Label
			if lay.Refs[id] != label {
				t.Errorf("%s: link to %s: printed p. %q, target on p. %s", bk.name, id, lay.Refs[id], label)
			}
			if h := l.Target.Heading; h != nil && !strings.Contains(squash(pages[d.Page]), squash(lastWords(h.Title(), 3))) {
				t.Errorf("%s: heading %q not found on PDF page %d (p. %s)", bk.name, h.Title(), d.Page+1, label)
			}
			// Some occurrence of the link text is followed, within the
			// length of "Chapter 47, p. 187", by "p. <label>".
			lt := squash(tree.PlainText(l.Content))
			found := false
			for i := 0; !found; {
				j := strings.Index(all[i:], lt)
				if j < 0 {
					break
				}
				after := all[i+j+len(lt):]
				after = after[:min(len(after), 24)]
				// "p<label>" not followed by another digit.
				if k := strings.Index(after, "p"+label); k >= 0 {
					rest := after[k+1+len(label):]
					found = rest == "" || rest[0] < '0' || rest[0] > '9'
				}
				i += j + 1
			}
			if !found {
				t.Errorf("%s: link %q: no reference to p. %s after it in the text", bk.name, tree.PlainText(l.Content), label)
			}
		}
		t.Logf("%s: %d internal links, %d page references checked, %d passes", bk.name, n, len(lay.Refs), lay.Passes)
		if bk.real && n != 13 {
			t.Errorf("handbook: %d internal links, want 13", n)
		}
	}
}

// TestPrintRefText checks the wording of page references and the
// numbering of resources on the fixture: one number per URL per section.
func TestPrintRefText(t *testing.T) {
	need(t, "pdftotext")
	pb := buildPrint(t, book{name: "fixture", b: testbook.Fixture()}, Options{Edition: "print"})
	txt := strings.Join(strings.Fields(run(t, "pdftotext", "-enc", "UTF-8", pb.path, "-")), " ")
	label := func(id string) string { return pb.lay.Pages[pb.lay.Anchors[id].Page].Label }
	for _, want := range []string{
		"the chapter on time series (Chapter 3, p. " + label("time-series") + ")",
		"Section II (p. " + label("s2") + ")",
		"ARIMA (§3.1, p. " + label("arima-and-friends") + ")",
		"Probabilistic Machine Learning[2]",
		"@willccbb[1]",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("print text lacks %q", want)
		}
	}
	if strings.Count(txt, "Resources") < 3 {
		t.Errorf("expected Resources lists in the front matter and chapters")
	}
}

// bword is a word of pdftotext -bbox output, in mm.
type bword struct {
	x0, y0, x1, y1 float64
	s              string
}

var (
	bboxPageRE = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	bboxWordRE = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// bboxPages returns the words of every page of a PDF.
func bboxPages(t *testing.T, path string) [][]bword {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", "-enc", "UTF-8", path, "-")
	var pages [][]bword
	for _, chunk := range strings.Split(out, "</page>") {
		if !bboxPageRE.MatchString(chunk) {
			continue
		}
		var ws []bword
		for _, m := range bboxWordRE.FindAllStringSubmatch(chunk, -1) {
			f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v / (72 / 25.4) }
			ws = append(ws, bword{f(m[1]), f(m[2]), f(m[3]), f(m[4]), m[5]})
		}
		pages = append(pages, ws)
	}
	return pages
}

// TestPrintTwoSided checks the two-sided layout with pdftotext -bbox:
// the text block of rectos and versos is mirrored (inner margin wider,
// on the left of rectos and the right of versos), running heads and
// folios sit on the outer edge, blank versos are blank, and every part,
// chapter and appendix opens on a recto with an odd page number.
func TestPrintTwoSided(t *testing.T) {
	need(t, "pdftotext")
	for _, bk := range books(t)[1:] {
		for _, paper := range []string{"a4", "a5"} {
			pb := buildPrint(t, bk, Options{Edition: "print", Paper: paper})
			lay, g := pb.lay, pb.lay.Geometry
			name := bk.name + "/" + paper
			if g.Left <= g.Right {
				t.Fatalf("%s: inner margin %.1f not wider than outer %.1f", name, g.Left, g.Right)
			}
			pages := bboxPages(t, pb.path)
			if len(pages) != len(lay.Pages) {
				t.Fatalf("%s: pdftotext sees %d pages, layout has %d", name, len(pages), len(lay.Pages))
			}
			const eps = 0.6
			tight := [2]float64{math.Inf(1), math.Inf(1)} // smallest left edge on rectos, versos
			heads, folios := 0, 0
			for i, ws := range pages {
				pg := lay.Pages[i]
				recto := i%2 == 0
				if pg.Recto != recto {
					t.Errorf("%s: page %s: recto=%v at index %d", name, pg.Label, pg.Recto, i)
				}
				if pg.Kind == layout.PageBlank {
					// Blank versos in the body are ruled for notes.
					if len(ws) > 1 || len(ws) == 1 && (ws[0].s != "Notes" || pg.Label == "ii") {
						t.Errorf("%s: blank page %s has text %q", name, pg.Label, ws[0].s)
					}
					continue
				}
				if pg.Kind == layout.PageCover || len(ws) == 0 {
					continue
				}
				inner, outer := g.Left, g.Right
				lo, hi := inner, g.W-outer // text block of a recto
				if !recto {
					lo, hi = outer, g.W-inner
				}
				minX, maxX := math.Inf(1), math.Inf(-1)
				hx0, hx1 := math.Inf(1), math.Inf(-1) // the running head's extent
				for _, w := range ws {
					minX, maxX = math.Min(minX, w.x0), math.Max(maxX, w.x1)
					switch {
					case w.y1 < g.Top:
						hx0, hx1 = math.Min(hx0, w.x0), math.Max(hx1, w.x1)
					case w.y0 > g.H-g.Bottom && w.s == pg.Folio:
						folios++
						if recto && math.Abs(w.x1-hi) > eps || !recto && math.Abs(w.x0-lo) > eps {
							t.Errorf("%s: page %s: folio at %.1f–%.1f, not on the outer edge (%.1f–%.1f)", name, pg.Label, w.x0, w.x1, lo, hi)
						}
					}
				}
				if hx1 > hx0 {
					heads++
					if recto && math.Abs(hx1-hi) > eps || !recto && math.Abs(hx0-lo) > eps {
						t.Errorf("%s: page %s: running head at %.1f–%.1f, not on the outer edge (%.1f–%.1f)", name, pg.Label, hx0, hx1, lo, hi)
					}
				}
				if minX < lo-eps || maxX > hi+eps {
					t.Errorf("%s: page %s (%s): text spans %.1f–%.1f mm, outside the text block %.1f–%.1f", name, pg.Label, map[bool]string{true: "recto", false: "verso"}[recto], minX, maxX, lo, hi)
				}
				side := 0
				if !recto {
					side = 1
				}
				tight[side] = math.Min(tight[side], minX)
			}
			if math.Abs(tight[0]-g.Left) > eps || math.Abs(tight[1]-g.Right) > eps {
				t.Errorf("%s: text starts at %.1f mm on rectos and %.1f on versos, want %.1f and %.1f", name, tight[0], tight[1], g.Left, g.Right)
			}
			if heads == 0 || folios == 0 {
				t.Errorf("%s: found %d running heads and %d folios", name, heads, folios)
			}
			// The introduction, the Sections and the study plan open on
			// rectos, with odd page numbers; chapters run on.
			var ids []string
			for _, p := range bk.b.Parts {
				ids = append(ids, p.ID)
			}
			ids = append(ids, edition.StudyID)
			for _, id := range ids {
				d, ok := lay.Anchors[id]
				if !ok {
					t.Errorf("%s: no anchor %s", name, id)
					continue
				}
				pg := lay.Pages[d.Page]
				n, err := strconv.Atoi(pg.Label)
				if d.Page%2 != 0 || !pg.Recto || err != nil || n%2 != 1 || pg.Kind != layout.PageOpener {
					t.Errorf("%s: %s opens on page %s (index %d, kind %d), not a recto", name, id, pg.Label, d.Page, pg.Kind)
				}
			}
			if lay.Front%2 != 0 {
				t.Errorf("%s: %d front-matter pages: page 1 is not a recto", name, lay.Front)
			}
		}
	}
}

// TestPrintSimplex checks the one-sided print: every page a recto, no
// blank pages, the gutter always on the left.
func TestPrintSimplex(t *testing.T) {
	pb := buildPrint(t, book{name: "fixture", b: testbook.Fixture()}, Options{Edition: "print", Simplex: true})
	for _, pg := range pb.lay.Pages {
		if !pg.Recto || pg.Kind == layout.PageBlank {
			t.Errorf("simplex page %s: recto=%v kind=%d", pg.Label, pg.Recto, pg.Kind)
		}
	}
}

// TestBooklet checks the booklet as written, with the default signatures
// and with SignatureSheets 2. Its signatures are of at most 8 (or 2)
// sheets, each a multiple of four pages, and every section starts one.
// The file is the instruction sheet (which says to print two-sided,
// flipping on the short edge, and names the signatures) and its blank
// back, then the sheets, landscape A4, passing qpdf --check. The page
// numbers read back from the sheets are in saddle-stitch order within
// each signature: for sheet s of a signature of n pages, the front shows
// its pages n−2s and 2s+1 (left, right; counting from 1 within the
// signature) and the back 2s+2 and n−2s−1. Pages without a folio (cover,
// title, blanks) show none.
func TestBooklet(t *testing.T) {
	need(t, "pdftotext", "qpdf", "pdfinfo")
	for _, bk := range books(t)[1:] {
		for _, max := range []int{0, 2} {
			pb := buildPrint(t, bk, Options{Booklet: true, SignatureSheets: max})
			name := fmt.Sprintf("%s/%d sheets", bk.name, max)
			if max == 0 {
				max = 8
			}
			lay := pb.lay
			n := len(lay.Pages)
			sheets, next := 0, 0
			first := map[int]bool{}
			var sizes []string
			for k, sg := range lay.Signatures {
				if sg.First != next || sg.Pages%4 != 0 || sg.Sheets() < 1 || sg.Sheets() > max {
					t.Errorf("%s: signature %d is %+v", name, k+1, sg)
				}
				first[sg.First] = true
				next += sg.Pages
				sheets += sg.Sheets()
				sizes = append(sizes, strconv.Itoa(sg.Sheets()))
			}
			if next != n || pb.res.BookPages != n || pb.res.Pages != 2*sheets+2 || len(lay.Sheets) != 2*sheets || len(pb.res.Signatures) != len(lay.Signatures) {
				t.Fatalf("%s: %d pages in signatures holding %d, on %d sides (result %+v)", name, n, next, len(lay.Sheets), pb.res)
			}
			for _, id := range append(partIDs(bk.b)[1:], edition.StudyID) {
				if p := lay.Anchors[id].Page; !first[p] {
					t.Errorf("%s: %s opens on page %s, not at a signature's start", name, id, lay.Pages[p].Label)
				}
			}
			out := run(t, "qpdf", "--check", pb.path)
			if strings.Contains(out, "WARNING") || !strings.Contains(out, "No syntax or stream encoding errors") {
				t.Errorf("%s: qpdf --check:\n%s", name, out)
			}
			if info := run(t, "pdfinfo", pb.path); !strings.Contains(info, "841.89 x 595.276 pts") && !strings.Contains(info, "841.89 x 595.28 pts") {
				t.Errorf("%s: sheets are not landscape A4:\n%s", name, info)
			}
			sides := bboxPages(t, pb.path)
			if len(sides) != 2*sheets+2 {
				t.Fatalf("%s: pdftotext sees %d sides, want %d", name, len(sides), 2*sheets+2)
			}

			// The instruction sheet.
			var words []string
			for _, w := range sides[0] {
				words = append(words, w.s)
			}
			text := strings.Join(words, " ")
			count := fmt.Sprintf("%d signatures of", len(lay.Signatures))
			if len(lay.Signatures) == 1 {
				count = "one signature of"
			}
			for _, want := range []string{"double-sided, flipping on the short edge", count, "Fold each signature", "Stack the folded signatures in order", "staple or sew"} {
				if !strings.Contains(text, want) {
					t.Errorf("%s: the instruction sheet does not say %q:\n%s", name, want, text)
				}
			}
			if len(sides[1]) != 0 {
				t.Errorf("%s: the instruction sheet's back is not blank: %v", name, sides[1])
			}

			// Folios, signature by signature.
			g := lay.Geometry
			checked, side := 0, 2
			for k, sg := range lay.Signatures {
				m := sg.Pages
				for s := 0; s < m/4; s++ {
					for back := 0; back < 2; back++ {
						ws := sides[side]
						side++
						l, r := m-2*s, 2*s+1 // within the signature, from 1
						if back == 1 {
							l, r = 2*s+2, m-2*s-1
						}
						for half, p := range []int{l, r} {
							lo := edition.SheetX(half == 1, g.W)
							var got []string
							for _, w := range ws {
								// The folio band: below the text block of this half.
								if w.y0 > g.H-g.Bottom+(edition.SheetH-g.H)/2 && w.x0 >= lo && w.x1 <= lo+g.W {
									got = append(got, w.s)
								}
							}
							folio := lay.Pages[sg.First+p-1].Folio
							if strings.Join(got, " ") != folio {
								t.Errorf("%s: signature %d sheet %d %s, %s half: folio %q, want its page %d's %q", name, k+1, s+1, []string{"front", "back"}[back], []string{"left", "right"}[half], got, p, folio)
							}
							if folio != "" {
								checked++
							}
						}
					}
				}
			}
			t.Logf("%s: %d pages in %d signatures of %s sheets (%d sheets); %d folios read back in saddle-stitch order", name, n, len(lay.Signatures), strings.Join(sizes, ", "), sheets, checked)
		}
	}
}

// partIDs returns the anchor ids of b's parts, in order.
func partIDs(b *tree.Book) []string {
	var ids []string
	for _, p := range b.Parts {
		ids = append(ids, p.ID)
	}
	return ids
}

// TestBookletCreep reads the left edge of the text back from every sheet
// side of the booklet: on the pages of sheet s of a signature (0 the
// outermost) it is s × 0.1 mm nearer the fold than where the page puts
// it (the left page's text further right, the right page's further
// left), so the same half of different sheets differs by the difference
// in creep; with Creep −1 nothing moves.
func TestBookletCreep(t *testing.T) {
	need(t, "pdftotext")
	for _, bk := range books(t)[1:] {
		for _, c := range []struct {
			creep, want float64
		}{{0, 0.1}, {-1, 0}} {
			pb := buildPrint(t, bk, Options{Booklet: true, Creep: c.creep})
			name := fmt.Sprintf("%s/creep %g", bk.name, c.creep)
			lay, g := pb.lay, pb.lay.Geometry
			sides := bboxPages(t, pb.path)
			measured := 0
			inner := 0.0 // the largest shift read back
			for i, sh := range lay.Sheets {
				ws := sides[i+len(lay.Instructions)]
				for half, idx := range []int{sh.Left, sh.Right} {
					pg := lay.Pages[idx]
					if pg.Kind != layout.PageBody {
						continue
					}
					// Where the page itself sets its leftmost text.
					edge := math.Inf(1)
					for _, ops := range [][]layout.Op{pg.Ops, pg.Furniture} {
						for _, o := range ops {
							if o.Kind == layout.OpText && strings.TrimSpace(o.Text) != "" {
								edge = math.Min(edge, o.X)
							}
						}
					}
					lo := edition.SheetX(half == 1, g.W)
					got := math.Inf(1)
					for _, w := range ws {
						if w.x0 >= lo && w.x1 <= lo+g.W {
							got = math.Min(got, w.x0)
						}
					}
					if math.IsInf(got, 1) || math.IsInf(edge, 1) {
						continue
					}
					// The shift toward the fold: rightward on the left half.
					shift := got - (lo + edge)
					if half == 1 {
						shift = -shift
					}
					want := float64(sh.Index) * c.want
					if math.Abs(shift-want) > 0.02 {
						t.Errorf("%s: signature %d sheet %d %s half (page %s): text moved %.3f mm toward the fold, want %.3f", name, sh.Signature+1, sh.Index+1, []string{"left", "right"}[half], pg.Label, shift, want)
					}
					inner = math.Max(inner, shift)
					measured++
				}
			}
			if measured < len(lay.Sheets)/2 {
				t.Errorf("%s: only %d pages measured", name, measured)
			}
			t.Logf("%s: %d pages measured; the innermost sheets' text moved %.3f mm toward the fold", name, measured, inner)
		}
	}
}

// TestBookletOutline checks that the booklet's outline leads to the
// sheet side, and the half of it, where each heading is drawn, past the
// instruction sheet, and that pdftotext finds the heading there; and
// that the booklet has no page labels (its pages are sheet sides).
func TestBookletOutline(t *testing.T) {
	need(t, "qpdf", "pdftotext")
	for _, bk := range books(t)[1:] {
		pb := buildPrint(t, bk, Options{Booklet: true})
		lay := pb.lay
		out, err := exec.Command("qpdf", "--json=2", pb.path).Output()
		if err != nil {
			t.Fatalf("qpdf --json: %v", err)
		}
		var j qpdfJSON
		if err := json.Unmarshal(out, &j); err != nil {
			t.Fatal(err)
		}
		if len(j.PageLabels) != 0 {
			t.Errorf("%s: page labels %+v on a booklet", bk.name, j.PageLabels)
		}
		ids := map[string]string{} // title → anchor id
		for _, e := range lay.TOC {
			ids[e.Title] = e.ID
		}
		ids["Contents"] = design.ContentsID
		side := map[int]int{} // page index → sheet side (from 0, in the file)
		for i, sh := range lay.Sheets {
			side[sh.Left] = len(lay.Instructions) + i
			side[sh.Right] = len(lay.Instructions) + i
		}
		sides := bboxPages(t, pb.path)
		g := lay.Geometry
		checked := 0
		var walk func(os []outlineJSON)
		walk = func(os []outlineJSON) {
			for _, o := range os {
				walk(o.Kids)
				id, ok := ids[o.Title]
				if !ok {
					t.Errorf("%s: outline item %q is not in the contents", bk.name, o.Title)
					continue
				}
				a := lay.Anchors[id]
				want := side[a.Page]
				if o.DestPage != want+1 {
					t.Errorf("%s: outline item %q leads to file page %d, its heading is on %d", bk.name, o.Title, o.DestPage, want+1)
					continue
				}
				right := lay.Sheets[want-len(lay.Instructions)].Right == a.Page
				lo := edition.SheetX(right, g.W)
				x, _ := o.Dest[2].(float64)
				if x /= 72 / 25.4; x < lo-3 || x > lo+g.W {
					t.Errorf("%s: outline item %q leads to x=%.1f mm, its page is at %.1f..%.1f", bk.name, o.Title, x, lo, lo+g.W)
				}
				var words []string
				for _, w := range sides[want] {
					if w.x0 >= lo && w.x1 <= lo+g.W {
						words = append(words, w.s)
					}
				}
				// Word by word: pdftotext may give a heading's words
				// apart, in another order than the reading order.
				text := squash(html.UnescapeString(strings.Join(words, " ")))
				for _, w := range strings.Fields(lastWords(o.Title, 3)) {
					if !strings.Contains(text, squash(w)) {
						t.Errorf("%s: outline item %q: %q not on that half of file page %d", bk.name, o.Title, w, want+1)
					}
				}
				checked++
			}
		}
		walk(j.Outlines)
		if checked < len(lay.TOC) {
			t.Errorf("%s: %d outline items checked, %d contents entries", bk.name, checked, len(lay.TOC))
		}
		t.Logf("%s: %d outline items lead to their heading's sheet side and half", bk.name, checked)
	}
}

// TestBookletFoldMarks renders the first sheet side of the real book and
// finds the fold marks: dark at the middle of the top and bottom edges,
// and nothing drawn across the fold line between them.
func TestBookletFoldMarks(t *testing.T) {
	need(t, "pdftoppm")
	bk := books(t)[len(books(t))-1]
	pb := buildPrint(t, bk, Options{Booklet: true})
	const dpi = 300
	px := func(mm float64) int { return int(math.Round(mm / 25.4 * dpi)) }
	x0 := px(edition.SheetW/2 - 2)
	root := filepath.Join(t.TempDir(), "fold")
	for side := range 2 {
		page := strconv.Itoa(len(pb.lay.Instructions) + side + 1)
		run(t, "pdftoppm", "-gray", "-png", "-r", strconv.Itoa(dpi), "-f", page, "-l", page, "-singlefile",
			"-x", strconv.Itoa(x0), "-y", "0", "-W", strconv.Itoa(px(4)), "-H", strconv.Itoa(px(edition.SheetH)), pb.path, root)
		data, err := os.ReadFile(root + ".png")
		if err != nil {
			t.Fatal(err)
		}
		im, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		dark := func(y0, y1 float64) (n int) { // rows from y0 to y1 mm with a dark pixel
			for y := px(y0); y < px(y1); y++ {
				for x := im.Bounds().Min.X; x < im.Bounds().Max.X; x++ {
					if c := color.GrayModel.Convert(im.At(x, y)).(color.Gray); c.Y < 128 {
						n++
						break
					}
				}
			}
			return n
		}
		in, l := edition.FoldMarkInset, edition.FoldMarkLen
		top, bottom := dark(in+0.3, in+l-0.3), dark(edition.SheetH-in-l+0.3, edition.SheetH-in-0.3)
		if want := px(l-0.6) - 1; top < want || bottom < want {
			t.Errorf("side %s: fold marks %d and %d rows dark, want %d", page, top, bottom, want)
		}
		if between := dark(in+l+0.5, edition.SheetH-in-l-0.5); between > 0 {
			t.Errorf("side %s: %d rows drawn across the fold between the marks", page, between)
		}
	}
}

// TestPrintDeterministic asserts that print builds, and booklets, are
// byte-identical for the same input and Created, and that the clock does
// not reach them.
func TestPrintDeterministic(t *testing.T) {
	today := []byte(time.Now().UTC().Format("20060102"))
	for _, bk := range books(t) {
		for _, o := range []Options{{Edition: "print"}, {Booklet: true}} {
			pb := buildPrint(t, bk, o)
			o.Created, o.Generator = printCreated, "handbook test"
			var again bytes.Buffer
			if _, err := Write(&again, bk.b, o); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pb.data, again.Bytes()) {
				t.Errorf("%s: %s differs between two builds", bk.name, Filename(bk.b, o))
			}
			if bytes.Contains(pb.data, today) {
				t.Errorf("%s: today's date is in %s", bk.name, Filename(bk.b, o))
			}
		}
	}
}

// TestPrintValidators runs the screen edition's checks with the real
// tools on the print edition: qpdf, embedded fonts, every word of the
// tree in the text, outline, page labels, link annotations and the
// table of contents' page numbers.
func TestPrintValidators(t *testing.T) {
	need(t, "qpdf", "pdffonts", "pdftotext")
	t.Parallel()
	for _, bk := range books(t) {
		pb := buildPrint(t, bk, Options{Edition: "print"})
		t.Run(bk.name, func(t *testing.T) {
			out := run(t, "qpdf", "--check", pb.path)
			if strings.Contains(out, "WARNING") || !strings.Contains(out, "No syntax or stream encoding errors") {
				t.Errorf("qpdf --check:\n%s", out)
			}
			for _, l := range strings.Split(strings.TrimSpace(run(t, "pdffonts", pb.path)), "\n")[2:] {
				if f := strings.Fields(l); len(f) < 7 || f[len(f)-5] != "yes" {
					t.Errorf("font not embedded: %s", l)
				}
			}
			checkWords(t, pb.built)
			d := readQPDF(t, pb.path)
			checkStructure(t, pb.built, d.raw)
			checkTOCPages(t, pb.built)
			checkTagged(t, pb.built, d)
		})
	}
}

// TestPrintDocs renders sample pages of the bundled example's print
// edition into docs/print/ (with -docs): a Resources list, the study
// plan, a two-page spread and a booklet sheet.
func TestPrintDocs(t *testing.T) {
	if !*docsFlag {
		t.Skip("use -docs to render docs/print/")
	}
	need(t, "pdftoppm")
	bk := books(t)[1]
	pb := buildPrint(t, bk, Options{Edition: "print"})
	dir := filepath.Join("..", "docs", "print")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	render := func(path string, page int, dpi int) image.Image {
		root := filepath.Join(tmp, "r")
		run(t, "pdftoppm", "-png", "-r", strconv.Itoa(dpi), "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), "-singlefile", path, root)
		out, err := os.ReadFile(root + ".png")
		if err != nil {
			t.Fatal(err)
		}
		im, err := png.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		return im
	}
	save := func(name string, ims ...image.Image) {
		w, h := 0, 0
		for _, im := range ims {
			w += im.Bounds().Dx()
			h = max(h, im.Bounds().Dy())
		}
		const gap = 8
		dst := image.NewGray(image.Rect(0, 0, w+gap*(len(ims)+1), h+2*gap))
		draw.Draw(dst, dst.Bounds(), image.NewUniform(color.Gray{150}), image.Point{}, draw.Src)
		x := gap
		for _, im := range ims {
			draw.Draw(dst, im.Bounds().Sub(im.Bounds().Min).Add(image.Pt(x, gap)), im, im.Bounds().Min, draw.Src)
			x += im.Bounds().Dx() + gap
		}
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, dst); err != nil {
			t.Fatal(err)
		}
		if buf.Len() > 600<<10 {
			t.Errorf("%s is %d KB", name, buf.Len()>>10)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote docs/print/%s (%d KB)", name, buf.Len()>>10)
	}
	// The page with the most QR codes, then the spread it is part of.
	// The end of the first numbered chapter: the page with its Resources
	// heading.
	best := -1
	for _, p := range bk.b.Parts {
		for _, c := range p.Chapters {
			if c.Heading.Number == "" || best >= 0 {
				continue
			}
			for i := pb.lay.Anchors[c.Heading.ID].Page; i < len(pb.lay.Pages) && best < 0; i++ {
				for _, o := range pb.lay.Pages[i].Ops {
					if o.Kind == layout.OpText && o.Text == "Resources" && o.Style.Face == fonts.Bold {
						best = i
						break
					}
				}
			}
		}
	}
	if best < 0 {
		t.Fatal("no chapter with a Resources list")
	}
	// (docs/render.sh draws resources.png, one of the README's large
	// pictures; the rest of docs/print is drawn here.)
	v := best - best%2 - 1 // the verso before the recto of best's spread
	if best%2 == 1 {
		v = best
	}
	save("spread.png", render(pb.path, v+1, 100), render(pb.path, v+2, 100))
	sp := pb.lay.Anchors[edition.StudyID].Page
	save("study-plan.png", render(pb.path, sp+1, 100))
	save("front.png", render(pb.path, 1, 100), render(pb.path, 3, 100))
	// The booklet side with the most codes whose halves both have text.
	bl := buildPrint(t, bk, Options{Booklet: true})
	side, most := 0, -1
	for i, sd := range bl.lay.Sheets {
		l, r := bl.lay.Pages[sd.Left], bl.lay.Pages[sd.Right]
		if len(l.Ops) == 0 || len(r.Ops) == 0 {
			continue
		}
		n := 0
		for _, o := range sd.Page.Ops {
			if o.Kind == layout.OpQR {
				n++
			}
		}
		if n > most {
			side, most = i, n
		}
	}
	save("booklet-sheet.png", render(bl.path, len(bl.lay.Instructions)+side+1, 100))
}

// TestPrintResourceNumbering asserts that each section (the front matter,
// a part's opening pages, a chapter, the credits) lists each address it
// cites once, however often it is cited, with an entry and a QR code,
// numbered from 1 in order of first citation.
func TestPrintResourceNumbering(t *testing.T) {
	for _, bk := range books(t) {
		pb := buildPrint(t, bk, Options{Edition: "print"})
		b := bk.b
		distinct := func(visit func(tree.Visitor)) []string {
			seen := map[string]bool{}
			var order []string
			visit(func(_ tree.Block, in tree.Inline) bool {
				u := ""
				switch x := in.(type) {
				case *tree.Link:
					if !x.IsInternal() {
						u = x.URL
					}
				case *tree.Image:
					if x.File == nil {
						u = x.Src
					}
				}
				if u != "" && !seen[u] {
					seen[u] = true
					order = append(order, u)
				}
				return true
			})
			return order
		}
		var want [][]string
		var front []string
		for _, l := range b.Meta.AuthorLinks {
			front = append(front, l.URL)
		}
		if b.Meta.VersionURL != "" {
			front = append(front, b.Meta.VersionURL)
		}
		want = append(want, front)
		for _, p := range b.Parts {
			want = append(want, distinct(func(v tree.Visitor) {
				if p.Heading != nil {
					tree.WalkBlocks([]tree.Block{p.Heading}, v)
				}
				tree.WalkInlines(p.Summary, v)
				tree.WalkBlocks(p.Blocks, v)
			}))
			for _, c := range p.Chapters {
				want = append(want, distinct(func(v tree.Visitor) { tree.WalkChapter(c, v) }))
			}
		}
		want = append(want, distinct(func(v tree.Visitor) { tree.WalkBlocks(b.Back, v) }))
		// The lists as set, in book order, each numbered from 1.
		var got [][]string
		for _, list := range pb.lay.Resources {
			var urls []string
			for i, r := range list {
				if r.N != i+1 {
					t.Errorf("%s: entry %d for %s is number %d of its list", bk.name, r.N, r.URL, i+1)
				}
				urls = append(urls, r.URL)
			}
			got = append(got, urls)
		}
		var flat []string
		for _, w := range want {
			if len(w) > 0 {
				flat = append(flat, strings.Join(w, " "))
			}
		}
		var gflat []string
		for _, g := range got {
			gflat = append(gflat, strings.Join(g, " "))
		}
		if strings.Join(flat, "\n") != strings.Join(gflat, "\n") {
			t.Errorf("%s: Resources lists differ from the sections' distinct links:\ngot  %d lists\nwant %d lists", bk.name, len(gflat), len(flat))
		}
		n := 0
		for _, g := range got {
			n += len(g)
		}
		t.Logf("%s: %d Resources lists, %d entries", bk.name, len(got), n)
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// FuzzWritePrint is FuzzWrite for the print edition and the booklet:
// references, page references and imposition must cope with any tree the
// compiler accepts.
func FuzzWritePrint(f *testing.F) {
	f.Add("<div class=\"section\"><h1>Section I: x</h1><div class=\"section-summary\"><b>Goal:</b> y</div>\n\n## z\n\nA [video](https://youtube.com/watch?v=1), a [paper](https://arxiv.org/abs/1) and [code](https://github.com/a/b).\n")
	f.Add("<h1 id=\"intro\">Intro</h1>\n\n[](https://x.org) [a](#intro) ([b](#nowhere)) ![r](https://img.example/x.png)\n\n<h2 id=\"c\">C</h2>\n\n[a](https://a.example/" + strings.Repeat("x", 300) + ") [c](#c)\n")
	f.Fuzz(func(t *testing.T, body string) {
		fsys := fstest.MapFS{"index.md": {Data: []byte("---\ntitle: f\n---\n" + body)}}
		bk, _ := compile.Load(fsys, compile.Options{})
		if bk == nil {
			return
		}
		for _, o := range []Options{{Edition: "print"}, {Booklet: true}} {
			var buf bytes.Buffer
			if _, err := Write(&buf, bk, o); err != nil {
				t.Fatalf("Write(%+v): %v", o, err)
			}
			if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
				t.Fatalf("not a PDF")
			}
		}
	})
}
