// Package tree defines the book tree: the one intermediate representation
// that the compiler produces and that the EPUB and PDF backends consume.
//
// A Book holds its metadata, its parts (the introduction first, then one per
// "Section N" division), and its back matter. Parts hold chapters; chapters
// and parts hold blocks; blocks hold inlines. Block and Inline are closed
// sets of node types (sealed by unexported marker methods).
//
// Everything a backend needs is computed by the compiler and stored here:
// heading numbers and ids, resolved cross-reference targets, front matter,
// credits and local image bytes. A backend never re-parses markdown or
// class strings, and never mutates a tree.
package tree

import "github.com/genai-handbook/handbook/content/diag"

// Pos is a source position (file:line:col); see diag.Pos.
type Pos = diag.Pos

// DefaultTitle is the title of a book whose source names none (no
// site.title and no page title). The compiler sets it, so that Meta.Title
// is never empty and no backend needs a fallback of its own.
const DefaultTitle = "Untitled Handbook"

// Book is a whole compiled handbook. The compiler guarantees the
// invariants documented on the node types; Check verifies them.
type Book struct {
	Meta     Meta
	Parts    []*Part  // never empty; Parts[0] is the introduction when the source has one
	Back     []Block  // the credits (a heading, a sentence, the citation code block); may be empty
	Files    []*File  // local images referenced by Image nodes, sorted by Path, paths unique
	Contents []Entry  // the table of contents, in reading order; set by the compiler (see Entry)
	Changes  *Changes // what changed since the earlier release; nil: no comparison (see Changes)
}

// Entry is one entry of the book's table of contents (Book.Contents): a
// part, a chapter, a level-3 heading, or the back matter. The compiler
// lists them once; every backend's contents, navigation document and
// outline are made from this list.
//
// A level-3 heading is listed under the entry of the chapter it is in;
// under its part when it is among the part's own blocks, or when its
// chapter has no entry (a heading that is not InTOC: class "no-toc").
// Headings inside footnotes are never listed.
type Entry struct {
	Level   int    // 0 a part or the back matter, 1 a chapter, 2 a level-3 heading
	Title   string // as the contents show it: the heading's FullTitle, the part's FullTitle
	ID      string // the heading's id; "" for the back matter, which each backend places itself
	Part    int    // index into Book.Parts; -1 for the back matter
	Chapter int    // index into the part's Chapters of the chapter it is in; -1 for the part and the headings among its own blocks
	Back    bool   // the back matter (Book.Back: the credits)
}

// Meta is the book's metadata, from _config.yml, the front matter and the
// author/version block above the introduction.
type Meta struct {
	Title       string  // site.title, e.g. "Generative AI Handbook"; never empty (DefaultTitle when the source names none)
	Subtitle    string  // site.description, e.g. "A Roadmap for Learning Resources"
	PageTitle   string  // page.title from index.md's front matter
	Author      string  // "William Brown"
	AuthorSort  string  // "Brown, William", for catalogues (EPUB file-as)
	AuthorLinks []*Link // external links (see Link)
	Version     string  // "v0.1"; "" when the source has no version line; may hold any characters (see FileName)
	VersionURL  string  // the version link's target (the source repository); "" or an http, https or mailto URL
	Date        string  // as written, e.g. "June 5, 2024"
	DateISO     string  // the same date as YYYY-MM-DD, "" when it did not parse
	Language    string  // BCP 47 tag; "en" unless the config says otherwise; never empty
	Identifier  string  // stable "urn:uuid:…" derived (by the compiler, only) from the title and source URL, never random; never empty
	SourceURL   string  // where the handbook's source lives (VersionURL, else site.url); "" or an http, https or mailto URL
	Slug        string  // file-name stem from the title, e.g. "generative-ai-handbook"; never empty (see FileName)
}

// Part is one top-level division of the book: the introduction, or one
// `<div class="section">` of the site ("Section I: Foundations of …").
type Part struct {
	ID       string   // the part heading's id (equal to Heading.ID): "intro", "s1", …; never empty, unique in the book
	Number   int      // 0 for the introduction (and any part outside a section); sections count 1, 2, … in reading order
	Label    string   // "Section I"; "" for the introduction
	Title    string   // plain title without the label: "Foundations of Sequential Prediction"; never empty
	Heading  *Heading // the part heading (level 1) as written, label included; nil when the source has none
	Summary  []Inline // the "Goal:" summary without its "Goal:" lead; nil when absent
	Blocks   []Block  // blocks before the first chapter
	Chapters []*Chapter
	Words    int // the words a reader reads in Blocks, without the chapters' (see ReadingWords); set by the compiler
	Pos      Pos
}

// Chapter is a level-2 heading and the blocks up to the next one. It is one
// XHTML file in the EPUB and starts a new page in the PDF.
type Chapter struct {
	Heading *Heading // level 2; never nil
	Blocks  []Block
	Words   int // the words a reader reads in Blocks (see ReadingWords); set by the compiler
}

// File is a local file (an image) that the book embeds.
type File struct {
	Path      string // slash-separated path relative to the source root; unique
	MediaType string // "image/png", "image/jpeg", "image/gif" or "image/svg+xml"
	Data      []byte // never empty; a raster image decodes fully within the compiler's limits
	Width     int    // pixels, 0 when unknown (SVG)
	Height    int
}

// Block is a block-level node: *Heading, *Paragraph, *List, *CodeBlock,
// *Quote, *Rule, *Table or *Figure.
type Block interface{ block() }

// Inline is an inline node: *Text, *Code, *Emph, *Strong, *Strike, *Link,
// *LineBreak, *Footnote or *Image.
type Inline interface{ inline() }

// Heading is a section heading at any level. Level 1 headings are part
// headings and level 2 headings are chapter headings.
type Heading struct {
	Level    int      // 1–6
	ID       string   // unique in the book (among heading, part and footnote ids); set by the id pass; never empty
	Numbered bool     // true exactly when Number is set: false for class "no-numbering", for part headings and for headings outside a numbered chapter
	InTOC    bool     // false for class "no-toc"
	Number   string   // "2" for a chapter (chapters count 1, 2, … across the book), "2.1" below it (one component per level below 2); "" when not numbered
	Content  []Inline // never empty, and its plain text is never blank
	Pos      Pos
}

// Label returns the number label the site shows before the title:
// "Chapter 2" for a numbered chapter, "2.1" for a deeper heading, "" when
// the heading is not numbered.
func (h *Heading) Label() string {
	if h.Number == "" {
		return ""
	}
	if h.Level == 2 {
		return "Chapter " + h.Number
	}
	return h.Number
}

// Title returns the heading's plain text without its label.
func (h *Heading) Title() string { return PlainText(h.Content) }

// FullTitle returns "Chapter 2: Title" for numbered chapters, "2.1 Title"
// for numbered deeper headings, and the plain title otherwise.
func (h *Heading) FullTitle() string {
	switch {
	case h.Number == "":
		return h.Title()
	case h.Level == 2:
		return h.Label() + ": " + h.Title()
	}
	return h.Number + " " + h.Title()
}

// FullTitle returns the part's display title, as the table of contents
// and the part's opener show it: "Section I: Foundations", or the plain
// title when the part has no label.
func (p *Part) FullTitle() string {
	if p.Label == "" {
		return p.Title
	}
	return p.Label + ": " + p.Title
}

// Paragraph is a run of inline content.
type Paragraph struct {
	Content []Inline // never empty
	Pos     Pos
}

// List is a bullet or numbered list.
type List struct {
	Ordered bool
	Start   int     // first number of an ordered list (usually 1)
	Tight   bool    // items without blank lines between them
	Items   []*Item // never empty
	Pos     Pos
}

// Item is one list item.
type Item struct {
	Blocks []Block
}

// CodeBlock is preformatted text: a fenced or indented code block.
type CodeBlock struct {
	Lang string // the info string's first word, "" when absent
	Text string // with a trailing newline per line
	Pos  Pos
}

// Quote is a block quote.
type Quote struct {
	Blocks []Block
	Pos    Pos
}

// Rule is a thematic break.
type Rule struct{ Pos Pos }

// Align is a table column's alignment.
type Align int

// The column alignments of a GFM table.
const (
	AlignNone Align = iota
	AlignLeft
	AlignCenter
	AlignRight
)

// Table is a GFM table.
type Table struct {
	Align  []Align      // one per column; never empty
	Header [][]Inline   // one cell per column
	Rows   [][][]Inline // each with one cell per column
	Pos    Pos
}

// Figure is an image standing alone in its paragraph.
type Figure struct {
	Image *Image // never nil
	Pos   Pos
}

// Text is plain text, with typographic quotes and dashes already applied.
type Text struct{ Text string }

// Code is inline code.
type Code struct{ Text string }

// Emph is emphasis (italic).
type Emph struct{ Content []Inline }

// Strong is strong emphasis (bold).
type Strong struct{ Content []Inline }

// Strike is struck-through text (GFM ~~strike~~).
type Strike struct{ Content []Inline }

// Link is a hyperlink. An external link has URL set and Target nil; an
// internal link (a #fragment in the source) has Target set by the resolve
// pass, or nil when the fragment matched no heading.
//
// The compiler keeps only safe links: an external link's URL is an
// absolute http, https or mailto URL (see AllowedScheme), without
// surrounding space or control characters; anything else in the source
// becomes the link's text alone, with a warning. So a backend may make
// every external link clickable.
type Link struct {
	URL     string   // "#s7" or "https://…"; never empty
	Title   string   // the link title attribute, usually ""
	Target  *Anchor  // resolved internal target; nil for external or broken links
	Content []Inline // the link text
	Pos     Pos
}

// IsInternal reports whether the link points into the book (a #fragment).
func (l *Link) IsInternal() bool { return len(l.URL) > 0 && l.URL[0] == '#' }

// Anchor is a place a link can go: a part heading or a heading inside a
// chapter. Its Heading is a heading of the book, found where Part and
// Chapter say.
type Anchor struct {
	ID      string   // the target heading's id (equal to Heading.ID)
	Part    int      // index into Book.Parts
	Chapter int      // index into Part.Chapters; -1 for the part heading or its opening blocks; -2 for the back matter (Book.Back)
	Heading *Heading // the target heading
}

// LineBreak is a hard line break.
type LineBreak struct{}

// Footnote is a footnote reference together with its content. Number counts
// footnotes from 1 across the whole book in reading order. A note
// referenced more than once is one *Footnote standing at each reference;
// its content holds no footnote references.
type Footnote struct {
	Number int
	ID     string // unique id for the note ("fn-1"), set by the compiler; never empty; a backend derives the reference's id from it ("fnref-1")
	Blocks []Block
}

// Image is an image. Local images have File set; remote images (http/https)
// are not fetched and have File nil, and so have local images that could
// not be used (missing, refused or undecodable). A backend shows the alt
// text for an image without File, linked to Src only when IsRemote.
type Image struct {
	Src   string // as written: an http or https URL, or a path in the source tree
	Alt   string
	Title string
	File  *File // the embedded local file, one of Book.Files; nil for remote or unusable images
	Pos   Pos
}

// IsRemote reports whether the image lives on the web (an http or https
// Src), so that a book may link to it in place of showing it.
func (im *Image) IsRemote() bool {
	s, ok := Scheme(im.Src)
	return ok && (s == "http" || s == "https")
}

func (*Heading) block()   {}
func (*Paragraph) block() {}
func (*List) block()      {}
func (*CodeBlock) block() {}
func (*Quote) block()     {}
func (*Rule) block()      {}
func (*Table) block()     {}
func (*Figure) block()    {}

func (*Text) inline()      {}
func (*Code) inline()      {}
func (*Emph) inline()      {}
func (*Strong) inline()    {}
func (*Strike) inline()    {}
func (*Link) inline()      {}
func (*LineBreak) inline() {}
func (*Footnote) inline()  {}
func (*Image) inline()     {}
