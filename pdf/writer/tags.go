package writer

import (
	"sort"
	"strconv"
	"strings"

	"github.com/genai-handbook/handbook/pdf/layout"
)

// This file builds a tagged PDF's structure tree (ISO 32000-1, 14.7 and
// 14.8) from the nodes a design marks its drawing operations with
// (layout.Node): the elements in reading order, each with its marked
// content on the pages (MCIDs) and the link annotations it holds, the
// parent tree that leads from a page's marked content and from an
// annotation back to its element, and what a screen reader needs besides
// text: a figure's /Alt, a broken word's /ActualText, a link's target.

// elem is one structure element.
type elem struct {
	role   string
	node   *layout.Node // nil for a Link the writer makes
	link   *layout.Link // a Link's link
	parent *elem
	// kids are the element's content in the order it is met in the
	// drawing: marked content, annotations, and the Links made for text
	// that is a link. subs are the design's child elements, in reading
	// order (Node.Seq); they follow kids.
	kids []kid
	subs []*elem
	obj  int
	ref  []*elem // a Link to a footnote: the Note it refers to (/Ref)
	// actual is a Span's /ActualText: the whole of a word broken
	// across lines.
	actual string
}

// kid is an element's content: marked content (page, MCID), an
// annotation (annot > 0, on page), or an element.
type kid struct {
	page, mcid int
	annot      int
	elem       *elem
}

// structure collects a drawing's structure as its pages are drawn.
type structure struct {
	root  *elem
	elems map[*layout.Node]*elem
	links map[linkKey]*elem
	// pages[i] lists the elements of page i's marked content by MCID.
	pages [][]*elem
	// annots lists the elements of the link annotations, by their
	// /StructParent key less len(pages).
	annots []*elem
}

// linkKey names the Link element of one link in one element.
type linkKey struct {
	parent *elem
	link   *layout.Link
}

func newStructure(pages int) *structure {
	return &structure{elems: map[*layout.Node]*elem{}, links: map[linkKey]*elem{}, pages: make([][]*elem, pages)}
}

// of returns the element of node n, made (with its ancestors) when met
// first.
func (s *structure) of(n *layout.Node) *elem {
	if e, ok := s.elems[n]; ok {
		return e
	}
	e := &elem{role: n.Role, node: n}
	s.elems[n] = e
	if n.Parent == nil {
		if s.root == nil {
			s.root = e
		}
		return e
	}
	e.parent = s.of(n.Parent)
	e.parent.subs = append(e.parent.subs, e)
	return e
}

// linkOf returns the Link element of link l in the element of node n.
func (s *structure) linkOf(n *layout.Node, l *layout.Link) *elem {
	p := s.of(n)
	key := linkKey{p, l}
	if e, ok := s.links[key]; ok {
		return e
	}
	e := &elem{role: "Link", link: l, parent: p}
	p.kids = append(p.kids, kid{elem: e})
	s.links[key] = e
	return e
}

// content returns the element the text or drawing of o belongs to: its
// node's, or the Link made in it for a link's text; nil for an artifact.
func (s *structure) content(o *layout.Op) *elem {
	if o.Node == nil {
		return nil
	}
	if o.Kind == layout.OpText && o.Link != nil {
		return s.linkOf(o.Node, o.Link)
	}
	return s.of(o.Node)
}

// span returns a new Span in element e, for a word broken across lines
// whose whole is actual.
func (s *structure) span(e *elem, actual string) *elem {
	sp := &elem{role: "Span", parent: e, actual: actual}
	e.kids = append(e.kids, kid{elem: sp})
	return sp
}

// mark records a marked-content sequence of e on page and returns its
// MCID.
func (s *structure) mark(page int, e *elem) int {
	mcid := len(s.pages[page])
	s.pages[page] = append(s.pages[page], e)
	e.kids = append(e.kids, kid{page: page, mcid: mcid})
	return mcid
}

// annot records link annotation obj on page, of link op o, and returns
// its /StructParent key; -1 when o belongs to no element.
func (s *structure) annot(page, obj int, o *layout.Op) int {
	if o.Node == nil {
		return -1
	}
	e := s.linkOf(o.Node, o.Link)
	e.kids = append(e.kids, kid{page: page, annot: obj})
	s.annots = append(s.annots, e)
	return len(s.pages) + len(s.annots) - 1
}

// write writes the structure tree through w, its root (StructTreeRoot)
// as object root. pageRefs are the pages' objects.
func (s *structure) write(w *objWriter, root int, pageRefs []int) {
	if s.root == nil {
		w.put(root, "<< /Type /StructTreeRoot /K [] >>")
		return
	}
	// Number the elements in reading order, sorting each element's
	// design children by their place in the book.
	var order []*elem
	notes := map[string]*elem{}
	var walk func(e *elem)
	walk = func(e *elem) {
		e.obj = w.alloc()
		order = append(order, e)
		if e.node != nil && e.role == "Note" && e.node.ID != "" {
			notes[e.node.ID] = e
		}
		sort.SliceStable(e.subs, func(i, j int) bool { return e.subs[i].node.Seq < e.subs[j].node.Seq })
		for _, k := range e.kids {
			if k.elem != nil {
				walk(k.elem)
			}
		}
		for _, c := range e.subs {
			walk(c)
		}
	}
	walk(s.root)
	parentTree := w.alloc()
	for _, e := range order {
		if e.link != nil && e.link.Dest != "" {
			if n := notes[e.link.Dest]; n != nil {
				e.ref = append(e.ref, n)
			}
		}
		w.put(e.obj, s.elemDict(e, root, pageRefs))
	}
	var sb strings.Builder
	sb.WriteString("<< /Nums [")
	for i, es := range s.pages {
		if len(es) == 0 {
			continue
		}
		sb.WriteString(strconv.Itoa(i) + " [")
		for j, e := range es {
			if j > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(strconv.Itoa(e.obj) + " 0 R")
		}
		sb.WriteString("]\n")
	}
	for i, e := range s.annots {
		sb.WriteString(strconv.Itoa(len(s.pages)+i) + " " + strconv.Itoa(e.obj) + " 0 R\n")
	}
	sb.WriteString("] >>")
	w.put(parentTree, sb.String())
	w.put(root, "<< /Type /StructTreeRoot /K ["+strconv.Itoa(s.root.obj)+" 0 R] /ParentTree "+strconv.Itoa(parentTree)+" 0 R /ParentTreeNextKey "+strconv.Itoa(len(s.pages)+len(s.annots))+" >>")
}

// elemDict returns the dictionary of element e: its type, parent, page
// (when all its marked content is on one), kids and attributes.
func (s *structure) elemDict(e *elem, root int, pageRefs []int) string {
	var sb strings.Builder
	sb.WriteString("<< /Type /StructElem /S /" + e.role + " /P ")
	if e.parent == nil {
		sb.WriteString(strconv.Itoa(root))
	} else {
		sb.WriteString(strconv.Itoa(e.parent.obj))
	}
	sb.WriteString(" 0 R")
	page := -1 // the one page of its marked content, if one
	for _, k := range e.kids {
		if k.elem != nil {
			continue
		}
		if page == -1 {
			page = k.page
		} else if page != k.page {
			page = -2
		}
	}
	if page >= 0 {
		sb.WriteString(" /Pg " + strconv.Itoa(pageRefs[page]) + " 0 R")
	}
	sb.WriteString(" /K [")
	for i, k := range e.kids {
		if i > 0 {
			sb.WriteByte(' ')
		}
		switch {
		case k.elem != nil:
			sb.WriteString(strconv.Itoa(k.elem.obj) + " 0 R")
		case k.annot > 0:
			sb.WriteString("<< /Type /OBJR /Obj " + strconv.Itoa(k.annot) + " 0 R /Pg " + strconv.Itoa(pageRefs[k.page]) + " 0 R >>")
		case page >= 0:
			sb.WriteString(strconv.Itoa(k.mcid))
		default:
			sb.WriteString("<< /Type /MCR /Pg " + strconv.Itoa(pageRefs[k.page]) + " 0 R /MCID " + strconv.Itoa(k.mcid) + " >>")
		}
	}
	for i, c := range e.subs {
		if i > 0 || len(e.kids) > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(strconv.Itoa(c.obj) + " 0 R")
	}
	sb.WriteString("]")
	if e.actual != "" {
		sb.WriteString(" /ActualText " + textString(e.actual))
	}
	if e.node != nil && e.node.Alt != "" {
		sb.WriteString(" /Alt " + textString(e.node.Alt))
	}
	if len(e.ref) > 0 {
		sb.WriteString(" /Ref [")
		for i, r := range e.ref {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(strconv.Itoa(r.obj) + " 0 R")
		}
		sb.WriteString("]")
	}
	sb.WriteString(" >>")
	return sb.String()
}
