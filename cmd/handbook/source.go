package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/genai-handbook/handbook/compile/pipeline"
	"github.com/genai-handbook/handbook/content/example"
)

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
func openSource(name string, sf sourceFlags, args []string) (pipeline.Source, error) {
	dir := sf.dir
	if len(args) > 0 {
		if dir != "" && dir != args[0] {
			return pipeline.Source{}, usageError{err: fmt.Errorf("two source directories: %s and --source %s", args[0], dir)}
		}
		dir = args[0]
	}
	if sf.example {
		if dir != "" {
			return pipeline.Source{}, usageError{err: fmt.Errorf("--example and the source directory %s exclude each other", dir)}
		}
		return pipeline.Source{FS: example.FS}, nil
	}
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return pipeline.Source{}, usageError{err: fmt.Errorf("source %s: %w", dir, err)}
		}
		if !st.IsDir() {
			return pipeline.Source{}, usageError{err: fmt.Errorf("source %s: not a directory", dir)}
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			return pipeline.Source{}, err
		}
		if _, err := os.Lstat(filepath.Join(abs, "index.md")); errors.Is(err, fs.ErrNotExist) {
			return pipeline.Source{}, noHandbook(name, sf, fmt.Errorf("no handbook in %s: it has no index.md", abs))
		}
		return pipeline.Source{FS: os.DirFS(abs), Dir: abs}, nil
	}
	abs, err := filepath.Abs(".")
	if err != nil {
		return pipeline.Source{}, err
	}
	if _, err := os.Stat("index.md"); err == nil {
		return pipeline.Source{FS: os.DirFS(abs), Dir: abs}, nil
	}
	return pipeline.Source{}, noHandbook(name, sf, fmt.Errorf("no handbook here: %s has no index.md", abs))
}

// noHandbook is err, a usage error, with the hint that says how to name a
// handbook.
func noHandbook(name string, sf sourceFlags, err error) error {
	hint := fmt.Sprintf(noHandbookHint, name) + "."
	if sf.exampleOffered {
		hint = fmt.Sprintf(noHandbookHint, name) + exampleHint
	}
	return usageError{err: err, hint: hint}
}
