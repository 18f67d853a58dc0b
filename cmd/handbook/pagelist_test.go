package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/epub/epubcheck"
	"github.com/genai-handbook/handbook/pdf/edition"
)

// epubPages reads an EPUB's page-break markers: for each page label, the
// words that follow its marker in reading order, and the label of the
// marker before every id in the book.
func epubPages(t *testing.T, path string) (after map[string][]string, before map[string]string, list []string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	read := func(name string) string {
		f, err := zr.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		return string(b)
	}
	opf := read("EPUB/package.opf")
	hrefs := map[string]string{}
	for _, m := range regexp.MustCompile(`<item [^>]*\bid="([^"]+)"[^>]*\bhref="([^"]+)"|<item [^>]*\bhref="([^"]+)"[^>]*\bid="([^"]+)"`).FindAllStringSubmatch(opf, -1) {
		if m[1] != "" {
			hrefs[m[1]] = m[2]
		} else {
			hrefs[m[4]] = m[3]
		}
	}
	var spine []string
	for _, m := range regexp.MustCompile(`<itemref idref="([^"]+)"`).FindAllStringSubmatch(opf, -1) {
		spine = append(spine, "EPUB/"+hrefs[m[1]])
	}
	nav := read("EPUB/nav.xhtml")
	pl := nav[strings.Index(nav, `epub:type="page-list"`):]
	for _, m := range regexp.MustCompile(`#page-[^"]*">([^<]*)</a>`).FindAllStringSubmatch(pl, -1) {
		list = append(list, m[1])
	}
	after, before = map[string][]string{}, map[string]string{}
	token := regexp.MustCompile(`<span epub:type="pagebreak"[^>]*aria-label="([^"]*)"/>|<[^>]*\bid="([^"]*)"[^>]*>|<sup[^>]*>.*?</sup>|<[^>]*>|[^<]+`)
	var open []string // markers still collecting words
	cur := ""
	var fresh []string // ids opened since the last word: a marker right after them marks them
	for _, name := range spine {
		doc := read(name)
		body := doc[strings.Index(doc, "<body"):]
		for _, m := range token.FindAllStringSubmatch(body, -1) {
			switch {
			case m[1] != "":
				open = append(open, m[1])
				cur = m[1]
				after[m[1]] = nil
				for _, id := range fresh {
					before[id] = cur
				}
			case m[2] != "":
				before[m[2]] = cur
				fresh = append(fresh, m[2])
			case strings.HasPrefix(m[0], "<"):
				if strings.HasPrefix(m[0], "<h") || strings.HasPrefix(m[0], "<p") || strings.HasPrefix(m[0], "<li") || strings.HasPrefix(m[0], "<td") || strings.HasPrefix(m[0], "<br") {
					// block boundaries separate words
					for _, l := range open {
						after[l] = append(after[l], "")
					}
				}
			default:
				words := strings.Fields(strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`).Replace(m[0]))
				if len(words) > 0 {
					fresh = fresh[:0]
				}
				keep := open[:0]
				for _, l := range open {
					after[l] = append(after[l], words...)
					if n := countNonEmpty(after[l]); n < 4 {
						keep = append(keep, l)
					}
				}
				open = keep
			}
		}
	}
	return after, before, list
}

func countNonEmpty(ws []string) int {
	n := 0
	for _, w := range ws {
		if w != "" {
			n++
		}
	}
	return n
}

// norm reduces words to what both books show alike: lower-case letters
// and digits, without the print edition's [n] marks and footnote numbers
// (which a mark glues to its word).
func norm(ws []string) []string {
	var out []string
	mark := regexp.MustCompile(`\[\d+\]`)
	for _, w := range ws {
		w = mark.ReplaceAllString(w, "")
		w = strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, w)
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// TestEPUBPageList builds the EPUB with the A4 print edition's page
// numbers and the print edition itself, and checks: epubcheck passes;
// the page list lists every page of the print edition in order; for every
// page whose text starts in running text (a paragraph, list item or code,
// as the typesetter's layout says), the first words after the EPUB's
// marker are the first words of that page in the PDF's pdftotext; and the
// page every internal link's reference gives in print is the page of the
// marker before its target in the EPUB.
func TestEPUBPageList(t *testing.T) {
	notShort(t, "the page list of the real handbook's EPUB against its print edition")
	needTool(t, "pdftotext", "poppler-utils")
	src := needHandbook(t)
	out := t.TempDir()
	var stderr strings.Builder
	if code := run([]string{"build", src, "-o", out, "--format", "epub,pdf", "--edition", "print", "--quiet"}, io.Discard, &stderr); code != 0 {
		t.Fatalf("build: %d\n%s", code, stderr.String())
	}
	epubPath, _ := filepath.Glob(filepath.Join(out, "*.epub"))
	pdfPath, _ := filepath.Glob(filepath.Join(out, "*-print.pdf"))
	if len(epubPath) != 1 || len(pdfPath) != 1 {
		t.Fatalf("books: %v %v", epubPath, pdfPath)
	}
	epubcheck.Check(t, epubPath[0])
	after, before, list := epubPages(t, epubPath[0])

	bk, diags := compile.Load(os.DirFS(src), compile.Options{})
	if bk == nil {
		t.Fatal(diags)
	}
	lay, _, err := edition.Typeset(bk, edition.Options{Print: true, Duplex: true, Keep: true})
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, pg := range lay.Pages {
		labels = append(labels, pg.Label)
	}
	if strings.Join(list, " ") != strings.Join(labels, " ") {
		t.Errorf("page list %v\nwant the print edition's pages %v", list, labels)
	}
	for _, l := range labels {
		if _, ok := after[l]; !ok {
			t.Errorf("no marker for page %s", l)
		}
	}

	// The running-text pages, from the layout's dump.
	var dump strings.Builder
	if err := lay.Dump(&dump); err != nil {
		t.Fatal(err)
	}
	running := map[int]bool{}
	page := 0
	firstSeen := false
	for _, line := range strings.Split(dump.String(), "\n") {
		if strings.HasPrefix(line, "page ") {
			page++
			firstSeen = false
			continue
		}
		if firstSeen || !strings.Contains(line, " | ") {
			continue
		}
		firstSeen = true
		switch strings.Fields(line)[1] {
		case "p", "li", "lead", "code", "h":
			// The print edition's own headings (Resources, the study
			// plan, Notes) are set apart below.
			if !strings.HasSuffix(line, "| Resources") && !strings.Contains(line, "| Study plan") && !strings.Contains(line, "| Colophon") && !strings.Contains(line, "| Contents") && !strings.Contains(line, "| Notes") {
				running[page] = true
			}
		}
	}
	checked, failed := 0, 0
	for i, pg := range lay.Pages {
		if !running[i+1] {
			continue
		}
		txt, err := exec.Command("pdftotext", "-f", strconv.Itoa(i+1), "-l", strconv.Itoa(i+1), "-enc", "UTF-8", pdfPath[0], "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(txt), "\n")
		// Drop the running head.
		for len(lines) > 0 && (strings.TrimSpace(lines[0]) == "" || strings.TrimSpace(lines[0]) == pg.Head || strings.TrimSpace(lines[0]) == pg.VersoHead) {
			lines = lines[1:]
		}
		var pw []string
		for _, l := range lines {
			for _, w := range strings.Fields(l) {
				if w == "•" || w == "–" || w == "◦" || regexp.MustCompile(`^\d+\.$`).MatchString(w) && len(pw) == 0 {
					continue // a list's marker
				}
				pw = append(pw, w)
			}
			if len(pw) >= 3 {
				break
			}
		}
		var ew []string
		for _, w := range after[pg.Label] {
			if w != "" {
				ew = append(ew, w)
			}
		}
		p, e := norm(pw), norm(ew)
		n := min(3, len(p), len(e))
		checked++
		if n == 0 || strings.Join(p[:n], " ") != strings.Join(e[:n], " ") {
			failed++
			t.Errorf("page %s: print begins %q, the EPUB's marker is before %q", pg.Label, pw, ew)
		}
	}
	t.Logf("%d of %d pages begin in running text; %d checked, %d differ", len(running), len(lay.Pages), checked, failed)
	if checked < 15 {
		t.Errorf("only %d pages checked", checked)
	}

	// Page references: the label the print edition printed for each
	// internal link's target is the label of the EPUB's marker before it.
	var ids []string
	for id := range lay.Refs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	agree := 0
	for _, id := range ids {
		if strings.HasPrefix(id, "pdf:") {
			continue // the print edition's own pages (study plan)
		}
		printed := lay.Refs[id]
		epubID := strings.Trim(fmt.Sprint(id), " ")
		got, ok := before[epubID]
		if !ok {
			t.Logf("skipped #%s: the EPUB gives it another id (not a valid XML id)", id)
			continue
		}
		if got != printed {
			t.Errorf("#%s: print says p. %s, the EPUB's page before it is %s", id, printed, got)
			continue
		}
		agree++
	}
	t.Logf("%d page references agree", agree)
}

// TestEPUBPagesShared asserts that the EPUB is the same whether it takes
// its page numbers from the print edition built beside it (typeset once,
// for both) or, built alone, typesets the print edition itself; and that
// it has the page list in both cases.
func TestEPUBPagesShared(t *testing.T) {
	epubOf := func(args ...string) []byte {
		t.Helper()
		out := t.TempDir()
		var stderr strings.Builder
		args = append([]string{"build", "--example", "-o", out, "--quiet"}, args...)
		if code := run(args, io.Discard, &stderr); code != 0 {
			t.Fatalf("%v: %d\n%s", args, code, stderr.String())
		}
		paths, _ := filepath.Glob(filepath.Join(out, "*.epub"))
		if len(paths) != 1 {
			t.Fatalf("%v: EPUBs %v", args, paths)
		}
		data, err := os.ReadFile(paths[0])
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	shared := epubOf("--format", "epub,pdf", "--edition", "print")
	alone := epubOf("--format", "epub")
	if !bytes.Equal(shared, alone) {
		t.Error("the EPUB built beside the print edition differs from the EPUB built alone")
	}
	zr, err := zip.NewReader(bytes.NewReader(shared), int64(len(shared)))
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if i := bytes.Index(data, []byte(`epub:type="page-list"`)); i >= 0 {
			nav := data[i:]
			nav = nav[:bytes.Index(nav, []byte("</nav>"))]
			pages = bytes.Count(nav, []byte("<li"))
		}
	}
	t.Logf("page list: %d pages", pages)
	if pages < 10 {
		t.Errorf("page list of %d pages, want the print edition's (over 10)", pages)
	}
}
