package writer

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/genai-handbook/handbook/pdf/layout"
	"github.com/genai-handbook/handbook/pdf/qr"
)

// This file holds the PDF objects assemble adds to maroto's drawing: the
// document information, the outline, and the syntax they are written in.

// k converts mm to PDF points.
const k = 72 / 25.4

// infoDict returns the document information dictionary.
func infoDict(opt Options) string {
	m := opt.Info
	date := "D:" + opt.Created.Format("20060102150405") + "Z"
	var sb strings.Builder
	sb.WriteString("<<")
	add := func(key, val string) {
		if val != "" {
			sb.WriteString(" /" + key + " " + textString(val))
		}
	}
	add("Title", m.Title)
	add("Author", m.Author)
	add("Subject", m.Subject)
	add("Keywords", strings.Join(m.Keywords, "; "))
	add("Creator", m.Creator)
	add("Producer", "maroto v2 (gofpdf)")
	sb.WriteString(" /CreationDate " + textString(date) + " /ModDate " + textString(date) + " >>")
	return sb.String()
}

// outlineItem is a node of the PDF outline.
type outlineItem struct {
	title string
	id    string
	open  bool // its kids are shown
	kids  []*outlineItem
	obj   int
}

// outlineItems returns the outline's entries with objects to be allocated.
func outlineItems(bs []layout.Bookmark) []*outlineItem {
	items := make([]*outlineItem, len(bs))
	for i, b := range bs {
		items[i] = &outlineItem{title: b.Title, id: b.ID, open: b.Open, kids: outlineItems(b.Kids)}
	}
	return items
}

// writeOutline allocates and writes items under parent and returns the
// number of visible descendants (parts open, chapters closed).
func writeOutline(u *objWriter, items []*outlineItem, parent int, destFor func(string) string) int {
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
			if it.open {
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
func uriString(s string) string { return literal(qr.Text(s)) }
