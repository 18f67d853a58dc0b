package content

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// recordFS wraps an fs.ReadLinkFS and records every Open.
type recordFS struct {
	fs.ReadLinkFS
	opened []string
}

func (r *recordFS) Open(name string) (fs.File, error) {
	r.opened = append(r.opened, name)
	return r.ReadLinkFS.Open(name)
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot create symlinks: %v", err)
	}
}

// TestSymlinks checks, on a real directory, that symlinks inside the root
// are followed and those leaving it are refused without being opened.
func TestSymlinks(t *testing.T) {
	tmp := t.TempDir()
	root := filepath.Join(tmp, "root")
	outside := filepath.Join(tmp, "outside")
	writeFiles(t, tmp, map[string]string{
		"outside/secret.md":   "SECRET\n",
		"outside/inc/x.md":    "SECRET DIR\n",
		"root/shared/note.md": "note {{ include.k }}\n",
		"root/index.md": "---\n---\n" +
			"{% include abs.md %}\n" +
			"{% include rel.md %}\n" +
			"{% include inside.md k=\"v\" %}\n" +
			"{% include linkdir/x.md %}\n" +
			"{% include loop.md %}\n" +
			"{% include dangling.md %}\n" +
			"{% include chain.md k=\"w\" %}\n" +
			"{% include tricky.md %}\n",
	})
	inc := filepath.Join(root, "_includes")
	if err := os.MkdirAll(inc, 0o777); err != nil {
		t.Fatal(err)
	}
	symlink(t, filepath.Join(outside, "secret.md"), filepath.Join(inc, "abs.md"))
	symlink(t, "../../outside/secret.md", filepath.Join(inc, "rel.md"))
	symlink(t, "../shared/note.md", filepath.Join(inc, "inside.md"))
	symlink(t, "../../outside/inc", filepath.Join(inc, "linkdir"))
	symlink(t, "loop2.md", filepath.Join(inc, "loop.md"))
	symlink(t, "loop.md", filepath.Join(inc, "loop2.md"))
	symlink(t, "nowhere.md", filepath.Join(inc, "dangling.md"))
	symlink(t, "inside.md", filepath.Join(inc, "chain.md"))
	// Inside the root at first, then up and out through "..".
	symlink(t, "../shared/../../outside/secret.md", filepath.Join(inc, "tricky.md"))

	fsys := &recordFS{ReadLinkFS: os.DirFS(root).(fs.ReadLinkFS)}
	s, diags := Load(fsys, Options{})
	checkInvariants(t, s, diags)
	want := `index.md:3:1: error: include "abs.md" refused: symlink "_includes/abs.md" points outside the source root
index.md:4:1: error: include "rel.md" refused: symlink "_includes/rel.md" points outside the source root
index.md:6:1: error: include "linkdir/x.md" refused: symlink "_includes/linkdir" points outside the source root
index.md:7:1: error: include "loop.md" refused: too many levels of symlinks at "_includes/loop.md"
index.md:8:1: error: include "dangling.md" not found in _includes/
index.md:10:1: error: include "tricky.md" refused: symlink "_includes/tricky.md" points outside the source root
`
	if got := diagsString(diags); got != want {
		t.Errorf("diagnostics:\n got:\n%s\nwant:\n%s", got, want)
	}
	if got, want := string(s.Text), "\n\nnote v\n\n\n\n\nnote w\n\n\n"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if got, want := s.Pos(strings.Index(string(s.Text), "note")).String(), "shared/note.md:1:1"; got != want {
		t.Errorf("Pos of included symlink target = %s, want %s", got, want)
	}
	if got, want := strings.Join(fsys.opened, " "), "index.md shared/note.md"; got != want {
		t.Errorf("opened %q, want %q", got, want)
	}
	if got, want := strings.Join(s.Files, " "), "index.md shared/note.md"; got != want {
		t.Errorf("Files = %q, want %q", got, want)
	}
}

// TestSymlinkRoot checks index.md, _config.yml and _includes/ themselves
// being symlinks out of the root.
func TestSymlinkRoot(t *testing.T) {
	tmp := t.TempDir()
	root := filepath.Join(tmp, "root")
	writeFiles(t, tmp, map[string]string{
		"outside/index.md":    "---\n---\nSECRET\n",
		"outside/_config.yml": "title: SECRET\n",
		"outside/inc/a.md":    "SECRET\n",
		"root/README.md":      "readme\n",
	})
	symlink(t, "../outside/index.md", filepath.Join(root, "index.md"))
	symlink(t, filepath.Join(tmp, "outside", "_config.yml"), filepath.Join(root, "_config.yml"))
	fsys := &recordFS{ReadLinkFS: os.DirFS(root).(fs.ReadLinkFS)}
	s, diags := Load(fsys, Options{})
	want := `_config.yml: error: refused: symlink "_config.yml" points outside the source root
index.md: error: refused: symlink "index.md" points outside the source root
`
	if got := diagsString(diags); got != want {
		t.Errorf("diagnostics:\n got:\n%s\nwant:\n%s", got, want)
	}
	if len(fsys.opened) != 0 || len(s.Text) != 0 || s.Config.Title != "" {
		t.Errorf("read through a symlink: opened %q, Text %q, title %q", fsys.opened, s.Text, s.Config.Title)
	}

	// _includes itself links out of the root.
	root2 := filepath.Join(tmp, "root2")
	writeFiles(t, root2, map[string]string{"index.md": "---\n---\n{% include a.md %}\n"})
	symlink(t, "../outside/inc", filepath.Join(root2, "_includes"))
	fsys = &recordFS{ReadLinkFS: os.DirFS(root2).(fs.ReadLinkFS)}
	_, diags = Load(fsys, Options{})
	want = `index.md:3:1: error: include "a.md" refused: symlink "_includes" points outside the source root
`
	if got := diagsString(diags); got != want {
		t.Errorf("diagnostics:\n got:\n%s\nwant:\n%s", got, want)
	}
	if got := strings.Join(fsys.opened, " "); got != "index.md" {
		t.Errorf("opened %q, want only index.md", got)
	}
}

// TestSymlinkMapFS checks symlinks through fstest.MapFS, which also
// implements fs.ReadLinkFS.
func TestSymlinkMapFS(t *testing.T) {
	m := fstest.MapFS{
		"index.md":            {Data: []byte("---\n---\n{% include up.md %}|{% include ok.md %}|{% include root.md %}\n")},
		"_includes/up.md":     {Data: []byte("../../x.md"), Mode: fs.ModeSymlink},
		"_includes/ok.md":     {Data: []byte("real/a.md"), Mode: fs.ModeSymlink},
		"_includes/root.md":   {Data: []byte(".."), Mode: fs.ModeSymlink},
		"_includes/real/a.md": {Data: []byte("A")},
	}
	s, diags := Load(m, Options{})
	checkInvariants(t, s, diags)
	want := `index.md:3:1: error: include "up.md" refused: symlink "_includes/up.md" points outside the source root
index.md:3:41: error: include "root.md" is not a regular file
`
	if got := diagsString(diags); got != want {
		t.Errorf("diagnostics:\n got:\n%s\nwant:\n%s", got, want)
	}
	if got, want := string(s.Text), "|A|\n"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if got, want := s.Pos(1).String(), "_includes/real/a.md:1:1"; got != want {
		t.Errorf("Pos(1) = %s, want %s", got, want)
	}
}

// blindFS reports a symlink through Stat but cannot read links: Load must
// refuse it rather than guess.
type blindFS struct{ m fstest.MapFS }

type symlinkInfo struct{ fs.FileInfo }

func (symlinkInfo) Mode() fs.FileMode { return fs.ModeSymlink | 0o777 }

func (b blindFS) Open(name string) (fs.File, error) { return b.m.Open(name) }

func (b blindFS) Stat(name string) (fs.FileInfo, error) {
	fi, err := b.m.Stat(name)
	if err == nil && strings.HasSuffix(name, "link.md") {
		fi = symlinkInfo{fi}
	}
	return fi, err
}

func TestSymlinkUnresolvable(t *testing.T) {
	var fsys fs.FS = blindFS{fstest.MapFS{
		"index.md":           {Data: []byte("---\n---\n{% include link.md %}{% include plain.md %}\n")},
		"_includes/link.md":  {Data: []byte("L")},
		"_includes/plain.md": {Data: []byte("P")},
	}}
	if _, ok := fsys.(fs.ReadLinkFS); ok {
		t.Fatal("blindFS implements fs.ReadLinkFS")
	}
	s, diags := Load(fsys, Options{})
	want := `index.md:3:1: error: include "link.md" refused: cannot resolve symlink "_includes/link.md"
`
	if got := diagsString(diags); got != want {
		t.Errorf("diagnostics:\n got:\n%s\nwant:\n%s", got, want)
	}
	if got, want := string(s.Text), "P\n"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

// TestTooManyExpansions checks that a chain of files each including the
// next twice (2^20 expansions, no cycle) stops with an error after 65,536
// of them: the work is bounded by that count, whatever the machine.
func TestTooManyExpansions(t *testing.T) {
	m := fstest.MapFS{"index.md": {Data: []byte("---\n---\n{% include f0.md %}\n")}}
	const n = 20
	for i := 0; i < n; i++ {
		next := "{% include f" + string(rune('a'+i+1)) + ".md %}"
		if i == n-1 {
			next = "x"
		}
		name := "_includes/f" + string(rune('a'+i)) + ".md"
		if i == 0 {
			name = "_includes/f0.md"
			next = "{% include fb.md %}"
		}
		m[name] = &fstest.MapFile{Data: []byte(next + next)}
	}
	s, diags := Load(m, Options{})
	checkInvariants(t, s, diags)
	want := `_includes/fr.md:1:20: error: too many includes expanded: more than 65536; stopping
`
	if got := diagsString(diags); got != want {
		t.Errorf("diagnostics:\n got:\n%s\nwant:\n%s", got, want)
	}
	if !slices.Contains(s.Files, "_includes/ft.md") {
		t.Errorf("Files = %q", s.Files)
	}
}
