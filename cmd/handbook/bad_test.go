package main

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/genai-handbook/handbook/epub/epubcheck"
)

// badCase is one hostile or broken source tree with the diagnostic it must
// produce and the exit status of `handbook check`. Trees that still build
// (exit 0) are built, and both books must then pass the real validators.
type badCase struct {
	name   string
	files  map[string][]byte
	exit   int
	want   string // a diagnostic line (or its start) that must be printed
	secret string // text that must never reach any output
	setup  func(t *testing.T, dir string)
	noOut  bool                            // build without -o: the output directory is handbook.yml's
	after  func(t *testing.T, root string) // more checks once built, on the directory holding src and out
}

func loadBadCases(t *testing.T) []badCase {
	paths, _ := filepath.Glob("testdata/bad/*.txtar")
	var cases []badCase
	for _, p := range paths {
		ar, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c := badCase{name: strings.TrimSuffix(filepath.Base(p), ".txtar"), files: map[string][]byte{}, secret: "SECRET"}
		for _, line := range strings.Split(string(ar.Comment), "\n") {
			switch {
			case strings.HasPrefix(line, "exit: "):
				c.exit = int(line[6] - '0')
			case strings.HasPrefix(line, "want: "):
				c.want = line[6:]
			}
		}
		for _, f := range ar.Files {
			name, data := f.Name, f.Data
			if strings.HasSuffix(name, ".b64") {
				if data, err = base64.StdEncoding.DecodeString(strings.TrimSpace(string(data))); err != nil {
					t.Fatal(err)
				}
				name = strings.TrimSuffix(name, ".b64")
			}
			c.files[name] = data
		}
		cases = append(cases, c)
	}
	head := "---\ntitle: T\n---\n<h1 id=\"intro\">Intro</h1>\n\n<h2>One</h2>\n\n"
	// A megabyte in one paragraph; a quarter of it under -short, where it
	// would otherwise take most of the package's time.
	hugeSize := 1 << 20
	if testing.Short() {
		hugeSize /= 4
	}
	huge := strings.Repeat("A long paragraph that goes on and on without a break. ", hugeSize/55)
	var deep strings.Builder
	for i := 0; i < 40; i++ {
		deep.WriteString(strings.Repeat("  ", i) + "- level " + string(rune('a'+i%26)) + "\n")
	}
	cases = append(cases,
		badCase{name: "huge-paragraph", exit: 0, files: map[string][]byte{"index.md": []byte(head + huge + "\n")}},
		badCase{name: "deep-lists", exit: 0, files: map[string][]byte{"index.md": []byte(head + deep.String())}},
		badCase{name: "symlink-escape", exit: 1, secret: "OUTSIDE_SECRET",
			want:  `index.md:8:1: error: include "leak.md" refused: symlink "_includes/leak.md" points outside the source root`,
			files: map[string][]byte{"index.md": []byte(head + "{% include leak.md %}\n")},
			setup: func(t *testing.T, dir string) {
				outside := filepath.Join(filepath.Dir(dir), "outside.md")
				os.WriteFile(outside, []byte("OUTSIDE_SECRET\n"), 0o644)
				os.MkdirAll(filepath.Join(dir, "_includes"), 0o755)
				if err := os.Symlink(outside, filepath.Join(dir, "_includes", "leak.md")); err != nil {
					t.Skip("no symlinks here:", err)
				}
			}},
	)
	cases = append(cases, readRuleCases(head)...)
	cases = append(cases, idCases(head)...)
	cases = append(cases, badPNGCases(t, head)...)
	cases = append(cases, pdfPNGCases(t, head)...)
	// A 100 KB address, as a link and bare: set in time linear in its
	// length (see linebreak's BenchmarkLongToken), warned about as wider
	// than a line, and no QR code.
	long := strings.Repeat("a", 100<<10)
	cases = append(cases, badCase{name: "url-100k", exit: 0,
		want:  "is wider than a line: it is broken between characters",
		files: map[string][]byte{"index.md": []byte(head + "A [long link](https://example.com/" + long + ") and <https://example.org/" + long + ">.\n")}})
	// Versions that try to leave the output directory, from handbook.yml
	// and from a git tag: the books keep plain names inside it.
	noEscape := func(t *testing.T, root string) {
		for _, dir := range []string{root, filepath.Dir(root), filepath.Dir(filepath.Dir(root))} {
			if m, _ := filepath.Glob(filepath.Join(dir, "*pwned*")); len(m) > 0 {
				t.Errorf("a book outside the output directory: %v", m)
			}
		}
		books, _ := filepath.Glob(filepath.Join(root, "out", "*pwned*"))
		if len(books) < 2 {
			t.Errorf("books named after the version: %v", books)
		}
		for _, b := range books {
			if filepath.Base(b) == ".handbook.lock" {
				continue
			}
			if !regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`).MatchString(filepath.Base(b)) {
				t.Errorf("book name %q", filepath.Base(b))
			}
		}
	}
	cases = append(cases,
		badCase{name: "version-traversal", exit: 0, after: noEscape,
			files: map[string][]byte{"index.md": []byte(head + "Some text.\n"), "handbook.yml": []byte("version: \"v1/../../pwned\"\n")}},
		badCase{name: "tag-with-slash", exit: 0, after: noEscape,
			files: map[string][]byte{"index.md": []byte(head + "Some text.\n")},
			setup: func(t *testing.T, dir string) {
				if _, err := exec.LookPath("git"); err != nil {
					t.Skip("no git")
				}
				for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"-c", "user.email=a@example.com", "-c", "user.name=A", "commit", "-qm", "x"}, {"tag", "v2/pwned/../x"}, {"tag", "v1/pwned"}} {
					cmd := exec.Command("git", args...)
					cmd.Dir = dir
					if out, err := cmd.CombinedOutput(); err != nil && args[0] != "tag" {
						t.Fatalf("git %v: %v\n%s", args, err, out)
					}
				}
			}},
	)
	return cases
}

// badPNGCases returns trees with broken PNG images: truncated, with a bad
// checksum, with a header that claims more pixels than the data holds,
// and with one that claims a picture too large to decode. Each is a
// warning at the image and the book shows the alt text.
func badPNGCases(t *testing.T, head string) []badCase {
	var buf bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	// The IHDR chunk: length (4), "IHDR" (4), width and height (4 each)
	// at offsets 16 and 20, …, its CRC at 29.
	withSize := func(w, h uint32) []byte {
		b := append([]byte(nil), good...)
		binary.BigEndian.PutUint32(b[16:], w)
		binary.BigEndian.PutUint32(b[20:], h)
		binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
		return b
	}
	badCRC := append([]byte(nil), good...)
	badCRC[len(badCRC)-20] ^= 0xff // inside the IDAT chunk: its CRC no longer matches
	broken := map[string][]byte{
		"truncated":  good[:len(good)/2],
		"bad-crc":    badCRC,
		"lying-size": withSize(64, 64),
		"huge-size":  withSize(100000, 100000),
	}
	var cases []badCase
	for _, name := range []string{"truncated", "bad-crc", "lying-size", "huge-size"} {
		want := `index.md:8:1: warning: image "img/p.png" cannot be decoded (png: `
		if name == "huge-size" {
			want = `index.md:8:1: warning: image "img/p.png" is 100000×100000 pixels, beyond the limits`
		}
		cases = append(cases, badCase{name: "png-" + name, exit: 0,
			want: want,
			files: map[string][]byte{
				"index.md":  []byte(head + "![The alt text of the picture](img/p.png)\n"),
				"img/p.png": broken[name],
			},
			after: func(t *testing.T, root string) {
				pdfs, _ := filepath.Glob(filepath.Join(root, "out", "*.pdf"))
				for _, p := range pdfs {
					if txt, err := exec.Command("pdftotext", p, "-").Output(); err == nil && !strings.Contains(string(txt), "The alt text of the picture") {
						t.Errorf("%s: no alt text", filepath.Base(p))
					}
				}
			}})
	}
	return cases
}

// idCases returns trees whose EPUBs had duplicate or dangling ids with
// exit status 0 (issue 26, case 5): 40 notes referenced from one
// paragraph (a printed page began inside a note, which the EPUB never
// marked), many notes, and emphasis nested a thousand deep (deeper than
// any reading system's parser goes). epubcheck runs on their books.
func idCases(head string) []badCase {
	var forty, notes strings.Builder
	forty.WriteString("Text")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&forty, " word%d[^n%d]", i, i)
	}
	forty.WriteString("\n\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&forty, "[^n%d]: Note %d has some words in it to make it longer and longer still.\n\n", i, i)
	}
	for k := 0; k < 20; k++ {
		notes.WriteString("Text")
		for i := k * 100; i < k*100+100; i++ {
			fmt.Fprintf(&notes, " w%d[^n%d]", i, i)
		}
		notes.WriteString("\n\n")
	}
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&notes, "[^n%d]: Note %d.\n\n", i, i)
	}
	deep := strings.Repeat("*a ", 1000) + "x" + strings.Repeat(" a*", 1000)
	return []badCase{
		{name: "notes-40-in-a-paragraph", exit: 0, files: map[string][]byte{"index.md": []byte(head + forty.String())}},
		{name: "notes-2000", exit: 0, files: map[string][]byte{"index.md": []byte(head + notes.String())}},
		{name: "emphasis-1000-deep", exit: 0, want: "index.md:8:1: warning: emphasis, links and inline HTML nested more than 32 deep",
			files: map[string][]byte{"index.md": []byte(head + deep + "\n")}},
	}
}

// readRuleCases returns trees whose handbook.yml, cover, font or output
// directory reach outside the source root or are not regular files
// (issue 26, cases 1 and 3): each is an error at handbook.yml that names
// the path, never the target's contents, and nothing hangs or is written
// outside the root.
func readRuleCases(head string) []badCase {
	index := map[string][]byte{"index.md": []byte(head + "Some text.\n")}
	with := func(files map[string][]byte, more map[string]string) map[string][]byte {
		out := map[string][]byte{}
		for k, v := range files {
			out[k] = v
		}
		for k, v := range more {
			out[k] = []byte(v)
		}
		return out
	}
	// outside writes a secret file beside the source root and links name
	// to it (absolute, or relative when rel is set).
	outside := func(name string, rel bool) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			secret := filepath.Join(filepath.Dir(dir), "shadow")
			os.WriteFile(secret, []byte("root:SECRET:19000:0:99999:7:::\n"), 0o600)
			target := secret
			if rel {
				target = "../shadow"
			}
			if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
				t.Skip("no symlinks here:", err)
			}
		}
	}
	fifo := func(name string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
			if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}
	}
	link := func(name, target string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
				t.Skip("no symlinks here:", err)
			}
		}
	}
	// nothingOutside: no book, SHA256SUMS or lock beside the source root.
	nothingOutside := func(t *testing.T, root string) {
		for _, dir := range []string{root, filepath.Dir(root), filepath.Join(root, "elsewhere")} {
			for _, pat := range []string{"*.epub", "*.pdf", "SHA256SUMS", ".handbook.lock"} {
				if m, _ := filepath.Glob(filepath.Join(dir, pat)); len(m) > 0 {
					t.Errorf("written outside the source root: %v", m)
				}
			}
		}
	}
	return []badCase{
		{name: "config-symlink-out", exit: 1, files: index, setup: outside("handbook.yml", true),
			want: `handbook.yml: error: refused: symlink "handbook.yml" points outside the source root`},
		{name: "config-symlink-absolute", exit: 1, files: index, setup: outside("handbook.yml", false),
			want: `handbook.yml: error: refused: symlink "handbook.yml" points outside the source root`},
		{name: "config-dev-zero", exit: 1, files: index, setup: link("handbook.yml", "/dev/zero"),
			want: `handbook.yml: error: refused: symlink "handbook.yml" points outside the source root`},
		{name: "config-fifo", exit: 1, files: index, setup: fifo("handbook.yml"),
			want: `handbook.yml: error: not a regular file`},
		{name: "cover-fifo", exit: 1, files: with(index, map[string]string{"handbook.yml": "cover: img/c.png\n"}), setup: fifo("img/c.png"),
			want: `handbook.yml:1:8: error: cover: not a regular file`},
		{name: "cover-chain-out", exit: 1, files: with(index, map[string]string{"handbook.yml": "cover: c.png\n"}), setup: outside("c.png", true),
			want: `handbook.yml:1:8: error: cover: refused: symlink "c.png" points outside the source root`},
		{name: "font-fifo", exit: 1, files: with(index, map[string]string{"handbook.yml": "fonts:\n  regular: f.ttf\n"}), setup: fifo("f.ttf"),
			want: `handbook.yml:2:12: error: font regular: not a regular file`},
		{name: "out-absolute", exit: 1, noOut: true, after: nothingOutside,
			files: with(index, map[string]string{"handbook.yml": "out: /tmp/handbook-out-escape\n"}),
			want:  `handbook.yml:1:6: error: out: not a path inside the source root`},
		{name: "out-climbs", exit: 1, noOut: true, after: nothingOutside,
			files: with(index, map[string]string{"handbook.yml": "out: ../../elsewhere\n"}),
			want:  `handbook.yml:1:6: error: out: not a path inside the source root`},
		{name: "out-symlink", exit: 1, noOut: true, after: nothingOutside,
			files: with(index, map[string]string{"handbook.yml": "out: dist\n"}),
			setup: func(t *testing.T, dir string) {
				os.MkdirAll(filepath.Join(filepath.Dir(dir), "elsewhere"), 0o755)
				link("dist", "../elsewhere")(t, dir)
			},
			want: `handbook.yml:1:6: error: out: refused: symlink "dist" points outside the source root`},
		{name: "out-inside", exit: 0, noOut: true,
			files: with(index, map[string]string{"handbook.yml": "out: books/v1\n"}),
			after: func(t *testing.T, root string) {
				if m, _ := filepath.Glob(filepath.Join(root, "src", "books", "v1", "*.epub")); len(m) != 2 {
					t.Errorf("not the EPUB and its Kobo edition in out: books/v1: %v", m)
				}
				nothingOutside(t, root)
			}},
	}
}

// pdfPNGCases returns trees with PNG images that decode but that the PDF
// writer cannot embed as they are: 16 bits a sample, and interlaced.
// check passed them and build failed every PDF (issue 26, case 6); now
// they are converted, and every book shows them.
func pdfPNGCases(t *testing.T, head string) []badCase {
	var deep bytes.Buffer
	g := image.NewGray16(image.Rect(0, 0, 32, 32))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 13)
	}
	if err := png.Encode(&deep, g); err != nil {
		t.Fatal(err)
	}
	if deep.Bytes()[24] != 16 {
		t.Fatalf("the test image has %d bits a sample, want 16", deep.Bytes()[24])
	}
	// An interlaced 2×2 grey PNG, by hand (Go's encoder writes none):
	// Adam7's first pass holds pixel (0,0), the sixth (1,0), the seventh
	// row 1; each scanline starts with its filter byte.
	var idat bytes.Buffer
	zw := zlib.NewWriter(&idat)
	zw.Write([]byte{0, 10, 0, 200, 0, 90, 160})
	zw.Close()
	chunk := func(typ string, data []byte) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		b = append(b, typ...)
		b = append(b, data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
	}
	inter := []byte("\x89PNG\r\n\x1a\n")
	inter = append(inter, chunk("IHDR", []byte{0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 1})...)
	inter = append(inter, chunk("IDAT", idat.Bytes())...)
	inter = append(inter, chunk("IEND", nil)...)
	if _, err := png.Decode(bytes.NewReader(inter)); err != nil {
		t.Fatalf("the interlaced test image: %v", err)
	}
	var cases []badCase
	for name, data := range map[string][]byte{"png-16-bit": deep.Bytes(), "png-interlaced": inter} {
		cases = append(cases, badCase{name: name, exit: 0,
			files: map[string][]byte{
				"index.md":  []byte(head + "![A picture](img/p.png)\n"),
				"img/p.png": data,
			},
			after: func(t *testing.T, root string) {
				pdfs, _ := filepath.Glob(filepath.Join(root, "out", "*.pdf"))
				if len(pdfs) == 0 {
					t.Fatal("no PDF")
				}
				for _, p := range pdfs {
					out, err := exec.Command("pdfimages", "-list", p).Output()
					if err != nil {
						continue // poppler-utils absent: checked where it is
					}
					if !strings.Contains(string(out), " image ") {
						t.Errorf("%s: no image drawn:\n%s", filepath.Base(p), out)
					}
				}
			}})
	}
	return cases
}

// diagLine matches a diagnostic line: "file:line:col: severity: …", with
// or without line and column.
var diagLine = regexp.MustCompile(`^[^ ]+?(:\d+){0,2}: (error|warning|note): `)

// diagnostics returns the diagnostic lines of a command's output, sorted.
func diagnostics(out string) []string {
	var ds []string
	for _, line := range strings.Split(out, "\n") {
		if diagLine.MatchString(line) {
			ds = append(ds, line)
		}
	}
	sort.Strings(ds)
	return ds
}

// TestBadInput runs every bad-input tree through check and build: exact
// diagnostic, exit status, check and build agreeing on every diagnostic
// (issue 13, item 10), nothing refused or active ever in an output, and
// the validators on every book that still builds (not under -short):
// epubcheck once over all the EPUBs, in one Java VM, and qpdf on each
// PDF, after every case has run (issue 25).
func TestBadInput(t *testing.T) {
	cases := loadBadCases(t)
	if len(cases) < 20 {
		t.Fatalf("only %d bad-input cases", len(cases))
	}
	base := t.TempDir() // the cases' trees and books live until the validators are done
	var mu sync.Mutex
	var epubs []string
	var pdfs []bookFile
	t.Run("cases", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				root := filepath.Join(base, c.name)
				dir := filepath.Join(root, "src")
				for name, data := range c.files {
					p := filepath.Join(dir, filepath.FromSlash(name))
					os.MkdirAll(filepath.Dir(p), 0o755)
					if err := os.WriteFile(p, data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				os.MkdirAll(dir, 0o755)
				if c.setup != nil {
					c.setup(t, dir)
				}
				code, out, errOut := runCmd("check", dir)
				all := out + errOut
				if code != c.exit {
					t.Fatalf("check: exit %d, want %d\n%s", code, c.exit, all)
				}
				if !strings.Contains(all, c.want) {
					t.Errorf("check output lacks %q:\n%s", c.want, all)
				}
				if c.secret != "" && strings.Contains(all, c.secret) {
					t.Errorf("refused content leaked into diagnostics")
				}
				outDir := filepath.Join(root, "out")
				args := []string{"build", dir, "-o", outDir}
				if c.noOut {
					args = args[:2]
				}
				bcode, bout, berr := runCmd(args...)
				if bcode != c.exit {
					t.Fatalf("build: exit %d, want %d (as check)\n%s%s", bcode, c.exit, bout, berr)
				}
				if got, want := diagnostics(bout+berr), diagnostics(all); strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("build and check disagree.\nbuild:\n%s\ncheck:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				if c.secret != "" && strings.Contains(bout+berr, c.secret) {
					t.Errorf("refused content leaked into build's output")
				}
				if c.after != nil {
					c.after(t, root)
				}
				if c.exit != 0 || c.noOut {
					return
				}
				books, _ := filepath.Glob(filepath.Join(outDir, "*"))
				for _, b := range books {
					switch filepath.Ext(b) {
					case ".epub":
						noSecretInEPUB(t, b, c.secret)
						if strings.HasSuffix(b, ".kepub.epub") {
							// The Kobo edition is the EPUB converted: epub/kepub
							// validates the conversion (on the example and the
							// handbook), and a second book a case would double
							// the batch's time.
							continue
						}
						mu.Lock()
						epubs = append(epubs, b)
						mu.Unlock()
					case ".pdf":
						mu.Lock()
						pdfs = append(pdfs, bookFile{b, c.secret})
						mu.Unlock()
					}
				}
			})
		}
	})
	if len(epubs) == 0 || len(pdfs) == 0 {
		t.Fatalf("no books to validate (%d EPUBs, %d PDFs)", len(epubs), len(pdfs))
	}
	sort.Strings(epubs)
	sort.Slice(pdfs, func(i, j int) bool { return pdfs[i].path < pdfs[j].path })
	notShort(t, "the validators on the bad-input books")
	checkPDFs(t, pdfs)
	epubcheck.Check(t, epubs...)
}

// bookFile is a book a test wrote, with text that must not be in it.
type bookFile struct {
	path, secret string
}

// noSecretInEPUB looks for secret text in every entry of an EPUB.
func noSecretInEPUB(t *testing.T, path, secret string) {
	t.Helper()
	if secret == "" {
		return
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if strings.Contains(string(data), secret) {
			t.Errorf("%s: %s contains %q", filepath.Base(path), f.Name, secret)
		}
	}
}

// checkPDFs runs qpdf --check on every PDF (not under -short) and looks
// for each one's secret in its text (pdftotext) and in its uncompressed
// objects.
func checkPDFs(t *testing.T, books []bookFile) {
	t.Helper()
	for _, b := range books {
		checkPDF(t, b.path, b.secret)
	}
}

// checkPDF runs qpdf --check and looks for secret text in the PDF's text
// and in its uncompressed objects.
func checkPDF(t *testing.T, path, secret string) {
	t.Helper()
	needTool(t, "qpdf", "qpdf")
	needTool(t, "pdftotext", "poppler-utils")
	if secret != "" {
		// The text of the PDF, as a reader's copy and paste sees it.
		if txt, err := exec.Command("pdftotext", path, "-").Output(); err == nil && strings.Contains(string(txt), secret) {
			t.Errorf("%s: text contains %q", filepath.Base(path), secret)
		}
	}
	if out, err := exec.Command("qpdf", "--check", path).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check %s: %v\n%s", filepath.Base(path), err, out)
	}
	if secret == "" {
		return
	}
	raw, _ := exec.Command("qpdf", "--qdf", "--object-streams=disable", path, "-").Output()
	if strings.Contains(string(raw), secret) {
		t.Errorf("%s: uncompressed PDF contains %q", filepath.Base(path), secret)
	}
}
