// Package git reads what a build needs from the git checkout a handbook's
// source lives in: the release tag of its HEAD and that commit's date, the
// time of its last commit, and the tags and files of earlier releases. It runs the git command, and only when the
// source directory is the top of its own checkout: a handbook that merely
// sits inside another repository (a temporary directory, a monorepo) must
// not take that repository's tags or dates. Without git, or outside a
// checkout, every answer is "none".
package git

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing/fstest"
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

// Tags returns the tags whose commits HEAD contains (HEAD's own among
// them), as git lists them.
func (r *Repo) Tags() []string {
	out, ok := r.run("tag", "--merged", "HEAD")
	if !ok || out == "" {
		return nil
	}
	return strings.Fields(out)
}

// Shallow reports whether the checkout is a shallow clone (a CI
// checkout's default): its history, and the tags on it, end early.
func (r *Repo) Shallow() bool {
	out, _ := r.run("rev-parse", "--is-shallow-repository")
	return out == "true"
}

// Commit returns the commit rev (a tag, a branch, a commit) names, or ""
// when it names none the checkout has.
func (r *Repo) Commit(rev string) string {
	if strings.HasPrefix(rev, "-") {
		return "" // an option, not a revision
	}
	out, _ := r.run("rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	return out
}

// Tree returns the files of commit (see Commit) as they are in git's
// objects, without checking them out: the source of an earlier release.
// Symbolic links and submodules are left out.
func (r *Repo) Tree(commit string) (fs.FS, error) {
	if r == nil {
		return nil, errors.New("not a git checkout")
	}
	cmd := exec.Command("git", "-C", r.dir, "archive", "--format=tar", commit)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git archive %s: %v: %s", commit, err, strings.TrimSpace(stderr.String()))
	}
	// An in-memory tree: MapFS is the standard library's (it imports no
	// testing machinery) and fills in the directories.
	files := fstest.MapFS{}
	tr := tar.NewReader(bytes.NewReader(out))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return nil, fmt.Errorf("git archive %s: %v", commit, err)
		}
		if h.Typeflag != tar.TypeReg || !fs.ValidPath(h.Name) {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("git archive %s: %v", commit, err)
		}
		files[h.Name] = &fstest.MapFile{Data: data, Mode: 0o644, ModTime: h.ModTime}
	}
}
