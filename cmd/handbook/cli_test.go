package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIPapercuts (issue 25): each rough edge of the command line a new
// user met, as exit status and the lines printed.
func TestCLIPapercuts(t *testing.T) {
	empty := t.TempDir()
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	broken := writeTree(t, map[string]string{"index.md": "---\ntitle: t\n---\n{% include missing.md %}\n"})
	for _, c := range []struct {
		name string
		args []string
		exit int
		want []string // each printed
		not  []string // none printed
	}{
		{"empty directory names it", []string{"check", empty}, 2,
			[]string{"handbook: no handbook in " + empty + ": it has no index.md", "Give the handbook's source directory"},
			[]string{"index.md: error"}},
		{"unwritable -o is one error, before compiling", []string{"build", broken, "-o", filepath.Join(file, "out")}, 1,
			[]string{"handbook: output directory " + filepath.Join(file, "out") + ": " + file + " is not a directory"},
			[]string{"missing.md", ".epub", ".pdf"}},
		{"mistyped flag", []string{"build", "--formt", "epub"}, 2,
			[]string{"handbook: unknown flag: --formt", "Did you mean --format?", "Run 'handbook build --help' for usage."}, nil},
		{"mistyped flag of check", []string{"check", "--stirct"}, 2,
			[]string{"Did you mean --strict?", "Run 'handbook check --help' for usage."}, nil},
		{"init without a directory", []string{"init"}, 2,
			[]string{"handbook: init writes the example handbook into a directory: name one (0 given)", "For example: handbook init my-handbook"},
			[]string{"accepts 1 arg(s)"}},
		{"too many arguments point to the command's help", []string{"dump", "a", "b"}, 2,
			[]string{"Run 'handbook dump --help' for usage."}, []string{"Run 'handbook --help'"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(c.args...)
			all := stdout + stderr
			if code != c.exit {
				t.Errorf("exit %d, want %d\n%s", code, c.exit, all)
			}
			for _, w := range c.want {
				if strings.Count(all, w) != 1 {
					t.Errorf("want %q once in:\n%s", w, all)
				}
			}
			for _, n := range c.not {
				if strings.Contains(all, n) {
					t.Errorf("%q printed:\n%s", n, all)
				}
			}
		})
	}
}

// TestBuildHelpDocumentsLock: the lock file and the journal the output
// directory may hold are explained where a user looks (issue 25).
func TestBuildHelpDocumentsLock(t *testing.T) {
	_, stdout, _ := runCmd("build", "--help")
	for _, w := range []string{".handbook.lock", ".handbook.commit"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("build --help does not mention %s", w)
		}
	}
}
