package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/genai-handbook/handbook/content/example"
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
