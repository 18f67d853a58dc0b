// Package compile turns a handbook's source into one book tree: markdown
// parsed with goldmark as Jekyll's kramdown renders the site, the page's
// HTML skeleton lowered into parts, chapters and headings, then numbering,
// ids and cross-references, with compiler-style diagnostics.
//
// The passes run in order: load (package content) → parse → lower HTML →
// number and assign ids → resolve links. Each pass appends diagnostics and
// goes on; the driver stops between passes once errors would cascade.
package compile

import (
	"io/fs"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content"
	"github.com/genai-handbook/handbook/content/diag"
)

// Options controls compilation. The zero value is ready to use.
type Options struct {
	// Content limits the source reader (include depth, file sizes).
	Content content.Options
	// Language overrides the book's language; "" means the config's "lang"
	// key, else "en". LanguageAt is where it is set (handbook.yml's line),
	// for a warning about it.
	Language   string
	LanguageAt diag.Pos
	// Subtitle overrides site.description as the subtitle; "" keeps it.
	Subtitle string
	// Version overrides the version line's version (a release tag); ""
	// keeps it.
	Version string
	// Identifier overrides the derived urn:uuid identifier; "" keeps it.
	Identifier string
	// Slug overrides the file-name stem derived from the title; "" keeps it.
	Slug string
	// AuthorSort is the author's name as sorted ("Brown, William"); ""
	// derives "Last, First" from the author line.
	AuthorSort string
	// Tag is the release tag of the source's checkout (see package
	// git), and TagDate its commit's date (zero when unknown). Unless
	// Version is set, the tag wins over the version line: the book shows
	// it, dated with TagDate, and a warning says so when the two differ.
	// "" keeps the version line.
	Tag     string
	TagDate time.Time
}

// Load reads the handbook rooted at fsys and compiles it. The book is nil
// when there are errors that make a tree meaningless (such as a missing
// index.md); otherwise it is returned together with all diagnostics, sorted.
func Load(fsys fs.FS, opt Options) (*tree.Book, diag.Diagnostics) {
	src, diags := content.Load(fsys, opt.Content)
	if src == nil || diags.HasErrors() {
		diags.Sort()
		return nil, diags
	}
	bk, more := Compile(src, opt)
	diags = append(diags, more...)
	diags.Sort()
	if diags.HasErrors() {
		return nil, diags
	}
	return bk, diags
}

// Compile builds the book tree from a loaded source. It never panics on bad
// input: problems are diagnostics. The returned book is nil when the source
// has no content at all.
func Compile(src *content.Source, opt Options) (*tree.Book, diag.Diagnostics) {
	c := newCompiler(src)
	c.parse()
	if c.diags.HasErrors() {
		return nil, c.diags
	}
	bk := c.book()
	if bk == nil {
		return nil, c.diags
	}
	c.meta(bk, opt)
	c.number(bk)
	c.resolve(bk)
	c.smartenHTML(bk)
	tree.Index(bk)
	return bk, c.diags
}
