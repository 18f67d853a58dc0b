package edition

import (
	"bytes"
	"testing"

	"github.com/genai-handbook/handbook/pdf/internal/testbook"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// TestPatchedRefsEqualSetAgain checks that correcting a print pass's page
// labels in place (patchRefs) gives the layout that setting the book
// again with the right labels gives: the same dump, page references and
// page map, on every book and paper, single- and double-sided and as a
// booklet. On the real handbook the first pass is final.
func TestPatchedRefsEqualSetAgain(t *testing.T) {
	for _, bk := range testbook.All(t) {
		for _, o := range []Options{
			{Paper: "a4", Print: true, Duplex: true},
			{Paper: "letter", Print: true},
			{Paper: "a5", Print: true, Duplex: true, Booklet: true},
		} {
			patched := layoutOf(t, bk.Tree, o)
			o.setAgain = true
			again := layoutOf(t, bk.Tree, o)
			var a, b bytes.Buffer
			if err := patched.Dump(&a); err != nil {
				t.Fatal(err)
			}
			if err := again.Dump(&b); err != nil {
				t.Fatal(err)
			}
			name := bk.Name + "/" + o.Paper
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s: patched layout differs from the one set again\n%s", name, firstDiff(a.String(), b.String()))
			}
			if len(patched.Refs) != len(again.Refs) {
				t.Errorf("%s: %d page references patched, %d set again", name, len(patched.Refs), len(again.Refs))
			}
			for id, l := range again.Refs {
				if patched.Refs[id] != l {
					t.Errorf("%s: reference to %s: patched %q, set again %q", name, id, patched.Refs[id], l)
				}
			}
			if len(patched.PageMap) != len(again.PageMap) {
				t.Errorf("%s: page maps of %d and %d pages", name, len(patched.PageMap), len(again.PageMap))
			}
			if patched.Passes > again.Passes {
				t.Errorf("%s: %d passes patched, %d set again", name, patched.Passes, again.Passes)
			}
			t.Logf("%s: %d passes (set again: %d), %d page references", name, patched.Passes, again.Passes, len(patched.Refs))
			if bk.Real && !o.Booklet && patched.Passes != 1 {
				t.Errorf("%s: %d passes, want 1: the first pass's labels were not all corrected in place", name, patched.Passes)
			}
		}
	}
}

// TestCacheNoLines: a Cache that keeps no broken paragraphs gives the
// layout a Cache that keeps them does, in both editions, and keeps none.
func TestCacheNoLines(t *testing.T) {
	for _, bk := range testbook.All(t)[:2] {
		for _, o := range []Options{{Paper: "letter"}, {Paper: "a4", Print: true, Duplex: true}} {
			var a, b bytes.Buffer
			if err := layoutOf(t, bk.Tree, o).Dump(&a); err != nil {
				t.Fatal(err)
			}
			c := &layout.Cache{NoLines: true}
			o.Cache = c
			if err := layoutOf(t, bk.Tree, o).Dump(&b); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s/%s: layout without cached lines differs\n%s", bk.Name, o.Paper, firstDiff(b.String(), a.String()))
			}
			if c.Len() != 0 {
				t.Errorf("%s/%s: %d paragraphs kept", bk.Name, o.Paper, c.Len())
			}
		}
	}
}
