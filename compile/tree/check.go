package tree

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// maxProblems bounds the problems Check reports: past a few, the rest are
// usually the same mistake again.
const maxProblems = 20

// Check verifies the invariants that the node types document and that the
// compiler guarantees, so that a backend can rely on them:
//
//   - the book has parts; its title, language, identifier and slug are set;
//   - part, heading and footnote ids are set and unique across the book,
//     and a part's id is its heading's;
//   - sections are numbered 1, 2, … and numbered chapters 1, 2, … in
//     reading order; a heading is Numbered exactly when it has a Number;
//     a heading's number is its chapter's, then one component per level
//     below 2 ("3.1" at level 3, "3.1.2" at level 4); only headings in a
//     numbered chapter have one;
//   - part and chapter headings are levels 1 and 2; every heading's
//     content is not blank, no paragraph is empty, no list lacks items,
//     every table row has one cell per column, every figure an image;
//   - footnotes are numbered 1, 2, … in reading order (a note referenced
//     more than once counts once) and hold no footnote references;
//   - an external link's URL is an http, https or mailto URL (IsSafeURL),
//     as are the version and source URLs; an internal link's target is an
//     anchor whose heading is in the book where its Part and Chapter say;
//   - Contents lists every part, and its entries' parts and chapters
//     exist;
//   - Changes, when set, names its earlier release, and each change a
//     chapter of the book by its place and id (a removed one none), with
//     safe resource URLs;
//   - Files are sorted by path, paths unique and valid, media types known,
//     data present; every image's File is one of them, and every image
//     Src with a scheme is http or https.
//
// It returns nil when b is sound, else an error listing the first
// problems found.
func Check(b *Book) error {
	if b == nil {
		return errors.New("tree: nil book")
	}
	c := &checker{book: b, ids: map[string]string{}, where: map[*Heading]loc{}, notes: map[*Footnote]bool{}, files: map[*File]bool{}}
	c.check()
	if len(c.problems) == 0 {
		return nil
	}
	msg := "tree: " + strings.Join(c.problems, "\n\ttree: ")
	if c.more > 0 {
		msg += fmt.Sprintf("\n\ttree: … and %d more problems", c.more)
	}
	return errors.New(msg)
}

// loc is where a heading stands, as an Anchor gives it: a part index and
// a chapter index, -1 for the part's heading and opening blocks, -2 for
// the back matter.
type loc struct{ part, chapter int }

type checker struct {
	book     *Book
	problems []string
	more     int

	ids      map[string]string // id → what claimed it first
	where    map[*Heading]loc
	links    []*Link // internal links with a target, checked at the end
	notes    map[*Footnote]bool
	nextNote int
	files    map[*File]bool

	at        string // where the checker is, for messages
	cur       loc
	chapterNo string // the number of the chapter being checked ("" when unnumbered or outside one)
	inNote    bool
}

func (c *checker) errorf(format string, args ...any) {
	if len(c.problems) >= maxProblems {
		c.more++
		return
	}
	c.problems = append(c.problems, c.at+fmt.Sprintf(format, args...))
}

func (c *checker) claim(id, what string) {
	if id == "" {
		c.errorf("%s has no id", what)
		return
	}
	if first, ok := c.ids[id]; ok {
		c.errorf("%s: id %q already used by %s", what, id, first)
		return
	}
	c.ids[id] = what
}

func (c *checker) check() {
	b := c.book
	m := b.Meta
	c.at = "meta: "
	for _, f := range []struct{ name, v string }{{"title", m.Title}, {"language", m.Language}, {"identifier", m.Identifier}, {"slug", m.Slug}} {
		if strings.TrimSpace(f.v) == "" {
			c.errorf("no %s", f.name)
		}
	}
	for _, u := range []struct{ name, v string }{{"version URL", m.VersionURL}, {"source URL", m.SourceURL}} {
		if u.v != "" && !IsSafeURL(u.v) {
			c.errorf("%s %q is not an http, https or mailto URL", u.name, u.v)
		}
	}
	for _, l := range m.AuthorLinks {
		if l == nil || l.IsInternal() || !IsSafeURL(l.URL) {
			c.errorf("author link %v is not an external http, https or mailto link", l)
		}
	}

	c.at = "contents: "
	parts := 0
	for _, e := range b.Contents {
		switch {
		case e.Back:
		case e.Part < 0 || e.Part >= len(b.Parts):
			c.errorf("entry %q in part %d of %d", e.Title, e.Part, len(b.Parts))
		case e.Chapter >= len(b.Parts[e.Part].Chapters):
			c.errorf("entry %q in chapter %d of %d", e.Title, e.Chapter, len(b.Parts[e.Part].Chapters))
		case e.Level == 0:
			parts++
		}
	}
	if parts != len(b.Parts) {
		c.errorf("%d parts listed, the book has %d (the compiler's Index lists them)", parts, len(b.Parts))
	}

	c.changes()

	c.at = "files: "
	for i, f := range b.Files {
		switch {
		case f == nil:
			c.errorf("file %d is nil", i)
			continue
		case i > 0 && b.Files[i-1] != nil && b.Files[i-1].Path >= f.Path:
			c.errorf("%q after %q: not sorted by path, or not unique", f.Path, b.Files[i-1].Path)
		case !fs.ValidPath(f.Path) || f.Path == ".":
			c.errorf("%q is not a clean relative path", f.Path)
		}
		switch f.MediaType {
		case "image/png", "image/jpeg", "image/gif":
			if f.Width <= 0 || f.Height <= 0 {
				c.errorf("%q has no size", f.Path)
			}
		case "image/svg+xml":
		default:
			c.errorf("%q has media type %q", f.Path, f.MediaType)
		}
		if len(f.Data) == 0 {
			c.errorf("%q has no data", f.Path)
		}
		c.files[f] = true
	}

	if len(b.Parts) == 0 {
		c.at = ""
		c.errorf("the book has no parts")
	}
	section, chapter := 0, 0
	for pi, p := range b.Parts {
		c.at = fmt.Sprintf("part %d: ", pi)
		c.cur, c.chapterNo = loc{pi, -1}, ""
		if p == nil {
			c.errorf("nil")
			continue
		}
		if p.Number < 0 || p.Number > 0 && p.Number != section+1 {
			c.errorf("number %d, want %d (sections count 1, 2, … in order) or 0", p.Number, section+1)
		}
		if p.Number > 0 {
			section = p.Number
		}
		if strings.TrimSpace(p.Title) == "" {
			c.errorf("no title")
		}
		if p.Heading != nil {
			if p.Heading.ID != p.ID {
				c.errorf("id %q is not its heading's id %q", p.ID, p.Heading.ID)
			}
			if p.Heading.Level != 1 {
				c.errorf("heading level %d, want 1", p.Heading.Level)
			}
			if p.Heading.Number != "" {
				c.errorf("heading number %q: part headings carry their label in their text", p.Heading.Number)
			}
			c.heading(p.Heading)
		} else {
			c.claim(p.ID, "part "+strconv.Itoa(pi))
		}
		c.inlines(p.Summary)
		c.blocks(p.Blocks)
		for ci, ch := range p.Chapters {
			c.at = fmt.Sprintf("part %d chapter %d: ", pi, ci)
			c.cur = loc{pi, ci}
			if ch == nil || ch.Heading == nil {
				c.errorf("no heading")
				continue
			}
			h := ch.Heading
			if h.Level != 2 {
				c.errorf("heading level %d, want 2", h.Level)
			}
			c.chapterNo = ""
			if h.Number != "" {
				chapter++
				if h.Number != strconv.Itoa(chapter) {
					c.errorf("number %q, want %q (numbered chapters count 1, 2, … across the book)", h.Number, strconv.Itoa(chapter))
				}
				c.chapterNo = h.Number
			}
			c.heading(h)
			c.blocks(ch.Blocks)
		}
	}
	c.at = "back: "
	c.cur, c.chapterNo = loc{len(b.Parts) - 1, -2}, ""
	c.blocks(b.Back)

	c.at = ""
	for _, l := range c.links {
		c.target(l)
	}
}

// heading checks a heading's own fields and claims its id. Its number is
// checked against c.chapterNo unless it is a chapter heading (checked by
// the caller).
func (c *checker) heading(h *Heading) {
	what := fmt.Sprintf("heading %q", h.ID)
	if h.Level < 1 || h.Level > 6 {
		c.errorf("%s: level %d", what, h.Level)
	}
	if len(h.Content) == 0 || strings.TrimSpace(PlainText(h.Content)) == "" {
		c.errorf("%s: blank title", what)
	}
	if h.Numbered != (h.Number != "") {
		c.errorf("%s: Numbered is %v but Number is %q", what, h.Numbered, h.Number)
	}
	if _, dup := c.where[h]; dup {
		c.errorf("%s: the same heading stands twice in the book", what)
	}
	c.where[h] = c.cur
	c.claim(h.ID, what)
	c.inlines(h.Content)
}

// subheading checks a heading inside blocks: its number must continue its
// chapter's.
func (c *checker) subheading(h *Heading) {
	if h.Number != "" {
		rest, ok := strings.CutPrefix(h.Number, c.chapterNo+".")
		parts := strings.Split(rest, ".")
		ok = ok && c.chapterNo != "" && h.Level >= 3 && len(parts) == h.Level-2
		for _, p := range parts {
			if _, err := strconv.ParseUint(p, 10, 31); err != nil {
				ok = false
			}
		}
		if !ok {
			c.errorf("heading %q: level %d number %q does not continue its chapter's number %q", h.ID, h.Level, h.Number, c.chapterNo)
		}
	}
	c.heading(h)
}

func (c *checker) blocks(bs []Block) {
	for _, b := range bs {
		switch b := b.(type) {
		case *Heading:
			c.subheading(b)
		case *Paragraph:
			if len(b.Content) == 0 {
				c.errorf("empty paragraph at %s", b.Pos)
			}
			c.inlines(b.Content)
		case *List:
			if len(b.Items) == 0 {
				c.errorf("list without items at %s", b.Pos)
			}
			for _, it := range b.Items {
				if it == nil {
					c.errorf("nil list item at %s", b.Pos)
					continue
				}
				c.blocks(it.Blocks)
			}
		case *CodeBlock, *Rule:
		case *Quote:
			c.blocks(b.Blocks)
		case *Table:
			if len(b.Align) == 0 {
				c.errorf("table without columns at %s", b.Pos)
			}
			rows := b.Rows
			if b.Header != nil {
				rows = append([][][]Inline{b.Header}, rows...)
			}
			for _, r := range rows {
				if len(r) != len(b.Align) {
					c.errorf("table row with %d cells for %d columns at %s", len(r), len(b.Align), b.Pos)
				}
				for _, cell := range r {
					c.inlines(cell)
				}
			}
		case *Figure:
			if b.Image == nil {
				c.errorf("figure without an image at %s", b.Pos)
				continue
			}
			c.inlines([]Inline{b.Image})
		default:
			c.errorf("block %T", b)
		}
	}
}

func (c *checker) inlines(ins []Inline) {
	for _, in := range ins {
		switch in := in.(type) {
		case *Text, *Code, *LineBreak:
		case *Emph:
			c.inlines(in.Content)
		case *Strong:
			c.inlines(in.Content)
		case *Strike:
			c.inlines(in.Content)
		case *Link:
			switch {
			case in.URL == "":
				c.errorf("link without URL at %s", in.Pos)
			case in.Target != nil:
				if !in.IsInternal() {
					c.errorf("link %q has a target but is not a #fragment", in.URL)
				}
				c.links = append(c.links, in)
			case !in.IsInternal() && !IsSafeURL(in.URL):
				c.errorf("link %q at %s is not an http, https or mailto URL", in.URL, in.Pos)
			}
			c.inlines(in.Content)
		case *Footnote:
			if c.inNote {
				c.errorf("footnote %d is referenced inside a footnote", in.Number)
			}
			if c.notes[in] {
				continue // a note referenced again
			}
			c.notes[in] = true
			c.nextNote++
			if in.Number != c.nextNote {
				c.errorf("footnote number %d, want %d (footnotes count 1, 2, … in reading order)", in.Number, c.nextNote)
			}
			c.claim(in.ID, "footnote "+strconv.Itoa(in.Number))
			was := c.inNote
			c.inNote = true
			c.blocks(in.Blocks)
			c.inNote = was
		case *Image:
			if in.File != nil && !c.files[in.File] {
				c.errorf("image %q at %s: its file is not in Book.Files", in.Src, in.Pos)
			}
			if s, ok := Scheme(in.Src); ok && s != "http" && s != "https" {
				c.errorf("image %q at %s: scheme %s", in.Src, in.Pos, s)
			}
		case nil:
			c.errorf("nil inline")
		default:
			c.errorf("inline %T", in)
		}
	}
}

// target checks a resolved internal link.
func (c *checker) target(l *Link) {
	a := l.Target
	if a.Heading == nil {
		c.errorf("link %q: target without a heading", l.URL)
		return
	}
	if a.ID == "" || a.ID != a.Heading.ID {
		c.errorf("link %q: target id %q is not its heading's id %q", l.URL, a.ID, a.Heading.ID)
	}
	at, ok := c.where[a.Heading]
	switch {
	case !ok:
		c.errorf("link %q: target heading %q is not in the book", l.URL, a.Heading.ID)
	case at != loc{a.Part, a.Chapter}:
		c.errorf("link %q: target says part %d chapter %d, its heading is in part %d chapter %d", l.URL, a.Part, a.Chapter, at.part, at.chapter)
	}
}
