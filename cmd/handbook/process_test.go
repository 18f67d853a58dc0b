package main

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/genai-handbook/handbook/content/example"
	"github.com/genai-handbook/handbook/content/synth"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// handbookBinary builds the command once per test run.
func handbookBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "handbook-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "handbook")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = err
			t.Logf("%s", out)
		}
	})
	if binErr != nil {
		t.Fatalf("go build: %v", binErr)
	}
	return binPath
}

// copyTree writes fsys (without Go files) under dir.
func copyTree(t *testing.T, fsys fs.FS, dir string) {
	t.Helper()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
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

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = data
	}
	return out
}

// TestReproducibleAcrossEnvironments builds the same handbook twice, from
// copies in different temporary directories, into different output
// directories, with different TZ, LANG and TMPDIR, and compares every byte.
func TestReproducibleAcrossEnvironments(t *testing.T) {
	bin := handbookBinary(t)
	var src fs.FS = example.FS
	if dir := realHandbook(); dir != "" {
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
		cmd := exec.Command(bin, "build", "--source", srcDir, "--out", out, "--quiet", "--paper", "a4,letter")
		cmd.Env = append(os.Environ(), append(env, "SOURCE_DATE_EPOCH=1717545600", "TMPDIR="+t.TempDir())...)
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

// realHandbook returns the real handbook's directory, or "".
func realHandbook() string {
	dir := os.Getenv("HANDBOOK_SOURCE")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "handbook")
	}
	if _, err := os.Stat(filepath.Join(dir, "index.md")); err != nil {
		return ""
	}
	abs, _ := filepath.Abs(dir)
	return abs
}

// TestInterruptedBuildKeepsPreviousBooks interrupts builds at several
// moments (SIGINT, SIGTERM, and SIGKILL) and checks that the output
// directory only ever holds complete books: the previous ones byte for
// byte, or complete new ones, and never a temporary file after a signal
// the build can handle.
func TestInterruptedBuildKeepsPreviousBooks(t *testing.T) {
	bin := handbookBinary(t)
	src := filepath.Join(t.TempDir(), "src")
	copyTree(t, synth.Generate(3), src) // big enough to take a while
	out := filepath.Join(t.TempDir(), "dist")
	build := func() *exec.Cmd {
		cmd := exec.Command(bin, "build", "--source", src, "--out", out, "--quiet", "--paper", "a4,letter")
		cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1717545600")
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

	for _, tc := range []struct {
		sig   syscall.Signal
		delay time.Duration
	}{
		{syscall.SIGINT, 50 * time.Millisecond},
		{syscall.SIGTERM, 200 * time.Millisecond},
		{syscall.SIGINT, 500 * time.Millisecond},
		{syscall.SIGTERM, 900 * time.Millisecond},
		{syscall.SIGKILL, 300 * time.Millisecond},
	} {
		cmd := build()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(tc.delay)
		cmd.Process.Signal(tc.sig)
		err := cmd.Wait()
		now := readDir(t, out)
		for name, old := range previous {
			cur, ok := now[name]
			switch {
			case !ok:
				t.Errorf("%v after %v: %s disappeared", tc.sig, tc.delay, name)
			case bytes.Equal(cur, old):
			case !complete(name, cur):
				t.Errorf("%v after %v: %s is neither the previous book nor a complete new one", tc.sig, tc.delay, name)
			}
		}
		for name := range now {
			if _, ok := previous[name]; !ok && tc.sig != syscall.SIGKILL {
				t.Errorf("%v after %v (exit %v): stray file %s", tc.sig, tc.delay, err, name)
			}
		}
		t.Logf("%v after %v: exit %v", tc.sig, tc.delay, err)
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
