package tree

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Dump writes the tree as indented plain text, one node per line: the test
// oracle of the compiler and the output of `handbook dump`. It shows every
// id: parts and headings as #id, footnotes as [^n #id], and where each
// internal link resolved to ("→ #id (part 1, chapter 0)", "→ ?" when it
// did not). Inline content is shown in a compact markdown-like notation:
// *emph*, **strong**, ~~strike~~, `code`, [text](url → …), ![alt](src),
// with "→ path" when the image is embedded, [^n #id]{…} for a footnote
// (its content at its first reference only) and "\\" for a hard line
// break. Its time is linear in the size of the tree, however deeply
// nested.
func Dump(w io.Writer, bk *Book) error {
	d := &dumper{w: w, seen: map[*Footnote]bool{}}
	m := bk.Meta
	d.line(0, "book %q", m.Title)
	d.line(1, "subtitle %q", m.Subtitle)
	d.line(1, "author %q sort %q", m.Author, m.AuthorSort)
	for _, l := range m.AuthorLinks {
		d.line(2, "link %s", d.inlines([]Inline{l}))
	}
	d.line(1, "version %q url %q date %q (%s)", m.Version, m.VersionURL, m.Date, m.DateISO)
	d.line(1, "language %s identifier %s slug %s", m.Language, m.Identifier, m.Slug)
	d.line(1, "source %q", m.SourceURL)
	for _, f := range bk.Files {
		d.line(1, "file %s %s %d bytes %dx%d", f.Path, f.MediaType, len(f.Data), f.Width, f.Height)
	}
	for _, p := range bk.Parts {
		label := p.Label
		if label == "" {
			label = "-"
		}
		d.line(0, "part %d #%s %s %q", p.Number, p.ID, label, p.Title)
		if p.Summary != nil {
			d.line(1, "summary Goal: %s", d.inlines(p.Summary))
		}
		d.blocks(1, p.Blocks)
		for _, c := range p.Chapters {
			d.heading(1, "chapter", c.Heading)
			d.blocks(2, c.Blocks)
		}
	}
	if len(bk.Back) > 0 {
		d.line(0, "back")
		d.blocks(1, bk.Back)
	}
	d.changes(bk.Changes)
	return d.err
}

type dumper struct {
	w    io.Writer
	err  error
	seen map[*Footnote]bool // footnotes whose content has been shown
}

// maxIndent is the deepest nesting Dump shows by indentation; deeper lines
// are indented as deep and prefixed with their depth ("[250] "), so that
// the dump of n nested lists is not n² bytes of spaces.
const maxIndent = 32

func (d *dumper) line(depth int, format string, args ...any) {
	if d.err != nil {
		return
	}
	indent := strings.Repeat("  ", min(depth, maxIndent))
	if depth > maxIndent {
		indent += "[" + strconv.Itoa(depth) + "] "
	}
	_, d.err = fmt.Fprintf(d.w, "%s%s\n", indent, fmt.Sprintf(format, args...))
}

func (d *dumper) heading(depth int, kind string, h *Heading) {
	var flags []string
	if !h.Numbered {
		flags = append(flags, "no-numbering")
	}
	if !h.InTOC {
		flags = append(flags, "no-toc")
	}
	f := ""
	if len(flags) > 0 {
		f = " [" + strings.Join(flags, ",") + "]"
	}
	d.line(depth, "%s h%d #%s %q%s", kind, h.Level, h.ID, h.FullTitle(), f)
}

func (d *dumper) blocks(depth int, bs []Block) {
	for _, b := range bs {
		switch b := b.(type) {
		case *Heading:
			d.heading(depth, "heading", b)
		case *Paragraph:
			d.line(depth, "paragraph %s", d.inlines(b.Content))
		case *List:
			kind := "bullet"
			if b.Ordered {
				kind = "ordered start=" + strconv.Itoa(b.Start)
			}
			if b.Tight {
				kind += " tight"
			}
			d.line(depth, "list %s", kind)
			for _, it := range b.Items {
				d.line(depth+1, "item")
				d.blocks(depth+2, it.Blocks)
			}
		case *CodeBlock:
			d.line(depth, "code %q", b.Lang)
			for _, l := range strings.SplitAfter(strings.TrimSuffix(b.Text, "\n"), "\n") {
				d.line(depth+1, "| %s", strings.TrimSuffix(l, "\n"))
			}
		case *Quote:
			d.line(depth, "quote")
			d.blocks(depth+1, b.Blocks)
		case *Rule:
			d.line(depth, "rule")
		case *Table:
			al := make([]string, len(b.Align))
			for i, a := range b.Align {
				al[i] = [...]string{"none", "left", "center", "right"}[a]
			}
			d.line(depth, "table align=%s", strings.Join(al, ","))
			d.row(depth+1, "header", b.Header)
			for _, r := range b.Rows {
				d.row(depth+1, "row", r)
			}
		case *Figure:
			d.line(depth, "figure %s", d.inlines([]Inline{b.Image}))
		default:
			panic(fmt.Sprintf("tree.Dump: unknown block %T", b))
		}
	}
}

func (d *dumper) row(depth int, kind string, cells [][]Inline) {
	s := make([]string, len(cells))
	for i, c := range cells {
		s[i] = d.inlines(c)
	}
	d.line(depth, "%s %s", kind, strings.Join(s, " | "))
}

func (d *dumper) inlines(ins []Inline) string {
	var sb strings.Builder
	d.writeInlines(&sb, ins)
	return sb.String()
}

// writeInlines writes ins to sb; nested content goes into the same
// builder, so that deep nesting costs linear time.
func (d *dumper) writeInlines(sb *strings.Builder, ins []Inline) {
	for _, in := range ins {
		switch in := in.(type) {
		case *Text:
			sb.WriteString(in.Text)
		case *Code:
			sb.WriteString("`" + in.Text + "`")
		case *Emph:
			sb.WriteString("*")
			d.writeInlines(sb, in.Content)
			sb.WriteString("*")
		case *Strong:
			sb.WriteString("**")
			d.writeInlines(sb, in.Content)
			sb.WriteString("**")
		case *Strike:
			sb.WriteString("~~")
			d.writeInlines(sb, in.Content)
			sb.WriteString("~~")
		case *Link:
			sb.WriteString("[")
			d.writeInlines(sb, in.Content)
			sb.WriteString("](" + in.URL)
			switch a := in.Target; {
			case a != nil && a.Chapter == -2:
				fmt.Fprintf(sb, " → #%s (back)", a.ID)
			case a != nil && a.Chapter < 0:
				fmt.Fprintf(sb, " → #%s (part %d)", a.ID, a.Part)
			case a != nil:
				fmt.Fprintf(sb, " → #%s (part %d, chapter %d)", a.ID, a.Part, a.Chapter)
			case in.IsInternal():
				sb.WriteString(" → ?")
			}
			sb.WriteString(")")
		case *LineBreak:
			sb.WriteString("\\\\")
		case *Footnote:
			fmt.Fprintf(sb, "[^%d #%s]", in.Number, in.ID)
			if d.seen[in] {
				continue
			}
			d.seen[in] = true
			var inner strings.Builder
			sub := &dumper{w: &inner, seen: d.seen}
			sub.blocks(0, in.Blocks)
			sb.WriteString("{" + strings.TrimSpace(strings.ReplaceAll(inner.String(), "\n", " / ")) + "}")
		case *Image:
			sb.WriteString("![" + in.Alt + "](" + in.Src)
			if in.File != nil {
				sb.WriteString(" → " + in.File.Path)
			}
			sb.WriteString(")")
		default:
			panic(fmt.Sprintf("tree.Dump: unknown inline %T", in))
		}
	}
}
