package epub

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
)

// This file carries a print edition's page numbers into the book: a
// page-break marker where each printed page begins, in the text, and the
// page list in the navigation document, so that "Chapter 12, p. 47" from
// a printed copy can be found on an e-reader.

// pageID is the id of page label's marker: "page-47", "page-iii".
// Labels are page numbers; anything else in one is dropped.
func pageID(label string) string {
	var sb strings.Builder
	sb.WriteString("page-")
	for _, c := range label {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			sb.WriteRune(c)
		}
	}
	return sb.String()
}

// pageBreaks indexes a page list by block, each block's breaks in list
// order, and records the document each break lands in.
type pageBreaks struct {
	byBlock map[tree.Block][]tree.PageStart
	doc     map[string]string // label → the content document it is in
	lastDoc string            // the document that receives the breaks after the book's text
	// byDoc lists each document's breaks in list order, and written the
	// labels whose marker is written: a marker is written once (its id
	// is unique by construction), and a break its document did not
	// reach while writing its text is written at the document's end
	// (see rest), so that every entry of the page list has its target.
	byDoc   map[string][]tree.PageStart
	written map[string]bool
}

// newPageBreaks places list in l's documents.
func newPageBreaks(b *tree.Book, l *layout, list []tree.PageStart) *pageBreaks {
	pb := &pageBreaks{byBlock: map[tree.Block][]tree.PageStart{}, doc: map[string]string{}, byDoc: map[string][]tree.PageStart{}, written: map[string]bool{}}
	if len(list) == 0 {
		return pb
	}
	// The document of every block, as body renders them.
	docOf := map[tree.Block]string{}
	walk := func(file string, bs []tree.Block) {
		tree.WalkBlocks(bs, func(b tree.Block, _ tree.Inline) bool {
			if b != nil {
				if _, ok := docOf[b]; !ok {
					docOf[b] = file
				}
			}
			return true
		})
	}
	for i, p := range b.Parts {
		if p.Heading != nil {
			docOf[p.Heading] = l.partFile[i]
		}
		walk(l.partFile[i], p.Blocks)
		for j, c := range p.Chapters {
			docOf[c.Heading] = l.chapFile[i][j]
			walk(l.chapFile[i][j], c.Blocks)
		}
	}
	walk(creditsFile, b.Back)
	pb.lastDoc = creditsFile
	if len(b.Back) == 0 {
		pb.lastDoc = l.docs[len(l.docs)-1].name
	}
	for _, br := range list {
		if _, dup := pb.doc[br.Label]; dup {
			continue // a label is one page: its first break counts
		}
		if br.Block == nil {
			pb.doc[br.Label] = pb.lastDoc
			continue
		}
		f, ok := docOf[br.Block]
		if !ok {
			// Not a block of this book: keep it, at the end.
			br.Block = nil
			pb.doc[br.Label] = pb.lastDoc
			continue
		}
		pb.byBlock[br.Block] = append(pb.byBlock[br.Block], br)
		pb.doc[br.Label] = f
	}
	queued := map[string]bool{}
	for _, br := range list {
		if !queued[br.Label] {
			queued[br.Label] = true
			d := pb.doc[br.Label]
			pb.byDoc[d] = append(pb.byDoc[d], br)
		}
	}
	for _, brs := range pb.byBlock {
		sort.SliceStable(brs, func(i, j int) bool { return brs[i].Word < brs[j].Word })
	}
	return pb
}

// marker writes the page-break marker of br, unless it is written
// already.
func (r *renderer) marker(br tree.PageStart) {
	if r.pb.written[br.Label] {
		return
	}
	r.pb.written[br.Label] = true
	r.s(`<span epub:type="pagebreak" role="doc-pagebreak"`)
	r.attr("id", pageID(br.Label))
	r.attr("aria-label", br.Label)
	r.s("/>")
}

// begin starts counting the words of block b, whose page breaks come
// before its words (see wtext). Breaks at word 0 of a block that writes
// no words of its own first (a heading's label, a figure) are written at
// once.
func (r *renderer) begin(b tree.Block, now bool) {
	if r.pb == nil {
		return
	}
	r.pending = r.pb.byBlock[b]
	r.word, r.gap = 0, true
	for now && len(r.pending) > 0 && r.pending[0].Word <= 0 {
		r.marker(r.pending[0])
		r.pending = r.pending[1:]
	}
}

// end writes the breaks of the block that its words did not reach.
func (r *renderer) end() {
	for _, br := range r.pending {
		r.marker(br)
	}
	r.pending = nil
}

// wtext writes character data that is text of the block being counted,
// with the page breaks due before its words.
func (r *renderer) wtext(s string) {
	if len(r.pending) == 0 {
		r.text(s)
		return
	}
	start := 0
	for i, c := range s {
		if tree.IsWordSpace(c) {
			r.gap = true
			continue
		}
		if !r.gap {
			continue
		}
		r.gap = false
		for len(r.pending) > 0 && r.pending[0].Word <= r.word {
			escape(r.buf, s[start:i], false)
			start = i
			r.marker(r.pending[0])
			r.pending = r.pending[1:]
		}
		r.word++
	}
	escape(r.buf, s[start:], false)
}

// rest writes the markers of document name's page breaks that its text
// did not place: the pages after the book's text (the print edition's
// study plan, say) at the end of the last document, and any break whose
// block the document's writing never reached.
func (r *renderer) rest(name string) {
	for _, br := range r.pb.byDoc[name] {
		r.marker(br)
	}
}

// pageList writes the navigation document's page list.
func (bd *builder) pageList(buf *bytes.Buffer) {
	if len(bd.opt.PageList) == 0 {
		return
	}
	buf.WriteString(`<nav epub:type="page-list" id="page-list" hidden="hidden"><h2>` + esc(bd.l.wd.Pages) + `</h2><ol>` + "\n")
	listed := map[string]bool{}
	for _, br := range bd.opt.PageList {
		if listed[br.Label] {
			continue // one entry a label, as one marker
		}
		listed[br.Label] = true
		buf.WriteString(`<li><a href="` + esc(relTo("", bd.l.pb.doc[br.Label])+"#"+pageID(br.Label)) + `">`)
		buf.WriteString(esc(br.Label))
		buf.WriteString("</a></li>\n")
	}
	buf.WriteString("</ol></nav>\n")
}

// pageSourceSentence is the colophon's sentence on the page numbers.
func (bd *builder) pageSourceSentence() string {
	if len(bd.opt.PageList) == 0 {
		return ""
	}
	src := bd.opt.PageSource
	if src == "" {
		src = bd.l.wd.ThePrintEdition
	}
	return fmt.Sprintf(bd.l.wd.PageNumbersFrom, strings.TrimSuffix(src, "."))
}
