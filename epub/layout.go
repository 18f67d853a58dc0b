package epub

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/compile/words"
)

// Content document names. They double as go-epub's manifest ids, so each
// must be a valid XML name: a letter first, no spaces.
const (
	coverFile    = "cover.xhtml"
	titleFile    = "title.xhtml"
	colophonFile = "colophon.xhtml"
	whatsNewFile = "whatsnew.xhtml"
	introFile    = "intro.xhtml"
	creditsFile  = "credits.xhtml"
	navFile      = "nav.xhtml" // go-epub's name, in the package directory
	ncxFile      = "toc.ncx"   // likewise
)

// Ids of our own elements. They are claimed before any tree id so that a
// heading that happens to share one gets a suffix instead.
var reservedIDs = []string{"cover", "titlepage", "book-title", "toc", "toc-title", "landmarks", "landmarks-title", "credits", "credits-title", "colophon", "colophon-title", "whatsnew", "whatsnew-title"}

// docKind says what a content document holds.
type docKind int

const (
	kindCover docKind = iota
	kindTitle
	kindColophon // the credits after the title page: author, version, source, citation, how the book was made
	kindWhatsNew // what changed since the earlier release (tree.Changes), when the book was compared with one
	kindIntro    // the introduction part: heading, blocks and its chapters up to the first numbered one
	kindPart     // a part opener: label, title, summary, the part's blocks
	kindChapter  // one chapter
	kindCredits
)

// doc is one XHTML content document in reading order.
type doc struct {
	kind    docKind
	name    string // file name, e.g. "ch-001.xhtml"
	parent  string // the part opener a chapter belongs to ("" for top level)
	title   string // the <title>
	part    int    // index into Book.Parts (intro, part, chapter)
	chapter int    // index into Part.Chapters (chapter)
}

// layout decides the book's files and ids: which file every part and
// chapter goes to, and the XML id of every heading and footnote.
type layout struct {
	wd       *words.Words // the words the book prints in its language
	book     *tree.Book
	docs     []*doc
	partFile []string   // by part index
	chapFile [][]string // by part index, chapter index
	ids      map[string]string
	used     map[string]bool
	next     map[string]int // id → the suffix unique tries first for it
	notes    map[*tree.Footnote]noteIDs
	pb       *pageBreaks // the page list placed in the documents; nil for none
}

type noteIDs struct{ note, ref string }

func newLayout(b *tree.Book) *layout {
	l := &layout{
		wd:    words.For(b.Meta.Language),
		book:  b,
		ids:   map[string]string{},
		used:  map[string]bool{},
		next:  map[string]int{},
		notes: map[*tree.Footnote]noteIDs{},
	}
	for _, id := range reservedIDs {
		l.used[id] = true
	}
	l.docs = append(l.docs,
		&doc{kind: kindCover, name: coverFile, title: l.wd.Cover},
		&doc{kind: kindTitle, name: titleFile, title: l.wd.TitlePage},
		&doc{kind: kindColophon, name: colophonFile, title: l.wd.Colophon})
	if b.Changes != nil {
		l.docs = append(l.docs, &doc{kind: kindWhatsNew, name: whatsNewFile, title: l.wd.WhatsNew})
	}
	chapters, parts := 0, 0
	l.partFile = make([]string, len(b.Parts))
	l.chapFile = make([][]string, len(b.Parts))
	for i, p := range b.Parts {
		l.chapFile[i] = make([]string, len(p.Chapters))
		first := 0 // the first chapter with a file of its own
		var opener string
		if i == 0 && p.Number == 0 {
			// The introduction is one continuous essay: its unnumbered
			// sub-sections stay in its single file instead of becoming
			// page-long chapter files. From its first numbered chapter
			// ("Chapter 1: Preliminaries") on, its chapters are chapters
			// like any other, each in a file of its own.
			opener = introFile
			l.docs = append(l.docs, &doc{kind: kindIntro, name: introFile, title: p.FullTitle(), part: i})
			for first < len(p.Chapters) && p.Chapters[first].Heading.Number == "" {
				l.chapFile[i][first] = introFile
				first++
			}
		} else {
			parts++
			opener = fmt.Sprintf("part-%02d.xhtml", parts)
			l.docs = append(l.docs, &doc{kind: kindPart, name: opener, title: p.FullTitle(), part: i})
		}
		l.partFile[i] = opener
		for j := first; j < len(p.Chapters); j++ {
			chapters++
			name := fmt.Sprintf("ch-%03d.xhtml", chapters)
			l.chapFile[i][j] = name
			l.docs = append(l.docs, &doc{kind: kindChapter, name: name, parent: opener, title: p.Chapters[j].Heading.FullTitle(), part: i, chapter: j})
		}
	}
	l.docs = append(l.docs, &doc{kind: kindCredits, name: creditsFile, title: l.wd.Credits})

	// Ids in document order, so that suffixes for collisions depend on the
	// tree alone.
	for _, p := range b.Parts {
		l.claim(p.ID)
		if p.Heading != nil && p.Heading.ID != p.ID {
			l.ids[p.Heading.ID] = l.ids[p.ID] // the part heading is rendered with the part's id
		}
	}
	tree.Walk(b, func(bl tree.Block, in tree.Inline) bool {
		switch n := bl.(type) {
		case *tree.Heading:
			if _, ok := l.ids[n.ID]; !ok {
				l.claim(n.ID)
			}
		}
		if fn, ok := in.(*tree.Footnote); ok {
			if _, seen := l.notes[fn]; !seen {
				// The compiler sets every note's id ("fn-3"); the
				// reference's is derived from it ("fnref-3").
				ref := "fnref-" + fn.ID
				if rest, ok := strings.CutPrefix(fn.ID, "fn-"); ok {
					ref = "fnref-" + rest
				}
				l.notes[fn] = noteIDs{note: l.unique(xmlID(fn.ID, "fn")), ref: l.unique(xmlID(ref, "fnref"))}
			}
		}
		return true
	})
	return l
}

// claim maps a tree id to a unique valid XML id.
func (l *layout) claim(treeID string) string {
	id := l.unique(xmlID(treeID, "h"))
	l.ids[treeID] = id
	return id
}

// unique returns id, or id with the first free "-N" suffix.
//
// The search for a suffix starts where the last one for the same id
// ended: ids are never released, so the suffixes below it are still
// taken, and a book with many headings of one name ("Exercises") costs
// linear rather than quadratic time.
func (l *layout) unique(id string) string {
	if !l.used[id] {
		l.used[id] = true
		return id
	}
	n := max(l.next[id], 2)
	cand := id + "-" + strconv.Itoa(n)
	for l.used[cand] {
		n++
		cand = id + "-" + strconv.Itoa(n)
	}
	l.next[id] = n + 1
	l.used[cand] = true
	return cand
}

// id returns the XML id of the element rendered for a tree id; "" when the
// tree id belongs to no heading of the book.
func (l *layout) id(treeID string) string { return l.ids[treeID] }

// fileOf returns the file that holds an anchor's heading, "" when the
// anchor points outside the book.
func (l *layout) fileOf(a *tree.Anchor) string {
	if a.Part < 0 || a.Part >= len(l.partFile) {
		return ""
	}
	if a.Chapter == -2 {
		return creditsFile // the back matter
	}
	if a.Chapter < 0 {
		return l.partFile[a.Part]
	}
	if a.Chapter >= len(l.chapFile[a.Part]) {
		return ""
	}
	return l.chapFile[a.Part][a.Chapter]
}

// href returns "file.xhtml#id" for a resolved internal link, relative to
// the content directory, or "" for a link that cannot be resolved.
func (l *layout) href(a *tree.Anchor) string {
	if a == nil {
		return ""
	}
	file, id := l.fileOf(a), l.id(a.ID)
	if id == "" && a.Heading != nil {
		id = l.id(a.Heading.ID)
	}
	if file == "" || id == "" {
		return ""
	}
	return file + "#" + id
}

// xmlID turns s into an XML NCName (what an XHTML id must be): ASCII
// letters, digits, '-', '_' and '.', starting with a letter or '_'. Runs
// of other characters become one '-'; a leading digit or punctuation gets
// the prefix "id-". An empty result becomes fallback.
func xmlID(s, fallback string) string {
	if isNCName(s) {
		return s // the usual case, and the loop below would return it too
	}
	var sb strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.':
			sb.WriteRune(r)
			dash = false
		case r == '-':
			sb.WriteByte('-')
			dash = true
		default:
			if !dash && sb.Len() > 0 {
				sb.WriteByte('-')
				dash = true
			}
		}
	}
	id := strings.TrimRight(sb.String(), "-")
	if id == "" {
		id = fallback
	}
	if c := id[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
		id = "id-" + id
	}
	return id
}

// isNCName reports whether s is already what xmlID makes of it: not
// empty, only ASCII letters, digits, '-', '_' and '.', a letter or '_'
// first and no '-' last.
func isNCName(s string) bool {
	if s == "" || s[len(s)-1] == '-' {
		return false
	}
	if c := s[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// relTo returns the href of target (relative to the content directory)
// as seen from a document in dir ("" for the package directory, "xhtml"
// for content documents).
func relTo(dir, target string) string {
	if dir == "" {
		return path.Join(xhtmlDir, target)
	}
	return target
}

// xhtmlDir is where go-epub puts content documents, below the package
// directory.
const xhtmlDir = "xhtml"
