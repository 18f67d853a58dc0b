package main

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/binary"
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
	"testing"

	"golang.org/x/tools/txtar"
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
	cases = append(cases, badPNGCases(t, head)...)
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
// (issue 13, item 10), the validators on what still builds (not under
// -short), and nothing refused or active ever in an output.
func TestBadInput(t *testing.T) {
	cases := loadBadCases(t)
	if len(cases) < 20 {
		t.Fatalf("only %d bad-input cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
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
			if c.exit != 0 && c.secret != "" && strings.Contains(all, c.secret) {
				t.Errorf("refused content leaked into diagnostics")
			}
			outDir := filepath.Join(root, "out")
			bcode, bout, berr := runCmd("build", dir, "-o", outDir)
			if bcode != c.exit {
				t.Fatalf("build: exit %d, want %d (as check)\n%s%s", bcode, c.exit, bout, berr)
			}
			if got, want := diagnostics(bout+berr), diagnostics(all); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("build and check disagree.\nbuild:\n%s\ncheck:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if c.exit != 0 {
				return
			}
			if c.after != nil {
				c.after(t, root)
			}
			books, _ := filepath.Glob(filepath.Join(outDir, "*"))
			for _, b := range books {
				switch filepath.Ext(b) {
				case ".epub":
					checkEPUB(t, b, c.secret)
				case ".pdf":
					checkPDF(t, b, c.secret)
				}
			}
		})
	}
}

// checkEPUB runs epubcheck and looks for secret text in every entry.
func checkEPUB(t *testing.T, path, secret string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if secret != "" && strings.Contains(string(data), secret) {
			t.Errorf("%s: %s contains %q", filepath.Base(path), f.Name, secret)
		}
	}
	if testing.Short() {
		return // the validators run in the full suite
	}
	needEpubcheck(t)
	out, err := exec.Command("java", "-jar", epubcheckJar, path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "No errors or warnings detected") {
		t.Errorf("epubcheck %s: %v\n%s", filepath.Base(path), err, out)
	}
}

// checkPDF runs qpdf --check and looks for secret text in the PDF's text.
func checkPDF(t *testing.T, path, secret string) {
	t.Helper()
	if secret != "" {
		// The text of the PDF, as a reader's copy and paste sees it.
		if txt, err := exec.Command("pdftotext", path, "-").Output(); err == nil && strings.Contains(string(txt), secret) {
			t.Errorf("%s: text contains %q", filepath.Base(path), secret)
		}
	}
	if testing.Short() {
		return // the validators run in the full suite
	}
	needTool(t, "qpdf", "qpdf")
	needTool(t, "pdftotext", "poppler-utils")
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
