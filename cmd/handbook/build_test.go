package main

import (
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

const exampleStem = "a-field-guide-to-classical-machine-learning-v0.3"

func TestInitThenBuild(t *testing.T) {
	dir := initTree(t)
	out := filepath.Join(t.TempDir(), "dist")
	t.Setenv("SOURCE_DATE_EPOCH", "1717545600")
	code, stdout, stderr := runCmd("build", dir, "-o", out, "--format", "epub,pdf", "--paper", "a4")
	if code != 0 {
		t.Fatalf("build: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, name := range []string{exampleStem + ".epub", exampleStem + ".pdf", exampleStem + "-print.pdf", "SHA256SUMS"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	if !strings.Contains(stdout, "10 chapters") || !strings.Contains(stdout, "built 3 books") || !strings.Contains(stdout, "-print.pdf") {
		t.Errorf("summary:\n%s", stdout)
	}
	verifySums(t, out)
	if h := hidden(t, out); len(h) > 0 {
		t.Errorf("temporary files left behind: %v", h)
	}
}

// TestInitNeverOverwrites (issue 13, item 13): init lists the files that
// exist and writes nothing; --force overwrites them.
func TestInitNeverOverwrites(t *testing.T) {
	dir := writeTree(t, map[string]string{"_includes/section1.md": "my own words\n", "notes.txt": "mine\n"})
	code, stdout, stderr := runCmd("init", dir)
	if code != 1 || !strings.Contains(stderr, "1 file already in") || !strings.Contains(stderr, "\n  _includes/section1.md") || !strings.Contains(stderr, "--force") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "_includes", "section1.md")); string(b) != "my own words\n" {
		t.Errorf("existing file overwritten: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "index.md")); err == nil {
		t.Errorf("init wrote files although it refused")
	}
	if code, _, stderr := runCmd("init", "--force", dir); code != 0 {
		t.Fatalf("--force: exit %d\n%s", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "_includes", "section1.md")); string(b) == "my own words\n" {
		t.Errorf("--force did not overwrite")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "mine\n" {
		t.Errorf("a file that is not the example's was touched")
	}
}

func TestBuildJSON(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCmd("build", "--example", "-o", out, "--format", "epub", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Artifacts []struct {
			Path, Format, SHA256 string
			Bytes, Chapters      int
		}
		Diagnostics []any
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("--json output does not parse: %v\n%s", err, stdout)
	}
	if len(rep.Artifacts) != 1 || rep.Artifacts[0].Format != "epub" || rep.Artifacts[0].Chapters != 10 || len(rep.Artifacts[0].SHA256) != 64 {
		t.Errorf("report: %+v", rep)
	}
}

// writeLog records each write on its own.
type writeLog struct {
	mu     sync.Mutex
	writes []string
}

func (w *writeLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes = append(w.writes, string(p))
	return len(p), nil
}

// TestBuildReportsEachBookAsItIsDone: a book's line is printed when that
// book is done, on its own; plurals are right; --quiet prints errors
// only.
func TestBuildReportsEachBookAsItIsDone(t *testing.T) {
	out := t.TempDir()
	var so, se writeLog
	if code := run([]string{"build", "--example", "-o", out, "--format", "epub,pdf", "--edition", "print"}, &so, &se); code != 0 {
		t.Fatalf("exit %d: %v", code, se.writes)
	}
	// Each book on a write of its own, as it is done (which one first
	// depends on the scheduler: a timed order would be a flaky test),
	// then the sums and the summary.
	if len(so.writes) < 4 {
		t.Fatalf("want a write per book, then the sums and the summary: %q", so.writes)
	}
	first, second := so.writes[0], so.writes[1]
	if first > second {
		first, second = second, first
	}
	if !strings.Contains(first, "-print.pdf") || strings.Contains(first, ".epub") || !strings.Contains(second, exampleStem+".epub") || strings.Contains(second, ".pdf") {
		t.Fatalf("the EPUB and the print edition should each be reported on its own: %q", so.writes)
	}
	if last := so.writes[len(so.writes)-1]; !strings.HasPrefix(last, "built 2 books, ") {
		t.Errorf("summary %q", last)
	}
	code, stdout, _ := runCmd("build", "--example", "-o", out, "--format", "epub")
	if code != 0 || !strings.Contains(stdout, "built 1 book, ") || !strings.Contains(stdout, "10 chapters") {
		t.Errorf("singular: %q", stdout)
	}

	warn := writeTree(t, map[string]string{"index.md": goodIndex})
	code, stdout, stderr := runCmd("build", warn, "-o", t.TempDir(), "--format", "epub", "--quiet")
	if code != 0 || stdout != "" || stderr != "" {
		t.Errorf("--quiet with a warning: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	bad := writeTree(t, map[string]string{"index.md": "---\ntitle: t\n---\n{% include missing.md %}\n"})
	code, stdout, stderr = runCmd("build", bad, "-o", t.TempDir(), "--quiet")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "error: include \"missing.md\"") {
		t.Errorf("--quiet with an error: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestFailedBuildKeepsPreviousBook: a build that fails (a missing include)
// leaves the book of the previous good build byte for byte.
func TestFailedBuildKeepsPreviousBook(t *testing.T) {
	dir := initTree(t)
	out := t.TempDir()
	if code, _, e := runCmd("build", dir, "-o", out, "--format", "epub"); code != 0 {
		t.Fatalf("first build: %s", e)
	}
	book := filepath.Join(out, exampleStem+".epub")
	before, err := os.ReadFile(book)
	if err != nil {
		t.Fatal(err)
	}
	idx := filepath.Join(dir, "index.md")
	data, _ := os.ReadFile(idx)
	os.WriteFile(idx, append(data, []byte("\n{% include missing.md %}\n")...), 0o644)
	code, _, stderr := runCmd("build", dir, "-o", out, "--format", "epub")
	if code != 1 || !strings.Contains(stderr, `error: include "missing.md" not found in _includes/`) {
		t.Fatalf("broken build: exit %d, stderr:\n%s", code, stderr)
	}
	after, _ := os.ReadFile(book)
	if string(before) != string(after) {
		t.Errorf("the previous book was changed by a failed build")
	}
}

// TestStrictBuildWritesNothing (issue 13, item 11): a warning that only
// the backends find (a glyph the fonts lack) fails a --strict build before
// any book is replaced, and the build says why.
func TestStrictBuildWritesNothing(t *testing.T) {
	dir := writeTree(t, map[string]string{"index.md": "---\ntitle: T\n---\n<h1 id=\"intro\">Intro</h1>\n\n<h2>One</h2>\n\nA CJK 漢字 in the text.\n"})
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "t.pdf"), []byte("previous"), 0o644)
	code, stdout, stderr := runCmd("build", dir, "-o", out, "--strict", "--paper", "a4")
	if code != 1 || !strings.Contains(stderr, "warning: ") || !strings.Contains(stderr, "--strict") || !strings.Contains(stderr, "no books written") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if stdout != "" {
		t.Errorf("reports books it did not write:\n%s", stdout)
	}
	got := readDir(t, out)
	if len(got) != 1 || string(got["t.pdf"]) != "previous" {
		t.Errorf("--strict wrote or changed files: %v", keys(got))
	}
	if h := hidden(t, out); len(h) > 0 {
		t.Errorf("temporary files left: %v", h)
	}
	// Without --strict the same build succeeds with the warning.
	if code, _, stderr := runCmd("build", dir, "-o", out, "--paper", "a4"); code != 0 || !strings.Contains(stderr, "warning: ") {
		t.Errorf("without --strict: exit %d\n%s", code, stderr)
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestUnusedFlagsWarn: flags that do nothing for the books asked for say
// so (and count as warnings for --strict).
func TestUnusedFlagsWarn(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runCmd("build", "--example", "-o", out, "--format", "epub", "--paper", "letter", "--booklet", "--simplex")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"warning: --paper has no effect", "warning: --booklet has no effect", "warning: --simplex has no effect"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	code, _, stderr = runCmd("build", "--example", "-o", t.TempDir(), "--edition", "screen", "--simplex")
	if code != 0 || !strings.Contains(stderr, "--simplex has no effect: no print edition is built") {
		t.Errorf("--simplex with the screen edition: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runCmd("build", "--example", "-o", t.TempDir(), "--format", "epub", "--paper", "a4", "--strict")
	if code != 1 || !strings.Contains(stderr, "no books written") {
		t.Errorf("--strict: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runCmd("build", "--example", "-o", t.TempDir(), "--format", "pdf", "--paper", "a4", "--edition", "screen")
	if code != 0 || strings.Contains(stderr, "no effect") {
		t.Errorf("flags in use: exit %d\n%s", code, stderr)
	}
	dir := initTree(t)
	os.WriteFile(filepath.Join(dir, "handbook.yml"), []byte("formats: [epub]\npaper: [a4]\n"), 0o644)
	code, _, stderr = runCmd("build", dir, "-o", t.TempDir())
	if code != 0 || !strings.Contains(stderr, "handbook.yml:2:1: warning: paper has no effect: no screen PDF is built") {
		t.Errorf("handbook.yml: exit %d\n%s", code, stderr)
	}
}

func TestBuildRefusesOutputInIncludes(t *testing.T) {
	dir := initTree(t)
	code, _, stderr := runCmd("build", dir, "-o", filepath.Join(dir, "_includes", "out"))
	if code != 2 || !strings.Contains(stderr, "inside the source's _includes/") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
}

func TestConfigFile(t *testing.T) {
	dir := initTree(t)
	os.WriteFile(filepath.Join(dir, "handbook.yml"), []byte("subtitle: From the config\nname: guide\nformats: [epub]\nbogus: 1\n"), 0o644)
	code, _, stderr := runCmd("build", dir, "-o", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "handbook.yml:4:1: error: unknown key \"bogus\"") {
		t.Fatalf("unknown key: exit %d, stderr:\n%s", code, stderr)
	}
	os.WriteFile(filepath.Join(dir, "handbook.yml"), []byte("subtitle: From the config\nname: guide\nformats: [epub]\npaper: 3\n"), 0o644)
	code, _, stderr = runCmd("build", dir, "-o", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "handbook.yml:4:8: error: key \"paper\"") {
		t.Fatalf("bad type: exit %d, stderr:\n%s", code, stderr)
	}
	os.WriteFile(filepath.Join(dir, "handbook.yml"), []byte("subtitle: From the config\nname: guide\nformats: [epub]\n"), 0o644)
	out := t.TempDir()
	code, stdout, stderr := runCmd("build", dir, "-o", out, "--version-override", "v9.9")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "guide-v9.9.epub")); err != nil {
		t.Errorf("config name and version override not applied: %v\n%s", err, stdout)
	}
}

// TestConfigProblemsArePositioned (issue 13, item 12): every problem in
// handbook.yml is "handbook.yml:LINE:COL: error: …" with exit 1, from
// build and check alike, never a flag error; its paths are relative to
// the source root.
func TestConfigProblemsArePositioned(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "outside.png")
	os.WriteFile(outside, []byte("not an image"), 0o644)
	for _, tc := range []struct {
		yml, want string
		link      bool
	}{
		{"cover: ../../etc/passwd\n", `handbook.yml:1:8: error: cover "../../etc/passwd" is not a path inside the source tree`, false},
		{"cover: /etc/passwd\n", `handbook.yml:1:8: error: cover "/etc/passwd" is not a path inside the source tree`, false},
		{"cover: assets/link.png\n", `handbook.yml:1:8: error: cover: refused: symlink "assets/link.png" points outside the source root`, true},
		{"cover: assets/none.png\n", `handbook.yml:1:8: error: cover: `, false},
		{"fonts:\n  regular: ../x.ttf\n", `handbook.yml:2:12: error: font regular "../x.ttf" is not a path inside the source tree`, false},
		{"fonts: {bold: assets/link.png}\n", `handbook.yml:1:15: error: font bold: refused: symlink "assets/link.png" points outside the source root`, true},
		{"paper: [a4, a6]\n", `handbook.yml:1:13: error: paper: unknown value "a6" (want a4, letter, a5)`, false},
		{"formats: [epub, mobi]\n", `handbook.yml:1:17: error: formats: unknown value "mobi"`, false},
		{"out: \"\"\n", `handbook.yml:1:6: error: out: empty output directory`, false},
	} {
		dir := initTree(t)
		if tc.link {
			if err := os.Symlink(outside, filepath.Join(dir, "assets", "link.png")); err != nil {
				t.Skip(err)
			}
		}
		os.WriteFile(filepath.Join(dir, "handbook.yml"), []byte(tc.yml), 0o644)
		for _, cmd := range []string{"build", "check"} {
			code, stdout, stderr := runCmd(cmd, dir, "-o", filepath.Join(t.TempDir(), "out"))
			if cmd == "check" {
				code, stdout, stderr = runCmd(cmd, dir)
			}
			all := stdout + stderr
			if code != 1 || !strings.Contains(all, tc.want) || strings.Contains(all, "--help") || strings.Contains(all, "not an image") {
				t.Errorf("%s with %q: exit %d, want 1 and %q:\n%s", cmd, tc.yml, code, tc.want, all)
			}
		}
	}

	// out: is relative to the source root, wherever handbook runs.
	dir := initTree(t)
	os.WriteFile(filepath.Join(dir, "handbook.yml"), []byte("out: books\nformats: [epub]\n"), 0o644)
	t.Chdir(t.TempDir())
	if code, _, stderr := runCmd("build", dir); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "books", exampleStem+".epub")); err != nil {
		t.Errorf("out: not relative to the source root: %v", err)
	}
	if _, err := os.Stat("books"); err == nil {
		t.Errorf("out: taken relative to the current directory")
	}
}

// writePNG writes a w×h PNG.
func writePNG(t *testing.T, path string, w, h int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
}

// TestCoverChecks: a cover under 1000 px high or not portrait is a
// warning at the cover's file, from build and check alike; a file that is
// not an image is an error.
func TestCoverChecks(t *testing.T) {
	dir := initTree(t)
	writePNG(t, filepath.Join(dir, "assets", "tiny.png"), 16, 16)
	writePNG(t, filepath.Join(dir, "assets", "wide.png"), 1600, 1000)
	writePNG(t, filepath.Join(dir, "assets", "good.png"), 1000, 1600)
	os.WriteFile(filepath.Join(dir, "assets", "text.png"), []byte("hello"), 0o644)
	for _, tc := range []struct {
		cover string
		code  int
		want  []string
	}{
		{"tiny.png", 0, []string{"assets/tiny.png: warning: cover is 16×16 px: less than 1000 px high", "assets/tiny.png: warning: cover is 16×16 px, not portrait"}},
		{"wide.png", 0, []string{"assets/wide.png: warning: cover is 1600×1000 px, not portrait"}},
		{"good.png", 0, nil},
		{"text.png", 1, []string{"assets/text.png: error: cover is not a PNG, JPEG or GIF image"}},
	} {
		code, _, stderr := runCmd("build", dir, "-o", t.TempDir(), "--format", "epub", "--cover", filepath.Join(dir, "assets", tc.cover))
		if code != tc.code || (tc.want == nil) != !strings.Contains(stderr, "cover") {
			t.Errorf("%s: exit %d, want %d\n%s", tc.cover, code, tc.code, stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", tc.cover, w, stderr)
			}
		}
	}
	os.WriteFile(filepath.Join(dir, "handbook.yml"), []byte("cover: assets/tiny.png\n"), 0o644)
	code, out, _ := runCmd("check", dir)
	if code != 0 || !strings.Contains(out, "assets/tiny.png: warning: cover is 16×16 px") {
		t.Errorf("check with handbook.yml's cover: exit %d\n%s", code, out)
	}
}

// TestWatchRebuilds drives watch through a change of an include file and
// a change that breaks the build, and reads its timestamped lines.
func TestWatchRebuilds(t *testing.T) {
	dir := initTree(t)
	out := t.TempDir()
	book := filepath.Join(out, exampleStem+".epub")
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	var so, se syncBuffer
	go func() {
		defer wg.Done()
		f := defaultBuildFlags()
		f.source.dir, f.out, f.formats = dir, out, []string{"epub"}
		if err := watch(ctx, func(string) bool { return false }, f, nil, &so, &se); err != nil {
			t.Error(err)
		}
	}()
	defer func() { cancel(); wg.Wait() }()
	first := waitFor(t, func() []byte { b, _ := os.ReadFile(book); return b }, nil)
	// What editors and tools leave beside a file they save is no source
	// (issue 25): sed -i's temporary, a swap file, a backup.
	for _, junk := range []string{"sedcVtbF7", ".section1.md.swp", "section1.md~", "4913"} {
		os.WriteFile(filepath.Join(dir, "_includes", junk), []byte("x"), 0o644)
	}
	inc := filepath.Join(dir, "_includes", "section1.md")
	data, _ := os.ReadFile(inc)
	if err := os.WriteFile(inc, append(data, []byte("\nA sentence added while watching.\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() []byte { b, _ := os.ReadFile(book); return b }, first)
	waitFor(t, func() []byte {
		if n := strings.Count(so.String(), " built 1 book in "); n >= 2 {
			return []byte{1}
		}
		return nil
	}, nil)
	os.WriteFile(inc, append(data, []byte("\n{% include missing.md %}\n")...), 0o644)
	waitFor(t, func() []byte {
		if strings.Contains(so.String(), "build failed") {
			return []byte{1}
		}
		return nil
	}, nil)
	stamp := `\d\d:\d\d:\d\d `
	for _, re := range []string{
		`(?m)^` + stamp + `built 1 book in \d+`,
		`(?m)^` + stamp + `changed: _includes/section1\.md$`,
		`(?m)^` + stamp + `build failed: 1 error — previous books kept$`,
	} {
		if !regexp.MustCompile(re).MatchString(so.String()) {
			t.Errorf("watch output lacks %s:\n%s", re, so.String())
		}
	}
	if !strings.Contains(se.String(), `error: include "missing.md"`) {
		t.Errorf("the error is not shown:\n%s", se.String())
	}
	if m := regexp.MustCompile(`changed: \S*(sed|swp|~|4913)\S*`).FindString(so.String()); m != "" {
		t.Errorf("watch reports a file that is not a source: %q", m)
	}
}

// TestWatchQuietFirstFailure (issue 25): a first build that fails says no
// books were written (there are none to keep), and --quiet prints only
// the failure, not the changes, builds or "watching" lines.
func TestWatchQuietFirstFailure(t *testing.T) {
	dir := initTree(t)
	out := t.TempDir()
	idx := filepath.Join(dir, "index.md")
	good, _ := os.ReadFile(idx)
	os.WriteFile(idx, append(append([]byte(nil), good...), "\n{% include missing.md %}\n"...), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	var so, se syncBuffer
	go func() {
		defer wg.Done()
		f := defaultBuildFlags()
		f.source.dir, f.out, f.formats, f.quiet = dir, out, []string{"epub"}, true
		if err := watch(ctx, func(string) bool { return false }, f, nil, &so, &se); err != nil {
			t.Error(err)
		}
	}()
	defer func() { cancel(); wg.Wait() }()
	waitFor(t, func() []byte {
		if strings.Contains(so.String(), "build failed") {
			return []byte{1}
		}
		return nil
	}, nil)
	if !regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d build failed: 1 error — no books written$`).MatchString(so.String()) {
		t.Errorf("first failure:\n%s", so.String())
	}
	os.WriteFile(idx, good, 0o644)
	book := filepath.Join(out, exampleStem+".epub")
	waitFor(t, func() []byte { b, _ := os.ReadFile(book); return b }, nil)
	cancel()
	wg.Wait()
	if got := so.String(); strings.Contains(got, "built ") || strings.Contains(got, "watching") || strings.Contains(got, "changed:") {
		t.Errorf("--quiet printed more than failures:\n%s", got)
	}
}

// waitFor polls get until it returns data different from old (non-empty).
func waitFor(t *testing.T, get func() []byte, old []byte) []byte {
	t.Helper()
	for i := 0; i < 300; i++ {
		if b := get(); len(b) > 0 && string(b) != string(old) {
			return b
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("timed out waiting for the book to be (re)built")
	return nil
}

// TestBuildRefusesToOverwriteSource: an output name that is a file the
// build reads is refused, and the file is untouched.
func TestBuildRefusesToOverwriteSource(t *testing.T) {
	dir := initTree(t)
	before, _ := os.ReadFile(filepath.Join(dir, "index.md"))
	os.WriteFile(filepath.Join(dir, "handbook.yml"), []byte("name: x\nformats: [pdf]\npaper: [a4]\neditions: [screen]\n"), 0o644)
	// "--version-override" shapes the name: x-<v>.pdf; make it collide with an image.
	os.WriteFile(filepath.Join(dir, "assets", "x-v1.pdf"), []byte("%PDF-1.4 not ours"), 0o644)
	idx := filepath.Join(dir, "_includes", "section3.md")
	data, _ := os.ReadFile(idx)
	os.WriteFile(idx, append(data, []byte("\n![figure](assets/x-v1.pdf)\n")...), 0o644)
	code, _, stderr := runCmd("build", dir, "-o", filepath.Join(dir, "assets"), "--version-override", "v1")
	if code != 2 || !strings.Contains(stderr, "would overwrite a source file") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "assets", "x-v1.pdf")); string(got) != "%PDF-1.4 not ours" {
		t.Errorf("source file overwritten")
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "index.md")); string(after) != string(before) {
		t.Errorf("index.md changed")
	}
}

// TestGitTagVersion: in a handbook checkout whose HEAD is tagged, the tag
// sets the version and the tagged commit's date the date shown in the
// book, with a warning from build and check when the tag differs from the
// version line; a handbook inside another repository takes neither.
func TestGitTagVersion(t *testing.T) {
	needTool(t, "git", "git")
	dir := initTree(t)
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_COMMITTER_DATE=2025-03-20T23:30:00-05:00", "GIT_AUTHOR_DATE=2025-03-20T10:00:00Z")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	// A copy of the handbook one directory down, which is not the top of
	// the checkout.
	sub := filepath.Join(dir, "book")
	copyTree(t, os.DirFS(dir), sub)
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "handbook")
	git("tag", "v9.0")
	t.Setenv("SOURCE_DATE_EPOCH", "")
	out := t.TempDir()
	const warning = `index.md: warning: git tag "v9.0" differs from the version line "v0.3": the book shows the tag and its commit's date (v9.0 · March 20, 2025)`
	code, _, stderr := runCmd("build", dir, "-o", out, "--format", "epub")
	if code != 0 || !strings.Contains(stderr, warning) {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "a-field-guide-to-classical-machine-learning-v9.0.epub")); err != nil {
		t.Errorf("tag not used in the name: %v", err)
	}
	if code, stdout, _ := runCmd("check", dir); code != 0 || !strings.Contains(stdout, warning) {
		t.Errorf("check does not apply the tag rule: exit %d\n%s", code, stdout)
	}
	// The date is the committer's day (23:30 at UTC-5 is already March 21
	// in UTC), not the version line's.
	if code, stdout, _ := runCmd("dump", dir); code != 0 || !strings.Contains(stdout, `version "v9.0" url "https://github.com/example/classical-ml-field-guide" date "March 20, 2025" (2025-03-20)`) {
		t.Errorf("dump: exit %d\n%s", code, firstLines(stdout, 8))
	}
	out2 := t.TempDir()
	code, _, stderr = runCmd("build", sub, "-o", out2, "--format", "epub")
	if code != 0 || strings.Contains(stderr, "git tag") {
		t.Fatalf("nested handbook: exit %d, stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out2, exampleStem+".epub")); err != nil {
		t.Errorf("nested handbook took the tag: %v", err)
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// TestCoverOutsideSourceRefused: --cover may not read outside the
// handbook, directly or through a symlink.
func TestCoverOutsideSourceRefused(t *testing.T) {
	dir := initTree(t)
	outside := filepath.Join(t.TempDir(), "secret.png")
	png, _ := os.ReadFile(filepath.Join(dir, "assets", "diagram.png"))
	os.WriteFile(outside, png, 0o644)
	link := filepath.Join(dir, "assets", "cover.png")
	if err := os.Symlink(outside, link); err != nil {
		t.Skip(err)
	}
	rel, _ := filepath.Rel(dir, outside) // "../../…/secret.png"
	for _, cover := range []string{outside, link, dir + string(filepath.Separator) + rel} {
		code, _, stderr := runCmd("build", dir, "-o", t.TempDir(), "--format", "epub", "--cover", cover)
		if code != 2 || !strings.Contains(stderr, "outside the source tree: refused") && !strings.Contains(stderr, "points outside the source root") {
			t.Errorf("--cover %s: exit %d, stderr:\n%s", cover, code, stderr)
		}
	}
	inside := filepath.Join(dir, "assets", "diagram.png")
	if code, _, stderr := runCmd("build", dir, "-o", t.TempDir(), "--format", "epub", "--cover", inside); code != 0 {
		t.Errorf("--cover inside the tree: exit %d\n%s", code, stderr)
	}
}
