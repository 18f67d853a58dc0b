package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
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
	var f buildFlags
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "Rebuild the books whenever a source file changes",
		Long: `watch builds the books once, then again each time a file of the source tree
changes (debounced), printing diagnostics as they appear. Books are replaced
atomically, so a reader that has one open never sees a half-written file.
Stop it with Ctrl-C.`,
		Example: `  handbook watch --source ../genai-handbook.github.io --format epub`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.source == "" {
				if _, err := os.Stat("index.md"); err != nil {
					return usageError{fmt.Errorf("watch needs a handbook directory: give --source DIR")}
				}
				f.source = "."
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return watch(ctx, cmd.Flags().Changed, f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.source, "source", "", "handbook source directory (default: current directory)")
	fl.StringVar(&f.out, "out", "dist", "output directory")
	fl.StringSliceVar(&f.formats, "format", []string{"epub", "pdf"}, "formats to build: epub, pdf")
	fl.StringSliceVar(&f.papers, "paper", []string{"a4"}, "screen PDF paper sizes: a4, letter, a5")
	fl.StringSliceVar(&f.editions, "edition", []string{"screen"}, "PDF editions: screen, print")
	fl.StringVar(&f.printPaper, "print-paper", "a4", "paper of the print edition")
	fl.BoolVar(&f.embedFonts, "embed-fonts", false, "embed the fonts in the EPUB")
	fl.BoolVar(&f.quiet, "quiet", false, "print nothing but diagnostics and errors")
	return cmd
}

// watch builds, then rebuilds on every change under f.source until ctx is
// done.
func watch(ctx context.Context, changed func(string) bool, f buildFlags, stdout, stderr io.Writer) error {
	root, err := filepath.Abs(f.source)
	if err != nil {
		return err
	}
	outDir, err := filepath.Abs(f.out)
	if err != nil {
		return err
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	addDirs := func() {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			if p != root && (strings.HasPrefix(d.Name(), ".") || p == outDir || d.Name() == "_site") {
				return filepath.SkipDir
			}
			w.Add(p)
			return nil
		})
	}
	addDirs()
	rebuild := func() {
		err := runBuild(changed, f, stdout, stderr)
		if err != nil {
			if _, ok := err.(exitError); !ok {
				fmt.Fprintf(stderr, "handbook: %v\n", err)
			}
		}
		fmt.Fprintf(stdout, "watching %s for changes…\n", rel(root))
	}
	rebuild()
	var timer <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ignoredChange(ev.Name, outDir) {
				continue
			}
			if ev.Op&fsnotify.Create != 0 {
				addDirs() // a new directory needs watching too
			}
			timer = time.After(debounce)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			fmt.Fprintf(stderr, "handbook: watch: %v\n", err)
		case <-timer:
			timer = nil
			rebuild()
		}
	}
}

// ignoredChange skips our own outputs, editor swap files and hidden files.
func ignoredChange(name, outDir string) bool {
	if r, err := filepath.Rel(outDir, name); err == nil && !strings.HasPrefix(r, "..") {
		return true
	}
	base := filepath.Base(name)
	return strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".tmp")
}
