package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/genai-handbook/handbook/compile/pipeline"
	"github.com/genai-handbook/handbook/content/diag"
)

func newBuild(stdout, stderr io.Writer) *cobra.Command {
	f := defaultBuildFlags()
	cmd := &cobra.Command{
		Use:   "build [DIR]",
		Short: "Build the books: EPUB, Kobo edition and PDF",
		Long: `build compiles the handbook in DIR (default: the current directory) and
writes its books into the output directory (-o, default dist):
  <slug>-<version>.epub           the EPUB 3 book for e-readers
  <slug>-<version>.kepub.epub     the same book for Kobo readers (KEPUB)
  <slug>-<version>.pdf            the PDF for screens, A4 (-letter, -a5 for other papers)
  <slug>-<version>-print.pdf      the print edition (link notes with QR codes)
  SHA256SUMS                      checksums of every book in the directory (sha256sum -c SHA256SUMS)
  CHANGES.md                      what is new since the earlier release (--since), as release notes

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
  SOURCE_DATE_EPOCH=1717545600 handbook build --json
  handbook build --since v0.1                      # "What's new since v0.1" in the books, and CHANGES.md`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeDirs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := newPlan("build", f, cmd.Flags().Changed, args)
			if err != nil {
				return err
			}
			ctx, stop := interruptible()
			defer stop()
			_, err = runBuild(ctx, p, stdout, stderr, false)
			return err
		},
	}
	fl := cmd.Flags()
	f.source.add(cmd, true)
	addBookFlags(cmd, &f)
	fl.StringVar(&f.set.PageSource, "page-source", f.set.PageSource, "the print edition whose page numbers the EPUB carries: a4, letter, a5 or none (default: the print paper)")
	fl.BoolVar(&f.set.Simplex, "simplex", false, "lay the print edition out for one-sided printing")
	fl.BoolVar(&f.set.Booklet, "booklet", false, "also write the print edition as an A5 booklet imposed on A4 sheets (an untagged PDF, unlike the others: its page order is not the reading order)")
	fl.IntVar(&f.set.SignatureSheets, "signature-sheets", 0, "the booklet's most sheets per signature (folded and stapled together); 0 means 8")
	fl.Float64Var(&f.set.Creep, "creep", 0, "the booklet's creep compensation in mm per sheet (the paper's thickness); 0 means 0.1, negative means none")
	fl.StringVar(&f.cover, "cover", "", "cover image (PNG or JPEG, portrait, at least 1000 px high) inside the source tree, instead of the generated cover")
	fl.BoolVar(&f.strict, "strict", false, "treat warnings as errors: write no book when there is one")
	fl.BoolVar(&f.checksums, "checksums", true, "write SHA256SUMS beside the books")
	fl.BoolVar(&f.clean, "clean", false, "remove the handbook's books of other versions from the output directory")
	fl.StringVar(&f.versionOverride, "version-override", "", "version for file names and metadata instead of the version line or git tag")
	fl.StringVar(&f.since, "since", "", "the earlier release the \"What's new\" page and CHANGES.md compare with: a tag or commit, a source directory, or none (default: the nearest earlier release tag)")
	fl.BoolVar(&f.json, "json", false, "print a JSON report instead of text")
	cmd.MarkFlagFilename("cover", "png", "jpg", "jpeg", "gif")
	cmd.RegisterFlagCompletionFunc("version-override", cobra.NoFileCompletions)
	return cmd
}

// addBookFlags adds the flags build and watch share, which choose the
// books and where they go, with the completion of their values.
func addBookFlags(cmd *cobra.Command, f *buildFlags) {
	fl := cmd.Flags()
	fl.StringVarP(&f.out, "out", "o", f.out, "output directory")
	fl.StringSliceVar(&f.formats, "format", f.formats, "formats to build: "+strings.Join(pipeline.FormatNames(), ", "))
	fl.StringSliceVar(&f.set.Papers, "paper", f.set.Papers, "screen PDF paper sizes: a4, letter, a5")
	fl.StringSliceVar(&f.set.Editions, "edition", f.set.Editions, "PDF editions: screen (clickable links), print (link notes with QR codes, page references, study plan)")
	fl.StringVar(&f.set.PrintPaper, "print-paper", f.set.PrintPaper, "paper of the print edition: a4, letter, a5")
	fl.BoolVar(&f.embedFonts, "embed-fonts", false, "embed the fonts in the EPUB")
	fl.BoolVar(&f.quiet, "quiet", false, "print nothing but errors")
	cmd.RegisterFlagCompletionFunc("format", completeList(pipeline.FormatNames()...))
	cmd.RegisterFlagCompletionFunc("paper", completeList(pipeline.Papers...))
	cmd.RegisterFlagCompletionFunc("edition", completeList(pipeline.Editions...))
	cmd.RegisterFlagCompletionFunc("print-paper", completeOne(pipeline.Papers...))
	cmd.MarkFlagDirname("out")
}

// buildResult sums up a build for watch.
type buildResult struct {
	books  int // books written
	errors int // errors that stopped the build
}

// runBuild has the pipeline lay out the plan's books and, when every one
// was made (and, with --strict, without a warning), put them and
// SHA256SUMS in place together, printing each book's line as it is done.
// In watch mode the books' lines and the summary are left to the caller.
func runBuild(ctx context.Context, p *plan, stdout, stderr io.Writer, watching bool) (buildResult, error) {
	f := p.f
	start := time.Now()
	var res buildResult
	quiet := f.quiet || f.json
	if !f.json {
		p.diags.Print(stderr, f.quiet)
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
	var out io.Writer = stdout
	if quiet || watching {
		out = nil
	}
	prog := newProgress(out, stderr, "building", len(p.books), quiet)
	defer prog.close()
	width := 0
	for _, b := range p.books {
		width = max(width, len(rel(filepath.Join(outDir, b.FileName(p.book)))))
	}
	prog.line = func(r *pipeline.BookReport, took time.Duration) string {
		if r.Err != nil {
			return ""
		}
		return fmt.Sprintf("%-*s %9s  %-36s %6d ms", width, rel(r.Path), humanSize(r.Bytes), r.Summary(), took.Milliseconds())
	}
	// A warning may yet stop a strict build: its lines wait until the
	// books are in place, so that none names a book that is then not
	// written.
	prog.hold = f.strict
	rep, err := pipeline.Build(ctx, p.book, p.options(outDir, prog))
	prog.close()
	if !f.json {
		rep.Diagnostics.Print(stderr, f.quiet)
	}
	for _, r := range rep.Books {
		if r.Err != nil && !errors.Is(r.Err, context.Canceled) {
			fmt.Fprintf(stderr, "handbook: %s: %v\n", rel(r.Path), r.Err)
		}
	}
	switch {
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "handbook: interrupted: previous books left as they were")
		return res, exitError{1}
	case errors.Is(err, pipeline.ErrFailed):
		res.errors = rep.Failed()
		if !watching {
			fmt.Fprintf(stderr, "handbook: build failed: %s not made; previous books left as they were\n", plural(res.errors, "book"))
		}
		return res, exitError{1}
	case errors.Is(err, pipeline.ErrStrict):
		res.errors = len(rep.Diagnostics)
		fmt.Fprintf(stderr, "handbook: --strict: %s from the backends: no books written; previous books left as they were\n", plural(len(rep.Diagnostics), "warning"))
		return res, exitError{1}
	case pipeline.IsUsage(err):
		return res, usageError{err: err}
	case err != nil:
		return res, err
	}
	res.books = len(rep.Books)
	total := time.Since(start)
	switch {
	case f.json:
		writeBuildJSON(stdout, rep.Books, append(append(diag.Diagnostics(nil), p.diags...), rep.Diagnostics...), total)
	case !f.quiet && !watching:
		for _, line := range prog.held {
			fmt.Fprintln(stdout, line)
		}
		size := 0
		for _, r := range rep.Books {
			size += r.Bytes
		}
		if rep.Sums != "" {
			fmt.Fprintf(stdout, "%s\n", rel(rep.Sums))
		}
		fmt.Fprintf(stdout, "built %s, %s, in %s\n", plural(len(rep.Books), "book"), humanSize(size), humanDuration(total))
	}
	return res, nil
}

// writeBuildJSON prints the --json report.
func writeBuildJSON(w io.Writer, arts []*pipeline.BookReport, diags diag.Diagnostics, total time.Duration) {
	out := struct {
		Artifacts   []*pipeline.BookReport `json:"artifacts"`
		Diagnostics []diag.JSON            `json:"diagnostics"`
		Millis      int64                  `json:"ms"`
	}{Artifacts: append([]*pipeline.BookReport{}, arts...), Diagnostics: diags.JSON(), Millis: total.Milliseconds()} // [], never null
	writeJSON(w, out)
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// rel returns p relative to the working directory when it is inside it.
func rel(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
	}
	return p
}
