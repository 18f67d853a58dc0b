package tree

import (
	"fmt"
	"strconv"
)

// Stats summarises a book for `handbook check`.
type Stats struct {
	Introductions    int // parts that are not sections (the introduction)
	Sections         int // parts from <div class="section">
	Chapters         int // numbered chapters
	Words            int // the words a reader reads (ReadingWords): the parts', chapters' and back matter's
	ExternalLinks    int // link occurrences leaving the book, author block included
	InternalLinks    int // #fragment links
	InternalResolved int // #fragment links that found their heading
	Footnotes        int
	Images           int
}

// Count computes the statistics of a book: the summary `handbook check`
// prints, and the build report's chapter count.
func Count(bk *Book) Stats {
	var s Stats
	for _, p := range bk.Parts {
		s.Words += p.Words
		if p.Number > 0 {
			s.Sections++
		} else {
			s.Introductions++
		}
		for _, ch := range p.Chapters {
			s.Words += ch.Words
			if ch.Heading.Number != "" {
				s.Chapters++
			}
		}
	}
	for _, l := range bk.Meta.AuthorLinks {
		if !l.IsInternal() {
			s.ExternalLinks++
		}
	}
	if bk.Meta.VersionURL != "" {
		s.ExternalLinks++
	}
	s.Words += ReadingWords(bk.Back)
	Walk(bk, func(b Block, in Inline) bool {
		switch n := in.(type) {
		case *Link:
			if n.IsInternal() {
				s.InternalLinks++
				if n.Target != nil {
					s.InternalResolved++
				}
			} else {
				s.ExternalLinks++
			}
		case *Footnote:
			s.Footnotes++
		case *Image:
			s.Images++
		}
		return true
	})
	return s
}

// Summary is the book's summary as `handbook check` prints it, two lines:
// "Title v0.1: 1 introduction + 9 parts, 53 numbered chapters, 11192
// words" and "links: 293 external, 13 of 13 internal resolved".
func (s Stats) Summary(b *Book) string {
	title := b.Meta.Title
	if b.Meta.Version != "" {
		title += " " + b.Meta.Version
	}
	return fmt.Sprintf("%s: %s + %s, %s, %s\nlinks: %d external, %d of %d internal resolved\n", title,
		plural(s.Introductions, "introduction"), plural(s.Sections, "part"),
		plural(s.Chapters, "numbered chapter"), plural(s.Words, "word"),
		s.ExternalLinks, s.InternalResolved, s.InternalLinks)
}

// plural returns "1 part", "9 parts".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
