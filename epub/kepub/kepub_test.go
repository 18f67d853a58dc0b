package kepub

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/backend"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/example"
	"github.com/genai-handbook/handbook/content/realbook"
	"github.com/genai-handbook/handbook/epub"
	"github.com/genai-handbook/handbook/epub/epubcheck"
)

var date = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

func load(t testing.TB, fsys fs.FS) *tree.Book {
	t.Helper()
	b, diags := compile.Load(fsys, compile.Options{})
	if b == nil {
		t.Fatal(diags)
	}
	return b
}

// bothBooks lays out and writes b's EPUB and Kobo edition.
func bothBooks(t testing.TB, b *tree.Book) (ep, kp []byte) {
	t.Helper()
	opt := backend.Options{Date: date, Generator: "handbook test"}
	write := func(be backend.Backend) []byte {
		l, err := be.Lay(b, opt)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		res, err := l.Write(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if be == (Book{}) && res.Format != "kepub" {
			t.Errorf("result format %q, want kepub", res.Format)
		}
		return buf.Bytes()
	}
	return write(epub.Book{}), write(Book{})
}

// entries reads every entry of a container, in its order.
func entries(t testing.TB, data []byte) ([]*zip.File, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = b
	}
	return zr.File, files
}

var (
	tag      = regexp.MustCompile(`(?s)<style[^>]*>.*?</style>|<[^>]*>`)
	space    = regexp.MustCompile(`\s+`)
	koboSpan = regexp.MustCompile(`<span class="koboSpan" id="kobo\.\d+\.\d+">`)
)

// text is a document's character data, the style elements left out and
// the references unescaped (kepubify writes '"' as "&#34;").
func text(doc []byte) string {
	return html.UnescapeString(strings.TrimSpace(space.ReplaceAllString(tag.ReplaceAllString(string(doc), " "), " ")))
}

// checkKobo asserts what makes a KEPUB of an EPUB, and returns the
// number of koboSpans: the same entries as the EPUB; a container zipped
// as the EPUB is (mimetype first and stored, then sorted, one time
// stamp); every content document wrapped for Kobo, every chapter's
// sentences in koboSpans; and every document's text the EPUB's.
func checkKobo(t *testing.T, name string, ep, kp []byte) int {
	t.Helper()
	_, epFiles := entries(t, ep)
	kpEntries, kpFiles := entries(t, kp)
	if len(epFiles) != len(kpFiles) {
		t.Errorf("%s: %d entries, the EPUB has %d", name, len(kpFiles), len(epFiles))
	}
	if first := kpEntries[0]; first.Name != "mimetype" || first.Method != zip.Store || len(first.Extra) != 0 || string(kpFiles["mimetype"]) != "application/epub+zip" {
		t.Errorf("%s: first entry %s, method %d, %d bytes extra", name, first.Name, first.Method, len(first.Extra))
	}
	for i, e := range kpEntries {
		if i > 1 && kpEntries[i-1].Name >= e.Name {
			t.Errorf("%s: entries not sorted: %s before %s", name, kpEntries[i-1].Name, e.Name)
		}
		if !e.Modified.Equal(date.Truncate(2 * time.Second)) {
			t.Errorf("%s: %s stamped %v, want %v", name, e.Name, e.Modified, date)
			break
		}
	}
	spans := 0
	for entry, doc := range kpFiles {
		if _, ok := epFiles[entry]; !ok {
			t.Errorf("%s: %s is not in the EPUB", name, entry)
			continue
		}
		if !strings.HasSuffix(entry, ".xhtml") {
			continue
		}
		if !bytes.HasPrefix(doc, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
			t.Errorf("%s: %s lost its XML declaration", name, entry)
		}
		if !bytes.Contains(doc, []byte(`<div id="book-columns"><div id="book-inner">`)) {
			t.Errorf("%s: %s is not wrapped in div#book-columns > div#book-inner", name, entry)
		}
		n := len(koboSpan.FindAll(doc, -1))
		if strings.Contains(entry, "/ch-") && n == 0 {
			t.Errorf("%s: chapter %s has no koboSpan", name, entry)
		}
		spans += n
		if got, want := text(doc), text(epFiles[entry]); got != want {
			t.Errorf("%s: %s: the text differs from the EPUB's:\n%.300s\nwant\n%.300s", name, entry, got, want)
		}
	}
	return spans
}

// TestExample converts the example's EPUB: a KEPUB of it, the same bytes
// every time, whatever the number of kepubify's workers.
func TestExample(t *testing.T) {
	b := load(t, example.FS)
	if got, want := (Book{}).FileName(b), strings.TrimSuffix(epub.Filename(b), ".epub")+".kepub.epub"; got != want {
		t.Errorf("file name %q, want %q", got, want)
	}
	ep, kp := bothBooks(t, b)
	t.Logf("example: %d koboSpans; EPUB %d bytes, KEPUB %d", checkKobo(t, "example", ep, kp), len(ep), len(kp))
	// kepubify's workers finish in any order; one worker, then the
	// default, must give the same file.
	prev := runtime.GOMAXPROCS(1)
	_, again := bothBooks(t, b)
	runtime.GOMAXPROCS(prev)
	if !bytes.Equal(kp, again) {
		t.Error("two conversions of the example differ")
	}
}

// TestHandbook converts the real handbook's EPUB.
func TestHandbook(t *testing.T) {
	dir := realbook.Need(t)
	ep, kp := bothBooks(t, load(t, os.DirFS(dir)))
	t.Logf("handbook: %d koboSpans; EPUB %d bytes, KEPUB %d", checkKobo(t, "handbook", ep, kp), len(ep), len(kp))
	_, again := bothBooks(t, load(t, os.DirFS(dir)))
	if !bytes.Equal(kp, again) {
		t.Error("two conversions of the handbook differ")
	}
}

// TestEpubcheck validates the Kobo editions of the example and the real
// handbook (when present) in one Java VM: no error and no warning.
func TestEpubcheck(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skips epubcheck")
	}
	dir := t.TempDir()
	books := map[string]fs.FS{"example": example.FS}
	if d, ok := realbook.Dir(); ok {
		books["handbook"] = os.DirFS(d)
	} else {
		t.Log(realbook.Absent())
	}
	var files []string
	for name, fsys := range books {
		_, kp := bothBooks(t, load(t, fsys))
		f := filepath.Join(dir, name+Extension)
		if err := os.WriteFile(f, kp, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	epubcheck.Check(t, files...)
}

// TestConvertRefusesGarbage: what is not an EPUB is an error, not a
// book.
func TestConvertRefusesGarbage(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("PK\x03\x04 not a zip"), zipOf(t, map[string]string{"mimetype": "application/epub+zip"})} {
		if _, err := Convert(data, date); err == nil {
			t.Errorf("Convert(%.20q) gave no error", data)
		}
	}
}

func zipOf(t *testing.T, files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, s := range files {
		w, _ := zw.Create(name)
		w.Write([]byte(s))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
