package pdf

import (
	"bytes"
	"io"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/synth"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/internal/testbook"
)

// TestDeterministic asserts that the same input gives the same bytes, and
// that the date is the only thing Created changes.
func TestDeterministic(t *testing.T) {
	for _, bk := range books(t) {
		opt := Options{Created: time.Date(2024, 6, 5, 0, 0, 0, 0, time.UTC), Generator: "test"}
		var a, b, c bytes.Buffer
		if _, err := Write(&a, bk.b, opt); err != nil {
			t.Fatal(err)
		}
		// Several builds in one process: state leaking from one build
		// into the next (gofpdf once rewrote the shared font bytes) shows
		// up only after a few.
		for i := 0; i < 4; i++ {
			b.Reset()
			if _, err := Write(&b, bk.b, opt); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s: build %d differs from the first", bk.name, i+2)
			}
		}
		opt.Created = opt.Created.Add(24 * time.Hour)
		if _, err := Write(&c, bk.b, opt); err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(a.Bytes(), c.Bytes()) {
			t.Errorf("%s: Created does not reach the file", bk.name)
		}
		if bytes.Contains(a.Bytes(), []byte(time.Now().UTC().Format("20060102"))) {
			t.Errorf("%s: today's date is in the file", bk.name)
		}
	}
}

// TestFontsUntouched asserts that writing a PDF leaves the shared font
// data alone.
func TestFontsUntouched(t *testing.T) {
	fs := fonts.Go()
	var before [][]byte
	for st := fonts.Regular; st <= fonts.MonoBold; st++ {
		before = append(before, append([]byte(nil), fs.Face(st).TTF...))
	}
	if _, err := Write(io.Discard, testbook.Fixture(), Options{}); err != nil {
		t.Fatal(err)
	}
	for st := fonts.Regular; st <= fonts.MonoBold; st++ {
		if !bytes.Equal(before[st], fs.Face(st).TTF) {
			t.Errorf("font %s modified by Write", st)
		}
	}
}

// TestZeroCreated asserts the documented default date.
func TestZeroCreated(t *testing.T) {
	var a bytes.Buffer
	if _, err := Write(&a, testbook.Fixture(), Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(a.Bytes(), []byte("(D:20000101000000Z)")) {
		t.Error("zero Created is not 2000-01-01")
	}
}

// TestReleaseSameBytes asserts that Write, which lets go of the layout as
// it draws it, writes the same bytes as write, which keeps it for tests.
func TestReleaseSameBytes(t *testing.T) {
	for _, bk := range books(t)[:2] {
		for _, opt := range []Options{{}, {Edition: "print"}, {Booklet: true}} {
			var a, b bytes.Buffer
			if _, err := Write(&a, bk.b, opt); err != nil {
				t.Fatal(err)
			}
			if _, _, err := write(&b, bk.b, opt); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s %+v: Write and write differ", bk.name, opt)
			}
		}
	}
}

// TestPrepared asserts that Prepare and Prepared.Write write what Write
// does, that Prepare reports what Check does (the page map an EPUB takes
// from it before the drawing), and that a Prepared is written once.
func TestPrepared(t *testing.T) {
	bk := books(t)[0]
	opt := Options{Edition: "print", Created: time.Date(2024, 6, 5, 12, 0, 0, 0, time.UTC)}
	var a, b bytes.Buffer
	want, err := Write(&a, bk.b, opt)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(bk.b, opt)
	if err != nil {
		t.Fatal(err)
	}
	checked, err := Check(bk.b, opt)
	if err != nil {
		t.Fatal(err)
	}
	pre := p.Result()
	if pre.Pages != 0 || pre.BookPages != want.BookPages || pre.QRCodes != want.QRCodes || len(pre.PageMap) != want.BookPages {
		t.Errorf("Prepare: pages %d, book pages %d, QR codes %d, page map %d; want 0, %d, %d, %d",
			pre.Pages, pre.BookPages, pre.QRCodes, len(pre.PageMap), want.BookPages, want.QRCodes, want.BookPages)
	}
	// Check typesets without the drawing operations (typeset's
	// Discard) and must find all the same.
	if !reflect.DeepEqual(pre.PageMap, checked.PageMap) || checked.BookPages != want.BookPages || checked.QRCodes != want.QRCodes || !reflect.DeepEqual(checked.Diagnostics, want.Diagnostics) {
		t.Errorf("Check: %d pages, %d QR codes, %d diagnostics, page map equal %v; Write: %d pages, %d QR codes, %d diagnostics",
			checked.BookPages, checked.QRCodes, len(checked.Diagnostics), reflect.DeepEqual(pre.PageMap, checked.PageMap), want.BookPages, want.QRCodes, len(want.Diagnostics))
	}
	got, err := p.Write(&b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Pages != want.Pages || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("Prepared.Write: %d pages, %d bytes; Write: %d pages, %d bytes", got.Pages, b.Len(), want.Pages, a.Len())
	}
	if _, err := p.Write(io.Discard); err == nil {
		t.Error("a Prepared written twice: no error")
	}
}

// BenchmarkWrite measures typesetting and writing the example and, when
// present, the real handbook: the screen edition, the print edition (set
// twice or more, until its page references settle) and the booklet. The
// synthetic handbooks, 1, 10 and 100 times the real one's size, show how
// the cost grows with the book (run 100x with -benchtime 1x).
func BenchmarkWrite(b *testing.B) {
	type source struct {
		name string
		load func() *tree.Book
	}
	var srcs []source
	for _, bk := range books(b)[1:] {
		srcs = append(srcs, source{bk.name, func() *tree.Book { return bk.b }})
	}
	for _, n := range []int{1, 10, 100} {
		srcs = append(srcs, source{"synth" + strconv.Itoa(n) + "x", func() *tree.Book {
			bk, diags := compile.Load(synth.Generate(n), compile.Options{})
			if bk == nil {
				b.Fatalf("synthetic handbook %dx does not compile: %v", n, diags)
			}
			return bk
		}})
	}
	for _, src := range srcs {
		var bk *tree.Book // loaded on first use: -bench filters skip the big ones
		for _, c := range []struct {
			name string
			opt  Options
		}{
			{"screen", Options{}},
			{"print", Options{Edition: "print"}},
			{"booklet", Options{Booklet: true}},
		} {
			b.Run(src.name+"/"+c.name, func(b *testing.B) {
				if bk == nil {
					bk = src.load()
				}
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := Write(io.Discard, bk, c.opt); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
