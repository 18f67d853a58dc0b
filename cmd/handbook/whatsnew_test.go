package main

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/genai-handbook/handbook/epub/epubcheck"
)

// gitTree makes a git repository in a new directory with one commit and
// tag for each of releases (a txtar tree each, in order; the tree is
// replaced whole from one to the next), at fixed dates, and returns it.
func gitTree(t *testing.T, releases ...[2]string) string {
	t.Helper()
	needTool(t, "git", "git")
	dir := t.TempDir()
	for i, r := range releases {
		if i > 0 {
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if e.Name() != ".git" {
					os.RemoveAll(filepath.Join(dir, e.Name()))
				}
			}
		}
		writeTxtar(t, r[0], dir)
		if i == 0 {
			gitIn(t, dir, "init", "-q")
		}
		gitIn(t, dir, "add", "-A", ".")
		gitIn(t, dir, "commit", "-q", "-m", "release "+r[1])
		gitIn(t, dir, "tag", r[1])
	}
	return dir
}

// gitIn runs git in dir, with a fixed identity and dates.
func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_COMMITTER_DATE=2025-04-04T10:00:00Z", "GIT_AUTHOR_DATE=2025-04-04T10:00:00Z")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// whatsNewReleases are TestWhatsNew's two releases.
var whatsNewReleases = [][2]string{{"testdata/whatsnew/v0.1.txtar", "v0.1"}, {"testdata/whatsnew/v0.2.txtar", "v0.2"}}

// wantWhatsNew is the page of v0.2, as text: a list's heading, then its
// entries (with the print edition's page numbers).
var wantWhatsNew = []string{
	"What’s new in v0.2 (since v0.1)",
	"New chapters",
	"Chapter 5: Fresh",
	"Updated chapters",
	"Chapter 2: Edited — +6 / −3 words",
	"Renamed chapters",
	"Chapter 3: New Name — formerly “Old Name”",
	"Moved chapters",
	"Chapter 4: Wanders — moved from Section II: More",
	"Removed chapters",
	"Chapter 3: Goes Away",
	"New resources",
	"a paper — in Chapter 2: Edited",
	"a video — in Chapter 2: Edited",
	"Removed resources",
	"old notes — from Chapter 2: Edited",
}

// TestWhatsNew: a handbook tagged v0.1, then changed (a chapter added,
// one removed, one renamed, one moved, a paragraph of a fourth edited
// with two links added and one removed) and tagged v0.2, is built: the
// EPUB's and the PDFs' "What's new" pages list exactly those changes,
// nothing of the untouched chapter, and link each to its chapter; the
// contents mark the new and the updated chapter; CHANGES.md is the
// golden file (-update rewrites it); the books are the same bytes when
// built again.
func TestWhatsNew(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1717545600")
	dir := gitTree(t, whatsNewReleases...)
	out := t.TempDir()
	code, _, stderr := runCmd("build", dir, "-o", out, "--paper", "a4", "--quiet")
	if code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("build --quiet: stderr:\n%s", stderr)
	}
	books := readDir(t, out)

	// CHANGES.md.
	const golden = "testdata/whatsnew/CHANGES.md"
	if *update {
		if err := os.WriteFile(golden, books["CHANGES.md"], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got := books["CHANGES.md"]; !bytes.Equal(got, want) {
		t.Errorf("CHANGES.md:\n%s\nwant (%s):\n%s", got, golden, want)
	}
	if bytes.Contains(books["CHANGES.md"], []byte("Stays")) {
		t.Error("CHANGES.md names the untouched chapter")
	}

	// The EPUB.
	epubPath := filepath.Join(out, "small-book-v0.2.epub")
	files := unzip(t, books["small-book-v0.2.epub"])
	page := string(files["EPUB/xhtml/whatsnew.xhtml"])
	if got := elementTexts(t, page, "h1", "h2", "li"); !slices.Equal(got, wantWhatsNew) {
		t.Errorf("the EPUB's page lists\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantWhatsNew, "\n"))
	}
	for _, m := range regexp.MustCompile(`href="([^"#]+\.xhtml)#([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if doc := files["EPUB/xhtml/"+m[1]]; !bytes.Contains(doc, []byte(`id="`+m[2]+`"`)) {
			t.Errorf("the EPUB's page links to %s#%s, which is not there", m[1], m[2])
		}
	}
	if n := strings.Count(page, `.xhtml#`); n != 7 {
		t.Errorf("the EPUB's page has %d links into the book, want 7 (4 chapters, 3 resources' chapters)", n)
	}
	nav := string(files["EPUB/nav.xhtml"])
	for _, w := range []string{`<a href="xhtml/whatsnew.xhtml#whatsnew">What’s new</a>`, `<a epub:type="revision-history" href="xhtml/whatsnew.xhtml">What’s new</a>`,
		`Chapter 2: Edited <span class="mark">updated</span></a>`, `Chapter 5: Fresh <span class="mark">new</span></a>`, `Chapter 1: Stays</a>`, `Chapter 3: New Name</a>`} {
		if !strings.Contains(nav, w) {
			t.Errorf("nav.xhtml lacks %s", w)
		}
	}
	opf := string(files["EPUB/package.opf"])
	if i, j := strings.Index(opf, `<itemref idref="colophon.xhtml"/>`), strings.Index(opf, `<itemref idref="whatsnew.xhtml"/>`); i < 0 || j < i {
		t.Errorf("the page is not after the colophon in the spine")
	}

	// A second build gives the same bytes.
	out2 := t.TempDir()
	if code, _, stderr := runCmd("build", dir, "-o", out2, "--paper", "a4", "--quiet"); code != 0 {
		t.Fatalf("second build: exit %d\n%s", code, stderr)
	}
	for name, data := range readDir(t, out2) {
		if !bytes.Equal(data, books[name]) {
			t.Errorf("%s differs from one build to the next", name)
		}
	}

	// The validators.
	epubcheck.Check(t, epubPath, filepath.Join(out, "small-book-v0.2.kepub.epub"))
	needTool(t, "pdftotext", "poppler-utils")
	needTool(t, "qpdf", "qpdf")
	for _, pdf := range []string{"small-book-v0.2.pdf", "small-book-v0.2-print.pdf"} {
		p := filepath.Join(out, pdf)
		if out, err := exec.Command("qpdf", "--check", p).CombinedOutput(); err != nil {
			t.Errorf("qpdf --check %s: %v\n%s", pdf, err, out)
		}
		text := pdfText(t, p)
		i := strings.Index(text, wantWhatsNew[0])
		j := strings.Index(text, "\fContents\n")
		if i < 0 || j < i {
			t.Fatalf("%s: no What's new page before the contents:\n%s", pdf, text)
		}
		var got []string
		for _, line := range strings.Split(text[i:j], "\n") {
			line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "•"))
			// The page's folio, the print edition's addresses.
			line = regexp.MustCompile(` https://\S+`).ReplaceAllString(line, "")
			if line != "" && !regexp.MustCompile(`^[ivx]+$`).MatchString(line) {
				got = append(got, line)
			}
		}
		want := slices.Clone(wantWhatsNew)
		for k, w := range want {
			switch {
			case strings.Contains(w, "Edited"):
				want[k] = w + ", p. " + pageOf(pdf, "Edited")
			case strings.HasPrefix(w, "Chapter") && !strings.Contains(w, "Goes Away"):
				want[k] = w + ", p. " + pageOf(pdf, w)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: the page lists\n%s\nwant\n%s", pdf, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		contents := text[j:]
		for _, w := range []string{"What’s new", "Chapter 2: Edited updated", "Chapter 5: Fresh new", "Chapter 1: Stays . "} {
			if !strings.Contains(contents, w) {
				t.Errorf("%s: the contents lack %q", pdf, w)
			}
		}
	}
}

// pageOf is the page chapter (an entry of wantWhatsNew) is on in each
// PDF of TestWhatsNew: the screen PDF sets them all on page 2, the print
// edition's part openers and chapter openings put Edited on page 3 and the rest on 4.
func pageOf(pdf, chapter string) string {
	switch {
	case !strings.Contains(pdf, "print"):
		return "2"
	case strings.Contains(chapter, "Edited"):
		return "3"
	}
	return "4"
}

// pdfText is pdftotext's text of the PDF at p.
func pdfText(t *testing.T, p string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", p, err)
	}
	return string(out)
}

// unzip returns the entries of a zip file.
func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[path.Clean(f.Name)], _ = io.ReadAll(rc)
		rc.Close()
	}
	return files
}

// elementTexts parses doc as XML and returns the text of every element
// named in names, in order, its spaces collapsed.
func elementTexts(t *testing.T, doc string, names ...string) []string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = false
	var out []string
	var cur *strings.Builder
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if cur == nil && slices.Contains(names, x.Name.Local) {
				cur, depth = &strings.Builder{}, 0
			}
			depth++
		case xml.EndElement:
			depth--
			if cur != nil && depth == 0 {
				out = append(out, strings.Join(strings.Fields(cur.String()), " "))
				cur = nil
			}
		case xml.CharData:
			if cur != nil {
				cur.Write(x)
			}
		}
	}
}

// TestWhatsNewFaults: a shallow clone builds its books without the page
// and says how to fetch the history; a first release says why it has no
// page; --since none turns it off; --since names a tag or a directory;
// a --since that names nothing is a usage error.
func TestWhatsNewFaults(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1717545600")
	dir := gitTree(t, whatsNewReleases...)
	build := func(src string, args ...string) (int, string, map[string][]byte) {
		t.Helper()
		out := t.TempDir()
		code, _, stderr := runCmd(append([]string{"build", src, "-o", out, "--format", "epub"}, args...)...)
		return code, stderr, readDir(t, out)
	}
	hasPage := func(books map[string][]byte) bool {
		for name, data := range books {
			if strings.HasSuffix(name, ".epub") {
				return unzip(t, data)["EPUB/xhtml/whatsnew.xhtml"] != nil
			}
		}
		t.Fatal("no EPUB")
		return false
	}

	shallow := filepath.Join(t.TempDir(), "shallow")
	gitIn(t, dir, "clone", "-q", "--depth", "1", "file://"+dir, shallow)
	code, stderr, books := build(shallow)
	if code != 0 || !strings.Contains(stderr, "warning: no “What’s new” page: the source is a shallow clone") || !strings.Contains(stderr, "fetch-depth: 0") || !strings.Contains(stderr, "--since REF") {
		t.Errorf("shallow clone: exit %d, stderr:\n%s", code, stderr)
	}
	if books["CHANGES.md"] != nil || hasPage(books) {
		t.Error("shallow clone: the books have a What's new page")
	}
	if code, stderr, _ := build(shallow, "--strict"); code != 1 || !strings.Contains(stderr, "shallow clone") {
		t.Errorf("shallow clone, --strict: exit %d (want 1), stderr:\n%s", code, stderr)
	}

	first := gitTree(t, whatsNewReleases[0])
	code, stderr, books = build(first)
	if code != 0 || !strings.Contains(stderr, "handbook: no “What’s new” page: v0.1 is the first release") || books["CHANGES.md"] != nil || hasPage(books) {
		t.Errorf("first release: exit %d, CHANGES.md %v, stderr:\n%s", code, books["CHANGES.md"] != nil, stderr)
	}
	if n := strings.Count(stderr, "What’s new"); n != 1 || strings.Contains(stderr, "warning") {
		t.Errorf("first release: the note is not one line, or a warning:\n%s", stderr)
	}
	if _, stderr, _ := build(first, "--strict"); strings.Contains(stderr, "warning") {
		t.Errorf("first release, --strict: a warning:\n%s", stderr)
	}

	if code, _, books := build(dir, "--since", "none"); code != 0 || books["CHANGES.md"] != nil || hasPage(books) {
		t.Errorf("--since none: exit %d, CHANGES.md %v", code, books["CHANGES.md"] != nil)
	}
	if code, stderr, books := build(dir, "--since", "v0.1"); code != 0 || !hasPage(books) || !bytes.Contains(books["CHANGES.md"], []byte("since v0.1")) {
		t.Errorf("--since v0.1: exit %d, stderr:\n%s", code, stderr)
	}
	if code, stderr, books := build(dir, "--since", "HEAD"); code != 0 || !bytes.Contains(books["CHANGES.md"], []byte("No chapter changed.")) {
		t.Errorf("--since HEAD: exit %d, CHANGES.md:\n%s\nstderr:\n%s", code, books["CHANGES.md"], stderr)
	}
	// A build without the page removes the notes an earlier one wrote
	// into the same directory, which would name other books.
	same := t.TempDir()
	runCmd("build", dir, "-o", same, "--format", "epub", "--quiet")
	if code, _, _ := runCmd("build", dir, "-o", same, "--format", "epub", "--quiet", "--since", "none"); code != 0 || readDir(t, same)["CHANGES.md"] != nil {
		t.Errorf("--since none into a directory with CHANGES.md: exit %d, CHANGES.md left", code)
	}
	old := t.TempDir()
	writeTxtar(t, whatsNewReleases[0][0], old)
	if code, stderr, books := build(dir, "--since", old); code != 0 || !bytes.Contains(books["CHANGES.md"], []byte("since v0.1")) || !bytes.Contains(books["CHANGES.md"], []byte("Goes Away")) {
		t.Errorf("--since DIR: exit %d, CHANGES.md:\n%s\nstderr:\n%s", code, books["CHANGES.md"], stderr)
	}
	for _, bad := range []string{"nosuch", "--all", "v9.9"} {
		if code, stderr, _ := build(dir, "--since="+bad); code != 2 || !strings.Contains(stderr, "--since "+bad) {
			t.Errorf("--since %s: exit %d (want 2), stderr:\n%s", bad, code, stderr)
		}
	}
	if code, stderr, _ := build(shallow, "--since", "v0.1"); code != 2 || !strings.Contains(stderr, "fetch-depth: 0") {
		t.Errorf("shallow clone, --since v0.1: exit %d (want 2), stderr:\n%s", code, stderr)
	}
}

// TestWhatsNewRealHandbook: a copy of the real handbook made a git
// repository, tagged v0.1, given one sentence more in one paragraph of
// one chapter and tagged v0.2: its books' page and CHANGES.md list that
// chapter as updated by the sentence's words, and nothing else; the
// EPUB passes epubcheck.
func TestWhatsNewRealHandbook(t *testing.T) {
	src := needHandbook(t)
	notShort(t, "the real handbook's books")
	needTool(t, "git", "git")
	t.Setenv("SOURCE_DATE_EPOCH", "1717545600")
	dir := t.TempDir()
	copyTree(t, os.DirFS(src), dir)
	gitIn(t, dir, "init", "-q")
	gitIn(t, dir, "add", "-A", ".")
	gitIn(t, dir, "commit", "-q", "-m", "v0.1")
	gitIn(t, dir, "tag", "v0.1")
	// The first long paragraph after section 1's first chapter heading.
	inc := filepath.Join(dir, "_includes", "section1.md")
	data, err := os.ReadFile(inc)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	edited := -1
	for i, chapter := 0, false; i < len(lines) && edited < 0; i++ {
		chapter = chapter || strings.HasPrefix(strings.TrimSpace(lines[i]), "<h2")
		if chapter && len(lines[i]) > 120 && regexp.MustCompile(`^[A-Z]`).MatchString(lines[i]) {
			edited = i
		}
	}
	if edited < 0 {
		t.Fatal("no paragraph to edit in _includes/section1.md")
	}
	const added = " This sentence is new in the second release."
	lines[edited] += added
	if err := os.WriteFile(inc, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(t, dir, "commit", "-q", "-a", "-m", "v0.2")
	gitIn(t, dir, "tag", "v0.2")

	out := t.TempDir()
	code, _, stderr := runCmd("build", dir, "-o", out, "--format", "epub,pdf", "--edition", "screen", "--paper", "a4", "--quiet")
	if code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	books := readDir(t, out)
	notes := string(books["CHANGES.md"])
	entries := regexp.MustCompile(`(?m)^- .*$`).FindAllString(notes, -1)
	want := "— +" + strconv.Itoa(len(strings.Fields(added))) + " / −0 words"
	if !strings.HasPrefix(notes, "## What’s new in v0.2 (since v0.1)\n\n### Updated chapters\n\n") || len(entries) != 1 || !strings.HasSuffix(entries[0], want) {
		t.Fatalf("CHANGES.md:\n%s\nwant one updated chapter %s", notes, want)
	}
	if !strings.Contains(entries[0], "](https://genai-handbook.github.io/#") {
		t.Errorf("CHANGES.md does not link the chapter on the handbook's site: %s", entries[0])
	}
	var epubPath string
	for name, data := range books {
		if strings.HasSuffix(name, ".epub") {
			epubPath = filepath.Join(out, name)
			page := string(unzip(t, data)["EPUB/xhtml/whatsnew.xhtml"])
			if got := elementTexts(t, page, "li"); len(got) != 1 || !strings.HasSuffix(got[0], strings.TrimPrefix(want, "— ")) {
				t.Errorf("the EPUB's page lists %q", got)
			}
		}
	}
	epubcheck.Check(t, epubPath)
	needTool(t, "pdftotext", "poppler-utils")
	for name := range books {
		if strings.HasSuffix(name, ".pdf") {
			if text := pdfText(t, filepath.Join(out, name)); !strings.Contains(text, "Updated chapters") || strings.Contains(text, "New chapters") {
				t.Errorf("%s: the page is not the one update", name)
			}
		}
	}
}
