// Command handbook compiles the Generative AI Handbook (a Jekyll site:
// index.md, Liquid includes, kramdown markdown with inline HTML) into
// release-grade books: a chaptered EPUB, its Kobo edition, PDFs for screen and print.
//
// Usage:
//
//	handbook check [DIR] [--strict] [--format text|json|github]
//	handbook dump  [DIR]
//	handbook build [DIR] [-o OUT] [--format epub,kepub,pdf] [--edition screen,print] [--clean]
//	handbook watch [DIR]
//	handbook clean [OUT]
//	handbook init DIR
//	handbook version
//
// DIR is the handbook's source directory (also --source); without it, the
// current directory when it holds index.md. --example uses the bundled
// example handbook instead.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/genai-handbook/handbook/content/diag"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// interruptible is the context of a command that Ctrl-C (or a TERM
// signal) stops, and the function that lets the signals go again.
func interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// exitError carries a process exit code out of a command.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// usageError marks a bad command line (exit code 2). hint, when set,
// replaces the generic "Run 'handbook --help'" line.
type usageError struct {
	err  error
	hint string
}

func (e usageError) Error() string { return e.err.Error() }

// failure is an error of the run itself, not of the command line: a book
// that could not be written, an unreadable file (exit code 1).
type failure struct{ err error }

func (e failure) Error() string { return e.err.Error() }

// run is the whole program, callable in-process by tests: it parses args,
// runs the command and returns the exit code (0 success, 1 errors in the
// source or the build, 2 usage errors).
func run(args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	var ee exitError
	var fe failure
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &fe):
		fmt.Fprintf(stderr, "handbook: %v\n", fe.err)
		return 1
	}
	fmt.Fprintf(stderr, "handbook: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) && ue.hint != "" {
		fmt.Fprintln(stderr, ue.hint)
		return 2
	}
	// cobra reports unknown commands and bad arguments as plain errors;
	// the help to read is the command's own.
	path := "handbook"
	if cmd != nil {
		path = cmd.CommandPath()
	}
	fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", path)
	return 2
}

// flagError is a bad flag on cmd's command line, with the flags it may
// have meant: "unknown flag: --formt" gets "Did you mean --format?", as a
// mistyped command gets cobra's own suggestions.
func flagError(cmd *cobra.Command, err error) error {
	name, ok := unknownFlag(err.Error())
	if !ok {
		return usageError{err: err, hint: fmt.Sprintf("Run '%s --help' for usage.", cmd.CommandPath())}
	}
	var names []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	})
	var near []string
	for _, n := range diag.Suggest(name, names) {
		near = append(near, "--"+n)
	}
	hint := fmt.Sprintf("Run '%s --help' for usage.", cmd.CommandPath())
	if len(near) > 0 {
		hint = "Did you mean " + strings.Join(near, " or ") + "?\n" + hint
	}
	return usageError{err: err, hint: hint}
}

// unknownFlag returns the name of the flag in pflag's "unknown flag:
// --name" message, or the letter of its "unknown shorthand flag: 'q' in
// -q" (then the long flags that begin with it are suggested).
func unknownFlag(msg string) (string, bool) {
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok && name != "" {
		return name, true
	}
	if rest, ok := strings.CutPrefix(msg, "unknown shorthand flag: '"); ok && len(rest) > 1 && rest[1] == '\'' {
		return rest[:1], true
	}
	return "", false
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "handbook",
		Short: "Compile the Generative AI Handbook into EPUB and PDF books",
		Example: `  handbook check ../genai-handbook.github.io
  handbook build ../genai-handbook.github.io -o dist
  handbook build --example
  handbook init my-handbook`,
		Long: `handbook reads a Jekyll handbook source (index.md, _includes/, _config.yml)
exactly as the site renders it and compiles it into books.

The source directory is the commands' argument (or --source); without it,
the current directory when that holds index.md. --example uses the bundled
example handbook.`,
		Version:       toolVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("handbook {{.Version}}\n")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(newCheck(stdout, stderr), newDump(stdout, stderr), newBuild(stdout, stderr),
		newWatch(stdout, stderr), newClean(stdout, stderr), newInit(stdout, stderr), newVersion(stdout))
	// A command's own errors that are neither usage errors nor exit codes
	// are failures of the run (exit 1); cobra's errors about the command
	// line, which never pass through RunE, stay usage errors (exit 2).
	for _, c := range root.Commands() {
		if f := c.RunE; f != nil {
			c.RunE = func(cmd *cobra.Command, args []string) error {
				err := f(cmd, args)
				var ue usageError
				var ee exitError
				if err == nil || errors.As(err, &ue) || errors.As(err, &ee) {
					return err
				}
				return failure{err}
			}
		}
	}
	return root
}

func newVersion(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the tool's version",
		Long: `version prints the tool's version: the release it is, the module version
'go install' recorded, or for a build from a checkout the VCS revision (and
"dirty" when the checkout had uncommitted changes). The books' generator
metadata (the PDF's Creator, the EPUB's generator) say the same.`,
		Example: "  handbook version\n  handbook --version",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(stdout, "handbook %s\n", toolVersion())
			return nil
		},
	}
}
