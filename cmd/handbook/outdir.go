package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/epub"
)

// The output directory: books are staged as hidden temporary files and
// renamed into place, all at once, while the build holds the directory's
// lock; SHA256SUMS lists every book in it.

// lockName is the file in the output directory whose lock serialises the
// builds into it. It stays there, empty: removing it would let a third
// build lock a new file while a second still holds the old one.
const lockName = ".handbook.lock"

// lockPoll is how often a build waiting for the lock tries again.
const lockPoll = 100 * time.Millisecond

// dirLock is a held lock on an output directory.
type dirLock struct{ f *os.File }

// lockOutDir takes the exclusive lock on dir, calling waiting once if
// another build holds it, and then waits for it (polling, so that ctx
// can end the wait).
func lockOutDir(ctx context.Context, dir string, waiting func()) (*dirLock, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for first := true; ; first = false {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", dir, err)
		}
		if ok {
			return &dirLock{f}, nil
		}
		if first {
			waiting()
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// unlock releases the lock.
func (l *dirLock) unlock() {
	unlockFile(l.f)
	l.f.Close()
}

// stage writes data to a new temporary file beside path and syncs it, so
// that renaming it over path later replaces the old file in one step: a
// reader sees the old book or the new one, never a partial file. The
// name is "." + the book's name + ".tmp-" + digits (see tempPattern).
func stage(path string, data []byte) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// tempPattern matches the names stage gives its temporary files.
var tempPattern = regexp.MustCompile(`^\.(.+\.(epub|pdf)|SHA256SUMS)\.tmp-[0-9]+$`)

// removeStale removes the temporary files that a killed build left in
// dir. Only the lock holder may call it: then no build is staging there,
// and every such file is stale.
func removeStale(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		if e.Type().IsRegular() && tempPattern.MatchString(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
				return removed, err
			}
			removed = append(removed, e.Name())
		}
	}
	return removed, nil
}

// commit renames every staged file into place and syncs the directory.
func commit(dir string, staged []artifactReport) error {
	for _, r := range staged {
		if err := os.Rename(r.tmp, r.Path); err != nil {
			for _, x := range staged {
				os.Remove(x.tmp)
			}
			return err
		}
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the renames durable; not all file systems support it
		d.Close()
	}
	return nil
}

// isBook reports whether a directory entry's name is a book: an EPUB or a
// PDF, not hidden.
func isBook(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return !strings.HasPrefix(name, ".") && (ext == ".epub" || ext == ".pdf")
}

// booksIn lists the books in dir, sorted.
func booksIn(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && isBook(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// stageChecksums stages SHA256SUMS, in the format `sha256sum -c` reads, for
// exactly the books dir will hold once the staged books are renamed into
// place and the books in drop are removed: this build's (whose sums are
// known) and every other book already there (read from disk).
func stageChecksums(dir string, built []artifactReport, drop []string) (string, error) {
	sums := map[string]string{}
	for _, a := range built {
		sums[filepath.Base(a.Path)] = a.SHA256
	}
	present, err := booksIn(dir)
	if err != nil {
		return "", err
	}
	for _, name := range present {
		if _, ok := sums[name]; ok || slices.Contains(drop, name) {
			continue
		}
		sum, err := fileSHA256(filepath.Join(dir, name))
		if err != nil {
			return "", err
		}
		sums[name] = sum
	}
	names := make([]string, 0, len(sums))
	for name := range sums {
		names = append(names, name)
	}
	sort.Strings(names)
	var sb strings.Builder
	for _, name := range names {
		fmt.Fprintf(&sb, "%s  %s\n", sums[name], name)
	}
	return stage(filepath.Join(dir, "SHA256SUMS"), []byte(sb.String()))
}

func fileSHA256(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// otherVersions lists the books in dir that are bk's books of another
// version: named after bk's slug, but not after its slug and version. A
// book without a version has no other versions.
func otherVersions(dir string, bk *tree.Book) ([]string, error) {
	if bk.Meta.Version == "" {
		return nil, nil
	}
	// The names come from the backends' own file-name function, called
	// without a version for the slug alone.
	stem := strings.TrimSuffix(epub.Filename(bk), ".epub")
	unversioned := *bk
	unversioned.Meta.Version = ""
	slug := strings.TrimSuffix(epub.Filename(&unversioned), ".epub")
	books, err := booksIn(dir)
	if err != nil {
		return nil, err
	}
	var other []string
	for _, name := range books {
		base := strings.TrimSuffix(name, filepath.Ext(name))
		ours := strings.HasPrefix(base, slug+"-")
		current := base == stem || strings.HasPrefix(base, stem+"-")
		if ours && !current {
			other = append(other, name)
		}
	}
	return other, nil
}
