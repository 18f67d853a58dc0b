package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/genai-handbook/handbook/content"
)

// debounce is how long watch waits after the last change before it
// rebuilds: an editor's save is often several events (write, chmod,
// rename), and a "save all" touches several files.
const debounce = 250 * time.Millisecond

func newWatch(stdout, stderr io.Writer) *cobra.Command {
	f := defaultBuildFlags()
	f.set.Papers, f.set.Editions = []string{"a4"}, []string{"screen"}
	cmd := &cobra.Command{
		Use:   "watch [DIR]",
		Short: "Rebuild the books whenever a source file changes",
		Long: `watch builds the books once, then again each time a file of the source tree
changes (debounced), printing diagnostics as they appear and a timestamped
line for each change and each build:
  14:02:11 changed: _includes/section3.md
  14:02:12 built 2 books in 840 ms
  14:05:40 build failed: 1 error — previous books kept
Only files with a source's extension count (.md, .html, .yml, images,
fonts); hidden files and editors' temporary and backup files do not.
With --quiet it prints only errors and failed builds. Books are replaced
atomically, so a reader that has one open never sees a half-written file.
Stop it with Ctrl-C.`,
		Example:           `  handbook watch ../genai-handbook.github.io --format epub`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeDirs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := interruptible()
			defer stop()
			return watch(ctx, cmd.Flags().Changed, f, args, stdout, stderr)
		},
	}
	f.source.add(cmd, false)
	addBookFlags(cmd, &f)
	return cmd
}

// watch builds, then rebuilds on every change in the source tree until ctx
// is done. Each change and each build gets a line stamped with the time
// of day.
func watch(ctx context.Context, changed func(string) bool, f buildFlags, args []string, stdout, stderr io.Writer) error {
	stamp := func(format string, a ...any) {
		fmt.Fprintf(stdout, "%s %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, a...))
	}
	p, err := newPlan("watch", f, changed, args)
	if err != nil {
		return err
	}
	root := p.src.Dir
	// The output directory is handbook.yml's, which may change.
	inOut := func(path string) bool {
		out, _ := filepath.Abs(p.f.out)
		r, err := filepath.Rel(out, path)
		return err == nil && !strings.HasPrefix(r, "..")
	}
	changes, err := content.Watch(ctx, root, inOut, debounce, func(err error) { fmt.Fprintf(stderr, "handbook: watch: %v\n", err) })
	if err != nil {
		return err
	}
	built := false // a build has put books in place
	// kept is what a failed build says of the books: none were there
	// before the first success.
	kept := func() string {
		if built {
			return "previous books kept"
		}
		return "no books written"
	}
	rebuild := func() {
		t0 := time.Now()
		res, err := runBuild(ctx, p, stdout, stderr, true)
		var ee exitError
		switch {
		case err == nil:
			built = true
			if !f.quiet {
				stamp("built %s in %s", plural(res.books, "book"), humanDuration(time.Since(t0)))
			}
		case errors.As(err, &ee):
			stamp("build failed: %s — %s", plural(max(res.errors, 1), "error"), kept())
		default:
			fmt.Fprintf(stderr, "handbook: %v\n", err)
			stamp("build failed: %v — %s", err, kept())
		}
		if !f.quiet {
			stamp("watching %s for changes…", rel(root))
		}
	}
	rebuild()
	for pending := range changes {
		if !f.quiet {
			for _, name := range pending {
				stamp("changed: %s", name)
			}
		}
		// handbook.yml may have changed too.
		np, err := newPlan("watch", f, changed, args)
		if err != nil {
			fmt.Fprintf(stderr, "handbook: %v\n", err)
			stamp("build failed: %v — %s", err, kept())
			continue
		}
		p = np
		rebuild()
	}
	return nil
}
