package pipeline

import (
	"bytes"
	"context"
	"testing"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/example"
)

// TestTreeUntouched: the tree is the contract, read and never written by
// the backends: after every book of every format (the EPUB, the Kobo
// edition, screen PDFs, the print edition, the booklet) is laid out and
// written, the tree dumps as it did after compile.
func TestTreeUntouched(t *testing.T) {
	src := Source{FS: example.FS}
	bk, diags := Compile(src, compile.Options{})
	if bk == nil {
		t.Fatal(diags)
	}
	var before bytes.Buffer
	if err := tree.Dump(&before, bk); err != nil {
		t.Fatal(err)
	}
	set := Defaults()
	set.Papers = []string{"a4", "letter", "a5"}
	set.Booklet = true
	books, err := Books(FormatNames(), set)
	if err != nil {
		t.Fatal(err)
	}
	if len(books) < 6 {
		t.Fatalf("%d books, want every format and edition", len(books))
	}
	rep, err := Build(context.Background(), bk, Options{Source: src, Books: books, Out: t.TempDir()})
	if err != nil {
		t.Fatal(err, rep.Diagnostics)
	}
	var after bytes.Buffer
	if err := tree.Dump(&after, bk); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Bytes(), after.Bytes()) {
		t.Errorf("the tree changed while its %d books were made", len(books))
	}
}
