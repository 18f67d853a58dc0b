package compile

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
)

// resolve points every #fragment link at its heading. Besides exact ids it
// accepts two forms that are broken on the live site but whose intent is
// plain: the GitHub-style slug of a heading's title, and a part's title
// without its "Section IV: " label. A fragment that matches nothing is a
// warning with the closest id as a suggestion.
func (c *compiler) resolve(bk *tree.Book) {
	exact := map[string]*tree.Anchor{}
	alias := map[string]*tree.Anchor{}
	var ids []string
	addAlias := func(key string, a *tree.Anchor) {
		if key == "" {
			return
		}
		if _, ok := alias[key]; !ok {
			alias[key] = a
		}
	}
	add := func(h *tree.Heading, part, chapter int) {
		a := &tree.Anchor{ID: h.ID, Part: part, Chapter: chapter, Heading: h}
		exact[h.ID] = a
		ids = append(ids, h.ID)
		addAlias(githubSlug(h.Title()), a)
		addAlias(kramdownID(h.Title()), a)
	}
	seenNotes := map[*tree.Footnote]bool{} // a note referenced twice is where it is first referenced
	headings := func(bs []tree.Block, part, chapter int) {
		tree.WalkBlocks(bs, func(b tree.Block, in tree.Inline) bool {
			if fn, ok := in.(*tree.Footnote); ok {
				if seenNotes[fn] {
					return false
				}
				seenNotes[fn] = true
			}
			if h, ok := b.(*tree.Heading); ok {
				add(h, part, chapter)
				return false
			}
			return true
		})
	}
	partAnchor := map[*tree.Part]*tree.Anchor{}
	for pi, p := range bk.Parts {
		if p.Heading != nil {
			add(p.Heading, pi, -1)
			a := exact[p.ID]
			partAnchor[p] = a
			addAlias(siteID(p.Title), a)
			addAlias(githubSlug(p.Title), a)
		}
		headings(p.Blocks, pi, -1)
		for ci, ch := range p.Chapters {
			add(ch.Heading, pi, ci)
			headings(ch.Blocks, pi, ci)
		}
	}
	// Headings in the back matter are link targets too; they belong to the
	// last part for backends that need a part index, with chapter -2.
	headings(bk.Back, len(bk.Parts)-1, -2)
	divIDs := make([]string, 0, len(c.divIDs))
	for id := range c.divIDs {
		divIDs = append(divIDs, id)
	}
	sort.Strings(divIDs)
	for _, id := range divIDs {
		if a := partAnchor[c.divIDs[id]]; a != nil {
			addAlias(id, a)
		}
	}

	suggested := 0
	for _, l := range tree.Links(bk) {
		if !l.IsInternal() {
			continue
		}
		frag := l.URL[1:]
		if u, err := url.PathUnescape(frag); err == nil {
			frag = u
		}
		if a := exact[frag]; a != nil {
			l.Target = a
			continue
		}
		if a := alias[frag]; a != nil {
			l.Target = a
			continue
		}
		if a := alias[strings.ToLower(frag)]; a != nil {
			l.Target = a
			continue
		}
		text := linkText(l.Content, l.URL)
		msg := fmt.Sprintf("link %s points to the unknown anchor %s: the book shows its text without a link", diag.Quote(text), diag.Quote(l.URL))
		// Each suggestion compares the fragment with every id; past a
		// hundred broken links (a book gone badly wrong) the search would
		// cost time quadratic in the book's size, and a hundred
		// suggestions are enough to go on with.
		suggested++
		if s := ""; suggested <= maxSuggestions {
			if s = closest(frag, ids); s != "" {
				msg += "; did you mean " + diag.Quote("#"+s) + "?"
			}
		}
		c.diags.Warnf(l.Pos, "%s", msg)
	}
}

// maxSuggestions bounds the broken links that get a "did you mean".
const maxSuggestions = 100

// kramdownID is kramdown's auto id for a markdown heading: letters,
// digits, spaces and hyphens kept, spaces turned into hyphens, leading
// non-letters dropped.
func kramdownID(title string) string {
	var sb strings.Builder
	started := false
	for _, r := range strings.ToLower(title) {
		isLetter := r >= 'a' && r <= 'z'
		if !started && !isLetter {
			continue
		}
		started = true
		switch {
		case isLetter || r >= '0' && r <= '9' || r == '-':
			sb.WriteRune(r)
		case r == ' ':
			sb.WriteByte('-')
		}
	}
	return sb.String()
}

// closest returns the id nearest to s by edit distance, if it is near
// enough to be a plausible typo.
func closest(s string, ids []string) string {
	best, bestD := "", len(s)/3+2
	for _, id := range ids {
		if d := diag.EditDistance(s, id, bestD); d < bestD {
			best, bestD = id, d
		}
	}
	return best
}
