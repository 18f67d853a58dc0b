package compile

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
)

// number assigns heading ids and numbers, as the live site's script does:
// one chapter counter across the whole book for level-2 headings without
// "no-numbering" (the introduction's first numbered chapter is Chapter 1),
// deeper headings numbered N.M below a numbered chapter, and ids taken from
// the id attribute or else made by the site's rule (siteID).
func (c *compiler) number(bk *tree.Book) {
	ids := map[string]*tree.Heading{}
	next := map[string]int{} // id → the suffix to try first for its next duplicate
	assign := func(h *tree.Heading) {
		id := h.ID
		if id == "" {
			id = siteID(h.Title())
		}
		if first, dup := ids[id]; dup {
			// The search starts where the last one for the same id ended,
			// so that many headings of one name cost linear time.
			n := max(next[id], 1)
			for ids[id+"-"+strconv.Itoa(n)] != nil {
				n++
			}
			next[id] = n + 1
			renamed := id + "-" + strconv.Itoa(n)
			c.diags = append(c.diags, diag.Diagnostic{
				Pos: h.Pos, Severity: diag.Warning,
				Msg:   fmt.Sprintf("duplicate id %s renamed to %s", diag.Quote(id), diag.Quote(renamed)),
				Notes: []diag.Note{{Pos: first.Pos, Msg: diag.Quote(id) + " first used here"}},
			})
			id = renamed
		}
		h.ID = id
		ids[id] = h
	}
	chapter := 0
	for i, p := range bk.Parts {
		if p.Heading != nil {
			assign(p.Heading)
			p.ID = p.Heading.ID
		} else {
			p.ID = "part-" + strconv.Itoa(i+1)
			ids[p.ID] = &tree.Heading{Pos: p.Pos}
		}
		c.numberBlocks(p.Blocks, "", assign)
		for _, ch := range p.Chapters {
			h := ch.Heading
			h.Number = ""
			if h.Numbered {
				chapter++
				h.Number = strconv.Itoa(chapter)
			}
			assign(h)
			c.numberBlocks(ch.Blocks, h.Number, assign)
		}
	}
	c.numberBlocks(bk.Back, "", assign)
	c.footnoteIDs(bk, ids)
}

// footnoteIDs numbers the footnotes 1, 2, … in reading order (a note
// referenced again keeps its number) and gives each its id, "fn-N", or
// "fn-N-1", "fn-N-2", … when a heading already has that id.
func (c *compiler) footnoteIDs(bk *tree.Book, ids map[string]*tree.Heading) {
	n := 0
	tree.Walk(bk, func(_ tree.Block, in tree.Inline) bool {
		fn, ok := in.(*tree.Footnote)
		if !ok || fn.ID != "" {
			return true
		}
		n++
		fn.Number = n
		id := "fn-" + strconv.Itoa(n)
		for k := 1; ids[id] != nil; k++ {
			id = "fn-" + strconv.Itoa(n) + "-" + strconv.Itoa(k)
		}
		fn.ID = id
		ids[id] = &tree.Heading{}
		return true
	})
}

// numberBlocks numbers the headings below a chapter numbered prefix ("" for
// an unnumbered chapter, whose sub-headings stay unnumbered too).
//
// A note referenced in several places is numbered where it is first
// referenced, once.
func (c *compiler) numberBlocks(bs []tree.Block, prefix string, assign func(*tree.Heading)) {
	var counters [7]int
	tree.WalkBlocks(bs, func(b tree.Block, in tree.Inline) bool {
		if fn, ok := in.(*tree.Footnote); ok {
			if c.numberedNotes[fn] {
				return false
			}
			c.numberedNotes[fn] = true
		}
		h, ok := b.(*tree.Heading)
		if !ok {
			return true
		}
		h.Number = ""
		if prefix == "" || h.Level < 3 {
			h.Numbered = false
		}
		if h.Numbered {
			counters[h.Level]++
			for l := h.Level + 1; l < len(counters); l++ {
				counters[l] = 0
			}
			num := prefix
			for l := 3; l <= h.Level; l++ {
				num += "." + strconv.Itoa(counters[l])
			}
			h.Number = num
		}
		assign(h)
		return false
	})
}

// siteID is the id the site's script gives a heading without one: the
// title in lower case with each run of white space turned into "-".
func siteID(title string) string {
	id := strings.Join(strings.Fields(strings.ToLower(title)), "-")
	if id == "" {
		return "section"
	}
	return id
}

// githubSlug is the GitHub/kramdown-style slug of a title: lower case,
// punctuation dropped except "-" and "_", spaces turned into "-". Authors
// often link headings this way (`#tool-use-and-agents` for
// `Tool Use and "Agents"`).
func githubSlug(title string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(title)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			sb.WriteRune(r)
		case r == ' ':
			sb.WriteByte('-')
		}
	}
	return sb.String()
}
