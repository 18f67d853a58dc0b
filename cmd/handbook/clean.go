package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/genai-handbook/handbook/compile/pipeline"
)

func newClean(stdout, stderr io.Writer) *cobra.Command {
	var sf sourceFlags
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "clean [OUT]",
		Short: "Remove the handbook's books of other versions from an output directory",
		Long: `clean removes from the output directory OUT (default: handbook.yml's out,
else dist) the books of the handbook (--source, default the current
directory) that belong to another version than its current one, and
temporary files a killed build left; then it rewrites SHA256SUMS so that
it lists exactly the books left. Other files are not touched. It takes the
directory's lock, so it waits for a build into it to finish.`,
		Example: `  handbook clean dist
  handbook clean --source ../genai-handbook.github.io ../books
  handbook clean -n dist           # say what would be removed`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			f := defaultBuildFlags()
			f.source = sf
			changed := func(name string) bool { return name == "out" && len(args) > 0 }
			if len(args) > 0 {
				f.out = args[0]
			}
			p, err := newPlan("clean --source", f, changed, nil) // OUT is the argument: the hint names --source
			if err != nil {
				return err
			}
			if p.book == nil {
				p.diags.Print(stderr, true)
				return exitError{1}
			}
			ctx, stop := interruptible()
			defer stop()
			return clean(ctx, p, dryRun, stdout, stderr)
		},
	}
	sf.add(cmd, true)
	cmd.Flags().BoolVarP(&dryRun, "dry-run", "n", false, "print what would be removed, remove nothing")
	return cmd
}

// clean removes the plan's book's other versions from its output directory
// and rewrites SHA256SUMS for the books left.
func clean(ctx context.Context, p *plan, dryRun bool, stdout, stderr io.Writer) error {
	dir, err := filepath.Abs(p.f.out)
	if err != nil {
		return err
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usageError{err: fmt.Errorf("output directory %s: not a directory", p.f.out)}
	}
	if p.book.Meta.Version == "" {
		fmt.Fprintln(stdout, "the handbook has no version: no other versions to remove")
		return nil
	}
	prog := newProgress(nil, stderr, "cleaning", 0, false)
	defer prog.close()
	rep, err := pipeline.Clean(ctx, dir, p.book, dryRun, prog)
	if dryRun {
		for _, name := range rep.Removed {
			fmt.Fprintf(stdout, "would remove %s\n", rel(filepath.Join(dir, name)))
		}
		return err
	}
	for _, l := range []struct {
		names  []string
		format string
	}{{rep.Finished, "put %s in place (its build was killed while it did)\n"}, {rep.Stale, "removed %s (left by a killed build)\n"}, {rep.Removed, "removed %s\n"}} {
		for _, name := range l.names {
			fmt.Fprintf(stdout, l.format, rel(filepath.Join(dir, name)))
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "removed %s of other versions than %s\n", plural(len(rep.Removed), "book"), p.book.Meta.Version)
	return nil
}
