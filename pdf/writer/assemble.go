package writer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/font"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// This file finishes the file maroto draws. maroto (through gofpdf) is
// asked for an uncompressed document; assemble then writes the final file
// in one pass: gofpdf's objects in their order, each page's content
// stream compressed (in parallel, with one reused compressor per worker:
// gofpdf would make a new one, a megabyte of tables, for every page),
// the pages given their link annotations and QR codes, the fonts their
// subset names, the catalog its outline and page labels, the document
// information ours; then the new objects, a cross-reference table and
// the trailer.
//
// gofpdf's output is regular and this package pins the gofpdf version:
// a classic cross-reference table at the end, one "N 0 obj … endobj" per
// object, a page tree whose Kids are the pages in order, each page with
// one /Contents stream. assemble reads just that, and fails loudly if it
// finds anything else. (pdfcpu, which read the whole file into a model,
// cost more than a quarter of a book's time.)

// gofpdfDoc is what assemble reads of gofpdf's file.
type gofpdfDoc struct {
	data     []byte   // the file; nil once its objects are copied out (drawChunks)
	header   []byte   // the file's header, before the first object
	objs     [][]byte // objs[n] is object n, "n 0 obj … endobj\n"; nil for none
	root     int
	info     int
	pageTree int
	pages    []int       // the page objects, in order
	content  map[int]int // page object → its content stream object
}

var (
	xrefRE    = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	trailerRE = regexp.MustCompile(`/Root (\d+) 0 R`)
	infoRE    = regexp.MustCompile(`/Info (\d+) 0 R`)
	pagesRE   = regexp.MustCompile(`/Pages (\d+) 0 R`)
	kidsRE    = regexp.MustCompile(`/Kids \[([^\]]*)\]`)
	refRE     = regexp.MustCompile(`(\d+) 0 R`)
	contentRE = regexp.MustCompile(`/Contents (\d+) 0 R`)
	lengthRE  = regexp.MustCompile(`^(\d+) 0 obj\s*<<\s*(/Filter /FlateDecode\s*)?/Length (\d+)\s*>>\s*stream\r?\n`)
	// fontObjRE matches a font object of gofpdf's, resFontRE the /Font
	// entry of its resource dictionary.
	fontObjRE = regexp.MustCompile(`^\d+ 0 obj\s*<<\s*/Type /Font\b`)
	resFontRE = regexp.MustCompile(`/Font\s*<<[^>]*>>`)
)

// readGofpdf splits gofpdf's file into its objects.
func readGofpdf(data []byte) (*gofpdfDoc, error) {
	bad := func(what string) error { return fmt.Errorf("pdf: gofpdf's output: %s", what) }
	m := xrefRE.FindSubmatch(data)
	if m == nil {
		return nil, bad("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if xref <= 0 || xref >= len(data) || !bytes.HasPrefix(data[xref:], []byte("xref")) {
		return nil, bad("no cross-reference table")
	}
	lines := strings.Split(string(data[xref:]), "\n")
	if len(lines) < 3 {
		return nil, bad("short cross-reference table")
	}
	hdr := strings.Fields(lines[1])
	if len(hdr) != 2 || hdr[0] != "0" {
		return nil, bad("cross-reference table not from object 0")
	}
	size, err := strconv.Atoi(hdr[1])
	if err != nil || size < 2 || len(lines) < 2+size {
		return nil, bad("cross-reference table size")
	}
	offs := make([]int, size)
	for i := 1; i < size; i++ {
		f := strings.Fields(lines[2+i])
		if len(f) != 3 || f[2] != "n" {
			return nil, bad("cross-reference entry " + strconv.Itoa(i))
		}
		if offs[i], err = strconv.Atoi(f[0]); err != nil || offs[i] <= 0 || offs[i] >= xref {
			return nil, bad("cross-reference offset " + strconv.Itoa(i))
		}
	}
	trailer := strings.Join(lines[2+size:], "\n")
	doc := &gofpdfDoc{data: data, objs: make([][]byte, size), content: map[int]int{}}
	if m := trailerRE.FindStringSubmatch(trailer); m != nil {
		doc.root, _ = strconv.Atoi(m[1])
	}
	if m := infoRE.FindStringSubmatch(trailer); m != nil {
		doc.info, _ = strconv.Atoi(m[1])
	}
	// Objects are contiguous: each ends where the next begins.
	order := make([]int, 0, size-1)
	for i := 1; i < size; i++ {
		order = append(order, i)
	}
	sort.Slice(order, func(a, b int) bool { return offs[order[a]] < offs[order[b]] })
	doc.header = data[:offs[order[0]]]
	for k, n := range order {
		end := xref
		if k+1 < len(order) {
			end = offs[order[k+1]]
		}
		obj := data[offs[n]:end]
		if !bytes.HasPrefix(obj, []byte(strconv.Itoa(n)+" 0 obj")) || !bytes.Contains(obj, []byte("endobj")) {
			return nil, bad("object " + strconv.Itoa(n) + " is not where the table says")
		}
		doc.objs[n] = obj
	}
	if doc.root <= 0 || doc.root >= size || doc.info <= 0 || doc.info >= size {
		return nil, bad("trailer without /Root or /Info")
	}
	pm := pagesRE.FindSubmatch(doc.objs[doc.root])
	if pm == nil {
		return nil, bad("catalog without /Pages")
	}
	pt, _ := strconv.Atoi(string(pm[1]))
	if pt <= 0 || pt >= size {
		return nil, bad("page tree")
	}
	doc.pageTree = pt
	km := kidsRE.FindSubmatch(doc.objs[pt])
	if km == nil {
		return nil, bad("page tree without /Kids")
	}
	for _, r := range refRE.FindAllSubmatch(km[1], -1) {
		p, _ := strconv.Atoi(string(r[1]))
		if p <= 0 || p >= size || !bytes.Contains(doc.objs[p], []byte("/Type /Page\n")) && !bytes.Contains(doc.objs[p], []byte("/Type /Page ")) {
			return nil, bad("a page tree kid that is no page")
		}
		cm := contentRE.FindSubmatch(doc.objs[p])
		if cm == nil {
			return nil, bad("a page without one /Contents stream")
		}
		c, _ := strconv.Atoi(string(cm[1]))
		if c <= 0 || c >= size || lengthRE.Find(doc.objs[c]) == nil {
			return nil, bad("a page's contents are no plain stream")
		}
		doc.pages = append(doc.pages, p)
		doc.content[p] = c
	}
	return doc, nil
}

// streamData returns the data of a plain or deflated stream object and
// whether it is deflated.
func streamData(obj []byte) ([]byte, bool, error) {
	m := lengthRE.FindSubmatch(obj)
	if m == nil {
		return nil, false, errors.New("pdf: not a plain stream")
	}
	n, _ := strconv.Atoi(string(m[3]))
	start := len(m[0])
	if start+n > len(obj) {
		return nil, false, errors.New("pdf: stream longer than its object")
	}
	return obj[start : start+n], len(m[2]) > 0, nil
}

// objWriter writes a PDF's objects to w and remembers where each begins.
type objWriter struct {
	w    io.Writer
	n    int // bytes written so far
	offs map[int]int
	next int // the next free object number
}

// Write writes p to w, counting it. (A bufio.Writer or bytes.Buffer
// underneath keeps its first error for the end.)
func (w *objWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	w.n += n
	return n, err
}

func (w *objWriter) alloc() int {
	n := w.next
	w.next++
	return n
}

// put writes object n with body.
func (w *objWriter) put(n int, body string) {
	w.offs[n] = w.n
	fmt.Fprintf(w, "%d 0 obj\n%s\nendobj\n", n, body)
}

// raw writes object n as given (a whole "n 0 obj … endobj" text).
func (w *objWriter) raw(n int, obj []byte) {
	w.offs[n] = w.n
	w.Write(obj)
	if !bytes.HasSuffix(obj, []byte("\n")) {
		w.Write([]byte("\n"))
	}
}

// stream writes object n as a stream with dict (without /Length) and
// data.
func (w *objWriter) stream(n int, dict string, data []byte) {
	w.offs[n] = w.n
	fmt.Fprintf(w, "%d 0 obj\n<< %s /Length %d >>\nstream\n", n, dict, len(data))
	w.Write(data)
	w.Write([]byte("\nendstream\nendobj\n"))
}

// assemble writes the finished PDF of d to w from chunks, maroto's
// drawing of its pages (one document, or several for a long book: their
// objects are renumbered to follow the first's, and the first's page tree
// takes every page).
func assemble(w io.Writer, chunks []*chunk, d *layout.Drawing, opt Options) error {
	first := chunks[0].doc
	// final[c][n] is the number of chunk c's object n in the file: the
	// first chunk keeps gofpdf's numbers; the others' objects follow, in
	// order, without their catalog, information and page tree.
	final := make([][]int, len(chunks))
	total := len(first.objs)
	for c, ch := range chunks {
		doc := ch.doc
		final[c] = make([]int, len(doc.objs))
		isContent := map[int]bool{}
		for _, p := range doc.pages {
			isContent[doc.content[p]] = true
		}
		for n := 1; n < len(doc.objs); n++ {
			switch {
			case c == 0:
				final[c][n] = n
			case n == doc.pageTree:
				final[c][n] = first.pageTree
			case n == doc.root || n == doc.info || doc.objs[n] == nil && !isContent[n]:
			default:
				final[c][n] = total
				total++
			}
		}
	}
	var pageRefs []int
	for c, ch := range chunks {
		for _, p := range ch.doc.pages {
			pageRefs = append(pageRefs, final[c][p])
		}
	}
	if len(pageRefs) != len(d.Pages) {
		return fmt.Errorf("pdf: maroto drew %d pages, want %d", len(pageRefs), len(d.Pages))
	}
	g := d.Geometry
	destFor := func(id string) string {
		a, ok := d.Anchors[id]
		if !ok {
			return ""
		}
		// A little above the heading's top, so that it is not flush
		// with the window's edge.
		top := (g.H-a.Y)*k + 4
		return fmt.Sprintf("[%d 0 R /XYZ %s %s null]", pageRefs[a.Page], num(a.X*k-2), num(top))
	}

	// The pages' content streams, ours (content.go), made in page order
	// (the structure's marked content is numbered as it is met) and
	// compressed as they are made.
	var tags *structure
	if opt.Tagged {
		tags = newStructure(len(d.Pages))
	}
	pg := newPager(opt.Fonts, g.H, tags, d.Pages)
	packed := compressEach(len(d.Pages), func(yield func(int, []byte)) {
		for _, ch := range chunks {
			for i := range ch.doc.pages {
				n := ch.first + i
				yield(n, pg.stream(n, d.Pages[n], ch.images[i]))
				if opt.Release {
					d.Pages[n].Ops, d.Pages[n].Furniture = nil, nil
				}
			}
		}
	})

	// The drawing's objects are written first, changed where the book
	// needs it, then the objects they refer to that assemble adds, which
	// are numbered now. Written straight to w (through a buffer), not
	// assembled in memory first: for a long book, the file is a hundred
	// megabytes.
	bw := bufio.NewWriterSize(w, 1<<16)
	out := &objWriter{w: bw, offs: map[int]int{}, next: total}
	// Link annotations, one per link and line.
	type annot struct {
		page int
		op   *layout.Op
		obj  int
	}
	var links []annot
	annots := make([][]int, len(d.Pages))
	for i, marks := range d.Marks {
		for j := range marks {
			o := &marks[j]
			if o.Kind != layout.OpLink || o.Link.URI == "" && destFor(o.Link.Dest) == "" {
				continue
			}
			n := out.alloc()
			annots[i] = append(annots[i], n)
			links = append(links, annot{i, o, n})
		}
	}
	fontDict, meta, outlines := out.alloc(), out.alloc(), out.alloc()
	structRoot := 0
	if tags != nil {
		structRoot = out.alloc()
	}

	out.Write(first.header)
	for c, ch := range chunks {
		doc := ch.doc
		pageIndex := map[int]int{} // page object → page index in the chunk
		contentOf := map[int]int{} // content stream → page index in the chunk
		for i, p := range doc.pages {
			pageIndex[p] = i
			contentOf[doc.content[p]] = i
		}
		for n := 1; n < len(doc.objs); n++ {
			fn := final[c][n]
			if i, ok := contentOf[n]; ok {
				out.stream(fn, "/Filter /FlateDecode", packed[ch.first+i])
				packed[ch.first+i] = nil
				continue
			}
			obj := doc.objs[n]
			if obj == nil || c > 0 && (n == doc.root || n == doc.info || n == doc.pageTree) {
				continue
			}
			if c > 0 {
				var err error
				if obj, err = renumber(obj, final[c]); err != nil {
					return err
				}
			}
			switch {
			case c == 0 && n == doc.info:
				out.put(n, infoDict(opt))
			case c == 0 && n == doc.root:
				out.put(n, catalog(obj, outlines, d.Front, structRoot, meta, opt.Lang))
			case c == 0 && n == doc.pageTree && len(chunks) > 1:
				out.put(n, pageTree(obj, pageRefs))
			default:
				if i, ok := pageIndex[n]; ok {
					out.put(fn, pageDict(obj, annots[ch.first+i], tags != nil, ch.first+i))
					continue
				}
				if fontObjRE.Match(obj) {
					continue // gofpdf's default font, which draws nothing: the pages use ours
				}
				if resFontRE.Match(obj) {
					obj = resFontRE.ReplaceAll(obj, []byte("/Font "+strconv.Itoa(fontDict)+" 0 R"))
				}
				out.raw(fn, obj)
			}
		}
	}

	// The link annotations, with one action object per address shared by
	// every annotation that links to it (a long address wrapped over many
	// lines, or cited twice, is written once). In a tagged file each is
	// the content of a Link element, and says where it leads.
	uriActions := map[string]int{}
	for _, a := range links {
		o := a.op
		var action, contents string
		switch {
		case o.Link.URI != "":
			ref, ok := uriActions[o.Link.URI]
			if !ok {
				ref = out.alloc()
				out.put(ref, "<< /S /URI /URI "+uriString(o.Link.URI)+" >>")
				uriActions[o.Link.URI] = ref
			}
			action = strconv.Itoa(ref) + " 0 R"
			contents = o.Link.URI
		default:
			action = "<< /S /GoTo /D " + destFor(o.Link.Dest) + " >>"
			contents = fmt.Sprintf(opt.LinkToPage, d.Pages[d.Anchors[o.Link.Dest].Page].Label)
		}
		rect := fmt.Sprintf("[%s %s %s %s]", num(o.X*k), num((g.H-o.Y-o.H)*k), num((o.X+o.W)*k), num((g.H-o.Y)*k))
		extra := ""
		if tags != nil {
			if key := tags.annot(a.page, a.obj, o); key >= 0 {
				extra = " /StructParent " + strconv.Itoa(key)
			}
			extra += " /Contents " + textString(contents)
		}
		out.put(a.obj, fmt.Sprintf("<< /Type /Annot /Subtype /Link /Rect %s /Border [0 0 0] /P %d 0 R /A %s%s >>", rect, pageRefs[a.page], action, extra))
	}

	// The fonts: a subset of each face drawn, with the glyphs the pages
	// use, in one resource dictionary every page names.
	var fd strings.Builder
	fd.WriteString("<<")
	for st := fonts.Regular; st <= fonts.Symbol; st++ {
		u := pg.used[st]
		if u == nil {
			continue
		}
		ref, err := font.Embed(objects{out}, opt.Fonts.Face(st), u, font.Options{})
		if err != nil {
			return fmt.Errorf("pdf: font %s: %w", opt.Fonts.Face(st).Name, err)
		}
		fmt.Fprintf(&fd, " /%s %d 0 R", faceName(st), ref)
	}
	fd.WriteString(" >>")
	out.put(fontDict, fd.String())

	// The structure tree, the metadata and the outline.
	if tags != nil {
		tags.write(out, structRoot, pageRefs)
	}
	out.stream(meta, "/Type /Metadata /Subtype /XML", xmp(opt))
	items := outlineItems(d.Outline)
	count := writeOutline(out, items, outlines, destFor)
	firstItem := ""
	if len(items) > 0 {
		firstItem = fmt.Sprintf(" /First %d 0 R /Last %d 0 R", items[0].obj, items[len(items)-1].obj)
	}
	out.put(outlines, fmt.Sprintf("<< /Type /Outlines%s /Count %d >>", firstItem, count))

	// The cross-reference table and the trailer.
	size := out.next
	xref := out.n
	fmt.Fprintf(out, "xref\n0 %d\n0000000000 65535 f \n", size)
	for n := 1; n < size; n++ {
		o, ok := out.offs[n]
		if !ok {
			fmt.Fprintf(out, "0000000000 65535 f \n")
			continue
		}
		fmt.Fprintf(out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(out, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", size, first.root, first.info, xref)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// streamHeadRE matches the dictionary of a stream object up to its data.
var streamHeadRE = regexp.MustCompile(`>>\s*stream\r?\n`)

// renumber returns object obj of a later chunk with its number and the
// references in its dictionary (not in a stream's data) replaced by
// their numbers in the file, final. A reference to an object that is not
// carried over (final 0: the chunk's catalog or information) is an error.
func renumber(obj []byte, final []int) ([]byte, error) {
	head, data := obj, []byte(nil)
	if m := streamHeadRE.FindIndex(obj); m != nil {
		head, data = obj[:m[1]], obj[m[1]:]
	}
	sp := bytes.IndexByte(head, ' ')
	n, _ := strconv.Atoi(string(head[:max(sp, 0)]))
	if sp < 0 || n <= 0 || n >= len(final) {
		return nil, fmt.Errorf("pdf: gofpdf's output: an object without its number")
	}
	var bad error
	out := strconv.AppendInt(nil, int64(final[n]), 10)
	out = append(out, refRE.ReplaceAllFunc(head[sp:], func(m []byte) []byte {
		r, _ := strconv.Atoi(string(m[:len(m)-4]))
		if r <= 0 || r >= len(final) || final[r] == 0 {
			bad = fmt.Errorf("pdf: gofpdf's output: object %d refers to %d, which a joined file has no place for", n, r)
			return m
		}
		return []byte(strconv.Itoa(final[r]) + " 0 R")
	})...)
	return append(out, data...), bad
}

// pageTreeRE matches the entries of gofpdf's page tree that list pages.
var pageTreeRE = regexp.MustCompile(`/Kids \[[^\]]*\]|/Count \d+`)

// pageTree returns the page tree obj with the pages pages (object
// numbers, in order).
func pageTree(obj []byte, pages []int) string {
	return pageTreeRE.ReplaceAllStringFunc(dictBody(obj), func(m string) string {
		if strings.HasPrefix(m, "/Count") {
			return "/Count " + strconv.Itoa(len(pages))
		}
		var sb strings.Builder
		sb.WriteString("/Kids [")
		for _, p := range pages {
			sb.WriteString(strconv.Itoa(p) + " 0 R ")
		}
		sb.WriteString("]")
		return sb.String()
	})
}

// dictBody returns the dictionary of an object, "<< … >>", without the
// object's frame.
func dictBody(obj []byte) string {
	s := string(obj)
	i := strings.Index(s, "<<")
	j := strings.LastIndex(s, ">>")
	if i < 0 || j < i {
		return "<< >>"
	}
	return s[i : j+2]
}

// catalogKeyRE matches the catalog entries assemble replaces.
var catalogKeyRE = regexp.MustCompile(`/(Outlines|PageLabels|PageMode|Metadata|ViewerPreferences|MarkInfo|Lang|StructTreeRoot) (\d+ 0 R|/\w+|<<[^>]*>>|\([^)]*\))`)

// catalog returns the catalog with the outline, the page labels (roman
// in the front matter, arabic from 1 after it; none for a booklet,
// front < 0), the outline open, the metadata, the document's language,
// its title shown in the window's title bar and, when tagged (structRoot
// > 0), its structure tree.
func catalog(obj []byte, outlines, front, structRoot, meta int, lang string) string {
	s := catalogKeyRE.ReplaceAllString(dictBody(obj), "")
	labels := ""
	if front >= 0 {
		labels = fmt.Sprintf(" /PageLabels << /Nums [0 << /S /r >> %d << /S /D /St 1 >>] >>", front)
	}
	tagged := ""
	if structRoot > 0 {
		tagged = fmt.Sprintf(" /MarkInfo << /Marked true >> /StructTreeRoot %d 0 R", structRoot)
	}
	if lang != "" {
		tagged += " /Lang " + textString(lang)
	}
	return strings.TrimSuffix(s, ">>") + fmt.Sprintf(" /Outlines %d 0 R%s /PageMode /UseOutlines /Metadata %d 0 R /ViewerPreferences << /DisplayDocTitle true >>%s >>", outlines, labels, meta, tagged)
}

// pageDict returns a page's dictionary with its annotations and, when
// tagged, its key in the parent tree (the page's index) and the tab order
// of its annotations: the structure's.
func pageDict(obj []byte, annots []int, tagged bool, index int) string {
	s := strings.TrimSuffix(dictBody(obj), ">>")
	if tagged {
		s += " /StructParents " + strconv.Itoa(index) + " /Tabs /S"
	}
	if len(annots) > 0 {
		var sb strings.Builder
		sb.WriteString(" /Annots [")
		for i, a := range annots {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(strconv.Itoa(a) + " 0 R")
		}
		sb.WriteString("]")
		s += sb.String()
	}
	return s + ">>"
}

// objects lets package font write through an objWriter.
type objects struct{ w *objWriter }

func (o objects) Alloc() int                             { return o.w.alloc() }
func (o objects) Put(n int, obj string)                  { o.w.put(n, obj) }
func (o objects) Stream(n int, dict string, data []byte) { o.w.stream(n, dict, data) }
