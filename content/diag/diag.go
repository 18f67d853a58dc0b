// Package diag holds source positions and diagnostics: the leaf package
// that the reader, the compiler, the book tree and the backends share, in
// the style of go/token. It imports nothing of this module.
package diag

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pos is a position in the handbook source, in the style of go/token:
// a path relative to the source root, a 1-based line and a 1-based
// column counted in bytes. The zero Pos means "no position".
type Pos struct {
	File string // slash-separated, relative to the source root
	Line int    // 1-based; 0 when unknown
	Col  int    // 1-based byte column; 0 when unknown
}

// IsValid reports whether p names a file.
func (p Pos) IsValid() bool { return p.File != "" }

// String formats p as file:line:col, dropping the parts that are unknown;
// the zero Pos (no file) is "".
func (p Pos) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Before reports whether p sorts before q (by file, line, column).
func (p Pos) Before(q Pos) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// Severity says how bad a Diagnostic is.
type Severity int

// The severities, from least to most severe.
const (
	Warning Severity = iota // the book builds, but something is off
	Error                   // the book cannot be built faithfully
)

// String returns "warning" or "error".
func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Note is a secondary position attached to a Diagnostic, such as one step
// of an include cycle or the first use of a duplicated id.
type Note struct {
	Pos Pos
	Msg string
}

// Diagnostic is one problem found in the source, reported like a compiler:
// "_includes/section5.md:88:12: warning: link to unknown anchor".
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	Msg      string
	Notes    []Note
}

// String formats d and its notes, one per line, without a trailing
// newline: "file:line:col: warning: message". A diagnostic (or note)
// without a position leaves it out ("warning: message"), as a compiler
// does for problems that belong to no line, rather than print a
// placeholder where a file name is expected.
func (d Diagnostic) String() string {
	var b strings.Builder
	if d.Pos.IsValid() {
		b.WriteString(d.Pos.String() + ": ")
	}
	fmt.Fprintf(&b, "%s: %s", d.Severity, d.Msg)
	for _, n := range d.Notes {
		b.WriteByte('\n')
		if n.Pos.IsValid() {
			b.WriteString(n.Pos.String() + ": ")
		}
		b.WriteString("note: " + n.Msg)
	}
	return b.String()
}

// MaxQuoted is the most characters of the source's own text (a URL, a
// title, a file name) that a message quotes.
const MaxQuoted = 120

// Quote returns s double-quoted and escaped for a message, as %q does,
// cut to MaxQuoted characters with "…" when longer: a diagnostic stays
// one readable line even when the text it quotes is a 100 KB URL. Every
// message that quotes text from the source uses it.
func Quote(s string) string { return strconv.Quote(Cut(s)) }

// Cut returns s cut to MaxQuoted characters with "…" when longer, for a
// message that shows source text without quotes (an HTML tag's name).
func Cut(s string) string {
	if utf8.RuneCountInString(s) <= MaxQuoted {
		return s
	}
	n := 0
	for i := range s {
		if n == MaxQuoted {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// Diagnostics is a list of diagnostics in the order they were found.
type Diagnostics []Diagnostic

// Errorf appends an error at pos.
func (ds *Diagnostics) Errorf(pos Pos, format string, args ...any) {
	*ds = append(*ds, Diagnostic{Pos: pos, Severity: Error, Msg: fmt.Sprintf(format, args...)})
}

// Warnf appends a warning at pos.
func (ds *Diagnostics) Warnf(pos Pos, format string, args ...any) {
	*ds = append(*ds, Diagnostic{Pos: pos, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}

// Print writes ds to w, one per line; with onlyErrors, only the errors.
func (ds Diagnostics) Print(w io.Writer, onlyErrors bool) {
	for _, d := range ds {
		if !onlyErrors || d.Severity == Error {
			fmt.Fprintln(w, d.String())
		}
	}
}

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Count returns the number of diagnostics of severity s.
func (ds Diagnostics) Count(s Severity) int {
	n := 0
	for _, d := range ds {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// Sort orders ds by position, then severity and message, so that output
// does not depend on the order in which passes ran.
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Pos != b.Pos {
			return a.Pos.Before(b.Pos)
		}
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		return a.Msg < b.Msg
	})
}

// Deduped returns ds sorted, each diagnostic once: every paper of a PDF
// reports the same missing glyph, and a report lists it once.
func (ds Diagnostics) Deduped() Diagnostics {
	ds = append(Diagnostics(nil), ds...)
	ds.Sort()
	var out Diagnostics
	for i, d := range ds {
		if i > 0 && d.String() == ds[i-1].String() {
			continue
		}
		out = append(out, d)
	}
	return out
}
