package pdf

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/pdf/edition"
	"github.com/genai-handbook/handbook/pdf/internal/testbook"
	"github.com/genai-handbook/handbook/pdf/qr"
)

// book is a named tree to test on.
type book struct {
	name string
	b    *tree.Book
	real bool // the real handbook: exact counts are asserted
}

// books returns the trees to test on (see testbook.All).
func books(t testing.TB) []book {
	t.Helper()
	var bs []book
	for _, x := range testbook.All(t) {
		bs = append(bs, book{name: x.Name, b: x.Tree, real: x.Real})
	}
	return bs
}

var papers = []string{"a4", "letter", "a5"}

// built is one written PDF with its layout.
type built struct {
	book
	paper string
	path  string
	data  []byte
	res   Result
	lay   *edition.Book
}

// buildAll writes every book on every paper into a temporary directory.
func buildAll(t *testing.T) []built {
	t.Helper()
	dir := t.TempDir()
	var out []built
	for _, bk := range books(t) {
		for _, p := range papers {
			var buf bytes.Buffer
			res, lay, err := write(&buf, bk.b, Options{Paper: p, Generator: "handbook test", Created: time.Date(2024, 6, 5, 12, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatalf("%s/%s: %v", bk.name, p, err)
			}
			path := filepath.Join(dir, bk.name+"-"+p+".pdf")
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out = append(out, built{book: bk, paper: p, path: path, data: buf.Bytes(), res: res, lay: lay})
		}
	}
	return out
}

func need(t *testing.T, tools ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skips the validators")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed (apt-get install qpdf poppler-utils)", tool)
			}
			t.Skipf("%s is not installed (apt-get install qpdf poppler-utils)", tool)
		}
	}
}

// run runs a tool and returns its standard output. Its standard error
// is kept apart: pdftotext writes "no word list" there for a page
// without text, and mixed into the output it can split a tag.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return string(out)
}

// TestValidators runs the real tools on every book and paper.
func TestValidators(t *testing.T) {
	need(t, "qpdf", "pdffonts", "pdftotext", "pdfinfo")
	for _, b := range buildAll(t) {
		b := b
		t.Run(b.name+"/"+b.paper, func(t *testing.T) {
			// qpdf: structurally sound, no warnings.
			out := run(t, "qpdf", "--check", b.path)
			if strings.Contains(out, "WARNING") || !strings.Contains(out, "No syntax or stream encoding errors") {
				t.Errorf("qpdf --check:\n%s", out)
			}
			// Every font embedded.
			fonts := run(t, "pdffonts", b.path)
			lines := strings.Split(strings.TrimSpace(fonts), "\n")
			if len(lines) < 3 {
				t.Fatalf("pdffonts lists no fonts:\n%s", fonts)
			}
			for _, l := range lines[2:] {
				f := strings.Fields(l)
				if len(f) < 7 || f[len(f)-5] != "yes" {
					t.Errorf("font not embedded: %s", l)
				}
			}
			// Page size and count.
			info := run(t, "pdfinfo", b.path)
			if !strings.Contains(info, "Pages:           "+strconv.Itoa(b.res.Pages)+"\n") {
				t.Errorf("pdfinfo pages, want %d:\n%s", b.res.Pages, info)
			}
			if !strings.Contains(info, "Title:           "+b.b.Meta.Title) {
				t.Errorf("pdfinfo title:\n%s", info)
			}
			checkWords(t, b)
			d := readQPDF(t, b.path) // one qpdf --json for both checks
			checkStructure(t, b, d.raw)
			checkTOCPages(t, b)
			checkTagged(t, b, d)
		})
	}
}

// words splits text into lower-case letter/digit tokens.
var (
	tokenRE  = regexp.MustCompile(`[\p{L}\p{N}]+`)
	hyphenRE = regexp.MustCompile(`([\p{L}\p{N}])[-‐]([\p{L}\p{N}])`)
)

// tokens normalises ligatures and drops hyphens inside compounds (so that
// "cross-validation" and pdftotext's dehyphenated "crossvalidation" agree),
// then splits s into lower-case letter/digit tokens.
func tokens(s string) []string {
	s = strings.NewReplacer("ﬁ", "fi", "ﬂ", "fl", "ﬀ", "ff", "ﬃ", "ffi", "ﬄ", "ffl").Replace(s)
	s = hyphenRE.ReplaceAllString(hyphenRE.ReplaceAllString(s, "$1$2"), "$1$2")
	return tokenRE.FindAllString(strings.ToLower(s), -1)
}

// treeText returns every piece of text of the book as a reader sees it.
func treeText(b *tree.Book) string {
	var sb strings.Builder
	m := b.Meta
	for _, s := range []string{m.Title, m.Subtitle, m.Author, m.Version, m.Date} {
		sb.WriteString(s + "\n")
	}
	for _, l := range m.AuthorLinks {
		sb.WriteString(tree.PlainText(l.Content) + "\n")
	}
	var visit tree.Visitor
	visit = func(bl tree.Block, in tree.Inline) bool {
		if bl != nil {
			sb.WriteString("\n") // blocks never run into each other
		}
		switch x := in.(type) {
		case *tree.Text:
			sb.WriteString(x.Text)
		case *tree.Code:
			sb.WriteString(x.Text)
		case *tree.LineBreak:
			sb.WriteString("\n")
		case *tree.Image:
			sb.WriteString(" " + x.Alt + " ")
		case *tree.Footnote:
			// The mark is a superscript glued to its word; the note's
			// text is set elsewhere.
			sb.WriteString(strconv.Itoa(x.Number) + " ")
			tree.WalkBlocks(x.Blocks, visit)
			sb.WriteString(" ")
			return false
		case *tree.Link:
			if strings.TrimSpace(tree.PlainText(x.Content)) == "" && !x.IsInternal() {
				sb.WriteString(" " + x.URL + " ")
			}
		}
		switch x := bl.(type) {
		case *tree.Table:
			for _, r := range append([][][]tree.Inline{x.Header}, x.Rows...) {
				for _, c := range r {
					tree.WalkInlines(c, visit)
					sb.WriteString("\n")
				}
			}
			return false
		case *tree.CodeBlock:
			sb.WriteString(x.Text + "\n")
		case *tree.Heading:
			sb.WriteString(x.Number + " ")
		case *tree.List:
			if x.Ordered {
				for i := range x.Items {
					sb.WriteString(strconv.Itoa(x.Start+i) + " ")
				}
			}
		}
		return true
	}
	for _, p := range b.Parts {
		if p.Heading != nil {
			tree.WalkBlocks([]tree.Block{p.Heading}, visit)
		}
		sb.WriteString("\n")
		tree.WalkInlines(p.Summary, visit)
		sb.WriteString("\n")
		tree.WalkBlocks(p.Blocks, visit)
		for _, c := range p.Chapters {
			tree.WalkChapter(c, visit)
		}
	}
	tree.WalkBlocks(b.Back, visit)
	for _, p := range b.Parts {
		sb.WriteString(p.Label + " " + p.Title + "\n")
		if p.Summary != nil {
			sb.WriteString("Goal\n")
		}
	}
	return sb.String()
}

// checkWords asserts that pdftotext finds every word of the tree, as
// often as the tree has it. A word broken across lines (a hyphenated
// compound, a URL, a wrapped code line) counts when the two halves at a
// line's end and the next line's start join into it.
func checkWords(t *testing.T, b built) {
	t.Helper()
	txt := run(t, "pdftotext", "-enc", "UTF-8", b.path, "-")
	have := map[string]int{}
	lines := strings.Split(txt, "\n")
	var prevLast string
	for _, l := range lines {
		ts := tokens(l)
		for _, w := range ts {
			have[w]++
		}
		if len(ts) > 0 {
			if prevLast != "" {
				have[prevLast+ts[0]]++
			}
			prevLast = ts[len(ts)-1]
		}
	}
	want := map[string]int{}
	for _, w := range tokens(treeText(b.b)) {
		want[w]++
	}
	var missing []string
	for w, n := range want {
		if have[w] < n {
			missing = append(missing, w+"×"+strconv.Itoa(n-have[w]))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d words of the tree missing from pdftotext output: %v", len(missing), head(missing, 40))
	}
}

func head(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// qpdfJSON is the part of qpdf --json output the tests read.
type qpdfJSON struct {
	Pages []struct {
		Object string         `json:"object"`
		Label  map[string]any `json:"label"`
	} `json:"pages"`
	PageLabels []struct {
		Index int            `json:"index"`
		Label map[string]any `json:"label"`
	} `json:"pagelabels"`
	Outlines []outlineJSON `json:"outlines"`
	Qpdf     []json.RawMessage
}

type outlineJSON struct {
	Title    string        `json:"title"`
	DestPage int           `json:"destpageposfrom1"`
	Kids     []outlineJSON `json:"kids"`
	Dest     []any         `json:"dest"`
}

// checkStructure reads the PDF's outline, page labels and annotations from
// out, qpdf --json's output (see readQPDF), and compares them with the tree.
func checkStructure(t *testing.T, b built, out []byte) {
	t.Helper()
	var j qpdfJSON
	if err := json.Unmarshal(out, &j); err != nil {
		t.Fatal(err)
	}
	// Page labels: roman front matter, 1 at the introduction.
	if len(j.PageLabels) != 2 || j.PageLabels[0].Index != 0 || j.PageLabels[1].Index != b.lay.Front {
		t.Errorf("page labels = %+v, want roman from 0 and decimal from %d", j.PageLabels, b.lay.Front)
	}
	if d, ok := b.lay.Anchors[b.b.Parts[0].ID]; !ok || d.Page != b.lay.Front {
		t.Errorf("the first part is on page index %d, want %d (label 1)", d.Page, b.lay.Front)
	}
	// Outline: parts and chapters as in the tree.
	var parts, chapters int
	for _, o := range j.Outlines {
		if strings.HasPrefix(o.Title, "Section ") {
			parts++
		}
		chapters += len(o.Kids)
	}
	wantParts, wantChapters := 0, 0
	for _, p := range b.b.Parts {
		if p.Number > 0 {
			wantParts++
		}
		for _, c := range p.Chapters {
			if c.Heading.InTOC {
				wantChapters++
			}
		}
	}
	if parts != wantParts || chapters != wantChapters {
		t.Errorf("outline has %d parts and %d chapters, want %d and %d", parts, chapters, wantParts, wantChapters)
	}
	if b.real && (parts != 9 || chapters != 53) {
		t.Errorf("handbook outline has %d parts and %d chapters, want 9 and 53", parts, chapters)
	}

	// Link annotations: every distinct external URL of the tree (and the
	// title page's author links) is a URI annotation; internal links are
	// GoTo actions to the page of their target.
	objs := map[string]map[string]any{}
	var m map[string]map[string]any
	if err := json.Unmarshal(j.Qpdf[1], &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range m {
		if val, ok := v["value"].(map[string]any); ok {
			objs[k] = val
		}
	}
	pageIndex := map[string]int{}
	for i, p := range j.Pages {
		pageIndex[p.Object] = i
	}
	uris := map[string]bool{}
	gotos := 0
	for _, p := range j.Pages {
		pd := objs["obj:"+p.Object]
		annots, _ := pd["/Annots"].([]any)
		for _, a := range annots {
			ad := objs["obj:"+a.(string)]
			act, _ := ad["/A"].(map[string]any)
			if ref, ok := ad["/A"].(string); ok {
				act = objs["obj:"+ref] // an action shared by the links to one address
			}
			switch act["/S"] {
			case "/URI":
				uris[strings.TrimPrefix(act["/URI"].(string), "u:")] = true
			case "/GoTo":
				d := act["/D"].([]any)
				if _, ok := pageIndex[d[0].(string)]; !ok {
					t.Errorf("GoTo to a non-page %v", d)
				}
				gotos++
			default:
				t.Errorf("annotation with action %v", act)
			}
		}
	}
	want := map[string]bool{}
	internal := 0
	for _, l := range tree.Links(b.b) {
		switch {
		case l.Target != nil:
			internal++
		case !l.IsInternal():
			want[qr.Text(l.URL)] = true
		}
	}
	for _, l := range b.b.Meta.AuthorLinks {
		want[qr.Text(l.URL)] = true
	}
	if b.b.Meta.VersionURL != "" {
		want[qr.Text(b.b.Meta.VersionURL)] = true
	}
	for u := range want {
		if !uris[u] {
			t.Errorf("no link annotation for %s", u)
		}
	}
	for u := range uris {
		if !want[u] {
			t.Errorf("link annotation for %s, which is not in the book", u)
		}
	}
	if b.real {
		t.Logf("handbook: %d distinct URI links, %d internal links, %d TOC entries", len(uris), internal, len(b.lay.TOC))
	}
	// GoTo links: TOC entries + internal links (each at least once) + footnote marks.
	if gotos < len(b.lay.TOC)+internal {
		t.Errorf("%d GoTo links, want at least %d TOC entries + %d internal links", gotos, len(b.lay.TOC), internal)
	}
	if b.real && internal != 13 {
		t.Errorf("handbook has %d resolved internal links, want 13", internal)
	}
}

// checkTOCPages asserts that each table of contents entry's page number is
// the page on which pdftotext finds the heading.
func checkTOCPages(t *testing.T, b built) {
	t.Helper()
	pages := strings.Split(run(t, "pdftotext", "-layout", "-enc", "UTF-8", b.path, "-"), "\f")
	for _, e := range b.lay.TOC {
		d, ok := b.lay.Anchors[e.ID]
		if !ok {
			t.Errorf("TOC entry %q has no anchor", e.Title)
			continue
		}
		if got := b.lay.Pages[d.Page].Label; got != e.Label {
			t.Errorf("TOC entry %q says page %s, heading is on page labelled %s", e.Title, e.Label, got)
		}
		if d.Page >= len(pages) || !strings.Contains(squash(pages[d.Page]), squash(lastWords(e.Title, 3))) {
			t.Errorf("TOC entry %q (page %s): heading not found on PDF page %d", e.Title, e.Label, d.Page+1)
		}
	}
}

// squash removes spaces and lowercases, so that titles match across line
// breaks and justification.
func squash(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

func lastWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[len(f)-n:]
	}
	return strings.Join(f, " ")
}
