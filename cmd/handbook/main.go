// Command handbook compiles the Generative AI Handbook (a Jekyll site:
// index.md, Liquid includes, kramdown markdown with inline HTML) into
// release-grade books: a chaptered EPUB and a PDF for screens and print.
//
// Usage:
//
//	handbook check [--source DIR] [--strict] [--format text|json]
//	handbook dump  [--source DIR]
//	handbook build [--source DIR] [--out DIR] [--format epub,pdf] [--edition screen,print]
//	handbook watch [--source DIR]
//	handbook init DIR
//	handbook version
//
// Without --source, the current directory is used when it holds index.md,
// else the bundled example handbook.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// version is the tool's version, set at release time with
// -ldflags "-X main.version=v1.2.3".
var version = "v0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// exitError carries a process exit code out of a command.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// usageError marks a bad command line (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

// run is the whole program, callable in-process by tests: it parses args,
// runs the command and returns the exit code (0 success, 1 errors in the
// source or the build, 2 usage errors).
func run(args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	}
	fmt.Fprintf(stderr, "handbook: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "Run 'handbook --help' for usage.")
		return 2
	}
	// cobra reports unknown commands and bad arguments as plain errors.
	return 2
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "handbook",
		Short: "Compile the Generative AI Handbook into EPUB and PDF books",
		Example: `  handbook check --source ../genai-handbook.github.io
  handbook build --source ../genai-handbook.github.io --out dist
  handbook init my-handbook`,
		Long: `handbook reads a Jekyll handbook source (index.md, _includes/, _config.yml)
exactly as the site renders it and compiles it into books.

Without --source it reads the current directory when that holds index.md,
else the bundled example handbook.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newCheck(stdout, stderr), newDump(stdout, stderr), newBuild(stdout, stderr),
		newWatch(stdout, stderr), newInit(stdout), newVersion(stdout))
	return root
}

func newVersion(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the tool's version",
		Example: "  handbook version",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(stdout, "handbook %s\n", version)
			return nil
		},
	}
}
