package pipeline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/genai-handbook/handbook/compile/backend"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/config"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/epub"
	"github.com/genai-handbook/handbook/epub/kepub"
	"github.com/genai-handbook/handbook/pdf"
)

// Settings are what a user chooses about the books, by flag or in
// handbook.yml; each Format makes its books from them. The zero value of
// a field is its default, as Defaults gives them.
type Settings struct {
	Papers          []string // the screen PDF's papers: a4, letter, a5
	Editions        []string // the PDF editions: screen, print
	PrintPaper      string   // the print edition's paper
	PageSource      string   // the paper of the print edition whose page numbers the EPUB carries; "none": none; "": PrintPaper
	Simplex         bool     // the print edition for one-sided printing
	Booklet         bool     // also the print edition as an A5 booklet
	SignatureSheets int      // the booklet's most sheets a signature; 0: 8
	Creep           float64  // the booklet's creep in mm a sheet; 0: 0.1
}

// Defaults are the settings of a release: the screen PDF on A4 and
// Letter, the print edition on A4, whose page numbers the EPUB carries.
func Defaults() Settings {
	return Settings{Papers: []string{"a4", "letter"}, Editions: []string{"screen", "print"}, PrintPaper: "a4"}
}

// Format is a kind of book the build makes: what --format names, the
// books it makes from the settings, and the settings it uses (to warn of
// those given to no purpose).
type Format struct {
	Name string
	// Books returns the format's books for s: its backends.
	Books func(s Settings) ([]backend.Backend, error)
	// Uses reports whether the format's books, for s, use the setting
	// (by its flag's name), and, for a setting the format owns, why it
	// would not ("no print edition is built"); why is "" for a setting
	// the format does not own.
	Uses func(s Settings, setting string) (used bool, why string)
}

// Formats are the registered kinds of book, in the order a build lists
// them. Adding a format is a backend and a line here.
var Formats = []Format{
	{Name: "epub", Books: epubBooks, Uses: epubUses},
	{Name: "kepub", Books: kepubBooks, Uses: epubUses},
	{Name: "pdf", Books: pdfBooks, Uses: pdfUses},
}

// FormatNames lists the registered formats' names.
func FormatNames() []string {
	var names []string
	for _, f := range Formats {
		names = append(names, f.Name)
	}
	return names
}

// Papers, Editions are the values the settings take.
var (
	Papers   = []string{"a4", "letter", "a5"}
	Editions = []string{"screen", "print"}
)

// Books returns the books of the formats named, in Formats' order within
// each name's, for s. An unknown format, paper or edition is an error.
func Books(formats []string, s Settings) ([]backend.Backend, error) {
	var out []backend.Backend
	for _, name := range formats {
		name = strings.ToLower(strings.TrimSpace(name))
		i := slices.IndexFunc(Formats, func(f Format) bool { return f.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("format %q: want %s", name, orList(FormatNames()))
		}
		bs, err := Formats[i].Books(s)
		if err != nil {
			return nil, err
		}
		out = append(out, bs...)
	}
	return out, nil
}

// Unused lists, for the settings given (by their flags' names), those
// that no book of the formats named uses, each with why: the user meant
// something that is not going to happen. A setting no format owns is
// never listed.
func Unused(formats []string, s Settings, given []string) []string {
	selected := map[string]bool{}
	for _, name := range formats {
		selected[strings.ToLower(strings.TrimSpace(name))] = true
	}
	var out []string
	for _, setting := range given {
		used, why := false, ""
		for _, f := range Formats {
			u, w := f.Uses(s, setting)
			used = used || u && selected[f.Name]
			if why == "" {
				why = w
			}
		}
		if !used && why != "" {
			out = append(out, setting+" has no effect: "+why)
		}
	}
	return out
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// paper validates a paper name.
func paper(p string) (string, error) {
	p = strings.ToLower(strings.TrimSpace(p))
	if !slices.Contains(Papers, p) {
		return "", fmt.Errorf("paper %q: want %s", p, orList(Papers))
	}
	return p, nil
}

// editions validates the editions and returns them as a set.
func editions(s Settings) (map[string]bool, error) {
	eds := map[string]bool{}
	for _, e := range s.Editions {
		e = strings.ToLower(strings.TrimSpace(e))
		if !slices.Contains(Editions, e) {
			return nil, fmt.Errorf("edition %q: want %s", e, orList(Editions))
		}
		eds[e] = true
	}
	return eds, nil
}

// epubBooks: the EPUB, with the page numbers of the print edition on the
// PageSource paper (PrintPaper by default).
func epubBooks(s Settings) ([]backend.Backend, error) {
	b := epub.Book{}
	switch ps := strings.ToLower(strings.TrimSpace(s.PageSource)); ps {
	case "none":
	case "":
		if p, err := paper(s.PrintPaper); err == nil {
			b.Pages = pdf.Print{Paper: p, Simplex: s.Simplex}
		}
	default:
		p, err := paper(ps)
		if err != nil {
			return nil, fmt.Errorf("--page-source %q: want %s or none", ps, strings.Join(Papers, ", "))
		}
		b.Pages = pdf.Print{Paper: p, Simplex: s.Simplex}
	}
	return []backend.Backend{b}, nil
}

// epubUses: the settings of the EPUB and of the Kobo edition made from
// it.
func epubUses(s Settings, setting string) (bool, string) {
	switch setting {
	case "page-source":
		return true, ""
	case "embed-fonts":
		return true, "no EPUB is built (the PDFs always embed their fonts)"
	}
	return false, ""
}

// kepubBooks: the Kobo edition, converted from the EPUB epubBooks makes.
func kepubBooks(s Settings) ([]backend.Backend, error) {
	bs, err := epubBooks(s)
	if err != nil {
		return nil, err
	}
	return []backend.Backend{kepub.Book{EPUB: bs[0].(epub.Book)}}, nil
}

// pdfBooks: the screen PDF on each paper, the print edition on its
// paper, the booklet.
func pdfBooks(s Settings) ([]backend.Backend, error) {
	eds, err := editions(s)
	if err != nil {
		return nil, err
	}
	var out []backend.Backend
	if eds["screen"] {
		for _, p := range s.Papers {
			p, err := paper(p)
			if err != nil {
				return nil, err
			}
			out = append(out, pdf.Screen{Paper: p})
		}
	}
	if eds["print"] {
		p, err := paper(s.PrintPaper)
		if err != nil {
			return nil, err
		}
		out = append(out, pdf.Print{Paper: p, Simplex: s.Simplex})
	}
	if s.Booklet {
		out = append(out, pdf.Booklet{SignatureSheets: s.SignatureSheets, Creep: s.Creep})
	}
	return out, nil
}

func pdfUses(s Settings, setting string) (bool, string) {
	eds, _ := editions(s)
	switch setting {
	case "paper":
		return eds["screen"], "no screen PDF is built (it sets the screen edition's papers; see --print-paper)"
	case "print-paper":
		return eds["print"], "no print edition is built"
	case "simplex":
		return eds["print"], "no print edition is built (the booklet is always two-sided)"
	case "booklet":
		return true, "no PDF is built"
	case "signature-sheets", "creep":
		return s.Booklet, "no booklet is built (see --booklet)"
	}
	return false, ""
}

// suffixes are the words the backends put after a book's version in its
// file name ("print", "letter", …), and the extensions they end it with
// (".kepub.epub", ".epub", ".pdf", longest first): every book of every
// format, named after a book with a version, with the slug and version
// cut off.
func suffixes() (words, exts []string) {
	bk := &tree.Book{Meta: tree.Meta{Slug: "s", Version: "v1"}}
	all := Settings{Papers: Papers, Editions: Editions, PrintPaper: "a4", Booklet: true}
	for _, simplex := range []bool{false, true} {
		for _, p := range Papers {
			all.PrintPaper, all.Simplex = p, simplex
			for _, f := range Formats {
				bs, _ := f.Books(all)
				for _, b := range bs {
					// The version has a dot, the words none: the rest's
					// first dot begins the extension.
					rest := strings.TrimPrefix(b.FileName(bk), "s-v1")
					dot := strings.IndexByte(rest, '.')
					if ext := rest[dot:]; !slices.Contains(exts, ext) {
						exts = append(exts, ext)
					}
					for _, w := range strings.Split(strings.TrimPrefix(rest[:dot], "-"), "-") {
						if w != "" && !slices.Contains(words, w) {
							words = append(words, w)
						}
					}
				}
			}
		}
	}
	slices.SortStableFunc(exts, func(a, b string) int { return len(b) - len(a) })
	return words, exts
}

// UnusedSettings warns, at its key, about each of handbook.yml's settings
// that no flag overrides (changed reports a flag given) and that does
// nothing for the books asked for.
func UnusedSettings(formats []string, s Settings, cfg config.File, changed func(flag string) bool) diag.Diagnostics {
	var ds diag.Diagnostics
	for _, k := range []struct{ key, flag string }{{"paper", "paper"}, {"booklet", "booklet"}, {"embed_fonts", "embed-fonts"}} {
		if !cfg.Has(k.key) || changed(k.flag) {
			continue
		}
		for _, u := range Unused(formats, s, []string{k.flag}) {
			_, why, _ := strings.Cut(u, ": ")
			if i := strings.Index(why, " ("); i > 0 {
				why = why[:i] // the flags' advice in parentheses
			}
			ds.Warnf(cfg.KeyAt(k.key), "%s has no effect: %s", k.key, why)
		}
	}
	return ds
}
