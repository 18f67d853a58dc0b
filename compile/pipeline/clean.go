package pipeline

import (
	"context"
	"os"
	"path/filepath"

	"github.com/genai-handbook/handbook/compile/tree"
)

// CleanReport is what Clean did, or with a dry run would do.
type CleanReport struct {
	Removed  []string // the book's books of other versions, removed
	Finished []string // books a killed build had begun to put in place, put in place
	Stale    []string // temporary files killed builds left, removed
}

// Clean removes bk's books of other versions than its own from the
// output directory dir (see otherVersions) and rewrites its SHA256SUMS
// for the books left, under the directory's lock; it first finishes a
// killed build's renames and removes what killed builds left. With
// dryRun it only lists the books it would remove, and takes no lock.
func Clean(ctx context.Context, dir string, bk *tree.Book, dryRun bool, p Progress) (*CleanReport, error) {
	rep := &CleanReport{}
	if p == nil {
		p = nopProgress{}
	}
	if bk.Meta.Version == "" {
		return rep, nil // a book without a version has no other versions
	}
	other, err := otherVersions(dir, bk)
	if err != nil || dryRun {
		rep.Removed = other
		return rep, err
	}
	lock, err := lockOutDir(ctx, dir, func() { p.Waiting(dir) })
	if err != nil {
		return rep, err
	}
	defer lock.unlock()
	if rep.Finished, err = finishCommit(dir); err != nil {
		return rep, err
	}
	if rep.Stale, err = removeStale(dir); err != nil {
		return rep, err
	}
	// The list again, under the lock: a build may have finished meanwhile.
	if other, err = otherVersions(dir, bk); err != nil {
		return rep, err
	}
	for _, name := range other {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return rep, err
		}
		rep.Removed = append(rep.Removed, name)
	}
	sums := filepath.Join(dir, "SHA256SUMS")
	if _, err := os.Stat(sums); err == nil {
		tmp, err := stageChecksums(dir, nil, nil)
		if err != nil {
			return rep, err
		}
		if err := commit(dir, []*BookReport{{Path: sums, tmp: tmp}}); err != nil {
			return rep, err
		}
	}
	return rep, nil
}
