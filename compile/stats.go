package compile

import "github.com/genai-handbook/handbook/compile/tree"

// Stats summarises a book for `handbook check`.
type Stats struct {
	Introductions    int // parts that are not sections (the introduction)
	Sections         int // parts from <div class="section">
	Chapters         int // numbered chapters
	Words            int // the words a reader reads (tree.ReadingWords): the parts', chapters' and back matter's
	ExternalLinks    int // link occurrences leaving the book, author block included
	InternalLinks    int // #fragment links
	InternalResolved int // #fragment links that found their heading
	Footnotes        int
	Images           int
}

// Count computes the statistics of a book.
func Count(bk *tree.Book) Stats {
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
	s.Words += tree.ReadingWords(bk.Back)
	tree.Walk(bk, func(b tree.Block, in tree.Inline) bool {
		switch n := in.(type) {
		case *tree.Link:
			if n.IsInternal() {
				s.InternalLinks++
				if n.Target != nil {
					s.InternalResolved++
				}
			} else {
				s.ExternalLinks++
			}
		case *tree.Footnote:
			s.Footnotes++
		case *tree.Image:
			s.Images++
		}
		return true
	})
	return s
}
