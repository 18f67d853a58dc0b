package pipeline

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/diff"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/content/git"
)

// SinceNone is the since of CompileSince that compares with nothing.
const SinceNone = "none"

// CompileSince is Compile, followed by the comparison of the book with
// an earlier release (diff.Compare), which it stores in the book's
// Changes: the books then have a "What's new" page and Build writes
// CHANGES.md. since names the earlier release:
//
//   - "" (the default): in a git checkout, the nearest release tag
//     before the one being built, in version order, among the tags
//     HEAD contains; outside a checkout, none, without a word;
//   - "none" (SinceNone): none;
//   - a directory: the source tree in it;
//   - else a tag or commit of the source's checkout.
//
// The earlier source is read from git's objects, not checked out, and
// compiled with opt, its diagnostics left out. When there is no earlier
// release to compare with, the book has no Changes and note says why in
// one line of notes (a first release); when there should be one but it cannot be
// read (a shallow clone, a tag whose commit was not fetched, a source
// that no longer compiles) a warning says how to fix it. A since that
// names nothing is an error (IsUsage), and no book is returned.
func CompileSince(src Source, opt compile.Options, since string) (bk *tree.Book, diags diag.Diagnostics, notes []string, err error) {
	bk, diags = Compile(src, opt)
	if bk == nil || since == SinceNone {
		return bk, diags, nil, nil
	}
	warn := func(format string, args ...any) {
		diags.Warnf(diag.Pos{}, "no “What’s new” page: "+format, args...)
	}
	var oldFS fs.FS
	var label, tag string
	r := git.Open(src.Dir)
	switch info, statErr := os.Stat(since); {
	case since == "" && r == nil:
		return bk, diags, nil, nil
	case since == "":
		tag = previousTag(r.Tags(), r.Tag(), bk.Meta.Version)
		if tag == "" && r.Shallow() {
			warn("the source is a shallow clone, without the earlier releases' tags; fetch its whole history (actions/checkout's fetch-depth: 0) or name the earlier release with --since REF")
			return bk, diags, nil, nil
		}
		if tag == "" {
			return bk, diags, []string{fmt.Sprintf("no “What’s new” page: %s is the first release (the source's history has no earlier release tag)", orSource(bk.Meta.Version))}, nil
		}
		since, label = tag, tag
	case statErr == nil && info.IsDir():
		abs, _ := filepath.Abs(since)
		oldFS, label = os.DirFS(abs), filepath.Base(abs)
		if t := git.Open(abs).Tag(); t != "" {
			tag, label = t, t
		}
	case r == nil:
		return nil, diags, nil, usagef("--since %s: no such directory, and the source is not a git checkout whose tags or commits it could name", since)
	case r.Commit(since) == "":
		hint := ""
		if r.Shallow() {
			hint = " (the source is a shallow clone: fetch its whole history, actions/checkout's fetch-depth: 0)"
		}
		return nil, diags, nil, usagef("--since %s: no such directory, tag or commit in the source's checkout%s", since, hint)
	default:
		label = since
		if tree.IsVersion(since) {
			tag = since
		}
	}
	if oldFS == nil {
		commit := r.Commit(since)
		if commit == "" {
			warn("the tag %s names a commit this checkout does not have; fetch its whole history (actions/checkout's fetch-depth: 0) or name the earlier release with --since REF", since)
			return bk, diags, nil, nil
		}
		if oldFS, err = r.Tree(commit); err != nil {
			warn("%v; fetch the source's whole history (actions/checkout's fetch-depth: 0) or name the earlier release with --since REF", err)
			return bk, diags, nil, nil
		}
	}
	oo := opt
	oo.Version, oo.Tag, oo.TagDate = "", tag, time.Time{}
	old, _ := compile.Load(oldFS, oo) // the earlier release's problems are not this one's
	if old == nil {
		warn("the source of %s does not compile", label)
		return bk, diags, nil, nil
	}
	if tag == "" && old.Meta.Version != "" && old.Meta.Version != bk.Meta.Version {
		label = old.Meta.Version
	}
	bk.Changes = diff.Compare(old, bk, label)
	return bk, diags, nil, nil
}

// orSource is a version, or "this source" for a book without one.
func orSource(version string) string {
	if version == "" {
		return "this source"
	}
	return version
}

// previousTag returns the greatest release tag (tree.IsVersion) of tags
// that is older than the book's version, in version order; the tag of
// HEAD itself never counts. With no version to compare, the greatest of
// the others. "" when there is none.
func previousTag(tags []string, head, version string) string {
	if version == "" {
		version = head
	}
	best := ""
	for _, t := range tags {
		if t == head || t == version || !tree.IsVersion(t) {
			continue
		}
		if tree.IsVersion(version) && compareVersions(t, version) >= 0 {
			continue
		}
		if best == "" || compareVersions(t, best) > 0 {
			best = t
		}
	}
	return best
}

// compareVersions orders two versions (tree.IsVersion) as -1, 0 or +1:
// numerically component by component, a missing component as 0, and a
// pre-release ("v1.0-rc.1") before its release; build metadata ("+…")
// is ignored.
func compareVersions(a, b string) int {
	split := func(v string) (nums []int, pre string) {
		v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V")
		v, _, _ = strings.Cut(v, "+")
		v, pre, _ = strings.Cut(v, "-")
		for _, f := range strings.Split(v, ".") {
			n, _ := strconv.Atoi(f)
			nums = append(nums, n)
		}
		return nums, pre
	}
	na, pa := split(a)
	nb, pb := split(b)
	for i := 0; i < max(len(na), len(nb)); i++ {
		x, y := 0, 0
		if i < len(na) {
			x = na[i]
		}
		if i < len(nb) {
			y = nb[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case pa == pb:
		return 0
	case pa == "":
		return 1
	case pb == "":
		return -1
	case pa < pb:
		return -1
	}
	return 1
}
