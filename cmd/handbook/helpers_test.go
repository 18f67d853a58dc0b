package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/genai-handbook/handbook/compile/pipeline"
	"github.com/genai-handbook/handbook/content/realbook"
)

// asMain is the environment variable that makes the test binary run as
// the handbook command: tests that need a real process (signals, locks
// between processes, shell completion) run the test binary itself, so
// -short needs no `go build`.
const asMain = "HANDBOOK_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	if os.Getenv(asMeasure) == "1" {
		os.Exit(measure(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// asMeasure is the environment variable that makes the test binary run
// `handbook args…` as its child and append the child's peak resident set
// (KiB) to its standard error as a last line "maxrss N". Linux carries a
// process's peak over exec, and a child made by a test process that has
// grown to a gigabyte starts with that peak: measured from this small
// parent, the peak is the build's own.
const asMeasure = "HANDBOOK_TEST_MEASURE"

func measure(args []string) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), asMeasure+"=0", asMain+"=1")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err = cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "\nmaxrss %d\n", cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
	return code
}

// inCI reports whether the tests run in CI (CI=true), where a missing
// validator or handbook source fails instead of skipping.
func inCI() bool { return os.Getenv("CI") == "true" }

// handbookCmd returns a command that runs `handbook args…` as a process:
// the test binary in its role as main.
func handbookCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), asMain+"=1")
	return cmd
}

// validators are the programs that check books; -short runs none.
var validators = map[string]bool{"qpdf": true, "pdftotext": true, "pdftoppm": true, "pdfinfo": true, "pdffonts": true, "pdfimages": true, "zbarimg": true}

// needTool returns the path of the program name, skipping t when it is
// missing, or when it is a validator under -short; under CI=true a
// missing validator fails t instead, since CI must never pass without
// running it.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	if validators[name] && testing.Short() {
		t.Skip("-short: skips the validators")
	}
	p, err := exec.LookPath(name)
	if err != nil {
		if inCI() {
			t.Fatalf("%s is not installed (apt-get install %s); CI=true requires every validator", name, pkg)
		}
		t.Skipf("%s is not installed (apt-get install %s)", name, pkg)
	}
	return p
}

// notShort skips t under -short: it runs validators or whole builds of
// the real handbook, which `make test` (the full suite) runs.
func notShort(t *testing.T, what string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("-short: skips %s", what)
	}
}

// realHandbook returns the real handbook's directory, absolute, or ""
// (see package realbook).
func realHandbook() string {
	dir, ok := realbook.Dir()
	if !ok {
		return ""
	}
	return dir
}

// needHandbook returns the real handbook's directory or skips t, saying
// where it looked and what to set (the skip is listed at the end of
// `make test`).
func needHandbook(t *testing.T) string {
	t.Helper()
	return realbook.Need(t)
}

// writeTree writes files (path → content) under a new temp dir.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runCmd runs the command in-process.
func runCmd(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

// initTree writes the bundled example with `handbook init` and returns it.
func initTree(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "hb")
	if code, out, errOut := runCmd("init", dir); code != 0 {
		t.Fatalf("init: %d %s %s", code, out, errOut)
	}
	return dir
}

// copyTree writes fsys (without Go files) under dir.
func copyTree(t *testing.T, fsys fs.FS, dir string) {
	t.Helper()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		if d.Name() == ".git" || strings.HasPrefix(p, ".git/") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(dst), 0o755)
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readDir reads every regular, visible file of dir.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = data
	}
	return out
}

// hidden lists dir's hidden files other than the lock file: temporary
// files a build left behind.
func hidden(t *testing.T, dir string) []string {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && e.Name() != pipeline.LockName {
			out = append(out, e.Name())
		}
	}
	return out
}

// verifySums checks dir/SHA256SUMS with sha256sum -c and that it lists
// exactly the books in dir.
func verifySums(t *testing.T, dir string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != 64 {
			t.Fatalf("SHA256SUMS: bad line %q", line)
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if got := sha256.Sum256(data); err != nil || hex.EncodeToString(got[:]) != sum {
			t.Errorf("SHA256SUMS: %s does not match (%v)", name, err)
		}
		listed = append(listed, name)
	}
	books := booksIn(t, dir)
	if strings.Join(books, "\n") != strings.Join(listed, "\n") {
		t.Errorf("SHA256SUMS lists %v; the directory holds %v", listed, books)
	}
}

// booksIn lists the books in dir: its EPUBs and PDFs, not hidden, sorted.
func booksIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") && (ext == ".epub" || ext == ".pdf") {
			names = append(names, e.Name())
		}
	}
	return names
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

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
