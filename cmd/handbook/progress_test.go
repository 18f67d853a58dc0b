package main

import (
	"strings"
	"testing"
	"time"

	"github.com/genai-handbook/handbook/compile/pipeline"
)

// TestProgressLine: the live line says how far the build is, what it is
// making and how many pages are done, fits a narrow terminal, and is
// erased before a book's line is printed.
func TestProgressLine(t *testing.T) {
	var errw, out strings.Builder
	p := &progress{out: &out, errw: &errw, verb: "building", total: 4, t0: time.Now()}
	p.line = func(r *pipeline.BookReport, _ time.Duration) string { return r.Path }
	p.Started("guide-v1-print.pdf")
	p.Started("guide-v1.pdf")
	p.Started("guide-v1.epub")
	p.Finished(&pipeline.BookReport{Path: "dist/guide-v1.epub"})
	p.draw()
	if want := "\r\033[Kbuilding 1/4 · making guide-v1-print.pdf +1 · 0 s"; errw.String() != want {
		t.Errorf("live line %q, want %q", errw.String(), want)
	}
	errw.Reset()
	r := &pipeline.BookReport{Path: "dist/guide-v1.pdf"}
	r.Pages = 24
	p.Finished(r)
	if errw.String() != "\r\033[K" || out.String() != "dist/guide-v1.epub\ndist/guide-v1.pdf\n" {
		t.Errorf("the live line is not erased before a book's line: %q then %q", errw.String(), out.String())
	}
	errw.Reset()
	p.active = []string{strings.Repeat("x", 200) + ".pdf"}
	p.draw()
	if n := len([]rune(strings.TrimPrefix(errw.String(), "\r\033[K"))); n > liveWidth {
		t.Errorf("live line of %d characters", n)
	}
	if !strings.Contains(errw.String(), "· 24 pages ·") {
		t.Errorf("pages not counted: %q", errw.String())
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 books", 1: "1 book", 2: "2 books"} {
		if got := plural(n, "book"); got != want {
			t.Errorf("plural(%d) = %q", n, got)
		}
	}
}
