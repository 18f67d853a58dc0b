package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/genai-handbook/handbook/content/realbook"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.sums from this build")

// goldenSums is the file of every golden book's SHA-256.
const goldenSums = "testdata/golden.sums"

// TestGoldenSums builds the release set (EPUB, the screen PDF on A4,
// Letter and A5, the print edition, the booklet, SHA256SUMS) of the
// bundled example, of the real handbook (when present; also its one-sided
// print edition on Letter) and of the trees in testdata/golden/, with a
// fixed SOURCE_DATE_EPOCH, and compares the SHA-256 of every book with
// the sums checked in: a change that is meant to keep every byte (issue
// 21's restructure, a speed-up) proves it here. A change meant to change
// the books runs the test with -update and says so in its commit.
func TestGoldenSums(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1717545600")
	root := t.TempDir()
	type job struct {
		name string
		args []string
	}
	release := []string{"--paper", "a4,letter,a5", "--booklet", "--quiet"}
	jobs := []job{{"example", append([]string{"--example"}, release...)}}
	if dir := realHandbook(); dir != "" {
		jobs = append(jobs,
			job{"handbook", append([]string{dir}, release...)},
			job{"handbook-simplex", []string{dir, "--format", "pdf", "--edition", "print", "--simplex", "--print-paper", "letter", "--quiet"}})
	} else {
		t.Log(strings.TrimSuffix(realbook.Absent(), ".") + ": its books are not compared")
	}
	trees, _ := filepath.Glob("testdata/golden/*.txtar")
	for _, file := range trees {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		dir := filepath.Join(root, "src", name)
		writeTxtar(t, file, dir)
		jobs = append(jobs, job{name, append([]string{dir}, release...)})
	}
	got := map[string]string{}
	for _, j := range jobs {
		out := filepath.Join(root, "out", j.name)
		args := append([]string{"build", "-o", out}, j.args...)
		if code, _, stderr := runCmd(args...); code != 0 {
			t.Fatalf("%s: build: exit %d\n%s", j.name, code, stderr)
		}
		for name, data := range readDir(t, out) {
			sum := sha256.Sum256(data)
			got[j.name+"/"+name] = hex.EncodeToString(sum[:])
		}
	}
	if *update {
		if err := os.WriteFile(goldenSums, []byte(formatSums(got)), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(goldenSums)
	if err != nil {
		t.Fatalf("%v (run the test with -update to make it)", err)
	}
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("%s: bad line %q", goldenSums, line)
		}
		if strings.HasPrefix(name, "handbook") && realHandbook() == "" {
			continue
		}
		want[name] = sum
	}
	for name, sum := range want {
		switch g, ok := got[name]; {
		case !ok:
			t.Errorf("%s: not built", name)
		case g != sum:
			t.Errorf("%s: SHA-256 %s, want %s", name, g[:16], sum[:16])
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: built, but not in %s", name, goldenSums)
		}
	}
}

// formatSums writes sums as `sha256sum` does, sorted by name.
func formatSums(sums map[string]string) string {
	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	sort.Strings(names)
	var sb strings.Builder
	for _, n := range names {
		fmt.Fprintf(&sb, "%s  %s\n", sums[n], n)
	}
	return sb.String()
}

// writeTxtar writes the files of a txtar archive under dir; "X.b64" is
// written base64-decoded as X.
func writeTxtar(t *testing.T, file, dir string) {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		name, data := f.Name, f.Data
		if strings.HasSuffix(name, ".b64") {
			if data, err = base64.StdEncoding.DecodeString(strings.TrimSpace(string(data))); err != nil {
				t.Fatalf("%s: %s: %v", file, name, err)
			}
			name = strings.TrimSuffix(name, ".b64")
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
