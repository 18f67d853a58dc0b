// Package diag holds source positions and diagnostics: the leaf package
// that the reader, the compiler, the book tree and the backends share, in
// the style of go/token. It imports nothing of this module.
package diag

import (
	"fmt"
	"sort"
	"strings"
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

// String formats p as file:line:col, dropping the parts that are unknown.
func (p Pos) String() string {
	switch {
	case p.File == "":
		return "-"
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

// String formats d and its notes, one per line, without a trailing newline.
func (d Diagnostic) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: %s", d.Pos, d.Severity, d.Msg)
	for _, n := range d.Notes {
		fmt.Fprintf(&b, "\n%s: note: %s", n.Pos, n.Msg)
	}
	return b.String()
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
