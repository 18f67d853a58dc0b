// Package pipeline makes a handbook's books: it compiles the source once,
// lays every book out with its backend (package backend; the backends are
// registered in Formats), writes each one atomically into the output
// directory with SHA256SUMS, under the directory's lock, and reports its
// progress as it goes. It is a library: no flags, no printing, no clock
// (the caller stamps what it reports), no environment (the caller passes
// SOURCE_DATE_EPOCH's date, if any).
//
// A build has two steps, so that the caller can show the compiler's
// diagnostics (and stop on them) before any book is laid out: Compile,
// then Build.
package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/backend"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/content/git"
	"github.com/genai-handbook/handbook/fonts"
)

// Source is a handbook's source tree.
type Source struct {
	FS fs.FS
	// Dir is its directory on disk, absolute; "" for a tree that is not
	// on disk (the bundled example), which has no git checkout and no
	// file dates, and can be overwritten by no book.
	Dir string
}

// Compile compiles src with opt, taking the release tag of the source's
// git checkout unless opt.Version is set (see compile.Options.Tag). The
// book is nil when the source has errors.
func Compile(src Source, opt compile.Options) (*tree.Book, diag.Diagnostics) {
	if opt.Version == "" && opt.Tag == "" {
		if r := git.Open(src.Dir); r != nil {
			if opt.Tag = r.Tag(); opt.Tag != "" {
				opt.TagDate, _ = r.CommitDate(opt.Tag)
			}
		}
	}
	return compile.Load(src.FS, opt)
}

// Options say which books Build makes and how. The zero value lays out
// nothing.
type Options struct {
	Source Source
	// Books are the books to make, in the order the report lists them.
	Books []backend.Backend
	// Out is the output directory, absolute; "" lays the books out and
	// writes nothing (`handbook check`).
	Out string
	// Date is stamped into the books: SOURCE_DATE_EPOCH, say. Zero: the
	// source's own (see SourceDate).
	Date time.Time
	// Generator names the program in the books: "handbook v1.2.3".
	Generator  string
	Cover      []byte     // the user's cover image; nil: the backends draw one
	Fonts      *fonts.Set // nil: fonts.Default()
	EmbedFonts bool       // embed the fonts in the EPUB
	// Strict writes no book when a backend reports a warning (the
	// caller stops on the compiler's before Build).
	Strict bool
	// Checksums writes SHA256SUMS beside the books, for exactly the
	// books the directory then holds.
	Checksums bool
	// Clean removes the book's books of other versions from Out.
	Clean bool
	// Progress hears of the build as it goes; nil hears nothing.
	Progress Progress
	// Notes are told to Progress as the build starts: what CompileSince
	// said of the earlier release, say.
	Notes []string
}

// Progress is told of a build as it goes, from several goroutines at
// once (one per book being made).
type Progress interface {
	// Waiting says another build holds the output directory's lock.
	Waiting(dir string)
	// Started says a book is being made.
	Started(name string)
	// Finished says a book is made (or failed: its report has Err).
	Finished(r *BookReport)
	// Note says something the build did besides the books: a killed
	// build's files removed, other versions removed or left.
	Note(msg string)
}

// BookReport is one book of a build; its JSON form is `build --json`'s.
type BookReport struct {
	Path string `json:"path"` // the book's file, in Out
	backend.Result
	Bytes  int    `json:"bytes"`
	Millis int64  `json:"ms"`     // how long it took: the caller's to set, with its clock
	SHA256 string `json:"sha256"` // of the book's bytes, hex; "" when not written
	Err    error  `json:"-"`
	tmp    string // the staged temporary file, renamed into place on success
}

// Report is a whole build.
type Report struct {
	Books []*BookReport
	// Diagnostics are the backends' warnings, sorted, each once (every
	// paper reports the same missing glyph).
	Diagnostics diag.Diagnostics
	// Sums is the SHA256SUMS written; "" when none.
	Sums string
	// Changes is the CHANGES.md written (see ReleaseNotes); "" when none.
	Changes string
}

// Failure errors of Build: the books were not put in place, and the
// previous ones were left as they were.
var (
	// ErrFailed: a book could not be made (its BookReport says why).
	ErrFailed = errors.New("a book could not be made")
	// ErrStrict: with Strict, a backend reported a warning.
	ErrStrict = errors.New("warnings from the backends")
)

// Failed counts the books of r that could not be made.
func (r *Report) Failed() int {
	n := 0
	for _, b := range r.Books {
		if b.Err != nil {
			n++
		}
	}
	return n
}

// SourceDate is the date stamped into a book when the caller gives none:
// the time of the source's last git commit, else the newest source
// file's modification time, else the handbook's version date, else
// 2000-01-01.
func SourceDate(src Source, bk *tree.Book) time.Time {
	if t, ok := git.Open(src.Dir).LastCommit(); ok {
		return t
	}
	if src.Dir != "" {
		var newest time.Time
		fs.WalkDir(src.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != "." {
				return fs.SkipDir
			}
			if info, err := d.Info(); err == nil && !d.IsDir() && info.ModTime().After(newest) {
				newest = info.ModTime()
			}
			return nil
		})
		if !newest.IsZero() {
			return newest.UTC().Truncate(time.Second)
		}
	}
	if t, err := time.Parse("2006-01-02", bk.Meta.DateISO); err == nil {
		return t
	}
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
}

// ParseEpoch reads SOURCE_DATE_EPOCH's value: seconds since 1970 (UTC).
func ParseEpoch(s string) (time.Time, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(n, 0).UTC(), true
}

// usageError marks a problem with what the caller asked for (an output
// path that would overwrite a source file): the caller's command line is
// wrong, not the source.
type usageError struct{ error }

// IsUsage reports whether err is a problem with the request rather than
// with the source or the machine.
func IsUsage(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }
