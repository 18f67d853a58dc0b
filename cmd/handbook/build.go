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
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/epub"
	"github.com/genai-handbook/handbook/pdf"
)

// buildFlags are the options of `handbook build`.
type buildFlags struct {
	source          string
	out             string
	formats         []string
	papers          []string
	editions        []string
	printPaper      string
	simplex         bool
	booklet         bool
	cover           string
	embedFonts      bool
	strict          bool
	checksums       bool
	versionOverride string
	json            bool
	quiet           bool
}

func newBuild(stdout, stderr io.Writer) *cobra.Command {
	var f buildFlags
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the books: EPUB and PDF",
		Long: `build compiles the handbook and writes its books into --out:
  <slug>-<version>.epub           the EPUB 3 book for e-readers
  <slug>-<version>.pdf            the PDF for screens, A4 (-letter, -a5 for other papers)
  SHA256SUMS                      checksums of the books (sha256sum -c SHA256SUMS)

Each book is written to a temporary file in the output directory and renamed
into place, so a failed or interrupted build never leaves a partial book and
never destroys the previous one. Dates come from SOURCE_DATE_EPOCH, else the
source's last commit or change: the same source gives byte-identical books.

Settings may also come from handbook.yml in the source root; flags win.`,
		Example: `  handbook build                                   # the bundled example, into dist/
  handbook build --source ../genai-handbook.github.io --out dist
  handbook build --format pdf --paper a4,letter,a5
  SOURCE_DATE_EPOCH=1717545600 handbook build --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBuild(cmd.Flags().Changed, f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.source, "source", "", "handbook source directory (default: current directory if it has index.md, else the bundled example)")
	fl.StringVar(&f.out, "out", "dist", "output directory")
	fl.StringSliceVar(&f.formats, "format", []string{"epub", "pdf"}, "formats to build: epub, pdf")
	fl.StringSliceVar(&f.papers, "paper", []string{"a4", "letter"}, "screen PDF paper sizes: a4, letter, a5")
	fl.StringSliceVar(&f.editions, "edition", []string{"screen", "print"}, "PDF editions: screen (clickable links), print (link notes with QR codes, page references, study plan)")
	fl.StringVar(&f.printPaper, "print-paper", "a4", "paper of the print edition: a4, letter, a5")
	fl.BoolVar(&f.simplex, "simplex", false, "lay the print edition out for one-sided printing")
	fl.BoolVar(&f.booklet, "booklet", false, "also write the print edition as an A5 booklet imposed on A4 sheets")
	fl.StringVar(&f.cover, "cover", "", "cover image (PNG or JPEG) inside the source tree, instead of the generated cover")
	fl.BoolVar(&f.embedFonts, "embed-fonts", false, "embed the fonts in the EPUB")
	fl.BoolVar(&f.strict, "strict", false, "treat warnings as errors")
	fl.BoolVar(&f.checksums, "checksums", true, "write SHA256SUMS beside the books")
	fl.StringVar(&f.versionOverride, "version-override", "", "version for file names and metadata instead of the version line or git tag")
	fl.BoolVar(&f.json, "json", false, "print a JSON report instead of text")
	fl.BoolVar(&f.quiet, "quiet", false, "print nothing but errors")
	return cmd
}

// artifact is one book to write.
type artifact struct {
	kind string      // "epub" or "pdf"
	pdf  pdf.Options // for kind "pdf": paper and edition
}

// artifactReport is one written book, as printed (and as --json shows it).
type artifactReport struct {
	Path     string `json:"path"`
	Format   string `json:"format"`
	Paper    string `json:"paper,omitempty"`
	Edition  string `json:"edition,omitempty"`
	Bytes    int    `json:"bytes"`
	Pages    int    `json:"pages,omitempty"`
	Chapters int    `json:"chapters,omitempty"`
	Millis   int64  `json:"ms"`
	SHA256   string `json:"sha256"`
	tmp      string // the staged temporary file, renamed into place on success
	err      error
	diags    diag.Diagnostics
}

// workers is how many books are made at once: one per core, since each is
// CPU-bound; and one at a time for a very large handbook, whose books each
// need hundreds of megabytes while they are being made, so that peak memory
// stays that of one book rather than the sum of all.
func workers(bk *tree.Book) int {
	if compile.Count(bk).Words > bigBookWords {
		return 1
	}
	return max(1, runtime.GOMAXPROCS(0))
}

// memoryLimit is the default soft memory limit of a build (GOMEMLIMIT
// overrides it).
const memoryLimit = 900 << 20

// bigBookWords is about thirty times the real handbook (11,500 words).
const bigBookWords = 350_000

// longestFirst orders the artifacts to start the slowest first (the print
// edition typesets the book several times, then the screen PDFs, then the
// EPUB), so that the last one to finish is a short one.
func longestFirst(arts []artifact) []int {
	cost := func(a artifact) int {
		switch {
		case a.kind == "epub":
			return 0
		case a.pdf.Edition == "print":
			return 2
		}
		return 1
	}
	order := make([]int, len(arts))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return cost(arts[order[x]]) > cost(arts[order[y]]) })
	return order
}

// artifacts lists the books the flags ask for: the EPUB; the screen PDF on
// each paper; the print edition on its paper; the booklet.
func artifacts(f buildFlags) ([]artifact, error) {
	paper := func(p string) (string, error) {
		p = strings.ToLower(strings.TrimSpace(p))
		if p != "a4" && p != "letter" && p != "a5" {
			return "", usageError{fmt.Errorf("paper %q: want a4, letter or a5", p)}
		}
		return p, nil
	}
	editions := map[string]bool{}
	for _, e := range f.editions {
		e = strings.ToLower(strings.TrimSpace(e))
		if e != "screen" && e != "print" {
			return nil, usageError{fmt.Errorf("edition %q: want screen or print", e)}
		}
		editions[e] = true
	}
	var arts []artifact
	for _, format := range f.formats {
		switch strings.ToLower(strings.TrimSpace(format)) {
		case "epub":
			arts = append(arts, artifact{kind: "epub"})
		case "pdf":
			if editions["screen"] {
				for _, p := range f.papers {
					p, err := paper(p)
					if err != nil {
						return nil, err
					}
					arts = append(arts, artifact{kind: "pdf", pdf: pdf.Options{Paper: p, Edition: "screen"}})
				}
			}
			if editions["print"] {
				p, err := paper(f.printPaper)
				if err != nil {
					return nil, err
				}
				arts = append(arts, artifact{kind: "pdf", pdf: pdf.Options{Paper: p, Edition: "print", Simplex: f.simplex}})
			}
			if f.booklet {
				arts = append(arts, artifact{kind: "pdf", pdf: pdf.Options{Paper: "a5", Edition: "print", Booklet: true}})
			}
		default:
			return nil, usageError{fmt.Errorf("format %q: want epub or pdf", format)}
		}
	}
	return arts, nil
}

// applyConfig fills what flags left unset from handbook.yml.
func applyConfig(changed func(string) bool, f *buildFlags, cfg fileConfig) {
	if !changed("paper") && len(cfg.Paper) > 0 {
		f.papers = cfg.Paper
	}
	if !changed("format") && len(cfg.Formats) > 0 {
		f.formats = cfg.Formats
	}
	if !changed("edition") && len(cfg.Editions) > 0 {
		f.editions = cfg.Editions
	}
	if !changed("booklet") && cfg.Booklet {
		f.booklet = true
	}
	if !changed("out") && cfg.Out != "" {
		f.out = cfg.Out
	}
	if !changed("cover") && cfg.Cover != "" && f.source != "" {
		f.cover = filepath.Join(f.source, filepath.FromSlash(cfg.Cover))
	}
	if !changed("embed-fonts") && cfg.EmbedFonts {
		f.embedFonts = true
	}
	if !changed("version-override") && cfg.Version != "" {
		f.versionOverride = cfg.Version
	}
}

func runBuild(changed func(string) bool, f buildFlags, stdout, stderr io.Writer) error {
	src, err := openSource(f.source, stderr)
	if err != nil {
		return err
	}
	if f.source == "" && src.dir != "" {
		f.source = src.dir
	}
	cfg, cdiags := loadConfig(src.fsys)
	if len(cdiags) > 0 {
		printDiags(stderr, cdiags)
		return exitError{1}
	}
	applyConfig(changed, &f, cfg)
	arts, err := artifacts(f)
	if err != nil {
		return err
	}
	if len(arts) == 0 {
		return usageError{errors.New("nothing to build: --format is empty")}
	}
	outDir, err := filepath.Abs(f.out)
	if err != nil {
		return err
	}
	if err := checkOutDir(src, outDir); err != nil {
		return err
	}
	var cover []byte
	if f.cover != "" {
		if cover, err = readCover(src, f.cover); err != nil {
			return err
		}
	}
	set, err := loadFonts(src, cfg.Fonts)
	if err != nil {
		return err
	}

	start := time.Now()
	bk, diags := compile.Load(src.fsys, compile.Options{
		Subtitle: cfg.Subtitle, Language: cfg.Language, Identifier: cfg.Identifier,
		Slug: cfg.Name, AuthorSort: cfg.AuthorSort, Version: f.versionOverride,
	})
	if bk != nil && f.versionOverride == "" {
		if tag := gitTag(src); tag != "" && tag != bk.Meta.Version {
			diags.Warnf(diag.Pos{File: "index.md"}, "git tag %s differs from the version line %s: using the tag", diag.Quote(tag), diag.Quote(bk.Meta.Version))
			bk.Meta.Version = tag
		}
	}
	if !f.json {
		printDiags(stderr, diags)
	}
	if bk == nil || diags.HasErrors() {
		if f.json {
			writeBuildJSON(stdout, nil, diags, time.Since(start))
		}
		return exitError{1}
	}
	if f.strict && len(diags) > 0 {
		fmt.Fprintln(stderr, "handbook: warnings with --strict: no books written")
		return exitError{1}
	}
	date := buildDate(src, bk)
	gen := "handbook " + version
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit makes the collector work harder only when a very
		// large handbook nears it; measured on a handbook 100 times the
		// real one, it keeps a build under 1 GiB for a few per cent of time.
		debug.SetMemoryLimit(memoryLimit)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	for _, a := range arts {
		name := epub.Filename(bk)
		if a.kind == "pdf" {
			name = pdf.Filename(bk, a.pdf)
		}
		if err := checkNotSource(src, bk, filepath.Join(outDir, name)); err != nil {
			return err
		}
	}

	prog := newProgress(stderr, len(arts), f.quiet || f.json)
	reports := make([]artifactReport, len(arts))
	var wg sync.WaitGroup
	slots := make(chan struct{}, workers(bk))
	for _, i := range longestFirst(arts) {
		a := arts[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			t0 := time.Now()
			var buf bytes.Buffer
			r := artifactReport{Format: a.kind, Paper: a.pdf.Paper, Edition: a.pdf.Edition}
			switch a.kind {
			case "epub":
				r.Path = filepath.Join(outDir, epub.Filename(bk))
				r.err = epub.Write(&buf, bk, epub.Options{Modified: date, Generator: gen, Cover: cover, EmbedFonts: f.embedFonts, Fonts: set})
				r.Chapters = compile.Count(bk).Chapters
			case "pdf":
				opt := a.pdf
				opt.Created, opt.Generator, opt.Fonts = date, gen, set
				r.Path = filepath.Join(outDir, pdf.Filename(bk, opt))
				res, err := pdf.Write(&buf, bk, opt)
				r.err, r.diags, r.Pages = err, res.Diagnostics, res.Pages
			}
			if r.err == nil {
				r.tmp, r.err = stage(r.Path, buf.Bytes())
			}
			sum := sha256.Sum256(buf.Bytes())
			r.SHA256 = hex.EncodeToString(sum[:])
			r.Bytes = buf.Len()
			r.Millis = time.Since(t0).Milliseconds()
			reports[i] = r
			prog.done()
		}()
	}
	wg.Wait()
	prog.finish()

	failed := false
	var warnings diag.Diagnostics
	var written []artifactReport
	for _, r := range reports {
		warnings = append(warnings, r.diags...)
	}
	warnings = dedupe(warnings)
	if !f.json {
		printDiags(stderr, warnings)
	}
	for _, r := range reports {
		if r.err != nil {
			fmt.Fprintf(stderr, "handbook: %s: %v\n", rel(r.Path), r.err)
			failed = true
			continue
		}
		written = append(written, r)
	}
	// All books or none: the staged files replace the previous books only
	// when every book was made and the build was not interrupted, so the
	// output directory never mixes books (and SHA256SUMS) of two builds.
	staged := append([]artifactReport(nil), reports...)
	if !failed && ctx.Err() == nil && f.checksums {
		if tmp, err := stageChecksums(outDir, written); err != nil {
			fmt.Fprintf(stderr, "handbook: SHA256SUMS: %v\n", err)
			failed = true
		} else {
			staged = append(staged, artifactReport{Path: filepath.Join(outDir, "SHA256SUMS"), tmp: tmp})
		}
	}
	if failed || ctx.Err() != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "handbook: interrupted: previous books left as they were")
		}
		for _, r := range staged {
			if r.tmp != "" {
				os.Remove(r.tmp)
			}
		}
		return exitError{1}
	}
	if err := commit(outDir, staged); err != nil {
		return err
	}
	total := time.Since(start)
	switch {
	case f.json:
		writeBuildJSON(stdout, written, append(diags, warnings...), total)
	case !f.quiet:
		var size, width int
		for _, r := range written {
			width = max(width, len(rel(r.Path)))
		}
		for _, r := range written {
			detail := fmt.Sprintf("%d chapters", r.Chapters)
			if r.Format == "pdf" {
				detail = fmt.Sprintf("%d pages", r.Pages)
			}
			fmt.Fprintf(stdout, "%-*s %9s  %-12s %6d ms\n", width, rel(r.Path), humanSize(r.Bytes), detail, r.Millis)
			size += r.Bytes
		}
		if f.checksums && !failed {
			fmt.Fprintf(stdout, "%s\n", rel(filepath.Join(outDir, "SHA256SUMS")))
		}
		fmt.Fprintf(stdout, "built %d books, %s, in %d ms\n", len(written), humanSize(size), total.Milliseconds())
	}
	if f.strict && len(warnings) > 0 {
		return exitError{1}
	}
	return nil
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

// progress shows "building 2/4…" on a terminal; it is silent in CI logs,
// with --quiet or --json, and when stderr is not a terminal.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	total int
	n     int
	on    bool
}

func newProgress(w io.Writer, total int, silent bool) *progress {
	p := &progress{w: w, total: total}
	if f, ok := w.(*os.File); ok && !silent && os.Getenv("CI") == "" {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
			fmt.Fprintf(w, "\rbuilding 0/%d books…", total)
		}
	}
	return p
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if p.on {
		fmt.Fprintf(p.w, "\rbuilding %d/%d books…", p.n, p.total)
	}
}

func (p *progress) finish() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func printDiags(w io.Writer, diags diag.Diagnostics) {
	for _, d := range diags {
		fmt.Fprintln(w, d.String())
	}
}

// dedupe drops repeated diagnostics (each PDF paper size reports the same
// missing glyphs).
func dedupe(ds diag.Diagnostics) diag.Diagnostics {
	ds.Sort()
	var out diag.Diagnostics
	for i, d := range ds {
		if i > 0 && d.String() == ds[i-1].String() {
			continue
		}
		out = append(out, d)
	}
	return out
}

// stage writes data to a new temporary file beside path and syncs it, so
// that renaming it over path later replaces the old file in one step: a
// reader sees the old book or the new one, never a partial file.
func stage(path string, data []byte) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// commit renames every staged file into place and syncs the directory.
func commit(dir string, staged []artifactReport) error {
	for _, r := range staged {
		if err := os.Rename(r.tmp, r.Path); err != nil {
			for _, x := range staged {
				os.Remove(x.tmp)
			}
			return err
		}
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the renames durable; not all file systems support it
		d.Close()
	}
	return nil
}

// stageChecksums stages SHA256SUMS in the format `sha256sum -c` reads.
func stageChecksums(dir string, arts []artifactReport) (string, error) {
	sorted := append([]artifactReport(nil), arts...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	var sb strings.Builder
	for _, a := range sorted {
		fmt.Fprintf(&sb, "%s  %s\n", a.SHA256, filepath.Base(a.Path))
	}
	return stage(filepath.Join(dir, "SHA256SUMS"), []byte(sb.String()))
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
		return usageError{fmt.Errorf("--out %s is inside the source's _includes/", out)}
	}
	return nil
}

// readCover reads --cover, which must lie inside the source tree.
func readCover(src source, name string) ([]byte, error) {
	if src.dir == "" {
		return os.ReadFile(name)
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, usageError{fmt.Errorf("--cover %s: %w", name, err)}
	}
	root, err := filepath.EvalSymlinks(src.dir)
	if err != nil {
		return nil, err
	}
	r, err := filepath.Rel(root, real)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return nil, usageError{fmt.Errorf("--cover %s is outside the source tree: refused", name)}
	}
	return os.ReadFile(real)
}

func rel(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
	}
	return p
}

func humanSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
