// Package git reads what a build needs from the git checkout a handbook's
// source lives in: the release tag of its HEAD and that commit's date, and
// the time of its last commit. It runs the git command, and only when the
// source directory is the top of its own checkout: a handbook that merely
// sits inside another repository (a temporary directory, a monorepo) must
// not take that repository's tags or dates. Without git, or outside a
// checkout, every answer is "none".
package git

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Repo is a source directory that is the top of a git checkout.
type Repo struct{ dir string }

// Open returns the checkout whose top is dir, or nil.
func Open(dir string) *Repo {
	if dir == "" {
		return nil
	}
	top, err := exec.Command("git", "-C", dir, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return nil
	}
	a, err1 := filepath.EvalSymlinks(strings.TrimSpace(string(top)))
	b, err2 := filepath.EvalSymlinks(dir)
	if err1 != nil || err2 != nil || a != b {
		return nil
	}
	return &Repo{dir: dir}
}

// run runs git in the checkout and returns its output, trimmed.
func (r *Repo) run(args ...string) (string, bool) {
	if r == nil {
		return "", false
	}
	out, err := exec.Command("git", append([]string{"-C", r.dir}, args...)...).Output()
	if err != nil {
		return "", false
	}
	return strings.TrimSpace(string(out)), true
}

// Tag returns the tag of HEAD, or "" when HEAD is not tagged.
func (r *Repo) Tag() string {
	tag, _ := r.run("describe", "--tags", "--exact-match", "HEAD")
	return tag
}

// CommitDate returns the committer date of rev (a tag or a commit) in the
// committer's own time zone, so that the day shown is the day the
// maintainer saw.
func (r *Repo) CommitDate(rev string) (time.Time, bool) {
	out, ok := r.run("log", "-1", "--format=%cI", rev+"^{commit}", "--")
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, out)
	return t, err == nil
}

// LastCommit returns the time of HEAD's commit.
func (r *Repo) LastCommit() (time.Time, bool) {
	out, ok := r.run("log", "-1", "--format=%ct")
	if !ok {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(out, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(n, 0).UTC(), true
}
