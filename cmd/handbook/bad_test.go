package main

import (
	"archive/zip"
	"encoding/base64"
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
