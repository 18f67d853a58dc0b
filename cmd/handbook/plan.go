package main

import (
	"fmt"
	_ "image/gif" // cover formats the EPUB accepts
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"time"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/backend"
	"github.com/genai-handbook/handbook/compile/pipeline"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/config"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/fonts"
)

// buildFlags are the options of `handbook build`; `check` and `watch` use
// the same, at their defaults or as handbook.yml sets them.
type buildFlags struct {
	source          sourceFlags
	out             string
	formats         []string
	set             pipeline.Settings // the books' settings: papers, editions, …
	cover           string
	embedFonts      bool
	strict          bool
	checksums       bool
	clean           bool
	versionOverride string
	since           string // the earlier release the books say what is new since (pipeline.CompileSince)
	json            bool
	quiet           bool
}

// defaultBuildFlags are the flags' defaults: every book of every format
// (the release set: the EPUB, the screen PDF on A4 and Letter, the print
// edition on A4) into dist/.
func defaultBuildFlags() buildFlags {
	return buildFlags{out: "dist", formats: pipeline.FormatNames(), set: pipeline.Defaults(), checksums: true}
}

// bookFlags are the flags that choose what the books are, by the names
// pipeline.Unused knows them.
var bookFlags = []string{"paper", "print-paper", "simplex", "booklet", "signature-sheets", "creep", "embed-fonts", "page-source"}

// plan is a build resolved from the source, handbook.yml and the flags:
// everything `build` does before it lays out a book, and so everything
// `check` does before it lays the same books out into nothing.
type plan struct {
	src    pipeline.Source
	f      buildFlags // the flags, with handbook.yml's settings where no flag was given
	cfg    config.File
	books  []backend.Backend
	book   *tree.Book       // nil when diags has errors
	diags  diag.Diagnostics // handbook.yml, the cover, the compiler, the git tag; sorted
	unused []string         // flags given that have no effect on the books asked for
	cover  []byte
	fonts  *fonts.Set
	date   time.Time // stamped into the books; zero: the source's own
	notes  []string  // what the build says besides its books: why they have no "What's new" page
}

// newPlan resolves a build for command name. A bad command line is an
// error (a usageError); problems in handbook.yml, the cover or the source
// are diagnostics in the plan, whose book is nil when they are errors.
func newPlan(name string, f buildFlags, changed func(string) bool, args []string) (*plan, error) {
	src, err := openSource(name, f.source, args)
	if err != nil {
		return nil, err
	}
	p := &plan{src: src}
	cfg, diags := config.Load(src.FS, config.Allowed{"paper": pipeline.Papers, "formats": pipeline.FormatNames(), "editions": pipeline.Editions})
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
		if err := pipeline.CheckWritable(f.out); err != nil {
			return nil, failure{err}
		}
	}
	if p.books, err = pipeline.Books(f.formats, f.set); err != nil {
		return nil, usageError{err: err}
	}
	if len(p.books) == 0 {
		return nil, usageError{err: fmt.Errorf("nothing to build: --format is empty")}
	}
	var given []string
	for _, fl := range bookFlags {
		if changed(fl) {
			given = append(given, fl)
		}
	}
	for _, u := range pipeline.Unused(f.formats, f.set, given) {
		p.unused = append(p.unused, "--"+u)
	}
	p.diags = append(p.diags, pipeline.UnusedSettings(f.formats, f.set, cfg, changed)...)

	switch {
	case coverFromConfig:
		p.cover = cfg.ReadCover(src.FS, &p.diags)
	case f.cover != "":
		var at diag.Pos
		if p.cover, at, err = readCover(src, f.cover); err != nil {
			return nil, usageError{err: fmt.Errorf("--cover %s: %w", f.cover, err)}
		}
		config.CheckCover(&p.diags, at, p.cover)
	}
	p.fonts = config.LoadFonts(src.FS, cfg, &p.diags)
	if p.diags.HasErrors() {
		p.diags.Sort()
		return p, nil
	}
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		p.date, _ = pipeline.ParseEpoch(s)
	}
	bk, more, notes, err := pipeline.CompileSince(src, compile.Options{
		Subtitle: cfg.Subtitle, Language: cfg.Language, LanguageAt: cfg.At("language"), Identifier: cfg.Identifier,
		Slug: cfg.Name, AuthorSort: cfg.AuthorSort, Version: f.versionOverride,
	}, f.since)
	if err != nil {
		return nil, usageError{err: err}
	}
	p.notes, p.diags = notes, append(p.diags, more...)
	p.diags.Sort()
	if bk == nil || p.diags.HasErrors() {
		return p, nil
	}
	p.book = bk
	return p, nil
}

// options are the pipeline's options for the plan's books, into out
// ("": laid out only).
func (p *plan) options(out string, prog pipeline.Progress) pipeline.Options {
	return pipeline.Options{
		Source: p.src, Books: p.books, Out: out, Date: p.date, Generator: "handbook " + toolVersion(),
		Cover: p.cover, Fonts: p.fonts, EmbedFonts: p.f.embedFonts, Strict: p.f.strict,
		Checksums: p.f.checksums, Clean: p.f.clean, Progress: prog, Notes: p.notes,
	}
}

// applyConfig fills what flags left unset from handbook.yml, whose paths
// are relative to the source root. It reports whether the cover came from
// handbook.yml.
func applyConfig(changed func(string) bool, f *buildFlags, cfg config.File, src pipeline.Source) (coverFromConfig bool) {
	// set applies what handbook.yml holds (has) unless the flag was given.
	set := func(flag string, has bool, apply func()) {
		if has && !changed(flag) {
			apply()
		}
	}
	set("paper", len(cfg.Paper) > 0, func() { f.set.Papers = cfg.Paper })
	set("format", len(cfg.Formats) > 0, func() { f.formats = cfg.Formats })
	set("edition", len(cfg.Editions) > 0, func() { f.set.Editions = cfg.Editions })
	set("booklet", cfg.Booklet, func() { f.set.Booklet = true })
	set("embed-fonts", cfg.EmbedFonts, func() { f.embedFonts = true })
	set("version-override", cfg.Version != "", func() { f.versionOverride = cfg.Version })
	if !changed("out") && cfg.Out != "" {
		f.out = filepath.FromSlash(cfg.Out)
		if !filepath.IsAbs(f.out) && src.Dir != "" {
			f.out = filepath.Join(src.Dir, f.out)
		}
	}
	if !changed("cover") && cfg.Cover != "" {
		f.cover = cfg.Cover
		coverFromConfig = true
	}
	return coverFromConfig
}

// readCover reads --cover, a path relative to the current directory,
// which must lie inside the source tree (with --example: inside the
// current directory).
func readCover(src pipeline.Source, name string) ([]byte, diag.Pos, error) {
	root, fsys := src.Dir, src.FS
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
	return config.ReadCover(root, fsys, abs)
}
