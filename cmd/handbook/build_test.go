package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// initTree writes the bundled example with `handbook init` and returns it.
func initTree(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "hb")
	if code, out, errOut := runCmd("init", dir); code != 0 {
		t.Fatalf("init: %d %s %s", code, out, errOut)
	}
	return dir
}

func TestInitThenBuild(t *testing.T) {
	dir := initTree(t)
	if code, _, _ := runCmd("init", dir); code != 2 {
		t.Errorf("init over an existing handbook: exit %d, want 2", code)
	}
	out := filepath.Join(t.TempDir(), "dist")
	t.Setenv("SOURCE_DATE_EPOCH", "1717545600")
	code, stdout, stderr := runCmd("build", "--source", dir, "--out", out, "--format", "epub,pdf", "--paper", "a4")
	if code != 0 {
		t.Fatalf("build: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, name := range []string{"a-field-guide-to-classical-machine-learning-v0.3.epub", "a-field-guide-to-classical-machine-learning-v0.3.pdf", "a-field-guide-to-classical-machine-learning-v0.3-print.pdf", "SHA256SUMS"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	if !strings.Contains(stdout, "10 chapters") || !strings.Contains(stdout, "built 3 books") || !strings.Contains(stdout, "-print.pdf") {
		t.Errorf("summary:\n%s", stdout)
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "-c", "SHA256SUMS")
		cmd.Dir = out
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c: %v\n%s", err, b)
		}
	}
	// Leftover temporary files would show up as hidden files.
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestBuildJSON(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCmd("build", "--out", out, "--format", "epub", "--json")
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

// TestFailedBuildKeepsPreviousBook: a build that fails (a missing include)
// leaves the book of the previous good build byte for byte.
func TestFailedBuildKeepsPreviousBook(t *testing.T) {
	dir := initTree(t)
	out := t.TempDir()
	if code, _, e := runCmd("build", "--source", dir, "--out", out, "--format", "epub"); code != 0 {
		t.Fatalf("first build: %s", e)
	}
	book := filepath.Join(out, "a-field-guide-to-classical-machine-learning-v0.3.epub")
	before, err := os.ReadFile(book)
	if err != nil {
		t.Fatal(err)
	}
	idx := filepath.Join(dir, "index.md")
	data, _ := os.ReadFile(idx)
	os.WriteFile(idx, append(data, []byte("\n{% include missing.md %}\n")...), 0o644)
	code, _, stderr := runCmd("build", "--source", dir, "--out", out, "--format", "epub")
	if code != 1 || !strings.Contains(stderr, `error: include "missing.md" not found in _includes/`) {
		t.Fatalf("broken build: exit %d, stderr:\n%s", code, stderr)
	}
	after, _ := os.ReadFile(book)
	if string(before) != string(after) {
		t.Errorf("the previous book was changed by a failed build")
	}
}

func TestBuildRefusesOutputInIncludes(t *testing.T) {
	dir := initTree(t)
	code, _, stderr := runCmd("build", "--source", dir, "--out", filepath.Join(dir, "_includes", "out"))
	if code != 2 || !strings.Contains(stderr, "inside the source's _includes/") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
}

func TestConfigFile(t *testing.T) {
	dir := initTree(t)
	os.WriteFile(filepath.Join(dir, "handbook.yml"), []byte("subtitle: From the config\nname: guide\nformats: [epub]\nbogus: 1\n"), 0o644)
	code, _, stderr := runCmd("build", "--source", dir, "--out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "handbook.yml:4:1: error: unknown key \"bogus\"") {
		t.Fatalf("unknown key: exit %d, stderr:\n%s", code, stderr)
	}
	os.WriteFile(filepath.Join(dir, "handbook.yml"), []byte("subtitle: From the config\nname: guide\nformats: [epub]\npaper: 3\n"), 0o644)
	code, _, stderr = runCmd("build", "--source", dir, "--out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "handbook.yml:4:8: error: key \"paper\"") {
		t.Fatalf("bad type: exit %d, stderr:\n%s", code, stderr)
	}
	os.WriteFile(filepath.Join(dir, "handbook.yml"), []byte("subtitle: From the config\nname: guide\nformats: [epub]\n"), 0o644)
	out := t.TempDir()
	code, stdout, stderr := runCmd("build", "--source", dir, "--out", out, "--version-override", "v9.9")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "guide-v9.9.epub")); err != nil {
		t.Errorf("config name and version override not applied: %v\n%s", err, stdout)
	}
}

// TestWatchRebuilds drives watch through a change of an include file and
// sees the rebuilt EPUB.
func TestWatchRebuilds(t *testing.T) {
	dir := initTree(t)
	out := t.TempDir()
	book := filepath.Join(out, "a-field-guide-to-classical-machine-learning-v0.3.epub")
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	var so, se syncBuffer
	go func() {
		defer wg.Done()
		f := buildFlags{source: dir, out: out, formats: []string{"epub"}, quiet: true}
		watch(ctx, func(string) bool { return false }, f, &so, &se)
	}()
	defer func() { cancel(); wg.Wait() }()
	first := waitFor(t, func() []byte { b, _ := os.ReadFile(book); return b }, nil)
	inc := filepath.Join(dir, "_includes", "section1.md")
	data, _ := os.ReadFile(inc)
	if err := os.WriteFile(inc, append(data, []byte("\nA sentence added while watching.\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() []byte { b, _ := os.ReadFile(book); return b }, first)
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

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// TestBuildRefusesToOverwriteSource: an output name that is a file the
// build reads is refused, and the file is untouched.
func TestBuildRefusesToOverwriteSource(t *testing.T) {
	dir := initTree(t)
	before, _ := os.ReadFile(filepath.Join(dir, "index.md"))
	os.WriteFile(filepath.Join(dir, "handbook.yml"), []byte("name: x\nformats: [pdf]\npaper: [a4]\n"), 0o644)
	// "--version-override" shapes the name: x-<v>.pdf; make it collide with an image.
	os.WriteFile(filepath.Join(dir, "assets", "x-v1.pdf"), []byte("%PDF-1.4 not ours"), 0o644)
	idx := filepath.Join(dir, "_includes", "section3.md")
	data, _ := os.ReadFile(idx)
	os.WriteFile(idx, append(data, []byte("\n![figure](assets/x-v1.pdf)\n")...), 0o644)
	code, _, stderr := runCmd("build", "--source", dir, "--out", filepath.Join(dir, "assets"), "--version-override", "v1")
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
// sets the version (with a warning when it differs from the version line)
// and the commit time sets the date; a handbook inside another repository
// takes neither.
func TestGitTagVersion(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := initTree(t)
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_COMMITTER_DATE=2025-03-20T10:00:00Z", "GIT_AUTHOR_DATE=2025-03-20T10:00:00Z")
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
	code, _, stderr := runCmd("build", "--source", dir, "--out", out, "--format", "epub")
	if code != 0 || !strings.Contains(stderr, `warning: git tag "v9.0" differs from the version line "v0.3": using the tag`) {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "a-field-guide-to-classical-machine-learning-v9.0.epub")); err != nil {
		t.Errorf("tag not used in the name: %v", err)
	}
	out2 := t.TempDir()
	code, _, stderr = runCmd("build", "--source", sub, "--out", out2, "--format", "epub")
	if code != 0 || strings.Contains(stderr, "git tag") {
		t.Fatalf("nested handbook: exit %d, stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out2, "a-field-guide-to-classical-machine-learning-v0.3.epub")); err != nil {
		t.Errorf("nested handbook took the tag: %v", err)
	}
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
		code, _, stderr := runCmd("build", "--source", dir, "--out", t.TempDir(), "--format", "epub", "--cover", cover)
		if code != 2 || !strings.Contains(stderr, "is outside the source tree: refused") {
			t.Errorf("--cover %s: exit %d, stderr:\n%s", cover, code, stderr)
		}
	}
	inside := filepath.Join(dir, "assets", "diagram.png")
	if code, _, stderr := runCmd("build", "--source", dir, "--out", t.TempDir(), "--format", "epub", "--cover", inside); code != 0 {
		t.Errorf("--cover inside the tree: exit %d\n%s", code, stderr)
	}
}
