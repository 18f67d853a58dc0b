package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
)

func newBuild(stdout, stderr io.Writer) *cobra.Command {
	f := defaultBuildFlags()
	cmd := &cobra.Command{
		Use:   "build [DIR]",
		Short: "Build the books: EPUB and PDF",
		Long: `build compiles the handbook in DIR (default: the current directory) and
writes its books into the output directory (-o, default dist):
  <slug>-<version>.epub           the EPUB 3 book for e-readers
  <slug>-<version>.pdf            the PDF for screens, A4 (-letter, -a5 for other papers)
  <slug>-<version>-print.pdf      the print edition (link notes with QR codes)
  SHA256SUMS                      checksums of every book in the directory (sha256sum -c SHA256SUMS)

Each book's line is printed as soon as it is done. The books are written to
temporary files and renamed into place together at the end, under a lock on
the output directory (a second build into it waits): a failed, interrupted
or killed build never leaves a partial book and never destroys the previous
ones, and the next build removes what a killed one left. A build killed
while it renames its books into place (a few milliseconds) may leave new
books beside old ones; the renames it meant to make are listed in
.handbook.commit, and the next build, clean or watch into the directory
finishes them before anything else, so the directory then holds one
build's whole set and a SHA256SUMS that matches it. The directory keeps an
empty .handbook.lock: the file builds lock (removing it while a build runs
would let a second one write at the same time). With --strict, any
warning stops the build before a book is replaced. --clean removes the
handbook's books of other versions from the output directory.

Dates come from SOURCE_DATE_EPOCH, else the source's last commit or change:
the same source gives byte-identical books.

Settings may also come from handbook.yml in the source root (its paths are
relative to the source root); flags win.`,
		Example: `  handbook build ../genai-handbook.github.io -o dist
  handbook build --example                         # the bundled example, into dist/
  handbook build --format pdf --paper a4,letter,a5
  handbook build --clean --strict                  # a release: nothing stale, no warnings
  SOURCE_DATE_EPOCH=1717545600 handbook build --json`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeDirs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := newPlan("build", f, cmd.Flags().Changed, args)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			_, err = runBuild(ctx, p, stdout, stderr, false)
			return err
		},
	}
	fl := cmd.Flags()
	f.source.add(cmd, true)
	addBookFlags(cmd, &f)
	fl.StringVar(&f.pageSource, "page-source", f.pageSource, "the print edition whose page numbers the EPUB carries: a4, letter, a5 or none (default: the print paper)")
	fl.BoolVar(&f.simplex, "simplex", false, "lay the print edition out for one-sided printing")
	fl.BoolVar(&f.booklet, "booklet", false, "also write the print edition as an A5 booklet imposed on A4 sheets")
	fl.IntVar(&f.signatureSheets, "signature-sheets", 0, "the booklet's most sheets per signature (folded and stapled together); 0 means 8")
	fl.Float64Var(&f.creep, "creep", 0, "the booklet's creep compensation in mm per sheet (the paper's thickness); 0 means 0.1, negative means none")
	fl.StringVar(&f.cover, "cover", "", "cover image (PNG or JPEG, portrait, at least 1000 px high) inside the source tree, instead of the generated cover")
	fl.BoolVar(&f.strict, "strict", false, "treat warnings as errors: write no book when there is one")
	fl.BoolVar(&f.checksums, "checksums", true, "write SHA256SUMS beside the books")
	fl.BoolVar(&f.clean, "clean", false, "remove the handbook's books of other versions from the output directory")
	fl.StringVar(&f.versionOverride, "version-override", "", "version for file names and metadata instead of the version line or git tag")
	fl.BoolVar(&f.json, "json", false, "print a JSON report instead of text")
	registerBuildCompletions(cmd)
	return cmd
}

// addBookFlags adds the flags build and watch share, which choose the
// books and where they go, with the completion of their values.
func addBookFlags(cmd *cobra.Command, f *buildFlags) {
	fl := cmd.Flags()
	fl.StringVarP(&f.out, "out", "o", f.out, "output directory")
	fl.StringSliceVar(&f.formats, "format", f.formats, "formats to build: epub, pdf")
	fl.StringSliceVar(&f.papers, "paper", f.papers, "screen PDF paper sizes: a4, letter, a5")
	fl.StringSliceVar(&f.editions, "edition", f.editions, "PDF editions: screen (clickable links), print (link notes with QR codes, page references, study plan)")
	fl.StringVar(&f.printPaper, "print-paper", f.printPaper, "paper of the print edition: a4, letter, a5")
	fl.BoolVar(&f.embedFonts, "embed-fonts", false, "embed the fonts in the EPUB")
	fl.BoolVar(&f.quiet, "quiet", false, "print nothing but errors")
	cmd.RegisterFlagCompletionFunc("format", completeList("epub", "pdf"))
	cmd.RegisterFlagCompletionFunc("paper", completeList("a4", "letter", "a5"))
	cmd.RegisterFlagCompletionFunc("edition", completeList("screen", "print"))
	cmd.RegisterFlagCompletionFunc("print-paper", completeOne("a4", "letter", "a5"))
	cmd.MarkFlagDirname("out")
}

// buildResult sums up a build for watch.
type buildResult struct {
	books  int // books written
	errors int // errors that stopped the build
}

// runBuild lays out the plan's books and, when every one was made (and,
// with --strict, without a warning), puts them and SHA256SUMS in place
// together. In watch mode the books' lines and the summary are left to
// the caller.
func runBuild(ctx context.Context, p *plan, stdout, stderr io.Writer, watching bool) (buildResult, error) {
	f := p.f
	start := time.Now()
	var res buildResult
	quiet := f.quiet || f.json
	if !f.json {
		printDiags(stderr, p.diags, f.quiet)
	}
	if !f.quiet {
		for _, u := range p.unused {
			fmt.Fprintf(stderr, "handbook: warning: %s\n", u)
		}
	}
	if p.book == nil {
		res.errors = p.diags.Count(diag.Error)
		if f.json {
			writeBuildJSON(stdout, nil, p.diags, time.Since(start))
		}
		return res, exitError{1}
	}
	if n := len(p.diags) + len(p.unused); f.strict && n > 0 {
		fmt.Fprintf(stderr, "handbook: --strict: %s: no books written\n", plural(n, "warning"))
		res.errors = n
		return res, exitError{1}
	}
	outDir, err := filepath.Abs(f.out)
	if err != nil {
		return res, err
	}
	if err := checkOutDir(p.src, outDir); err != nil {
		return res, err
	}
	for _, a := range p.arts {
		if err := checkNotSource(p.src, p.book, filepath.Join(outDir, p.name(a))); err != nil {
			return res, err
		}
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return res, err
	}

	var out io.Writer = stdout
	if quiet || watching {
		out = nil
	}
	prog := newProgress(out, stderr, "building", len(p.arts), quiet)
	defer prog.close()
	width := 0
	for _, a := range p.arts {
		width = max(width, len(rel(filepath.Join(outDir, p.name(a)))))
	}

	// The lock is taken when the first book is ready to be staged, and
	// held until every book is in place: builds into one directory make
	// their books at the same time but stage and commit them one after
	// the other.
	var lockMu sync.Mutex
	var lock *dirLock
	var lockErr error
	acquire := func() error {
		lockMu.Lock()
		defer lockMu.Unlock()
		if lock != nil || lockErr != nil {
			return lockErr
		}
		lock, lockErr = lockOutDir(ctx, outDir, func() {
			prog.note("waiting for another build into %s to finish…", rel(outDir))
		})
		if lockErr != nil {
			return lockErr
		}
		if done, err := finishCommit(outDir); err != nil {
			lockErr = err
			return err
		} else if len(done) > 0 {
			prog.note("finished putting in place the books of a build that was killed meanwhile: %s", strings.Join(done, ", "))
		}
		stale, err := removeStale(outDir)
		if len(stale) > 0 {
			prog.note("removed %s left by a build that was killed: %s", plural(len(stale), "stale temporary file"), strings.Join(stale, ", "))
		}
		lockErr = err
		return err
	}
	defer func() {
		if lock != nil {
			lock.unlock()
		}
	}()

	held := make([]string, len(p.arts)) // the books' lines, with --strict
	reports := p.layOut(ctx, outDir, prog, func(int) (io.Writer, func() []byte) {
		var buf bytes.Buffer
		return &buf, buf.Bytes
	}, func(i int, r *artifactReport, data []byte) {
		if r.err == nil {
			sum := sha256.Sum256(data)
			r.SHA256 = hex.EncodeToString(sum[:])
			if r.err = acquire(); r.err == nil {
				r.tmp, r.err = stage(r.Path, data)
			}
		}
		line := ""
		if r.err == nil {
			detail := plural(r.Chapters, "chapter")
			if r.Format == "pdf" {
				detail = plural(r.Pages, "page")
				if len(r.Signatures) > 0 {
					detail += ", " + plural(len(r.Signatures), "signature")
				}
				if r.QRCodes > 0 {
					detail += ", " + plural(r.QRCodes, "QR code")
				}
			}
			line = fmt.Sprintf("%-*s %9s  %-36s %6d ms", width, rel(r.Path), humanSize(r.Bytes), detail, r.Millis)
		}
		if f.strict {
			// A warning may yet stop a strict build: its lines wait
			// until the books are in place, so that none names a book
			// that is then not written.
			held[i], line = line, ""
		}
		prog.finish(filepath.Base(r.Path), line, r.Pages)
	})
	prog.close()

	var warnings diag.Diagnostics
	for _, r := range reports {
		warnings = append(warnings, r.diags...)
	}
	warnings = dedupe(warnings)
	if !f.json {
		printDiags(stderr, warnings, f.quiet)
	}
	failed := 0
	for _, r := range reports {
		if r.err != nil && !errors.Is(r.err, context.Canceled) {
			fmt.Fprintf(stderr, "handbook: %s: %v\n", rel(r.Path), r.err)
			failed++
		}
	}
	discard := func() {
		for _, r := range reports {
			if r.tmp != "" {
				os.Remove(r.tmp)
			}
		}
	}
	switch {
	case ctx.Err() != nil:
		discard()
		fmt.Fprintln(stderr, "handbook: interrupted: previous books left as they were")
		return res, exitError{1}
	case failed > 0:
		discard()
		res.errors = failed
		if !watching {
			fmt.Fprintf(stderr, "handbook: build failed: %s not made; previous books left as they were\n", plural(failed, "book"))
		}
		return res, exitError{1}
	case f.strict && len(warnings) > 0:
		discard()
		res.errors = len(warnings)
		fmt.Fprintf(stderr, "handbook: --strict: %s from the backends: no books written; previous books left as they were\n", plural(len(warnings), "warning"))
		return res, exitError{1}
	}

	// Every book is made and staged: put them in place, with SHA256SUMS
	// for exactly the books the directory then holds.
	if err := acquire(); err != nil {
		discard()
		return res, err
	}
	var drop []string
	if f.clean {
		if drop, err = otherVersions(outDir, p.book); err != nil {
			discard()
			return res, err
		}
	}
	staged := append([]artifactReport(nil), reports...)
	sums := filepath.Join(outDir, "SHA256SUMS")
	if f.checksums {
		tmp, err := stageChecksums(outDir, reports, drop)
		if err != nil {
			discard()
			return res, fmt.Errorf("SHA256SUMS: %w", err)
		}
		staged = append(staged, artifactReport{Path: sums, tmp: tmp})
	}
	if err := commit(outDir, staged); err != nil {
		return res, err
	}
	if !f.checksums {
		// The books just written would make an older SHA256SUMS lie.
		if err := os.Remove(sums); err == nil {
			prog.note("removed %s: it no longer matches the books (--checksums=false)", rel(sums))
		}
	}
	for _, name := range drop {
		if err := os.Remove(filepath.Join(outDir, name)); err != nil {
			return res, err
		}
		prog.note("removed %s (another version)", rel(filepath.Join(outDir, name)))
	}
	if !f.clean {
		if other, _ := otherVersions(outDir, p.book); len(other) > 0 {
			prog.note("%s also holds %s of other versions (%s); handbook clean %s, or build --clean, removes them",
				rel(outDir), plural(len(other), "book"), strings.Join(other, ", "), rel(outDir))
		}
	}
	res.books = len(reports)
	total := time.Since(start)
	switch {
	case f.json:
		writeBuildJSON(stdout, reports, append(append(diag.Diagnostics(nil), p.diags...), warnings...), total)
	case !f.quiet && !watching:
		for _, line := range held {
			if line != "" {
				fmt.Fprintln(stdout, line)
			}
		}
		size := 0
		for _, r := range reports {
			size += r.Bytes
		}
		if f.checksums {
			fmt.Fprintf(stdout, "%s\n", rel(sums))
		}
		fmt.Fprintf(stdout, "built %s, %s, in %s\n", plural(len(reports), "book"), humanSize(size), humanDuration(total))
	}
	return res, nil
}

// memoryLimit is the default soft memory limit of a build of bk
// (GOMEMLIMIT overrides it): 256 MiB and 400 bytes a word of the book,
// at most 768 MiB. A book's live heap peaks at about 50 bytes a byte of
// its text (about 8 bytes a word) while a PDF is drawn, so the limit
// leaves the collector room, and a build of anything within the source's
// limits (8 MiB of text) stays under 1 GiB of memory. The real handbook
// needs about 120 MiB and never meets it.
func memoryLimit(bk *tree.Book) int64 {
	return min(768<<20, 256<<20+400*int64(compile.Count(bk).Words))
}

// writeBuildJSON prints the --json report.
func writeBuildJSON(w io.Writer, arts []artifactReport, diags diag.Diagnostics, total time.Duration) {
	out := struct {
		Artifacts   []artifactReport `json:"artifacts"`
		Diagnostics []jsonDiagnostic `json:"diagnostics"`
		Millis      int64            `json:"ms"`
	}{Artifacts: arts, Diagnostics: toJSON(diags), Millis: total.Milliseconds()}
	if out.Artifacts == nil {
		out.Artifacts = []artifactReport{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}

// printDiags prints diagnostics one per line; with quiet, only errors.
func printDiags(w io.Writer, diags diag.Diagnostics, quiet bool) {
	for _, d := range diags {
		if !quiet || d.Severity == diag.Error {
			fmt.Fprintln(w, d.String())
		}
	}
}

// buildDate is the date stamped into the books: SOURCE_DATE_EPOCH when set,
// else the time of the source's last git commit, else the newest source
// file's modification time, else the handbook's version date.
func buildDate(src source, bk *tree.Book) time.Time {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0).UTC()
		}
	}
	if src.dir != "" {
		if out, ok := git(src, "log", "-1", "--format=%ct"); ok {
			if n, err := strconv.ParseInt(out, 10, 64); err == nil {
				return time.Unix(n, 0).UTC()
			}
		}
		var newest time.Time
		fs.WalkDir(src.fsys, ".", func(p string, d fs.DirEntry, err error) error {
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

// checkOutDir refuses an output directory inside the source's _includes/
// (a book there would be read back as an include).
func checkOutDir(src source, out string) error {
	if src.dir == "" {
		return nil
	}
	inc := filepath.Join(src.dir, "_includes")
	if r, err := filepath.Rel(inc, out); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return usageError{err: fmt.Errorf("--out %s is inside the source's _includes/", out)}
	}
	return nil
}
func rel(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
	}
	return p
}
