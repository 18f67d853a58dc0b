package tree

import (
	"strconv"
	"strings"
)

// Changes is what changed in the book since an earlier release, chapter
// by chapter: what the books' "What's new" page and the release notes
// (CHANGES.md) list. The pipeline sets it (package diff compares the two
// books) before any backend sees the book; nil means the book has no
// earlier release to compare with, and no such page.
type Changes struct {
	Since    string    // the earlier release's version, "v0.1"; never empty
	Chapters []*Change // the chapters that changed: this book's in reading order, then the removed ones in the earlier book's order
}

// Change is one chapter that is new, changed or gone. A chapter of both
// books is the same chapter when its heading's id is the same (titles
// may change), or, failing that, its title, or most of its text.
type Change struct {
	// ID is the chapter heading's id in this book; Part and Chapter
	// index it in Parts and Part.Chapters. For a removed chapter ID is
	// "" and Part and Chapter are -1.
	ID            string
	Part, Chapter int
	Title         string // the chapter's FullTitle in this book; a removed chapter's in the earlier one
	New           bool   // not in the earlier book
	Removed       bool   // only in the earlier book
	OldTitle      string // its title (Heading.Title, no number) in the earlier book, when it was renamed; else ""
	OldPart       string // the FullTitle of the part it was in, when it moved to another part; else ""
	// Plus and Minus count the words added to and removed from its text
	// (whitespace and quotes' shapes left out); both 0 when the text is
	// the same, and for a new or removed chapter.
	Plus, Minus int
	// Added and Dropped are the outside resources (external links, by
	// URL) its text gained and lost, in reading order; nil for a new or
	// removed chapter, whose every link is new or gone with it.
	Added, Dropped []Resource
}

// Resource is an outside resource a chapter links to.
type Resource struct {
	URL   string // an http, https or mailto URL (IsSafeURL)
	Title string // the link's text; the URL when it has none
}

// Updated reports whether the chapter's text or resources changed.
func (c *Change) Updated() bool {
	return c.Plus > 0 || c.Minus > 0 || len(c.Added) > 0 || len(c.Dropped) > 0
}

// Of returns the change of the chapter whose heading's id is id, nil
// when it did not change (or cs is nil): the contents mark a new chapter
// and an updated one.
func (cs *Changes) Of(id string) *Change {
	if cs == nil || id == "" {
		return nil
	}
	for _, c := range cs.Chapters {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// changes checks Book.Changes (see Check).
func (c *checker) changes() {
	cs := c.book.Changes
	if cs == nil {
		return
	}
	c.at = "changes: "
	if cs.Since == "" {
		c.errorf("no earlier version")
	}
	for _, ch := range cs.Chapters {
		switch {
		case ch == nil:
			c.errorf("nil change")
			continue
		case ch.Removed:
			if ch.ID != "" || ch.Part != -1 || ch.Chapter != -1 || ch.New {
				c.errorf("removed chapter %q has a place in the book", ch.Title)
			}
		case ch.Part < 0 || ch.Part >= len(c.book.Parts) || ch.Chapter < 0 || ch.Chapter >= len(c.book.Parts[ch.Part].Chapters):
			c.errorf("chapter %q at part %d, chapter %d: no such chapter", ch.Title, ch.Part, ch.Chapter)
		case c.book.Parts[ch.Part].Chapters[ch.Chapter].Heading.ID != ch.ID:
			c.errorf("chapter %q: id %q is not its heading's", ch.Title, ch.ID)
		}
		if ch.Title == "" {
			c.errorf("a change without a title")
		}
		for _, r := range append(append([]Resource(nil), ch.Added...), ch.Dropped...) {
			if !IsSafeURL(r.URL) || r.Title == "" {
				c.errorf("chapter %q: resource %q (%q) is not a titled http, https or mailto URL", ch.Title, r.Title, r.URL)
			}
		}
	}
}

// changes dumps Book.Changes, when set: "changes since v0.1", then a
// line a chapter ("new #id", "updated #id +3 -1", "renamed #id from
// "Old"", …) and one a resource ("+ url "title"", "- url …").
func (d *dumper) changes(cs *Changes) {
	if cs == nil {
		return
	}
	d.line(0, "changes since %s", cs.Since)
	for _, c := range cs.Chapters {
		var what []string
		switch {
		case c.New:
			what = append(what, "new")
		case c.Removed:
			what = append(what, "removed")
		}
		if c.OldTitle != "" {
			what = append(what, "renamed from "+strconv.Quote(c.OldTitle))
		}
		if c.OldPart != "" {
			what = append(what, "moved from "+strconv.Quote(c.OldPart))
		}
		if c.Plus > 0 || c.Minus > 0 {
			what = append(what, "text +"+strconv.Itoa(c.Plus)+" -"+strconv.Itoa(c.Minus))
		}
		d.line(1, "%s #%s %q: %s", "chapter", c.ID, c.Title, strings.Join(what, ", "))
		for _, r := range c.Added {
			d.line(2, "+ %s %q", r.URL, r.Title)
		}
		for _, r := range c.Dropped {
			d.line(2, "- %s %q", r.URL, r.Title)
		}
	}
}
