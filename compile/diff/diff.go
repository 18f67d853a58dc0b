// Package diff compares two compiled books, an earlier release and this
// one, chapter by chapter: what the books' "What's new" page and the
// release notes list (tree.Changes). It reads the trees only; which
// release is the earlier one, and how its source is read, is the
// pipeline's business.
//
// A chapter of this book is the chapter of the earlier one with the same
// heading id; failing that, the one with the same title; failing that,
// the one whose text is mostly the same (the handbook's chapter ids are
// made from their titles, so a renamed chapter's id changes). A chapter
// is renamed when its title changed, moved when it is in another part,
// updated when its text gained or lost words, compared word by word
// with whitespace and the shapes of quotes left out, or links to other
// outside resources (by URL).
package diff

import (
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
)

// similar is how much of their words two chapters that have neither id
// nor title in common must share to be one chapter renamed: 2·common /
// (old + new).
const similar = 0.6

// chapter is one chapter of a book, with what the comparison reads.
type chapter struct {
	part, index int
	p           *tree.Part
	c           *tree.Chapter
	words       []string
	links       []tree.Resource
	match       *chapter // its counterpart in the other book
}

// Compare returns what changed from old, the earlier release (its
// version since), to book; Chapters is empty when nothing did. Neither
// book is modified.
func Compare(old, book *tree.Book, since string) *tree.Changes {
	cs := &tree.Changes{Since: since}
	was, now := chapters(old), chapters(book)
	pair := func(o, n *chapter) { o.match, n.match = n, o }
	byID := map[string]*chapter{}
	for _, o := range was {
		byID[o.c.Heading.ID] = o
	}
	for _, n := range now {
		if o := byID[n.c.Heading.ID]; o != nil && o.match == nil {
			pair(o, n)
		}
	}
	byTitle := map[string]*chapter{}
	for _, o := range was {
		if o.match == nil {
			byTitle[norm(o.c.Heading.Title())] = o
		}
	}
	for _, n := range now {
		if o := byTitle[norm(n.c.Heading.Title())]; n.match == nil && o != nil && o.match == nil {
			pair(o, n)
		}
	}
	for _, n := range now {
		if n.match != nil || len(n.words) == 0 {
			continue
		}
		var best *chapter
		bestScore := similar
		for _, o := range was {
			if o.match != nil || len(o.words) == 0 {
				continue
			}
			if s := 2 * float64(common(o.words, n.words)) / float64(len(o.words)+len(n.words)); s >= bestScore {
				best, bestScore = o, s
			}
		}
		if best != nil {
			pair(best, n)
		}
	}

	for _, n := range now {
		ch := &tree.Change{ID: n.c.Heading.ID, Part: n.part, Chapter: n.index, Title: n.c.Heading.FullTitle()}
		o := n.match
		if o == nil {
			ch.New = true
			cs.Chapters = append(cs.Chapters, ch)
			continue
		}
		if t := o.c.Heading.Title(); norm(t) != norm(n.c.Heading.Title()) {
			ch.OldTitle = t
		}
		if o.p.ID != n.p.ID && norm(o.p.Title) != norm(n.p.Title) {
			ch.OldPart = o.p.FullTitle()
		}
		same := common(o.words, n.words)
		ch.Plus, ch.Minus = len(n.words)-same, len(o.words)-same
		ch.Added, ch.Dropped = minus(n.links, o.links), minus(o.links, n.links)
		if ch.OldTitle != "" || ch.OldPart != "" || ch.Updated() {
			cs.Chapters = append(cs.Chapters, ch)
		}
	}
	for _, o := range was {
		if o.match == nil {
			cs.Chapters = append(cs.Chapters, &tree.Change{Part: -1, Chapter: -1, Title: o.c.Heading.FullTitle(), Removed: true})
		}
	}
	return cs
}

// chapters lists bk's chapters in reading order, with their words and
// outside links.
func chapters(bk *tree.Book) []*chapter {
	var out []*chapter
	for i, p := range bk.Parts {
		for j, c := range p.Chapters {
			ch := &chapter{part: i, index: j, p: p, c: c}
			seen := map[string]bool{}
			tree.WalkBlocks(c.Blocks, func(b tree.Block, in tree.Inline) bool {
				switch x := in.(type) {
				case *tree.Text:
					ch.words = append(ch.words, strings.Fields(norm(x.Text))...)
				case *tree.Code:
					ch.words = append(ch.words, strings.Fields(x.Text)...)
				case *tree.Image:
					ch.words = append(ch.words, strings.Fields(norm(x.Alt))...)
				case *tree.Link:
					if !x.IsInternal() && tree.IsSafeURL(x.URL) && !seen[x.URL] {
						seen[x.URL] = true
						title := strings.Join(strings.Fields(tree.PlainText(x.Content)), " ")
						if title == "" {
							title = x.URL
						}
						ch.links = append(ch.links, tree.Resource{URL: x.URL, Title: title})
					}
				}
				if cb, ok := b.(*tree.CodeBlock); ok {
					ch.words = append(ch.words, strings.Fields(cb.Text)...)
				}
				return true
			})
			out = append(out, ch)
		}
	}
	return out
}

// quotes are the shapes of quotes that count as the same quote: the
// compiler's typographic ones and the source's straight ones.
var quotes = strings.NewReplacer("‘", "'", "’", "'", "“", `"`, "”", `"`, "\u00a0", " ")

// norm is s with its quotes straight and its spaces single.
func norm(s string) string { return strings.Join(strings.Fields(quotes.Replace(s)), " ") }

// minus returns the resources of a whose URL b lacks, in a's order.
func minus(a, b []tree.Resource) []tree.Resource {
	in := map[string]bool{}
	for _, r := range b {
		in[r.URL] = true
	}
	var out []tree.Resource
	for _, r := range a {
		if !in[r.URL] {
			out = append(out, r)
		}
	}
	return out
}

// maxCells bounds the table the longest common subsequence is found
// with; two texts whose differing middles are larger than that are
// compared as bags of words (a chapter rewritten throughout).
const maxCells = 16 << 20

// common returns how many words a and b have in common, in order: the
// length of their longest common subsequence.
func common(a, b []string) int {
	n := 0
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		a, b, n = a[1:], b[1:], n+1
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b, n = a[:len(a)-1], b[:len(b)-1], n+1
	}
	if len(a) == 0 || len(b) == 0 {
		return n
	}
	if len(a)*len(b) > maxCells {
		bag := map[string]int{}
		for _, w := range a {
			bag[w]++
		}
		for _, w := range b {
			if bag[w] > 0 {
				bag[w]--
				n++
			}
		}
		return n
	}
	prev, cur := make([]int32, len(b)+1), make([]int32, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			case prev[j+1] >= cur[j]:
				cur[j+1] = prev[j+1]
			default:
				cur[j+1] = cur[j]
			}
		}
		prev, cur = cur, prev
	}
	return n + int(prev[len(b)])
}
