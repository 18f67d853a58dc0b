package diag

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestQuote: a diagnostic that quotes source text cuts it to MaxQuoted
// characters (issue 13, item 15: one line was 200,129 characters long).
func TestQuote(t *testing.T) {
	long := "https://example.org/" + strings.Repeat("ä", 200_000)
	q := Quote(long)
	if n := utf8.RuneCountInString(q); n > MaxQuoted+3 || !strings.HasSuffix(q, `…"`) || !strings.HasPrefix(q, `"https://example.org/ä`) {
		t.Errorf("Quote of a 200,020-character URL: %d characters, %.40q…", n, q)
	}
	for in, want := range map[string]string{
		"short":                       `"short"`,
		"tab\tand NUL \x00":           `"tab\tand NUL \x00"`,
		strings.Repeat("x", 120):      `"` + strings.Repeat("x", 120) + `"`,
		strings.Repeat("x", 121):      `"` + strings.Repeat("x", 120) + `…"`,
		`say "hi"`:                    `"say \"hi\""`,
		strings.Repeat("é", 121) + "": `"` + strings.Repeat("é", 120) + `…"`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%.20q) = %.40q, want %.40q", in, got, want)
		}
	}
}

// TestStringWithoutPosition: a diagnostic without a file prints no
// position at all, never "-:" (issue 13, item 15).
func TestStringWithoutPosition(t *testing.T) {
	d := Diagnostic{Severity: Warning, Msg: "something", Notes: []Note{{Msg: "a note"}, {Pos: Pos{File: "a.md", Line: 2}, Msg: "there"}}}
	if got, want := d.String(), "warning: something\nnote: a note\na.md:2: note: there"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	d = Diagnostic{Pos: Pos{File: "index.md", Line: 3, Col: 4}, Severity: Error, Msg: "bad"}
	if got := d.String(); got != "index.md:3:4: error: bad" {
		t.Errorf("got %q", got)
	}
	if got := (Pos{}).String(); got != "" {
		t.Errorf("zero Pos prints %q", got)
	}
}

// TestPrint: one diagnostic a line, in order; only the errors when asked.
func TestPrint(t *testing.T) {
	var ds Diagnostics
	ds.Warnf(Pos{File: "a.md", Line: 2}, "loose")
	ds.Errorf(Pos{File: "b.md", Line: 3}, "broken")
	var all, errs strings.Builder
	ds.Print(&all, false)
	ds.Print(&errs, true)
	if want := "a.md:2: warning: loose\nb.md:3: error: broken\n"; all.String() != want {
		t.Errorf("Print:\n%s\nwant:\n%s", all.String(), want)
	}
	if want := "b.md:3: error: broken\n"; errs.String() != want {
		t.Errorf("Print errors only:\n%s\nwant:\n%s", errs.String(), want)
	}
}
