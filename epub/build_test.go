package epub

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path"
	"strings"
	"testing"

	goepub "github.com/go-shiori/go-epub"

	"github.com/genai-handbook/handbook/content/example"
)

// goepubSection returns the content document go-epub v1.2.1 writes for a
// section with the given title and body.
func goepubSection(t *testing.T, title, body string) []byte {
	t.Helper()
	e, err := goepub.NewEpub("T")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.AddSection(body, title, coverFile, "../css/book.css"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := writeShell(e, &buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(path.Join(pkgDir, xhtmlDir, coverFile))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	x, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestShell checks that a content document written from the shell has
// exactly the bytes go-epub writes for the same title and body (plus the
// language on the root element), whatever the title holds: Write relies
// on it to give every document go-epub's bytes without go-epub writing
// each one.
func TestShell(t *testing.T) {
	s, err := newShell(goepubSection(t, shellTitle, shellBody), "de-CH")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ title, body string }{
		{"Chapter 1: Statistical Prediction", "<section>\n<h1>x</h1>\n</section>\n"},
		{"", ""},
		{`Fish & "Chips" <b> 'n' > it`, "<p>a &amp; b</p>"},
		{"tab\tnew\nline\rcr \x00\x1f \uFFFE é — ’ 😀", "\n\n<p>  </p>  \n"},
		{strings.Repeat("long title ", 50), strings.Repeat("<p>para</p>\n", 100)},
	} {
		want := goepubSection(t, c.title, c.body)
		want = bytes.Replace(want, []byte(htmlRoot), []byte(htmlRoot+` lang="de-CH" xml:lang="de-CH"`), 1)
		var got bytes.Buffer
		if err := s.write(&got, c.title, []byte(c.body)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("title %q body %q:\ngot  %q\nwant %q", c.title, c.body, got.Bytes(), want)
		}
	}
}

// TestUnique checks the suffixes given to ids used more than once, also
// when a suffixed form is taken by an id of its own.
func TestUnique(t *testing.T) {
	l := newLayout(fixture())
	var got []string
	for _, id := range []string{"x", "x", "x-3", "x", "x", "y", "x", "x-2", "y"} {
		got = append(got, l.unique(id))
	}
	want := "x x-2 x-3 x-4 x-5 y x-6 x-2-2 y-2"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("got  %s\nwant %s", g, want)
	}
}

// TestWriteMakesNoTempFiles: go-epub's working directory is kept in
// memory, so that a build killed while it writes an EPUB leaves nothing
// under /tmp (issue 26, case 9). TMPDIR names a file here: go-epub's
// default storage, given that, cannot make a directory in it (not even
// as root), so Write succeeds only without touching the disk.
func TestWriteMakesNoTempFiles(t *testing.T) {
	notDir := path.Join(t.TempDir(), "not-a-directory")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", notDir)
	if err := goepub.Use(goepub.OsFS); err != nil { // as a fresh process would start
		t.Fatal(err)
	}
	bk := loadBook(t, example.FS)
	if err := Write(io.Discard, bk, Options{}); err != nil {
		t.Fatalf("Write: %v", err)
	}
}
