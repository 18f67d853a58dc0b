package main

import (
	"strings"
	"testing"
	"time"
)

// TestProgressLine: the live line says how far the build is, what it is
// making and how many pages are done, fits a narrow terminal, and is
// erased before a book's line is printed.
func TestProgressLine(t *testing.T) {
	var errw, out strings.Builder
	p := &progress{out: &out, errw: &errw, verb: "building", total: 4, t0: time.Now()}
	p.start("guide-v1-print.pdf")
	p.start("guide-v1.pdf")
	p.start("guide-v1.epub")
	p.finish("guide-v1.epub", "dist/guide-v1.epub  81 KiB  10 chapters  54 ms", 0)
	p.draw()
	if want := "\r\033[Kbuilding 1/4 · making guide-v1-print.pdf +1 · 0 s"; errw.String() != want {
		t.Errorf("live line %q, want %q", errw.String(), want)
	}
	errw.Reset()
	p.finish("guide-v1.pdf", "dist/guide-v1.pdf", 24)
	if errw.String() != "\r\033[K" || out.String() != "dist/guide-v1.epub  81 KiB  10 chapters  54 ms\ndist/guide-v1.pdf\n" {
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
