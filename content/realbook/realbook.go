// Package realbook finds the source of the real Generative AI Handbook for
// the tests and benchmarks that read it in place (its text is never copied
// into this repository): $HANDBOOK_SOURCE, else ../shared/handbook beside
// the repository's root.
package realbook

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir returns the real handbook's source directory, absolute, and
// whether it is there (holds an index.md).
func Dir() (string, bool) {
	dir := os.Getenv("HANDBOOK_SOURCE")
	if dir == "" {
		// This file is <root>/content/realbook/realbook.go.
		_, file, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "handbook")
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	_, err := os.Stat(filepath.Join(dir, "index.md"))
	return dir, err == nil
}

// Need returns the real handbook's source directory, or skips tb in one
// sentence that says where it looked and what to set.
func Need(tb testing.TB) string {
	tb.Helper()
	dir, ok := Dir()
	if !ok {
		tb.Skip(Absent())
	}
	return dir
}

// Absent is the sentence a test that needs the real handbook skips with
// when it is not there.
func Absent() string {
	dir, _ := Dir()
	return "the real handbook is not at " + dir + ": set HANDBOOK_SOURCE to its source directory"
}
