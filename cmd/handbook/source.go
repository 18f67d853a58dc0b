package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/example"
)

// source is the handbook a command works on.
type source struct {
	fsys fs.FS
	dir  string // absolute; "" for the bundled example
}

// sourceFlags are the ways a command names its handbook: the positional
// argument, --source, or --example.
type sourceFlags struct {
	dir     string // --source
	example bool   // --example

	exampleOffered bool // the command has --example
}

// add registers --source (and --example when the command can use the
// bundled example) on cmd.
func (sf *sourceFlags) add(cmd *cobra.Command, example bool) {
	cmd.Flags().StringVar(&sf.dir, "source", "", "handbook source directory, as the argument DIR (default: the current directory when it holds index.md)")
	cmd.MarkFlagDirname("source")
	if example {
		cmd.Flags().BoolVar(&sf.example, "example", false, "use the bundled example handbook")
		sf.exampleOffered = true
	}
}

// noHandbookHint says how to name a handbook; it follows the message of a
// command run where there is none.
const noHandbookHint = `Give the handbook's source directory (the one with index.md), e.g.
  handbook %[1]s ../genai-handbook.github.io
or run it inside that directory`

// exampleHint ends noHandbookHint for commands that take --example.
const exampleHint = `, or use --example for the bundled example handbook.`

// openSource picks the handbook of command name (as its hint shows it:
// "build", "clean --source"): the argument DIR or
// --source, else the current directory when it holds index.md, else the
// bundled example with --example. Anything else is a usage error that
// says how to point at a handbook.
func openSource(name string, sf sourceFlags, args []string) (source, error) {
	dir := sf.dir
	if len(args) > 0 {
		if dir != "" && dir != args[0] {
			return source{}, usageError{err: fmt.Errorf("two source directories: %s and --source %s", args[0], dir)}
		}
		dir = args[0]
	}
	if sf.example {
		if dir != "" {
			return source{}, usageError{err: fmt.Errorf("--example and the source directory %s exclude each other", dir)}
		}
		return source{fsys: example.FS}, nil
	}
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return source{}, usageError{err: fmt.Errorf("source %s: %w", dir, err)}
		}
		if !st.IsDir() {
			return source{}, usageError{err: fmt.Errorf("source %s: not a directory", dir)}
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			return source{}, err
		}
		if _, err := os.Lstat(filepath.Join(abs, "index.md")); errors.Is(err, fs.ErrNotExist) {
			hint := fmt.Sprintf(noHandbookHint, name) + "."
			if sf.exampleOffered {
				hint = fmt.Sprintf(noHandbookHint, name) + exampleHint
			}
			return source{}, usageError{err: fmt.Errorf("no handbook in %s: it has no index.md", abs), hint: hint}
		}
		return source{fsys: os.DirFS(abs), dir: abs}, nil
	}
	abs, err := filepath.Abs(".")
	if err != nil {
		return source{}, err
	}
	if _, err := os.Stat("index.md"); err == nil {
		return source{fsys: os.DirFS(abs), dir: abs}, nil
	}
	hint := fmt.Sprintf(noHandbookHint, name) + "."
	if sf.exampleOffered {
		hint = fmt.Sprintf(noHandbookHint, name) + exampleHint
	}
	return source{}, usageError{err: fmt.Errorf("no handbook here: %s has no index.md", abs), hint: hint}
}

// git runs a git command in the source directory when that directory is
// the top of its own checkout; a handbook that merely sits inside some
// other repository (a temp dir, a monorepo) must not take that
// repository's tags or dates.
func git(src source, args ...string) (string, bool) {
	if src.dir == "" {
		return "", false
	}
	top, err := exec.Command("git", "-C", src.dir, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return "", false
	}
	a, err1 := filepath.EvalSymlinks(strings.TrimSpace(string(top)))
	b, err2 := filepath.EvalSymlinks(src.dir)
	if err1 != nil || err2 != nil || a != b {
		return "", false
	}
	out, err := exec.Command("git", append([]string{"-C", src.dir}, args...)...).Output()
	if err != nil {
		return "", false
	}
	return strings.TrimSpace(string(out)), true
}

// gitTag returns the release tag of the source checkout's HEAD, or "".
func gitTag(src source) string {
	tag, _ := git(src, "describe", "--tags", "--exact-match", "HEAD")
	return tag
}

// gitCommitDate returns the committer date of rev (a tag) in the
// committer's own time zone, so that the date shown is the day the
// maintainer saw.
func gitCommitDate(src source, rev string) (time.Time, bool) {
	out, ok := git(src, "log", "-1", "--format=%cI", rev+"^{commit}", "--")
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, out)
	return t, err == nil
}

// checkNotSource refuses an output path that is a file the build reads:
// index.md, the configuration files, an include or an image the book
// refers to (embedded or not).
func checkNotSource(src source, bk *tree.Book, out string) error {
	if src.dir == "" {
		return nil
	}
	r, err := filepath.Rel(src.dir, out)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return nil
	}
	r = filepath.ToSlash(r)
	read := r == "index.md" || r == "_config.yml" || r == configName || strings.HasPrefix(r, "_includes/")
	tree.Walk(bk, func(_ tree.Block, in tree.Inline) bool {
		if img, ok := in.(*tree.Image); ok {
			read = read || path.Clean(strings.TrimPrefix(img.Src, "/")) == r
		}
		return true
	})
	if read {
		return usageError{err: fmt.Errorf("output %s would overwrite a source file", out)}
	}
	return nil
}
