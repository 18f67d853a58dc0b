package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/genai-handbook/handbook/compile/pipeline"
	"github.com/genai-handbook/handbook/content/example"
	"github.com/genai-handbook/handbook/content/synth"
)

// TestReproducibleAcrossEnvironments builds the same handbook twice, from
// copies in different temporary directories, into different output
// directories, with different TZ, LANG and TMPDIR, and compares every
// byte: the real handbook in the full suite, the bundled example under
// -short.
func TestReproducibleAcrossEnvironments(t *testing.T) {
	var src fs.FS = example.FS
	if dir := realHandbook(); dir != "" && !testing.Short() {
		src = os.DirFS(dir)
	}
	var results []map[string][]byte
	for i, env := range [][]string{
		{"TZ=UTC", "LANG=C", "LC_ALL=C"},
		{"TZ=Pacific/Kiritimati", "LANG=de_DE.UTF-8", "LC_ALL=tr_TR.UTF-8"},
	} {
		root := t.TempDir()
		srcDir := filepath.Join(root, "source-"+string(rune('a'+i)))
		copyTree(t, src, srcDir)
		out := filepath.Join(root, "out")
		cmd := handbookCmd(t, "build", srcDir, "-o", out, "--quiet", "--paper", "a4,letter")
		cmd.Env = append(cmd.Env, append(env, "SOURCE_DATE_EPOCH=1717545600", "TMPDIR="+t.TempDir())...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build %d: %v\n%s", i, err, b)
		}
		results = append(results, readDir(t, out))
	}
	if len(results[0]) < 4 {
		t.Fatalf("expected EPUB, 2 PDFs and SHA256SUMS, got %d files", len(results[0]))
	}
	for name, a := range results[0] {
		if !bytes.Equal(a, results[1][name]) {
			t.Errorf("%s differs between the two builds", name)
		}
	}
}

// TestInterruptedBuildKeepsPreviousBooks interrupts builds at several
// moments (SIGINT, SIGTERM, and SIGKILL) and checks that the output
// directory only ever holds complete books: the previous ones byte for
// byte, or complete new ones, and never a temporary file after a signal
// the build can handle.
func TestInterruptedBuildKeepsPreviousBooks(t *testing.T) {
	// Under -short, two signals the build handles; SIGKILL has its own
	// test (TestKilledBuildLeavesNoStaleFiles).
	size, delays := 3, []time.Duration{50, 200, 500, 900, 300}
	if testing.Short() {
		size, delays = 1, []time.Duration{30, 150}
	}
	src := filepath.Join(t.TempDir(), "src")
	copyTree(t, synth.Generate(size), src) // big enough to take a while
	out := filepath.Join(t.TempDir(), "dist")
	build := func() *exec.Cmd {
		cmd := handbookCmd(t, "build", src, "-o", out, "--quiet", "--paper", "a4,letter")
		cmd.Env = append(cmd.Env, "SOURCE_DATE_EPOCH=1717545600")
		return cmd
	}
	if b, err := build().CombinedOutput(); err != nil {
		t.Fatalf("first build: %v\n%s", err, b)
	}
	previous := readDir(t, out)
	// Change the source so that a completed second build would differ.
	idx := filepath.Join(src, "_includes", "section1.md")
	data, _ := os.ReadFile(idx)
	os.WriteFile(idx, append(data, []byte("\nAn added sentence.\n")...), 0o644)

	sigs := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL}
	if testing.Short() {
		sigs = sigs[:2]
	}
	for k, sig := range sigs {
		delay := delays[k] * time.Millisecond
		cmd := build()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		now := readDir(t, out)
		for name, old := range previous {
			cur, ok := now[name]
			switch {
			case !ok:
				t.Errorf("%v after %v: %s disappeared", sig, delay, name)
			case bytes.Equal(cur, old):
			case !complete(name, cur):
				t.Errorf("%v after %v: %s is neither the previous book nor a complete new one", sig, delay, name)
			}
		}
		for name := range now {
			if _, ok := previous[name]; !ok {
				t.Errorf("%v after %v (exit %v): stray file %s", sig, delay, err, name)
			}
		}
		if h := hidden(t, out); len(h) > 0 && sig != syscall.SIGKILL {
			t.Errorf("%v after %v: temporary files left: %v", sig, delay, h)
		}
		t.Logf("%v after %v: exit %v", sig, delay, err)
	}
}

// complete reports whether data is a whole book of its kind.
func complete(name string, data []byte) bool {
	switch filepath.Ext(name) {
	case ".pdf":
		return bytes.HasPrefix(data, []byte("%PDF-")) && bytes.Contains(data[max(0, len(data)-64):], []byte("%%EOF"))
	case ".epub":
		_, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		return err == nil
	}
	return len(data) > 0
}

// TestConcurrentBuildsShareOutDir (issue 13, item 8): three builds of
// different sources into one directory at once, round after round; after
// every round SHA256SUMS matches the books and lists exactly the books in
// the directory. The full suite runs 15 rounds, -short 5.
func TestConcurrentBuildsShareOutDir(t *testing.T) {
	rounds := 15
	if testing.Short() {
		rounds = 5
	}
	var srcs []string
	for _, name := range []string{"alpha", "beta", "gamma"} {
		srcs = append(srcs, writeTree(t, map[string]string{
			"index.md":     "---\ntitle: " + name + "\n---\n<h1 id=\"intro\">Intro</h1>\n\n<h2>One</h2>\n\nThe " + name + " handbook.\n",
			"handbook.yml": "name: " + name + "\nformats: [epub, pdf]\npaper: [a4]\neditions: [screen]\n",
		}))
	}
	out := t.TempDir()
	for round := 0; round < rounds; round++ {
		var wg sync.WaitGroup
		errs := make([]string, len(srcs))
		for i, src := range srcs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := handbookCmd(t, "build", src, "-o", out, "--version-override", fmt.Sprintf("v%d", round%3))
				if b, err := cmd.CombinedOutput(); err != nil {
					errs[i] = fmt.Sprintf("%v\n%s", err, b)
				}
			}()
		}
		wg.Wait()
		for _, e := range errs {
			if e != "" {
				t.Fatalf("round %d: %s", round, e)
			}
		}
		verifySums(t, out)
		if h := hidden(t, out); len(h) > 0 {
			t.Fatalf("round %d: temporary files left: %v", round, h)
		}
		if t.Failed() {
			t.Fatalf("round %d", round)
		}
	}
}

// TestSecondBuildWaits (issue 13, item 8): a build into a directory that
// another build holds waits for it, says so, and then builds.
func TestSecondBuildWaits(t *testing.T) {
	out := t.TempDir()
	// Hold the directory's lock as another build would.
	lock, err := os.OpenFile(filepath.Join(out, pipeline.LockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	cmd := handbookCmd(t, "build", "--example", "-o", out, "--format", "epub")
	var so bytes.Buffer
	cmd.Stdout = &so
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stderr).ReadString('\n')
	if !strings.Contains(line, "waiting for another build into") {
		t.Errorf("the second build does not say it waits: %q", line)
	}
	time.Sleep(200 * time.Millisecond)
	if _, err := os.Stat(filepath.Join(out, exampleStem+".epub")); err == nil {
		t.Errorf("the second build wrote its book while the directory was locked")
	}
	unix.Flock(int(lock.Fd()), unix.LOCK_UN)
	lock.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("second build: %v", err)
	}
	if !strings.Contains(so.String(), "built 1 book") {
		t.Errorf("stdout:\n%s", so.String())
	}
	verifySums(t, out)
}

// TestKilledBuildLeavesNoStaleFiles (issue 13, item 9): a build killed
// with SIGKILL while its books are staged leaves .NAME.tmp-* files; the
// next build removes them (under the lock) and says so.
func TestKilledBuildLeavesNoStaleFiles(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	copyTree(t, synth.Generate(1), src)
	out := t.TempDir()
	// A file of the same shape that is not ours stays.
	os.WriteFile(filepath.Join(out, ".notes.tmp-1"), []byte("mine"), 0o644)
	var stale []string
	for attempt := 0; attempt < 20 && len(stale) == 0; attempt++ {
		cmd := handbookCmd(t, "build", src, "-o", out, "--quiet")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill it as soon as a book is staged and not yet committed.
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) && len(stale) == 0 {
			for _, h := range hidden(t, out) {
				if stagedName.MatchString(h) {
					stale = append(stale, h)
				}
			}
			if len(stale) == 0 {
				time.Sleep(2 * time.Millisecond)
			}
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		stale = stale[:0]
		for _, h := range hidden(t, out) {
			if stagedName.MatchString(h) {
				stale = append(stale, h)
			}
		}
	}
	if len(stale) == 0 {
		t.Fatal("never caught the build with a staged book")
	}
	t.Logf("left by SIGKILL: %v", stale)
	code, _, stderr := runCmd("build", src, "-o", out, "--format", "epub")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "stale temporary file") || !strings.Contains(stderr, stale[0]) {
		t.Errorf("the next build does not say it removed %v:\n%s", stale, stderr)
	}
	if h := hidden(t, out); len(h) != 1 || h[0] != ".notes.tmp-1" {
		t.Errorf("hidden files after the next build: %v", h)
	}
	verifySums(t, out)
}

// TestVersionStamped: a binary built with -ldflags "-X main.version=…", as
// the release workflow builds them, says that version in --version and in
// the books' generator metadata (PDF Creator, EPUB generator).
func TestVersionStamped(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "handbook")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=v9.8.7-test", "-o", bin, ".")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	if b, err := exec.Command(bin, "--version").Output(); err != nil || string(b) != "handbook v9.8.7-test\n" {
		t.Errorf("--version: %q %v", b, err)
	}
	out := t.TempDir()
	if b, err := exec.Command(bin, "build", "--example", "-o", out, "--paper", "a4", "--edition", "screen").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, b)
	}
	zr, err := zip.OpenReader(filepath.Join(out, exampleStem+".epub"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	// The EPUB names its generator in the colophon (epub.Options.Generator);
	// its package document has no generator entry (yet).
	found := false
	for _, f := range zr.File {
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		found = found || strings.Contains(b.String(), "handbook v9.8.7-test")
	}
	if !found {
		t.Errorf("the EPUB does not name handbook v9.8.7-test")
	}
	if pdfinfo, err := exec.LookPath("pdfinfo"); err == nil {
		b, _ := exec.Command(pdfinfo, filepath.Join(out, exampleStem+".pdf")).Output()
		if !strings.Contains(string(b), "handbook v9.8.7-test") {
			t.Errorf("PDF Creator:\n%s", b)
		}
	}
}

// TestVersionFromCheckout: `go build` in a git checkout stamps the VCS
// revision, which --version shows. Go stamps only a checkout whose .git is
// a directory (not a git worktree) and when -buildvcs is not false.
func TestVersionFromCheckout(t *testing.T) {
	notShort(t, "a second go build")
	needTool(t, "git", "git")
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skip("not in a git checkout")
	}
	if st, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git")); err != nil || !st.IsDir() {
		t.Skip("a git worktree: the go command stamps no VCS information there")
	}
	rev, _ := exec.Command("git", "rev-parse", "HEAD").Output()
	bin := filepath.Join(t.TempDir(), "handbook")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	b, err := exec.Command(bin, "--version").Output()
	if err != nil || !strings.Contains(string(b), strings.TrimSpace(string(rev))[:12]) {
		t.Errorf("--version %q does not show the revision %.12s (%v)", b, rev, err)
	}
}

// stagedName matches the names the pipeline gives the books it stages.
var stagedName = regexp.MustCompile(`^\.(.+\.(epub|pdf)|SHA256SUMS)\.tmp-[0-9]+$`)
