package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
)

// The output directory: books are staged as hidden temporary files and
// renamed into place, all at once, while the build holds the directory's
// lock; SHA256SUMS lists every book in it.

// lockName is the file in the output directory whose lock serialises the
// builds into it. It stays there, empty: removing it would let a third
// build lock a new file while a second still holds the old one.
const lockName = LockName

// LockName and JournalName are the files an output directory keeps
// beside the books: the empty file builds lock (see lockName) and, while
// a build renames its books into place, the list of those renames (see
// journalName).
const (
	LockName    = ".handbook.lock"
	JournalName = ".handbook.commit"
)

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

// locker takes an output directory's lock once, for the whole of a
// build, when a book is first ready to be staged, and then puts the
// directory in order: it finishes the renames of a build killed while it
// made them, and removes what a killed build left.
type locker struct {
	mu   sync.Mutex
	lock *dirLock
	err  error
}

// acquire takes the lock on dir (once; later calls return the first
// call's error), telling p when it must wait and what it put in order.
func (k *locker) acquire(ctx context.Context, dir string, p Progress) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.lock != nil || k.err != nil {
		return k.err
	}
	k.lock, k.err = lockOutDir(ctx, dir, func() { p.Waiting(dir) })
	if k.err != nil {
		return k.err
	}
	k.err = tidy(dir, p)
	return k.err
}

// release lets the lock go, if it was taken.
func (k *locker) release() {
	if k.lock != nil {
		k.lock.unlock()
	}
}

// tidy puts an output directory in order under its lock: it finishes a
// killed build's renames and removes the temporary files killed builds
// left, telling p.
func tidy(dir string, p Progress) error {
	done, err := finishCommit(dir)
	if err != nil {
		return err
	}
	if len(done) > 0 {
		p.Note("finished putting in place the books of a build that was killed meanwhile: " + strings.Join(done, ", "))
	}
	stale, err := removeStale(dir)
	if len(stale) > 0 {
		n := "1 stale temporary file"
		if len(stale) > 1 {
			n = strconv.Itoa(len(stale)) + " stale temporary files"
		}
		p.Note("removed " + n + " left by a build that was killed: " + strings.Join(stale, ", "))
	}
	return err
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
const journalName = JournalName

// commit renames every staged file into place: it writes the journal,
// makes the renames, syncs the directory and removes the journal.
func commit(dir string, staged []*BookReport) error {
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

// isBook reports whether a directory entry's name is a book: not hidden,
// and ending in a backend's extension (an EPUB, a Kobo edition, a PDF).
func isBook(name string) bool {
	return !strings.HasPrefix(name, ".") && bookExt(name) != ""
}

// bookExt is the extension of a book's file name, as the backends end
// them (".kepub.epub" rather than ".epub"), or "" for another file.
func bookExt(name string) string {
	_, exts := bookSuffixes()
	for _, ext := range exts {
		if len(name) > len(ext) && strings.EqualFold(name[len(name)-len(ext):], ext) {
			return name[len(name)-len(ext):]
		}
	}
	return ""
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
func stageChecksums(dir string, built []*BookReport, drop []string) (string, error) {
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
	// The names are tree.FileName's, as every backend's.
	slug := tree.FileName(bk.Meta.Slug, "", "", "")
	current := strings.TrimPrefix(tree.FileName(bk.Meta.Slug, bk.Meta.Version, "", ""), slug+"-")
	books, err := booksIn(dir)
	if err != nil {
		return nil, err
	}
	var other []string
	for _, name := range books {
		base := strings.TrimSuffix(name, bookExt(name))
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

// bookSuffixes are the words the backends add after the version in a
// book's file name and the extensions they end it with (see suffixes).
var bookSuffixes = sync.OnceValues(suffixes)

// bookVersion returns the version in the rest of a book's name after its
// slug ("v0.2-print-letter" → "v0.2"), or "" when that rest is not a
// version and suffixes.
func bookVersion(rest string) string {
	for {
		cut := false
		words, _ := bookSuffixes()
		for _, s := range words {
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

// CheckWritable reports an output directory that a build could not write
// its books into: one under a file, or in a directory where a file cannot
// be made (permissions, a read-only file system). The directory itself
// need not exist yet; its nearest existing ancestor is tried, with a
// temporary file made and removed at once.
func CheckWritable(out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	for p := abs; ; {
		st, err := os.Stat(p)
		switch {
		case err == nil && !st.IsDir():
			return fmt.Errorf("output directory %s: %s is not a directory", out, p)
		case err == nil:
			f, err := os.CreateTemp(p, ".handbook-probe-*")
			if err != nil {
				return fmt.Errorf("output directory %s cannot be written: %v", out, errors.Unwrap(err))
			}
			f.Close()
			os.Remove(f.Name())
			return nil
		case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
			return fmt.Errorf("output directory %s: %v", out, err)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return nil
		}
		p = parent
	}
}
