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

// journalName is the file in the output directory that lists, while a
// build renames its staged books into place, every rename it is going to
// make: renames are atomic one by one, not together, and a build killed
// between two of them would leave new books beside old ones and a
// SHA256SUMS that matches neither (issue 26, case 10). The next build,
// clean or watch into the directory finishes the renames first
// (finishCommit), so the directory always ends up holding one build's
// whole set.
const journalName = ".handbook.commit"

// commit renames every staged file into place: it writes the journal,
// makes the renames, syncs the directory and removes the journal.
func commit(dir string, staged []artifactReport) error {
	discard := func() {
		for _, x := range staged {
			os.Remove(x.tmp)
		}
	}
	var sb strings.Builder
	for _, r := range staged {
		fmt.Fprintf(&sb, "%s\t%s\n", filepath.Base(r.tmp), filepath.Base(r.Path))
	}
	// Written beside and renamed, so that a journal is whole or absent.
	journal := filepath.Join(dir, journalName)
	if err := writeSynced(journal+".tmp", sb.String()); err != nil {
		discard()
		return err
	}
	if err := os.Rename(journal+".tmp", journal); err != nil {
		discard()
		return err
	}
	syncDir(dir)
	for _, r := range staged {
		if err := os.Rename(r.tmp, r.Path); err != nil {
			discard()
			os.Remove(journal)
			return err
		}
	}
	syncDir(dir)
	if err := os.Remove(journal); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// writeSynced writes a small file and syncs it.
func writeSynced(name, data string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes the renames in dir durable; not every file system
// supports it, and nothing else depends on it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// finishCommit completes the renames of a build that was killed while it
// put its books in place, as its journal lists them, and returns the
// books it put in place. Only the lock holder may call it, before
// removeStale (which would delete the staged files). A journal line
// whose staged file is gone was renamed already; a malformed one is
// ignored: only names of the form stage gives are renamed, and only
// within dir.
func finishCommit(dir string) ([]string, error) {
	journal := filepath.Join(dir, journalName)
	os.Remove(journal + ".tmp") // a journal never finished: its build renamed nothing
	data, err := os.ReadFile(journal)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var done []string
	for _, line := range strings.Split(string(data), "\n") {
		tmp, final, ok := strings.Cut(line, "\t")
		if !ok || !tempPattern.MatchString(tmp) || strings.ContainsAny(tmp+final, `/\`) ||
			final == "" || !strings.HasPrefix(tmp, "."+final+".tmp-") {
			continue
		}
		err := os.Rename(filepath.Join(dir, tmp), filepath.Join(dir, final))
		switch {
		case err == nil:
			done = append(done, final)
		case !errors.Is(err, os.ErrNotExist):
			return done, err
		}
	}
	syncDir(dir)
	return done, os.Remove(journal)
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
// version: named exactly bk's slug, "-", a version, and one of the
// backends' suffixes ("print", "letter", …), but not bk's own version. A
// book without a version has no other versions. "generative-ai" does not
// claim "generative-ai-handbook-v0.1.epub": "handbook-v0.1" is no
// version (issue 26, case 7).
func otherVersions(dir string, bk *tree.Book) ([]string, error) {
	if bk.Meta.Version == "" {
		return nil, nil
	}
	// The names come from the backends' own file-name function, called
	// without a version for the slug alone.
	unversioned := *bk
	unversioned.Meta.Version = ""
	slug := strings.TrimSuffix(epub.Filename(&unversioned), ".epub")
	current := strings.TrimPrefix(strings.TrimSuffix(epub.Filename(bk), ".epub"), slug+"-")
	books, err := booksIn(dir)
	if err != nil {
		return nil, err
	}
	var other []string
	for _, name := range books {
		base := strings.TrimSuffix(name, filepath.Ext(name))
		rest, ok := strings.CutPrefix(base, slug+"-")
		if !ok {
			continue
		}
		version := bookVersion(rest)
		if version != "" && version != current {
			other = append(other, name)
		}
	}
	return other, nil
}

// bookSuffixes are the words a backend adds after the version in a book's
// file name (see pdf.Filename).
var bookSuffixes = []string{"print", "booklet", "letter", "a5", "simplex"}

// bookVersion returns the version in the rest of a book's name after its
// slug ("v0.2-print-letter" → "v0.2"), or "" when that rest is not a
// version and suffixes.
func bookVersion(rest string) string {
	for {
		cut := false
		for _, s := range bookSuffixes {
			if r, ok := strings.CutSuffix(rest, "-"+s); ok {
				rest, cut = r, true
			}
		}
		if !cut {
			break
		}
	}
	if !tree.IsVersion(rest) {
		return ""
	}
	return rest
}
