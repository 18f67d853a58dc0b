package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompletionValues asks the command for completions as the shells'
// scripts do (handbook __complete ARGS…), for every flag with values.
func TestCompletionValues(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // the candidates, then the directive
	}{
		{[]string{"build", "--format", ""}, "epub\nkepub\npdf\n:4"},
		{[]string{"build", "--format", "epub,"}, "epub,kepub\nepub,pdf\n:4"},
		{[]string{"build", "--paper", "a4,"}, "a4,letter\na4,a5\n:4"},
		{[]string{"build", "--edition", ""}, "screen\nprint\n:4"},
		{[]string{"build", "--print-paper", ""}, "a4\nletter\na5\n:4"},
		{[]string{"watch", "--format", ""}, "epub\nkepub\npdf\n:4"},
		{[]string{"check", "--format", ""}, "text\njson\ngithub\n:4"},
		{[]string{"build", "--source", ""}, ":16"},                    // directories
		{[]string{"build", "-o", ""}, ":16"},                          // directories
		{[]string{"build", ""}, ":16"},                                // the source directory
		{[]string{"check", "dir", ""}, ":4"},                          // only one
		{[]string{"build", "--cover", ""}, "png\njpg\njpeg\ngif\n:8"}, // files by extension
	} {
		code, out, errOut := runCmd(append([]string{"__complete"}, tc.args...)...)
		if code != 0 {
			t.Errorf("%q: exit %d\n%s", tc.args, code, errOut)
			continue
		}
		// Cobra appends a line of help text for the user ("Completion
		// ended with directive: …") on stderr; stdout holds the values.
		got := strings.TrimSuffix(out, "\n")
		// Some candidates carry descriptions after a tab.
		var lines []string
		for _, l := range strings.Split(got, "\n") {
			lines = append(lines, strings.SplitN(l, "\t", 2)[0])
		}
		if strings.Join(lines, "\n") != tc.want {
			t.Errorf("%q:\n%s\nwant\n%s", tc.args, got, tc.want)
		}
	}
}

// TestShellCompletionScripts: each shell's script is generated.
func TestShellCompletionScripts(t *testing.T) {
	for shell, want := range map[string]string{"bash": "__start_handbook", "zsh": "#compdef handbook", "fish": "complete -c handbook"} {
		code, out, _ := runCmd("completion", shell)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, lacks %q", shell, code, want)
		}
	}
}

// TestBashCompletion sources the bash completion script in bash (with the
// bash-completion package it needs) and completes `handbook build --format
// <TAB>` as a user would, with the handbook command on PATH.
func TestBashCompletion(t *testing.T) {
	bash := needTool(t, "bash", "bash")
	const bashCompletion = "/usr/share/bash-completion/bash_completion"
	if _, err := os.Stat(bashCompletion); err != nil {
		if inCI() {
			t.Fatal("bash-completion is not installed (apt-get install bash-completion); CI=true requires it")
		}
		t.Skip("bash-completion is not installed (apt-get install bash-completion)")
	}
	dir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(exe, filepath.Join(dir, "handbook")); err != nil {
		t.Skip(err)
	}
	_, script, _ := runCmd("completion", "bash")
	os.WriteFile(filepath.Join(dir, "handbook.bash"), []byte(script), 0o644)
	driver := `
source ` + bashCompletion + `
source "$1"
# complete WORDS…: what bash offers after WORDS (the last one being typed).
complete() {
  COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
  __start_handbook 2>/dev/null
  printf '%s\n' "${COMPREPLY[@]}" | sort
  echo --
}
complete handbook build --format ''
complete handbook build --format ep
complete handbook build --paper ''
complete handbook check --format g
`
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", driver, "driver", filepath.Join(dir, "handbook.bash"))
	cmd.Env = append(os.Environ(), asMain+"=1", "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	want := "epub\nkepub\npdf\n--\nepub\n--\na4\na5\nletter\n--\ngithub\n--\n"
	if string(out) != want {
		t.Errorf("bash offers:\n%s\nwant:\n%s", out, want)
	}
}
