package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/example"
	"github.com/genai-handbook/handbook/fonts"
)

// source is the handbook a command works on.
type source struct {
	fsys fs.FS
	dir  string // "" for the bundled example
}

// openSource picks the handbook: --source DIR, else the current directory
// when it holds index.md, else the bundled example (said on stderr).
func openSource(dir string, stderr io.Writer) (source, error) {
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return source{}, usageError{fmt.Errorf("--source %s: %w", dir, err)}
		}
		if !st.IsDir() {
			return source{}, usageError{fmt.Errorf("--source %s: not a directory", dir)}
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			return source{}, err
		}
		return source{fsys: os.DirFS(abs), dir: abs}, nil
	}
	if _, err := os.Stat("index.md"); err == nil {
		abs, err := filepath.Abs(".")
		if err != nil {
			return source{}, err
		}
		return source{fsys: os.DirFS(abs), dir: abs}, nil
	}
	fmt.Fprintln(stderr, "handbook: no index.md here and no --source given: using the bundled example handbook")
	return source{fsys: example.FS}, nil
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
		return usageError{fmt.Errorf("output %s would overwrite a source file", out)}
	}
	return nil
}

// loadFonts reads the TTF files handbook.yml names (inside the source
// tree); nil means the default Go fonts.
func loadFonts(src source, paths map[string]string) (*fonts.Set, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	styles := map[string]fonts.Style{"regular": fonts.Regular, "bold": fonts.Bold, "italic": fonts.Italic,
		"bolditalic": fonts.BoldItalic, "mono": fonts.Mono, "monobold": fonts.MonoBold}
	ttfs := map[fonts.Style][]byte{}
	for key, p := range paths {
		name := strings.TrimPrefix(filepath.ToSlash(p), "./")
		if !fs.ValidPath(name) || strings.Contains(p, `\`) {
			return nil, usageError{fmt.Errorf("%s: font %q must be a path inside the source tree", configName, p)}
		}
		data, err := fs.ReadFile(src.fsys, name)
		if err != nil {
			return nil, usageError{fmt.Errorf("%s: font %s: %w", configName, key, err)}
		}
		ttfs[styles[key]] = data
	}
	set, err := fonts.NewSet("custom", ttfs)
	if err != nil {
		return nil, usageError{fmt.Errorf("%s: %w", configName, err)}
	}
	return set, nil
}
