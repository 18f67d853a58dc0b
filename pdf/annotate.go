package pdf

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/pdf/typeset"
)

// This file post-processes maroto's output. pdfcpu reads the document's
// structure (page objects, catalog, trailer); the additions are written as
// an incremental update appended after the original bytes: new objects,
// new versions of the catalog and of the pages that get annotations, an
// xref section for just those objects and a trailer pointing back (/Prev)
// at the original one. pdfcpu's own writer is not used because it stamps
// the clock into the file and walks maps, so its output is not
// reproducible.

// k converts mm to PDF points.
const k = 72 / 25.4

// readConf is the pdfcpu configuration for reading our own files. It is a
// literal: model.NewDefaultConfiguration would read, or create, a config
// directory in the user's home.
func readConf() *model.Configuration {
	return &model.Configuration{
		Reader15:       true,
		ValidationMode: model.ValidationRelaxed,
		Eol:            types.EolLF,
	}
}

// update accumulates the objects of an incremental update.
type update struct {
	buf  bytes.Buffer
	base int         // length of the original file
	offs map[int]int // object number → offset in the whole file
	next int         // next free object number
}

// alloc reserves an object number.
func (u *update) alloc() int {
	n := u.next
	u.next++
	return n
}

// put writes object n with the given body.
func (u *update) put(n int, body string) {
	u.offs[n] = u.base + u.buf.Len()
	fmt.Fprintf(&u.buf, "%d 0 obj\n%s\nendobj\n", n, body)
}

// annotate returns the incremental update that adds links, QR codes, the
// outline, page labels and the document information to data, maroto's
// PDF of d. The file is data followed by the update.
func annotate(data []byte, d *typeset.Drawing, b *tree.Book, opt Options, tags map[string]string) ([]byte, error) {
	ctx, err := pdfcpu.Read(bytes.NewReader(data), readConf())
	if err != nil {
		return nil, fmt.Errorf("pdf: reading maroto's output: %w", err)
	}
	xt := ctx.XRefTable
	if err := xt.EnsurePageCount(); err != nil {
		return nil, fmt.Errorf("pdf: reading maroto's output: %w", err)
	}
	if xt.PageCount != len(d.Pages) {
		return nil, fmt.Errorf("pdf: maroto drew %d pages, want %d", xt.PageCount, len(d.Pages))
	}
	prev, err := lastStartxref(data)
	if err != nil {
		return nil, err
	}
	u := &update{base: len(data), offs: map[int]int{}, next: *xt.Size}
	u.buf.WriteByte('\n')

	pageRefs, pageDicts, err := pageList(xt)
	if err != nil {
		return nil, err
	}
	if len(pageRefs) != len(d.Pages) {
		return nil, fmt.Errorf("pdf: page tree has %d pages, want %d", len(pageRefs), len(d.Pages))
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

	// QR codes are drawn by a content stream appended to the page's;
	// the page's own streams are wrapped in q … Q so that whatever
	// graphics state they leave behind cannot distort the codes.
	var pushRef, popRef int
	var zw deflater

	// Link annotations, one per link and line.
	uriActions := map[string]int{}
	for i, marks := range d.Marks {
		var annots []int
		for _, o := range marks {
			if o.Kind != typeset.OpLink {
				continue
			}
			var action string
			switch {
			case o.Link.URI != "":
				// One action object per address, shared by every
				// annotation that links to it: a long address wrapped
				// over many lines, or cited twice, is written once.
				ref, ok := uriActions[o.Link.URI]
				if !ok {
					ref = u.alloc()
					u.put(ref, "<< /S /URI /URI "+uriString(o.Link.URI)+" >>")
					uriActions[o.Link.URI] = ref
				}
				action = strconv.Itoa(ref) + " 0 R"
			default:
				d := destFor(o.Link.Dest)
				if d == "" {
					continue
				}
				action = "<< /S /GoTo /D " + d + " >>"
			}
			n := u.alloc()
			rect := fmt.Sprintf("[%s %s %s %s]", num(o.X*k), num((g.H-o.Y-o.H)*k), num((o.X+o.W)*k), num((g.H-o.Y)*k))
			u.put(n, fmt.Sprintf("<< /Type /Annot /Subtype /Link /Rect %s /Border [0 0 0] /P %d 0 R /A %s >>", rect, pageRefs[i], action))
			annots = append(annots, n)
		}
		qr := qrStream(marks, g.H)
		if len(annots) == 0 && qr == nil {
			continue
		}
		pd := pageDicts[i].Clone().(types.Dict)
		if len(annots) > 0 {
			arr := types.Array{}
			if old, ok := pd["Annots"].(types.Array); ok {
				arr = append(arr, old...)
			}
			for _, n := range annots {
				arr = append(arr, *types.NewIndirectRef(n, 0))
			}
			pd["Annots"] = arr
		}
		if qr != nil {
			if pushRef == 0 {
				pushRef, popRef = u.alloc(), u.alloc()
				u.put(pushRef, "<< /Length 2 >>\nstream\nq\n\nendstream")
				u.put(popRef, "<< /Length 2 >>\nstream\nQ\n\nendstream")
			}
			z := zw.deflate(qr)
			n := u.alloc()
			u.put(n, fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(z), z))
			arr := types.Array{*types.NewIndirectRef(pushRef, 0)}
			switch c := pd["Contents"].(type) {
			case types.Array:
				arr = append(arr, c...)
			case nil:
			default:
				arr = append(arr, c)
			}
			pd["Contents"] = append(arr, *types.NewIndirectRef(popRef, 0), *types.NewIndirectRef(n, 0))
		}
		u.put(pageRefs[i], serialize(pd))
	}

	if err := renameFonts(xt, u, tags); err != nil {
		return nil, err
	}

	// The outline.
	outlines := u.alloc()
	items := outlineTree(d.TOC)
	count := writeOutline(u, items, outlines, destFor)
	first := ""
	if len(items) > 0 {
		first = fmt.Sprintf(" /First %d 0 R /Last %d 0 R", items[0].obj, items[len(items)-1].obj)
	}
	u.put(outlines, fmt.Sprintf("<< /Type /Outlines%s /Count %d >>", first, count))

	// The catalog, with page labels: roman in the front matter, arabic
	// from 1 at the introduction.
	root := xt.RootDict.Clone().(types.Dict)
	delete(root, "Outlines")
	delete(root, "PageLabels")
	delete(root, "PageMode")
	rootRef := xt.Root.ObjectNumber.Value()
	labels := ""
	if d.Front >= 0 {
		labels = fmt.Sprintf(" /PageLabels << /Nums [0 << /S /r >> %d << /S /D /St 1 >>] >>", d.Front)
	}
	rs := serialize(root)
	rs = strings.TrimSuffix(rs, ">>") + fmt.Sprintf(" /Outlines %d 0 R%s /PageMode /UseOutlines >>", outlines, labels)
	u.put(rootRef, rs)

	// Document information.
	info := u.alloc()
	u.put(info, infoDict(b, opt))

	// Cross-reference section for the objects of this update, and the
	// trailer.
	nums := make([]int, 0, len(u.offs))
	for n := range u.offs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	xref := u.base + u.buf.Len()
	u.buf.WriteString("xref\n")
	for i := 0; i < len(nums); {
		j := i
		for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
			j++
		}
		fmt.Fprintf(&u.buf, "%d %d\n", nums[i], j-i+1)
		for _, n := range nums[i : j+1] {
			fmt.Fprintf(&u.buf, "%010d 00000 n \n", u.offs[n])
		}
		i = j + 1
	}
	fmt.Fprintf(&u.buf, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", u.next, rootRef, info, prev, xref)

	return u.buf.Bytes(), nil
}

// lastStartxref returns the offset named by the file's last startxref.
func lastStartxref(data []byte) (int, error) {
	i := bytes.LastIndex(data, []byte("startxref"))
	if i < 0 {
		return 0, fmt.Errorf("pdf: maroto's output has no startxref")
	}
	f := strings.Fields(string(data[i+len("startxref"):]))
	if len(f) == 0 {
		return 0, fmt.Errorf("pdf: malformed startxref")
	}
	return strconv.Atoi(f[0])
}

// infoDict returns the document information dictionary.
func infoDict(b *tree.Book, opt Options) string {
	m := b.Meta
	date := "D:" + opt.Created.Format("20060102150405") + "Z"
	var kw []string
	for _, p := range b.Parts {
		if p.Number > 0 && p.Title != "" {
			kw = append(kw, p.Title)
		}
	}
	var sb strings.Builder
	sb.WriteString("<<")
	add := func(key, val string) {
		if val != "" {
			sb.WriteString(" /" + key + " " + textString(val))
		}
	}
	add("Title", m.Title)
	add("Author", m.Author)
	add("Subject", m.Subtitle)
	add("Keywords", strings.Join(kw, "; "))
	add("Creator", opt.Generator)
	add("Producer", "maroto v2 (gofpdf) and pdfcpu")
	sb.WriteString(" /CreationDate " + textString(date) + " /ModDate " + textString(date) + " >>")
	return sb.String()
}

// outlineItem is a node of the PDF outline.
type outlineItem struct {
	title string
	id    string
	kids  []*outlineItem
	obj   int
}

// outlineTree builds the outline from the table of contents: the contents
// page, then parts (open) with their chapters (closed) and the chapters'
// sections, then the credits and the colophon.
func outlineTree(toc []typeset.TOCEntry) []*outlineItem {
	items := []*outlineItem{{title: "Contents", id: typeset.ContentsID}}
	var part, chap *outlineItem
	for _, e := range toc {
		it := &outlineItem{title: e.Title, id: e.ID}
		switch {
		case e.Level == 0:
			items = append(items, it)
			part, chap = it, nil
		case e.Level == 1 && part != nil:
			part.kids = append(part.kids, it)
			chap = it
		case e.Level >= 2 && chap != nil:
			chap.kids = append(chap.kids, it)
		case e.Level >= 2 && part != nil:
			part.kids = append(part.kids, it)
		default:
			items = append(items, it)
		}
	}
	return items
}

// writeOutline allocates and writes items under parent and returns the
// number of visible descendants (parts open, chapters closed).
func writeOutline(u *update, items []*outlineItem, parent int, destFor func(string) string) int {
	for _, it := range items {
		it.obj = u.alloc()
	}
	visible := 0
	for i, it := range items {
		var sb strings.Builder
		fmt.Fprintf(&sb, "<< /Title %s /Parent %d 0 R", textString(it.title), parent)
		if i > 0 {
			fmt.Fprintf(&sb, " /Prev %d 0 R", items[i-1].obj)
		}
		if i < len(items)-1 {
			fmt.Fprintf(&sb, " /Next %d 0 R", items[i+1].obj)
		}
		visible++
		if len(it.kids) > 0 {
			n := writeOutline(u, it.kids, it.obj, destFor)
			open := parent != 0 && isTop(items)
			if open {
				visible += n
				fmt.Fprintf(&sb, " /First %d 0 R /Last %d 0 R /Count %d", it.kids[0].obj, it.kids[len(it.kids)-1].obj, n)
			} else {
				fmt.Fprintf(&sb, " /First %d 0 R /Last %d 0 R /Count -%d", it.kids[0].obj, it.kids[len(it.kids)-1].obj, len(it.kids))
			}
		}
		if d := destFor(it.id); d != "" {
			sb.WriteString(" /Dest " + d)
		}
		sb.WriteString(" >>")
		u.put(it.obj, sb.String())
	}
	return visible
}

// isTop reports whether items is the top level of the outline (it starts
// with the Contents entry).
func isTop(items []*outlineItem) bool { return len(items) > 0 && items[0].id == typeset.ContentsID }

// num formats a coordinate in points with at most two decimals.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}

// textString encodes s as a PDF text string: a literal when it is plain
// ASCII, else UTF-16BE with a byte order mark, in hex.
func textString(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 {
			ascii = false
			break
		}
	}
	if ascii {
		return literal(s)
	}
	var sb strings.Builder
	sb.WriteString("<FEFF")
	for _, c := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&sb, "%04X", c)
	}
	sb.WriteString(">")
	return sb.String()
}

// literal returns s as a PDF literal string.
func literal(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`)
	return "(" + r.Replace(s) + ")"
}

// uriString encodes a URI for a /URI action: 7-bit ASCII, so bytes
// outside it are percent-encoded.
func uriString(s string) string { return literal(typeset.QRText(s)) }

// serialize writes a pdfcpu object in PDF syntax, with dictionary keys
// sorted so that output does not depend on map order.
func serialize(o types.Object) string {
	var sb strings.Builder
	writeObject(&sb, o)
	return sb.String()
}

func writeObject(sb *strings.Builder, o types.Object) {
	switch o := o.(type) {
	case nil:
		sb.WriteString("null")
	case types.Dict:
		keys := make([]string, 0, len(o))
		for k := range o {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		sb.WriteString("<<")
		for _, k := range keys {
			sb.WriteString(" " + types.Name(k).PDFString() + " ")
			writeObject(sb, o[k])
		}
		sb.WriteString(" >>")
	case types.Array:
		sb.WriteString("[")
		for i, e := range o {
			if i > 0 {
				sb.WriteByte(' ')
			}
			writeObject(sb, e)
		}
		sb.WriteString("]")
	case types.Float:
		sb.WriteString(strconv.FormatFloat(o.Value(), 'f', -1, 64))
	case types.IndirectRef:
		fmt.Fprintf(sb, "%d %d R", o.ObjectNumber.Value(), o.GenerationNumber.Value())
	case *types.IndirectRef:
		fmt.Fprintf(sb, "%d %d R", o.ObjectNumber.Value(), o.GenerationNumber.Value())
	default:
		sb.WriteString(o.PDFString())
	}
}

// pageList walks the page tree once and returns every page's object
// number and dictionary in page order. (pdfcpu's XRefTable.PageDict walks
// the tree from the root for each page it is asked for, which made
// annotating a book of n pages cost n² steps.)
func pageList(xt *model.XRefTable) ([]int, []types.Dict, error) {
	root, err := xt.Catalog()
	if err != nil {
		return nil, nil, fmt.Errorf("pdf: reading maroto's output: %w", err)
	}
	pages := root.IndirectRefEntry("Pages")
	if pages == nil {
		return nil, nil, fmt.Errorf("pdf: reading maroto's output: no page tree")
	}
	var refs []int
	var dicts []types.Dict
	var walk func(ref types.IndirectRef, depth int) error
	walk = func(ref types.IndirectRef, depth int) error {
		if depth > 64 {
			return fmt.Errorf("pdf: page tree too deep")
		}
		d, err := xt.DereferenceDict(ref)
		if err != nil || d == nil {
			return fmt.Errorf("pdf: page tree object %d: %v", ref.ObjectNumber.Value(), err)
		}
		if t := d.Type(); t != nil && *t == "Page" {
			refs = append(refs, ref.ObjectNumber.Value())
			dicts = append(dicts, d)
			return nil
		}
		for _, kid := range d.ArrayEntry("Kids") {
			k, ok := kid.(types.IndirectRef)
			if !ok {
				return fmt.Errorf("pdf: page tree kid is not a reference")
			}
			if err := walk(k, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(*pages, 0); err != nil {
		return nil, nil, err
	}
	return refs, dicts, nil
}

// renameFonts gives every embedded font its subset name, "ABCDEF+Name"
// (PDF 32000-1:2008, 9.6.4): gofpdf embeds subsets but names them after
// its own family keys ("utf8hbbodyB"), which tells a reader neither that
// the font is a subset nor which font it is. tags maps gofpdf's names to
// the new ones. The Type0 font, its descendant CIDFont and the font
// descriptor get new versions in the update.
func renameFonts(xt *model.XRefTable, u *update, tags map[string]string) error {
	nums := make([]int, 0, len(xt.Table))
	for n := range xt.Table {
		nums = append(nums, n)
	}
	sort.Ints(nums) // map order must not reach the file
	for _, n := range nums {
		e := xt.Table[n]
		if e == nil || e.Free {
			continue
		}
		fd, ok := e.Object.(types.Dict)
		if !ok || fd.Type() == nil || *fd.Type() != "Font" || fd.Subtype() == nil || *fd.Subtype() != "Type0" {
			continue
		}
		base := fd.NameEntry("BaseFont")
		if base == nil {
			continue
		}
		name, ok := tags[*base]
		if !ok {
			return fmt.Errorf("pdf: no subset name for font %s", *base)
		}
		fd = fd.Clone().(types.Dict)
		fd["BaseFont"] = types.Name(name)
		u.put(n, serialize(fd))
		kids := fd.ArrayEntry("DescendantFonts")
		if len(kids) != 1 {
			return fmt.Errorf("pdf: font %s has %d descendant fonts", *base, len(kids))
		}
		kref, ok := kids[0].(types.IndirectRef)
		if !ok {
			return fmt.Errorf("pdf: font %s: descendant is not a reference", *base)
		}
		cid, err := xt.DereferenceDict(kref)
		if err != nil || cid == nil {
			return fmt.Errorf("pdf: font %s: %v", *base, err)
		}
		cid = cid.Clone().(types.Dict)
		cid["BaseFont"] = types.Name(name)
		u.put(kref.ObjectNumber.Value(), serialize(cid))
		dref := cid.IndirectRefEntry("FontDescriptor")
		if dref == nil {
			return fmt.Errorf("pdf: font %s has no descriptor", *base)
		}
		desc, err := xt.DereferenceDict(*dref)
		if err != nil || desc == nil {
			return fmt.Errorf("pdf: font %s: %v", *base, err)
		}
		desc = desc.Clone().(types.Dict)
		desc["FontName"] = types.Name(name)
		u.put(dref.ObjectNumber.Value(), serialize(desc))
	}
	return nil
}
