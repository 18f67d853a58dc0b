package content

import (
	"context"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watch reports the source files that change under the source directory
// dir, as paths relative to it (slash-separated), in batches: a batch is
// sent once debounce has passed without another change (an editor's
// save is several events, a "save all" touches several files). It
// watches every directory under dir but hidden ones, _site and those skip
// rejects (the output directory), new ones included; a file whose name is
// not a source's (IsSourceName) is no change. It stops, closing the
// channel, when ctx is done; errors of the watching go to errs.
func Watch(ctx context.Context, dir string, skip func(path string) bool, debounce time.Duration, errs func(error)) (<-chan []string, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	addDirs := func() {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			if p != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "_site" || skip(p)) {
				return filepath.SkipDir
			}
			w.Add(p)
			return nil
		})
	}
	addDirs()
	out := make(chan []string)
	go func() {
		defer close(out)
		defer w.Close()
		var timer <-chan time.Time
		var pending []string
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if skip(ev.Name) || !IsSourceName(filepath.Base(ev.Name)) {
					continue
				}
				if ev.Op&fsnotify.Create != 0 {
					addDirs() // a new directory needs watching too
				}
				if name, err := filepath.Rel(dir, ev.Name); err == nil && !slices.Contains(pending, filepath.ToSlash(name)) {
					pending = append(pending, filepath.ToSlash(name))
				}
				timer = time.After(debounce)
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				errs(err)
			case <-timer:
				timer = nil
				select {
				case out <- pending:
				case <-ctx.Done():
					return
				}
				pending = nil
			}
		}
	}()
	return out, nil
}
