package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // cover formats the EPUB accepts
	_ "image/jpeg"
	_ "image/png"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/epub"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf"
	"github.com/genai-handbook/handbook/pdf/typeset"
)

// buildFlags are the options of `handbook build`; `check` and `watch` use
// the same, at their defaults or as handbook.yml sets them.
type buildFlags struct {
	source          sourceFlags
	out             string
	formats         []string
	papers          []string
	editions        []string
	printPaper      string
	pageSource      string // the EPUB's page numbers: "a4", "letter", "a5", "none"; "": the print paper
	simplex         bool
	booklet         bool
	signatureSheets int
	creep           float64
	cover           string
	embedFonts      bool
	strict          bool
	checksums       bool
	clean           bool
	versionOverride string
	json            bool
	quiet           bool
}

// defaultBuildFlags are the flags' defaults: every book (the EPUB, the
// screen PDF on A4 and Letter, the print edition on A4) into dist/.
func defaultBuildFlags() buildFlags {
	return buildFlags{
		out:        "dist",
		formats:    []string{"epub", "pdf"},
		papers:     []string{"a4", "letter"},
		editions:   []string{"screen", "print"},
		printPaper: "a4",
		checksums:  true,
	}
}

// artifact is one book to write.
type artifact struct {
	kind string // "epub" or "pdf"
	// pages is, for the EPUB, the paper of the print edition whose page
	// numbers it carries; "" for none.
	pages string
	pdf   pdf.Options // for kind "pdf": paper and edition
}

// plan is a build resolved from the source, handbook.yml and the flags:
// everything `build` does before it lays out a book, and so everything
// `check` does before it lays the same books out into io.Discard.
type plan struct {
	src    source
	f      buildFlags // the flags, with handbook.yml's settings where no flag was given
	cfg    fileConfig
	arts   []artifact
	book   *tree.Book       // nil when diags has errors
	diags  diag.Diagnostics // handbook.yml, the cover, the compiler, the git tag; sorted
	unused []string         // flags given that have no effect on the books asked for
	cover  []byte
	fonts  *fonts.Set
	date   time.Time // stamped into the books
	gen    string    // the books' generator: "handbook v1.2.3"
}

// newPlan resolves a build for command name. A bad command line is an
// error (a usageError); problems in handbook.yml, the cover or the source
// are diagnostics in the plan, whose book is nil when they are errors.
func newPlan(name string, f buildFlags, changed func(string) bool, args []string) (*plan, error) {
	src, err := openSource(name, f.source, args)
	if err != nil {
		return nil, err
	}
	p := &plan{src: src, f: f, gen: "handbook " + toolVersion()}
	cfg, diags := loadConfig(src.fsys)
	p.cfg, p.diags = cfg, diags
	if diags.HasErrors() {
		return p, nil
	}
	coverFromConfig := applyConfig(changed, &f, cfg, src)
	p.f = f
	if name == "build" || name == "watch" {
		// Before anything is compiled: an output directory that cannot
		// be written is one error, found at once, not one per book after
		// the whole book was made.
		if err := checkWritable(f.out); err != nil {
			return nil, failure{err}
		}
	}
	if p.arts, err = artifacts(f); err != nil {
		return nil, err
	}
	if len(p.arts) == 0 {
		return nil, usageError{err: fmt.Errorf("nothing to build: --format is empty")}
	}
	p.unused = unusedFlags(f, changed)
	p.diags = append(p.diags, unusedSettings(f, cfg, changed)...)

	if f.cover != "" {
		var at diag.Pos
		if coverFromConfig {
			p.cover, at, err = readConfigFile(src, cfg.Cover, maxCoverSize)
			if err != nil {
				p.diags.Errorf(cfg.at("cover"), "cover: %v", err)
			}
		} else if p.cover, at, err = readCover(src, f.cover); err != nil {
			return nil, err
		}
		if err == nil {
			checkCover(&p.diags, at, p.cover)
		}
	}
	p.fonts = loadFonts(src, cfg, &p.diags)
	if p.diags.HasErrors() {
		p.diags.Sort()
		return p, nil
	}

	bk, more := compile.Load(src.fsys, compile.Options{
		Subtitle: cfg.Subtitle, Language: cfg.Language, Identifier: cfg.Identifier,
		Slug: cfg.Name, AuthorSort: cfg.AuthorSort, Version: f.versionOverride,
	})
	p.diags = append(p.diags, more...)
	if bk != nil && f.versionOverride == "" {
		applyGitTag(src, bk, &p.diags)
	}
	p.diags.Sort()
	if bk == nil || p.diags.HasErrors() {
		return p, nil
	}
	p.book = bk
	p.date = buildDate(src, bk)
	return p, nil
}

// checkWritable reports an output directory that a build could not write
// its books into: one under a file, or in a directory where a file cannot
// be made (permissions, a read-only file system). The directory itself
// need not exist yet; its nearest existing ancestor is tried, with a
// temporary file made and removed at once.
func checkWritable(out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	for p := abs; ; {
		st, err := os.Stat(p)
		switch {
		case err == nil && !st.IsDir():
			return fmt.Errorf("output directory %s: %s is not a directory", out, p)
		case err == nil:
			f, err := os.CreateTemp(p, ".handbook-probe-*")
			if err != nil {
				return fmt.Errorf("output directory %s cannot be written: %v", out, errors.Unwrap(err))
			}
			f.Close()
			os.Remove(f.Name())
			return nil
		case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
			return fmt.Errorf("output directory %s: %v", out, err)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return nil
		}
		p = parent
	}
}

// applyConfig fills what flags left unset from handbook.yml, whose paths
// are relative to the source root. It reports whether the cover came from
// handbook.yml.
func applyConfig(changed func(string) bool, f *buildFlags, cfg fileConfig, src source) (coverFromConfig bool) {
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
		f.out = filepath.FromSlash(cfg.Out)
		if !filepath.IsAbs(f.out) && src.dir != "" {
			f.out = filepath.Join(src.dir, f.out)
		}
	}
	if !changed("cover") && cfg.Cover != "" {
		f.cover = cfg.Cover
		coverFromConfig = true
	}
	if !changed("embed-fonts") && cfg.EmbedFonts {
		f.embedFonts = true
	}
	if !changed("version-override") && cfg.Version != "" {
		f.versionOverride = cfg.Version
	}
	return coverFromConfig
}

// artifacts lists the books the flags ask for: the EPUB; the screen PDF on
// each paper; the print edition on its paper; the booklet.
func artifacts(f buildFlags) ([]artifact, error) {
	paper := func(p string) (string, error) {
		p = strings.ToLower(strings.TrimSpace(p))
		if p != "a4" && p != "letter" && p != "a5" {
			return "", usageError{err: fmt.Errorf("paper %q: want a4, letter or a5", p)}
		}
		return p, nil
	}
	editions := map[string]bool{}
	for _, e := range f.editions {
		e = strings.ToLower(strings.TrimSpace(e))
		if e != "screen" && e != "print" {
			return nil, usageError{err: fmt.Errorf("edition %q: want screen or print", e)}
		}
		editions[e] = true
	}
	var arts []artifact
	for _, format := range f.formats {
		switch strings.ToLower(strings.TrimSpace(format)) {
		case "epub":
			a := artifact{kind: "epub"}
			switch ps := strings.ToLower(strings.TrimSpace(f.pageSource)); ps {
			case "none":
			case "":
				a.pages, _ = paper(f.printPaper)
			default:
				p, err := paper(ps)
				if err != nil {
					return nil, usageError{err: fmt.Errorf("--page-source %q: want a4, letter, a5 or none", ps)}
				}
				a.pages = p
			}
			arts = append(arts, a)
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
				arts = append(arts, artifact{kind: "pdf", pdf: pdf.Options{Paper: "a5", Edition: "print", Booklet: true, SignatureSheets: f.signatureSheets, Creep: f.creep}})
			}
		default:
			return nil, usageError{err: fmt.Errorf("format %q: want epub or pdf", format)}
		}
	}
	return arts, nil
}

// wanted says which kinds of book are asked for, the kinds that options
// act on.
type wanted struct{ epub, pdf, screen, print, booklet bool }

func wants(f buildFlags) wanted {
	var w wanted
	for _, format := range f.formats {
		switch strings.ToLower(strings.TrimSpace(format)) {
		case "epub":
			w.epub = true
		case "pdf":
			w.pdf = true
		}
	}
	for _, e := range f.editions {
		switch strings.ToLower(strings.TrimSpace(e)) {
		case "screen":
			w.screen = w.pdf
		case "print":
			w.print = w.pdf
		}
	}
	w.booklet = w.pdf && f.booklet
	return w
}

// unusedFlags names the flags given on the command line that do nothing
// for the books asked for, such as --paper with --format epub: the user
// meant something that is not going to happen.
func unusedFlags(f buildFlags, changed func(string) bool) []string {
	w := wants(f)
	var out []string
	note := func(flag string, used bool, why string) {
		if changed(flag) && !used {
			out = append(out, fmt.Sprintf("--%s has no effect: %s", flag, why))
		}
	}
	note("paper", w.screen, "no screen PDF is built (it sets the screen edition's papers; see --print-paper)")
	note("print-paper", w.print, "no print edition is built")
	note("simplex", w.print, "no print edition is built (the booklet is always two-sided)")
	note("booklet", w.pdf, "no PDF is built")
	note("signature-sheets", w.booklet, "no booklet is built (see --booklet)")
	note("creep", w.booklet, "no booklet is built (see --booklet)")
	note("embed-fonts", w.epub, "no EPUB is built (the PDFs always embed their fonts)")
	return out
}

// unusedSettings is unusedFlags for handbook.yml's keys, as warnings at the
// key.
func unusedSettings(f buildFlags, cfg fileConfig, changed func(string) bool) diag.Diagnostics {
	w := wants(f)
	var ds diag.Diagnostics
	note := func(key, flag string, set, used bool, why string) {
		if _, ok := cfg.keys[key]; ok && set && !changed(flag) && !used {
			ds.Warnf(cfg.keyAt(key), "%s has no effect: %s", key, why)
		}
	}
	note("paper", "paper", len(cfg.Paper) > 0, w.screen, "no screen PDF is built")
	note("booklet", "booklet", cfg.Booklet, w.pdf, "no PDF is built")
	note("embed_fonts", "embed-fonts", cfg.EmbedFonts, w.epub, "no EPUB is built")
	return ds
}

// coverMinHeight is the height below which a cover looks blurred on an
// e-reader or a store page (the retailers ask for 1600×2560).
const coverMinHeight = 1000

// checkCover warns about a cover image too small or not in portrait
// orientation, and refuses one that is not an image.
func checkCover(diags *diag.Diagnostics, at diag.Pos, data []byte) {
	c, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		diags.Errorf(at, "cover is not a PNG, JPEG or GIF image: %v", err)
		return
	}
	if c.Height < coverMinHeight {
		diags.Warnf(at, "cover is %d×%d px: less than %d px high, it looks blurred on e-readers (1600×2560 is the usual size)", c.Width, c.Height, coverMinHeight)
	}
	if c.Width >= c.Height {
		diags.Warnf(at, "cover is %d×%d px, not portrait: books are taller than wide (1600×2560 is the usual size)", c.Width, c.Height)
	}
}

// Limits on the files handbook.yml and --cover name, checked before they
// are read: a cover is an image like any other (see compile's limits), a
// font file is a few hundred kilobytes (Charis SIL's are 1 MB).
const (
	maxCoverSize int64 = 16 << 20
	maxFontSize  int64 = 32 << 20
)

// readCover reads --cover (relative to the current directory), which must
// lie inside the source tree (with --example: inside the current
// directory). It returns the cover's position: its path relative to that
// root.
func readCover(src source, name string) ([]byte, diag.Pos, error) {
	root, fsys := src.dir, src.fsys
	if root == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, diag.Pos{}, err
		}
		root, fsys = wd, os.DirFS(wd)
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, diag.Pos{}, err
	}
	r, ok := relInside(root, abs)
	if !ok {
		return nil, diag.Pos{}, usageError{err: fmt.Errorf("--cover %s: outside the source tree: refused", name)}
	}
	data, _, err := content.ReadFile(fsys, r, maxCoverSize)
	if err != nil {
		return nil, diag.Pos{}, usageError{err: fmt.Errorf("--cover %s: %s", name, err.(*content.ReadError).Reason())}
	}
	return data, diag.Pos{File: r}, nil
}

// relInside returns abs as a slash path relative to root when it is inside
// root as written, or inside root once both are resolved (a root given
// through a symlink). It does not follow abs itself: content.ReadFile
// resolves what it names hop by hop.
func relInside(root, abs string) (string, bool) {
	inside := func(root, p string) (string, bool) {
		r, err := filepath.Rel(root, p)
		if err != nil || r == "." || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) || filepath.IsAbs(r) {
			return "", false
		}
		return filepath.ToSlash(r), true
	}
	if r, ok := inside(root, abs); ok {
		return r, true
	}
	realRoot, err1 := filepath.EvalSymlinks(root)
	realDir, err2 := filepath.EvalSymlinks(filepath.Dir(abs))
	if err1 != nil || err2 != nil {
		return "", false
	}
	return inside(realRoot, filepath.Join(realDir, filepath.Base(abs)))
}

// readConfigFile reads a file that handbook.yml names, relative to the
// source root, under content.ReadFile's rule (every symlink resolved
// inside the root, a regular file, at most limit bytes).
func readConfigFile(src source, name string, limit int64) ([]byte, diag.Pos, error) {
	name = path.Clean(strings.TrimPrefix(filepath.ToSlash(name), "./"))
	data, real, err := content.ReadFile(src.fsys, name, limit)
	if err != nil {
		return nil, diag.Pos{File: name}, errors.New(err.(*content.ReadError).Reason())
	}
	return data, diag.Pos{File: real}, nil
}

// loadFonts reads the TTF files handbook.yml names (inside the source
// tree); nil means the default Go fonts. Problems are errors at the font's
// line in handbook.yml.
func loadFonts(src source, cfg fileConfig, diags *diag.Diagnostics) *fonts.Set {
	if len(cfg.Fonts) == 0 {
		return nil
	}
	styles := map[string]fonts.Style{"regular": fonts.Regular, "bold": fonts.Bold, "italic": fonts.Italic,
		"bolditalic": fonts.BoldItalic, "mono": fonts.Mono, "monobold": fonts.MonoBold}
	keys := make([]string, 0, len(cfg.Fonts))
	for k := range cfg.Fonts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ttfs := map[fonts.Style][]byte{}
	bad := false
	for _, key := range keys {
		data, _, err := readConfigFile(src, cfg.Fonts[key], maxFontSize)
		if err != nil {
			diags.Errorf(cfg.at("fonts."+key), "font %s: %v", key, err)
			bad = true
			continue
		}
		ttfs[styles[key]] = data
	}
	if bad {
		return nil
	}
	set, err := fonts.NewSet("custom", ttfs)
	if err != nil {
		diags.Errorf(cfg.at("fonts"), "fonts: %v", err)
		return nil
	}
	return set
}

// applyGitTag lets the source checkout's release tag win over the version
// line: the book shows the tag, dated with the tagged commit's date rather
// than the version line's, and a warning says so when the two differ.
func applyGitTag(src source, bk *tree.Book, diags *diag.Diagnostics) {
	tag := gitTag(src)
	if tag == "" || tag == bk.Meta.Version {
		return
	}
	when, ok := gitCommitDate(src, tag)
	if bk.Meta.Version != "" {
		shown := tag
		if ok {
			shown += " · " + when.Format("January 2, 2006")
		}
		diags.Warnf(diag.Pos{File: "index.md"}, "git tag %s differs from the version line %s: the book shows the tag and its commit's date (%s)", diag.Quote(tag), diag.Quote(bk.Meta.Version), shown)
	}
	bk.Meta.Version = tag
	if ok {
		bk.Meta.Date = when.Format("January 2, 2006")
		bk.Meta.DateISO = when.Format("2006-01-02")
	}
}

// workers is how many books are made at once: one per core, since each is
// CPU-bound; and one at a time for a very large handbook, whose books each
// need hundreds of megabytes while they are being made, so that peak memory
// stays that of one book rather than the sum of all.
func workers(bk *tree.Book) int {
	if bigBook(bk) {
		return 1
	}
	return max(1, runtime.GOMAXPROCS(0))
}

// gcPercent is the garbage collector's target while the books are made:
// for a book up to a few times the handbook's size, 200 rather than Go's
// 100. Making its books allocates a couple of hundred megabytes over a
// small live heap, and at 100 the collector runs a cycle every few
// megabytes. On the real handbook's release set, 200 and 400 take the
// same time (400 did better before the typesetter reused its paragraph
// memory) and 200 peaks at 120 MB rather than 170 (100: 95 MB, 5% more
// CPU). A larger book keeps the default, so that its peak memory stays
// bounded, and so does a GOGC the user set.
func gcPercent(bk *tree.Book) (int, bool) {
	if os.Getenv("GOGC") != "" || compile.Count(bk).Words > smallBookWords {
		return 0, false
	}
	return 200, true
}

// smallBookWords is about four times the real handbook.
const smallBookWords = 50_000

// bigBook reports whether bk is very large, over bigBookWords: its books
// are made one at a time, without a shared cache, and with the garbage
// collector's default target, so that its peak memory stays bounded.
func bigBook(bk *tree.Book) bool { return compile.Count(bk).Words > bigBookWords }

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

// name is the file name of artifact a of the plan's book.
func (p *plan) name(a artifact) string {
	if a.kind == "epub" {
		return epub.Filename(p.book)
	}
	return pdf.Filename(p.book, a.pdf)
}

// artifactReport is one book made, as printed (and as --json shows it).
type artifactReport struct {
	Path    string `json:"path"`
	Format  string `json:"format"`
	Paper   string `json:"paper,omitempty"`
	Edition string `json:"edition,omitempty"`
	Bytes   int    `json:"bytes"`
	Pages   int    `json:"pages,omitempty"`
	QRCodes int    `json:"qr_codes,omitempty"`
	// Signatures is a booklet's sheets per signature.
	Signatures []int  `json:"signatures,omitempty"`
	Chapters   int    `json:"chapters,omitempty"`
	Millis     int64  `json:"ms"`
	SHA256     string `json:"sha256"`
	tmp        string // the staged temporary file, renamed into place on success
	err        error
	diags      diag.Diagnostics
}

// layOut makes the plan's books, as many at a time as workers allows and
// the slowest first, writing each into the writer that open returns, and
// calls done as soon as each is finished (from several goroutines at once).
// Books not yet started when ctx is done are not made.
func (p *plan) layOut(ctx context.Context, dir string, prog *progress, open func(i int) (io.Writer, func() []byte), done func(i int, r *artifactReport, data []byte)) []artifactReport {
	if pct, ok := gcPercent(p.book); ok {
		defer debug.SetGCPercent(debug.SetGCPercent(pct))
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit makes the collector work harder only when a very
		// large handbook nears it (see memoryLimit).
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(memoryLimit(p.book)))
	}
	reports := make([]artifactReport, len(p.arts))
	// The PDFs share their broken paragraphs and QR codes: A4, Letter and
	// the print edition set the same paragraphs on the same measure. Not
	// a very large book's paragraphs: its PDFs are made one at a time,
	// and a cache of every paragraph would hold hundreds of megabytes
	// from the first to the last (its QR codes and hyphenation are
	// shared).
	cache := &typeset.Cache{NoLines: bigBook(p.book)}
	// An EPUB that carries the print edition's page numbers takes them
	// from the print edition being made beside it, once that is typeset,
	// rather than typesetting it again.
	typesetOf := map[int]*typesetDone{} // print artifact → its typesetting
	pagesFrom := map[int]*typesetDone{} // EPUB artifact → the print edition it waits for
	for i, a := range p.arts {
		if a.kind != "epub" || a.pages == "" {
			continue
		}
		for j, b := range p.arts {
			if b.kind == "pdf" && b.pdf.Edition == "print" && !b.pdf.Booklet && b.pdf.Paper == a.pages && b.pdf.Simplex == p.f.simplex {
				if typesetOf[j] == nil {
					typesetOf[j] = &typesetDone{done: make(chan struct{})}
				}
				pagesFrom[i] = typesetOf[j]
				break
			}
		}
	}
	var wg sync.WaitGroup
	slots := make(chan struct{}, workers(p.book))
	for _, i := range longestFirst(p.arts) {
		a := p.arts[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			published := typesetOf[i]
			if published != nil {
				// Whatever happens, the EPUB waiting for it goes on.
				defer published.publish(pdf.Result{}, errNotTypeset)
			}
			// An EPUB with page numbers waits for them; it draws its
			// cover meanwhile.
			var cover chan []byte
			if a.kind == "epub" && a.pages != "" && p.cover == nil {
				cover = make(chan []byte, 1)
				go func() {
					c, _ := epub.DrawCover(p.book, p.fonts) // on error, Write draws it and reports it
					cover <- c
				}()
			}
			// Waiting comes before taking a slot: with one slot, an EPUB
			// holding it would wait for ever.
			var pageMap []tree.PageStart
			if src := pagesFrom[i]; src != nil {
				<-src.done
				if src.err == nil {
					pageMap = src.res.PageMap
				}
			}
			slots <- struct{}{}
			defer func() { <-slots }()
			r := &reports[i]
			*r = artifactReport{Format: a.kind, Paper: a.pdf.Paper, Edition: a.pdf.Edition, Path: filepath.Join(dir, p.name(a))}
			if ctx.Err() != nil {
				r.err = ctx.Err()
				return
			}
			prog.start(filepath.Base(r.Path))
			t0 := time.Now()
			w, bytesOf := open(i)
			cw := &countingWriter{w: w}
			switch a.kind {
			case "epub":
				opt := epub.Options{Modified: p.date, Generator: p.gen, Cover: p.cover, EmbedFonts: p.f.embedFonts, Fonts: p.fonts}
				if a.pages != "" {
					if pageMap == nil {
						// No print edition beside it (or it failed): the
						// print edition is typeset, not drawn, for the
						// page its every page begins on.
						popt := pdf.Options{Paper: a.pages, Edition: "print", Simplex: p.f.simplex, Created: p.date, Generator: p.gen, Fonts: p.fonts, Cache: cache}
						res, err := pdf.Check(p.book, popt)
						if err != nil {
							r.err = err
							break
						}
						pageMap = res.PageMap
					}
					opt.PageList, opt.PageSource = pageMap, pageSource(p.book, a.pages, p.f.simplex)
				}
				if cover != nil {
					opt.DrawnCover = <-cover
				}
				r.err = epub.Write(cw, p.book, opt)
				r.Chapters = compile.Count(p.book).Chapters
			case "pdf":
				opt := a.pdf
				opt.Created, opt.Generator, opt.Fonts, opt.Cache = p.date, p.gen, p.fonts, cache
				var res pdf.Result
				var err error
				if w == io.Discard {
					// check: the typesetting reports every problem; the
					// drawing would only be thrown away.
					res, err = pdf.Check(p.book, opt)
					if published != nil {
						published.publish(res, err)
					}
				} else {
					var pr *pdf.Prepared
					pr, err = pdf.Prepare(p.book, opt)
					if published != nil {
						published.publish(pr.Result(), err)
					}
					res = pr.Result()
					if err == nil {
						res, err = pr.Write(cw)
					}
				}
				r.err, r.diags, r.Pages, r.QRCodes, r.Signatures = err, res.Diagnostics, res.Pages, res.QRCodes, res.Signatures
			}
			r.Bytes = cw.n
			r.Millis = time.Since(t0).Milliseconds()
			done(i, r, bytesOf())
		}()
	}
	wg.Wait()
	return reports
}

// typesetDone is a print edition's typesetting, published to the EPUB
// that carries its page numbers as soon as it is done.
type typesetDone struct {
	once sync.Once
	done chan struct{} // closed when res and err are set
	res  pdf.Result
	err  error
}

// publish sets the result and lets the waiting EPUB go; only the first
// call counts.
func (t *typesetDone) publish(res pdf.Result, err error) {
	t.once.Do(func() {
		t.res, t.err = res, err
		close(t.done)
	})
}

// errNotTypeset is published for a print edition that was never typeset
// (the build was cancelled first): the EPUB typesets it itself.
var errNotTypeset = errors.New("the print edition was not typeset")

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += n
	return n, err
}

// dedupe sorts ds and drops repeated diagnostics (each PDF paper size
// reports the same missing glyphs).
func dedupe(ds diag.Diagnostics) diag.Diagnostics {
	ds = append(diag.Diagnostics(nil), ds...)
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

// pageSource names the print edition an EPUB's page numbers follow.
func pageSource(b *tree.Book, paper string, simplex bool) string {
	s := b.Meta.Title
	if b.Meta.Version != "" {
		s += ", " + b.Meta.Version
	}
	s += ", print edition on " + map[string]string{"a4": "A4", "letter": "US Letter", "a5": "A5"}[paper] + " paper"
	if simplex {
		s += " (one-sided)"
	}
	return s
}
