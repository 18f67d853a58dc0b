package epub

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"testing"
	"time"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/example"
	"github.com/genai-handbook/handbook/content/realbook"
	"github.com/genai-handbook/handbook/content/synth"
)

// Integration tests: the bundled example and the real Generative AI
// Handbook, compiled by package compile and written here.

func loadBook(t testing.TB, fsys fs.FS) *tree.Book {
	t.Helper()
	b, diags := compile.Load(fsys, compile.Options{})
	if b == nil {
		for _, d := range diags {
			t.Log(d)
		}
		t.Fatal("compile.Load returned no book")
	}
	return b
}

// handbookFS returns the real handbook's source, and whether it is there
// (see package realbook).
func handbookFS() (fs.FS, bool) {
	dir, ok := realbook.Dir()
	if !ok {
		return nil, false
	}
	return os.DirFS(dir), true
}

// handbookSource returns the real handbook's source. It skips the test
// when the source is absent.
func handbookSource(t testing.TB) fs.FS {
	t.Helper()
	fsys, ok := handbookFS()
	if !ok {
		t.Skip(realbook.Absent())
	}
	return fsys
}

func TestExample(t *testing.T) {
	t.Parallel()
	b := loadBook(t, example.FS)
	before := dump(t, b)
	opt := Options{Modified: time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC), Generator: "handbook test"}
	data := write(t, b, opt)
	if dump(t, b) != before {
		t.Errorf("Write modified the tree")
	}
	st := checkBook(t, data, b, opt)
	t.Logf("example: %d bytes, %+v", len(data), st)
	if st.navParts != len(b.Parts) || st.external == 0 || st.internal == 0 {
		t.Errorf("stats %+v", st)
	}
	if !bytes.Equal(data, write(t, loadBook(t, example.FS), opt)) {
		t.Errorf("two builds of the example differ")
	}
	// TestEpubcheck validates the example.
}

func TestHandbook(t *testing.T) {
	t.Parallel()
	b := loadBook(t, handbookSource(t))
	opt := Options{Modified: time.Date(2024, 6, 5, 0, 0, 0, 0, time.UTC), Generator: "handbook test"}
	data := write(t, b, opt)
	st := checkBook(t, data, b, opt)
	t.Logf("handbook: %d bytes, %+v", len(data), st)
	// The numbers of the v0.1 handbook: 9 sections and the introduction,
	// 53 numbered chapters, 290 external links in the body (one of them
	// repaired from a target in brackets) and 3 in the
	// author block, 13 internal links that resolve.
	if st.navParts != 10 || st.navChapters != 53 || st.external != 293 || st.internal != 13 {
		t.Errorf("stats %+v, want 10 parts (9 sections + introduction), 53 chapters, 293 external and 13 internal links", st)
	}
	if !bytes.Equal(data, write(t, b, opt)) {
		t.Errorf("two builds of the handbook differ")
	}
	// TestEpubcheck validates the handbook.
}

func BenchmarkWrite(b *testing.B) {
	b.Run("example", func(b *testing.B) {
		bk := loadBook(b, example.FS)
		b.ResetTimer()
		for b.Loop() {
			if err := Write(&bytes.Buffer{}, bk, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("handbook", func(b *testing.B) {
		bk := loadBook(b, handbookSource(b))
		b.ResetTimer()
		for b.Loop() {
			if err := Write(&bytes.Buffer{}, bk, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWriteSynth writes synthetic handbooks 1, 10 and 100 times the
// real one's size, to show that Write's time and memory grow with the
// book and no faster. The 100x case takes a while per op; run it with
// -benchtime 1x.
func BenchmarkWriteSynth(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("%dx", n), func(b *testing.B) {
			bk := loadBook(b, synth.Generate(n))
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := Write(&buf, bk, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes/book")
		})
	}
}
