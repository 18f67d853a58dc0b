package layout

// This file breaks a section's flow of items into pages.

// chapterCutoff is the fraction of the text height below which a chapter
// may not start: one that would begin in the last quarter of a page
// begins on the next.
const chapterCutoff = 0.75

// deferred is a float moved to the top of the next page.
type deferred struct {
	from, to int     // its items in the flow, [from, to)
	after    *Item   // the space that followed it, set after it on the next page
	items    []*Item // items[from:to]
}

// Paginate breaks a section into pages appended to *pages. A page is
// filled with the items that fit; the break is then taken before the last
// of them whose keep flag is false (so that headings stay with what
// follows, paragraphs leave no widow or orphan line, and a hyphenated line
// is not the last of a page); where no such item exists (an unbreakable
// run longer than a page), the break is forced where the page is full.
// Two rules shape pages further: a chapter that would start in the last
// quarter of a page starts on the next, and a float (a figure, a table
// that fits on a page) that does not fit in the space left moves to the
// top of the next page while the text after it fills that space.
//
// The running head of a page is the title in effect at its top: that of
// the chapter that starts there, or else of the last chapter started
// before; the first page of a section has none.
func (t *Setter) Paginate(sec *Section, pages *[]*Page, anchors map[string]Dest) {
	items := sec.Items
	H := t.Geometry.TextH()
	const eps = 1e-9
	first := true
	mark := sec.Head
	var carry *deferred // a float waiting for the next page
	for i := 0; i < len(items) || carry != nil; {
		for i < len(items) && items[i].Kind == ItemSpace {
			i++
		}
		if i >= len(items) && carry == nil {
			break
		}
		var on []*Item // the page's items, top to bottom
		var at []int   // the flow index of each, -1 for a float carried over
		y := 0.0
		if carry != nil {
			for _, it := range carry.items {
				on, at = append(on, it), append(at, -1)
				y += it.H
			}
			if carry.after != nil && i < len(items) {
				on, at = append(on, carry.after), append(at, -1)
				y += carry.after.H
			}
			carry = nil
		}
		head := mark
		for k := i; k < len(items); k++ {
			if items[k].Kind != ItemSpace {
				if items[k].Mark != "" {
					head = items[k].Mark
				}
				break
			}
		}
		// Fill greedily.
		start := i
		var defer_ *deferred
		full := false
		j := i
		for j < len(items) {
			it := items[j]
			if it.Float != 0 && defer_ == nil && (j == 0 || items[j-1].Float != it.Float) {
				k := j
				gh := 0.0
				for k < len(items) && items[k].Float == it.Float {
					gh += items[k].H
					k++
				}
				if y+gh > H+eps && len(on) > 0 && gh <= H {
					d := &deferred{from: j, to: k, items: items[j:k]}
					if k < len(items) && items[k].Kind == ItemSpace {
						d.after = items[k]
						k++
					}
					defer_ = d
					j = k
					continue
				}
			}
			if it.Chapter && j > start && y > chapterCutoff*H {
				break
			}
			if y+it.H > H+eps {
				full = true
				break
			}
			on, at = append(on, it), append(at, j)
			y += it.H
			j++
		}
		if j == start && j < len(items) && len(on) == 0 {
			// An item taller than a page: it goes alone.
			on, at = append(on, items[j]), append(at, j)
			j++
		} else if full {
			b := j
			for b > start+1 && !breakable(items, b) {
				b--
			}
			if !breakable(items, b) {
				b = j // no legal break on this page: break where it is full
			}
			if defer_ != nil && b <= defer_.from {
				defer_ = nil // the float comes after the break anyway
			}
			// Drop what the back-off took off the page.
			n := 0
			for k, it := range on {
				if at[k] < b {
					on[n], at[n] = it, at[k]
					n++
				}
			}
			on, at = on[:n], at[:n]
			j = b
		}
		if defer_ != nil {
			carry = defer_
		}
		// Trailing space is dropped.
		for len(on) > 0 && on[len(on)-1].Kind == ItemSpace {
			on = on[:len(on)-1]
		}
		pg := &Page{Kind: sec.Kind, Head: head, VersoHead: sec.VersoHead}
		if !first {
			pg.Kind = PageBody
			if sec.Kind == PageTOC {
				pg.Kind = PageTOC
			}
		} else {
			pg.Head, pg.VersoHead = "", "" // every section opens with its own title
		}
		first = false
		t.place(pg, on, len(*pages), anchors)
		for _, it := range on {
			if it.Mark != "" {
				mark = it.Mark
			}
		}
		*pages = append(*pages, pg)
		i = j
	}
}

// place sets the items on pg from the top of the text area, recording
// anchors (for the page with index pi) and, when the typesetter keeps
// its layout record, the placed items.
func (t *Setter) place(pg *Page, on []*Item, pi int, anchors map[string]Dest) {
	y := t.Geometry.Top
	n := 0
	for _, it := range on {
		n += len(it.Ops)
	}
	if !t.discard {
		pg.Ops = make([]Op, 0, n)
	}
	for _, it := range on {
		if t.keep {
			pg.Placed = append(pg.Placed, Placed{it, t.Geometry.Left, y})
		}
		for _, o := range it.Ops {
			if o.Kind == OpQR {
				t.qrPlaced++
			}
		}
		if !t.discard {
			for _, o := range it.Ops {
				o.X += t.Geometry.Left
				o.Y += y
				pg.Ops = append(pg.Ops, o)
			}
		}
		if !t.keep {
			it.Ops = nil // copied to the page
		}
		if pg.SrcBlock == nil && it.SrcBlock != nil && it.SrcWord >= 0 {
			pg.SrcBlock, pg.SrcWord = it.SrcBlock, it.SrcWord
		}
		for _, id := range it.Anchors {
			if _, dup := anchors[id]; !dup {
				anchors[id] = Dest{Page: pi, Y: y, X: t.Geometry.Left}
			}
		}
		y += it.H
	}
}
