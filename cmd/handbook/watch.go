package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/spf13/cobra"
)

// debounce is how long watch waits after the last change before it
// rebuilds: an editor's save is often several events (write, chmod,
// rename), and a "save all" touches several files.
const debounce = 250 * time.Millisecond

func newWatch(stdout, stderr io.Writer) *cobra.Command {
	f := defaultBuildFlags()
	f.papers, f.editions = []string{"a4"}, []string{"screen"}
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
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
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
	root := p.src.dir
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	outDir := func() string { d, _ := filepath.Abs(p.f.out); return d }
	addDirs := func() {
		out := outDir()
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			if path != root && (strings.HasPrefix(d.Name(), ".") || path == out || d.Name() == "_site") {
				return filepath.SkipDir
			}
			w.Add(path)
			return nil
		})
	}
	addDirs()
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
	var timer <-chan time.Time
	var pending []string
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ignoredChange(ev.Name, outDir()) {
				continue
			}
			if ev.Op&fsnotify.Create != 0 {
				addDirs() // a new directory needs watching too
			}
			if name, err := filepath.Rel(root, ev.Name); err == nil && !slices.Contains(pending, filepath.ToSlash(name)) {
				pending = append(pending, filepath.ToSlash(name))
			}
			timer = time.After(debounce)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			fmt.Fprintf(stderr, "handbook: watch: %v\n", err)
		case <-timer:
			timer = nil
			if !f.quiet {
				for _, name := range pending {
					stamp("changed: %s", name)
				}
			}
			pending = nil
			// handbook.yml may have changed too.
			if np, err := newPlan("watch", f, changed, args); err != nil {
				fmt.Fprintf(stderr, "handbook: %v\n", err)
				stamp("build failed: %v — %s", err, kept())
				continue
			} else {
				p = np
			}
			rebuild()
		}
	}
}

// ignoredChange skips our own outputs and every file that is not a
// source: hidden files, editors' and tools' temporary and backup files
// ("x.md~", "#x.md#", ".x.md.swp", vim's "4913", the "sedcVtbF7" that
// `sed -i` writes beside the file it edits), and anything without one of
// the extensions a handbook's sources have.
func ignoredChange(name, outDir string) bool {
	if r, err := filepath.Rel(outDir, name); err == nil && !strings.HasPrefix(r, "..") {
		return true
	}
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "#") || strings.HasSuffix(base, "~") {
		return true
	}
	return !sourceExts[strings.ToLower(filepath.Ext(base))]
}

// sourceExts are the extensions of the files a handbook is made of: its
// text, configuration, images and fonts.
var sourceExts = map[string]bool{
	".md": true, ".markdown": true, ".html": true, ".htm": true, ".yml": true, ".yaml": true,
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".svg": true, ".ttf": true, ".otf": true,
}
