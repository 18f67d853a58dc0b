package writer

import (
	"compress/zlib"
	"encoding/xml"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/genai-handbook/handbook/pdf/font"
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
	add("Producer", producer)
	sb.WriteString(" /CreationDate " + textString(date) + " /ModDate " + textString(date) + " >>")
	return sb.String()
}

// xmp returns the document's XMP metadata, which says what the document
// information says (ISO 32000-1, 14.3.2), and its language.
func xmp(opt Options) []byte {
	m := opt.Info
	date := opt.Created.UTC().Format("2006-01-02T15:04:05Z")
	esc := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	var b strings.Builder
	b.WriteString("<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">` + "\n")
	b.WriteString("<dc:format>application/pdf</dc:format>\n")
	if m.Title != "" {
		b.WriteString(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + esc(m.Title) + "</rdf:li></rdf:Alt></dc:title>\n")
	}
	if m.Author != "" {
		b.WriteString("<dc:creator><rdf:Seq><rdf:li>" + esc(m.Author) + "</rdf:li></rdf:Seq></dc:creator>\n")
	}
	if m.Subject != "" {
		b.WriteString(`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">` + esc(m.Subject) + "</rdf:li></rdf:Alt></dc:description>\n")
	}
	if opt.Lang != "" {
		b.WriteString("<dc:language><rdf:Bag><rdf:li>" + esc(opt.Lang) + "</rdf:li></rdf:Bag></dc:language>\n")
	}
	if len(m.Keywords) > 0 {
		b.WriteString("<pdf:Keywords>" + esc(strings.Join(m.Keywords, "; ")) + "</pdf:Keywords>\n")
	}
	b.WriteString("<pdf:Producer>" + producer + "</pdf:Producer>\n")
	if m.Creator != "" {
		b.WriteString("<xmp:CreatorTool>" + esc(m.Creator) + "</xmp:CreatorTool>\n")
	}
	b.WriteString("<xmp:CreateDate>" + date + "</xmp:CreateDate><xmp:ModifyDate>" + date + "</xmp:ModifyDate><xmp:MetadataDate>" + date + "</xmp:MetadataDate>\n")
	b.WriteString("</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>")
	return []byte(b.String())
}

// producer is the document information's Producer: the libraries that
// build the file.
const producer = "maroto v2 (gofpdf)"

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
func num(f float64) string { return string(appendNum(nil, f)) }

// appendNum appends f formatted as num does, without allocating: a
// book writes a few numbers for every word.
func appendNum(b []byte, f float64) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, f, 'f', 2, 64)
	for b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	if s := string(b[start:]); s == "-0" || s == "" {
		b = append(b[:start], '0')
	}
	return b
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
	return "(" + literalEscaper.Replace(s) + ")"
}

// literalEscaper escapes a literal string's backslashes and parentheses
// (made once: building a Replacer costs more than using it).
var literalEscaper = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`)

// uriString encodes a URI for a /URI action: 7-bit ASCII, so bytes
// outside it are percent-encoded.
func uriString(s string) string { return literal(qr.Text(s)) }

// compressEach deflates the n streams produce yields (index, data), in
// parallel with their making, each worker with its own reused compressor:
// only the compressed streams are kept (a long book's content is hundreds
// of megabytes before compression). zlib's output depends only on its
// input and level, so the result does not depend on the scheduling.
func compressEach(n int, produce func(yield func(int, []byte))) [][]byte {
	out := make([][]byte, n)
	type job struct {
		i    int
		data []byte
	}
	var wg sync.WaitGroup
	jobs := make(chan job, 4)
	for range max(runtime.GOMAXPROCS(0), 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// zlib's fastest level: a book's streams are text operators,
			// which compress well at any level, and compressing is much
			// of a PDF's writing time.
			c := font.NewCompressor(zlib.BestSpeed)
			for j := range jobs {
				out[j.i] = c.Compress(j.data)
			}
		}()
	}
	produce(func(i int, data []byte) { jobs <- job{i, data} })
	close(jobs)
	wg.Wait()
	return out
}
