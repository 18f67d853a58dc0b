package content

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/genai-handbook/handbook/content/realbook"
)

// handbookDir returns the real handbook's source directory, or skips t
// (see package realbook). Its text is only read, never copied here.
func handbookDir(t testing.TB) string { return realbook.Need(t) }

func TestHandbook(t *testing.T) {
	dir := handbookDir(t)
	fsys := os.DirFS(dir)
	s, diags := Load(fsys, Options{})
	if len(diags) != 0 {
		t.Fatalf("diagnostics:\n%s", diagsString(diags))
	}
	checkInvariants(t, s, diags)
	if s.Config.Title == "" || s.FrontMatter.Title == "" || s.FrontMatter.Layout == "" {
		t.Errorf("config %+v, front matter %+v", s.Config, s.FrontMatter)
	}

	// Every include is expanded, and a line of each is in Text at its
	// true position.
	incs, err := fs.Glob(fsys, "_includes/*.md")
	if err != nil || len(incs) != 11 {
		t.Fatalf("includes: %q, %v", incs, err)
	}
	for _, name := range incs {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		// The longest line is unique enough to find.
		var line []byte
		lineNo := 0
		for i, l := range bytes.Split(data, []byte("\n")) {
			if len(l) > len(line) {
				line, lineNo = l, i+1
			}
		}
		off := bytes.Index(s.Text, line)
		if off < 0 {
			t.Errorf("line %d of %s not in Text", lineNo, name)
			continue
		}
		if got, want := s.Pos(off).String(), fmt.Sprintf("%s:%d:1", name, lineNo); got != want {
			t.Errorf("Pos of the longest line of %s = %s, want %s", name, got, want)
		}
		if !strings.Contains(strings.Join(s.Files, " "), name) {
			t.Errorf("%s not in Files", name)
		}
	}
	if len(s.Files) != 13 {
		t.Errorf("Files = %q, want _config.yml, index.md and 11 includes", s.Files)
	}

	off := bytes.Index(s.Text, []byte("<h2>Conditional GANs</h2>"))
	if got, want := s.Pos(off).String(), "_includes/section8.md:31:1"; got != want {
		t.Errorf("Pos(Conditional GANs) = %s, want %s", got, want)
	}
	// No include tag is left unexpanded.
	off = bytes.Index(s.Text, []byte("{% include"))
	if off >= 0 {
		t.Errorf("unexpanded include at %s", s.Pos(off))
	}
}

func BenchmarkLoadHandbook(b *testing.B) {
	fsys := os.DirFS(handbookDir(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := Load(fsys, Options{}); len(diags) != 0 {
			b.Fatal(diags)
		}
	}
}

func BenchmarkPos(b *testing.B) {
	s, _ := Load(os.DirFS(handbookDir(b)), Options{})
	b.ReportAllocs()
	for b.Loop() {
		for off := 0; off < len(s.Text); off += 997 {
			s.Pos(off)
		}
	}
}

// FuzzLoad loads arbitrary txtar archives as source trees, checking that
// Load never panics and that every offset of Text has a valid position
// (see checkInvariants).
func FuzzLoad(f *testing.F) {
	for _, c := range loadCases(f) {
		data, err := os.ReadFile(c.name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ar := txtar.Parse(data)
		c, err := parseCase("fuzz", ar)
		if err != nil {
			return
		}
		for name := range c.fsys {
			if !fs.ValidPath(name) {
				delete(c.fsys, name)
			}
		}
		opt := c.opt
		// Keep each run small and fast.
		if opt.MaxIncludeDepth <= 0 || opt.MaxIncludeDepth > 8 {
			opt.MaxIncludeDepth = 8
		}
		if opt.MaxTotalSize <= 0 || opt.MaxTotalSize > 1<<16 {
			opt.MaxTotalSize = 1 << 16
		}
		s, diags := Load(c.fsys, opt)
		checkInvariants(t, s, diags)
	})
}
