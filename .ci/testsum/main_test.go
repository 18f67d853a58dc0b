package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHangingPackageIsNamed makes a test package whose test hangs, runs it
// under `go test -json` with a short timeout, and checks that testsum's
// report names the hanging test and shows the timeout's panic (issue 25:
// the report said only "FAIL" for the package).
func TestHangingPackageIsNamed(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skips compiling and running a test package that hangs")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not installed")
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":       "module hang\n\ngo 1.21\n",
		"hang_test.go": "package hang\n\nimport \"testing\"\n\nfunc TestFine(t *testing.T) {}\n\nfunc TestHangsForEver(t *testing.T) {\n\tselect {}\n}\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(goTool, "test", "-json", "-timeout", "3s", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	out, _ := cmd.Output() // fails: the package timed out
	var report bytes.Buffer
	code := summarize(bytes.NewReader(out), &report, false)
	got := report.String()
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{"--- UNFINISHED: TestHangsForEver", "panic: test timed out after 3s", "hang_test.go:8", "FAIL"} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
}
