package words

import (
	"fmt"

	"github.com/genai-handbook/handbook/compile/tree"
)

// Group is one list of the "What's new" page; ChangeGroups holds their
// headings in this order.
type Group int

// The page's lists, in the order it gives them.
const (
	NewChapters Group = iota
	UpdatedChapters
	RenamedChapters
	MovedChapters
	RemovedChapters
	NewResources
	RemovedResources
)

// Changed is one list of the page: its heading and its entries.
type Changed struct {
	Group   Group
	Heading string
	Entries []ChangeEntry
}

// ChangeEntry is one line of a list: a chapter, or a resource and the
// chapter it is in.
type ChangeEntry struct {
	Title  string // the chapter's full title, or the resource's
	URL    string // the resource's address; "" for a chapter
	ID     string // the chapter's heading id, where a reader goes; "" for a removed chapter
	Detail string // what changed: "+12 / −3 words", "in Chapter 2: …"; "" for a new or removed chapter
}

// Changes returns the "What's new" page of a book whose version is
// version ("" when it has none): its heading and its lists, those that
// are not empty, in Group order. A book with no changes has no lists
// (the page says NoChanges).
func (w *Words) Changes(cs *tree.Changes, version string) (heading string, lists []Changed) {
	heading = w.WhatsNew
	if version != "" {
		heading = fmt.Sprintf(w.WhatsNewIn, version)
	}
	heading += fmt.Sprintf(w.WhatsNewSince, cs.Since)
	var byGroup [7][]ChangeEntry
	add := func(g Group, e ChangeEntry) { byGroup[g] = append(byGroup[g], e) }
	for _, c := range cs.Chapters {
		switch {
		case c.New:
			add(NewChapters, ChangeEntry{Title: c.Title, ID: c.ID})
			continue
		case c.Removed:
			add(RemovedChapters, ChangeEntry{Title: c.Title})
			continue
		}
		if c.Plus > 0 || c.Minus > 0 {
			add(UpdatedChapters, ChangeEntry{Title: c.Title, ID: c.ID, Detail: fmt.Sprintf(w.WordsChanged, c.Plus, c.Minus)})
		}
		if c.OldTitle != "" {
			add(RenamedChapters, ChangeEntry{Title: c.Title, ID: c.ID, Detail: fmt.Sprintf(w.Formerly, c.OldTitle)})
		}
		if c.OldPart != "" {
			add(MovedChapters, ChangeEntry{Title: c.Title, ID: c.ID, Detail: fmt.Sprintf(w.MovedFrom, c.OldPart)})
		}
		for _, r := range c.Added {
			add(NewResources, ChangeEntry{Title: r.Title, URL: r.URL, ID: c.ID, Detail: fmt.Sprintf(w.InChapter, c.Title)})
		}
		for _, r := range c.Dropped {
			add(RemovedResources, ChangeEntry{Title: r.Title, URL: r.URL, ID: c.ID, Detail: fmt.Sprintf(w.FromChapter, c.Title)})
		}
	}
	for g, es := range byGroup {
		if len(es) > 0 {
			lists = append(lists, Changed{Group: Group(g), Heading: w.ChangeGroups[g], Entries: es})
		}
	}
	return heading, lists
}
