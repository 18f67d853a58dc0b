package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCleanOtherVersions: SHA256SUMS always lists exactly the books in the
// output directory, those of other versions included until `handbook
// clean` or `build --clean` removes them; other files are left alone.
func TestCleanOtherVersions(t *testing.T) {
	dir := initTree(t)
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	os.WriteFile(filepath.Join(out, "another-handbook-v1.pdf"), []byte("%PDF- not this handbook's"), 0o644)
	// Another handbook whose slug starts with this one's (issue 26, case
	// 7): "-extended-v1" is not a version, so it is never this
	// handbook's book.
	longer := "a-field-guide-to-classical-machine-learning-extended-v1.epub"
	os.WriteFile(filepath.Join(out, longer), []byte("not this handbook's"), 0o644)
	stem := func(v string) string { return "a-field-guide-to-classical-machine-learning-" + v }
	build := func(v string, extra ...string) string {
		t.Helper()
		args := append([]string{"build", dir, "-o", out, "--format", "epub,pdf", "--paper", "a4", "--edition", "screen", "--version-override", v}, extra...)
		code, _, stderr := runCmd(args...)
		if code != 0 {
			t.Fatalf("build %s: exit %d\n%s", v, code, stderr)
		}
		verifySums(t, out)
		return stderr
	}
	build("v1")
	stderr := build("v2")
	if !strings.Contains(stderr, "also holds 2 books of other versions ("+stem("v1")+".epub, "+stem("v1")+".pdf)") {
		t.Errorf("no note about the other version's books:\n%s", stderr)
	}
	build("v1.1") // a version that v1 is a prefix of

	// clean -n removes nothing.
	code, stdout, stderr := runCmd("clean", "-n", "--source", dir, out)
	if code != 0 || strings.Count(stdout, "would remove") != 6 {
		t.Errorf("clean -n: exit %d\n%s%s", code, stdout, stderr)
	}
	// The current version is the version line's (v0.3): every v* book is
	// another version; -n changed nothing.
	if books := booksIn(t, out); len(books) != 8 {
		t.Errorf("clean -n removed something: %v", books)
	}

	os.WriteFile(filepath.Join(dir, "handbook.yml"), []byte("version: v2\n"), 0o644)
	code, stdout, stderr = runCmd("clean", "--source", dir, out)
	if code != 0 || !strings.Contains(stdout, "removed 4 books of other versions than v2") {
		t.Fatalf("clean: exit %d\n%s%s", code, stdout, stderr)
	}
	books := booksIn(t, out)
	if strings.Join(books, " ") != "a-field-guide-to-classical-machine-learning-extended-v1.epub a-field-guide-to-classical-machine-learning-v2.epub a-field-guide-to-classical-machine-learning-v2.pdf another-handbook-v1.pdf" {
		t.Errorf("after clean: %v", books)
	}
	verifySums(t, out)
	if b, _ := os.ReadFile(filepath.Join(out, "notes.txt")); string(b) != "mine" {
		t.Errorf("clean touched a file that is not a book")
	}

	// build --clean does the same as it puts the new books in place.
	os.Remove(filepath.Join(dir, "handbook.yml"))
	build("v3", "--clean")
	books = booksIn(t, out)
	if strings.Join(books, " ") != "a-field-guide-to-classical-machine-learning-extended-v1.epub a-field-guide-to-classical-machine-learning-v3.epub a-field-guide-to-classical-machine-learning-v3.pdf another-handbook-v1.pdf" {
		t.Errorf("after build --clean: %v", books)
	}
}
