package writer

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/johnfercher/go-tree/node"
	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/extension"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/linestyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/orientation"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"github.com/phpdave11/gofpdf"

	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// Font family names registered with gofpdf. They must not be the name of
// a PDF core font (which gofpdf would use, unembedded).
const (
	famBody = "hbbody"
	famMono = "hbmono"
	famSym  = "hbsym"
)

// family maps a face to gofpdf's family and style.
func family(st fonts.Style) (string, fontstyle.Type) {
	switch st {
	case fonts.Bold:
		return famBody, fontstyle.Bold
	case fonts.Italic:
		return famBody, fontstyle.Italic
	case fonts.BoldItalic:
		return famBody, fontstyle.BoldItalic
	case fonts.Mono:
		return famMono, fontstyle.Normal
	case fonts.MonoBold:
		return famMono, fontstyle.Bold
	case fonts.Symbol:
		return famSym, fontstyle.Normal
	}
	return famBody, fontstyle.Normal
}

// gofpdfName returns the name gofpdf gives the font of face st: "utf8",
// the family, and "B", "I" or "BI" for the style.
func gofpdfName(st fonts.Style) string {
	fam, sty := family(st)
	return "utf8" + fam + map[fontstyle.Type]string{fontstyle.Normal: "", fontstyle.Bold: "B", fontstyle.Italic: "I", fontstyle.BoldItalic: "BI"}[sty]
}

// subsetTags returns, for every face drawn on pages, gofpdf's name for
// its font and the name the file should give it: a subset tag of six
// capital letters, derived from the characters drawn in it (so that two
// different subsets of a font in two files get different tags, and the
// same book always the same), "+", and the font's PostScript name.
func subsetTags(pages []*layout.Page, fs *fonts.Set) map[string]string {
	used := map[fonts.Style]map[rune]bool{fonts.Regular: {}}
	for _, pg := range pages {
		for _, ops := range [][]layout.Op{pg.Furniture, pg.Ops} {
			for _, o := range ops {
				if o.Kind != layout.OpText {
					continue
				}
				m := used[o.Style.Face]
				if m == nil {
					m = map[rune]bool{}
					used[o.Style.Face] = m
				}
				for _, r := range o.Text {
					m[r] = true
				}
			}
		}
	}
	tags := map[string]string{}
	for st, m := range used {
		rs := make([]rune, 0, len(m))
		for r := range m {
			rs = append(rs, r)
		}
		slices.Sort(rs)
		h := fnv.New64a()
		ps := fs.Face(st).PostScriptName
		h.Write([]byte(ps))
		h.Write([]byte(string(rs)))
		sum := h.Sum64()
		var tag [6]byte
		for i := range tag {
			tag[i] = byte('A' + sum%26)
			sum /= 26
		}
		tags[gofpdfName(st)] = string(tag[:]) + "+" + pdfName(ps)
	}
	return tags
}

// pdfName keeps the characters a PostScript font name may have.
func pdfName(s string) string {
	var sb strings.Builder
	for _, r := range s {
		if r > 0x20 && r < 0x7f && !strings.ContainsRune("()<>[]{}/%#", r) {
			sb.WriteRune(r)
		}
	}
	if sb.Len() == 0 {
		return "Font"
	}
	return sb.String()
}

// gofpdfDefaults guards gofpdf's package-level defaults, which every new
// document copies when it is created: the modification date (else the
// clock) and sorted resource catalogs (else map order). Both are needed
// for byte-identical output.
var gofpdfDefaults sync.Mutex

// render draws the pages with maroto and returns the PDF bytes. Every page
// is one row, exactly as high as the page, holding one component that
// draws the page's ops at their computed positions: maroto does no
// layout of its own here, so nothing can drift onto another page.
//
// With release, a page's ops are dropped once it is drawn: gofpdf holds
// the page's content stream from then on.
func render(pages []*layout.Page, g *layout.Geometry, fs *fonts.Set, created time.Time, release bool) ([]byte, error) {
	// Register only the faces the book uses: gofpdf embeds every
	// registered font, and the subset of an unused one is not
	// reproducible (its initial rune set maps several control characters
	// to one glyph, and a map iteration picks among them).
	used := map[fonts.Style]bool{fonts.Regular: true}
	for _, pg := range pages {
		for _, ops := range [][]layout.Op{pg.Furniture, pg.Ops} {
			for _, o := range ops {
				if o.Kind == layout.OpText {
					used[o.Style.Face] = true
				}
			}
		}
	}
	var cf []*entity.CustomFont
	for _, st := range []fonts.Style{fonts.Regular, fonts.Bold, fonts.Italic, fonts.BoldItalic, fonts.Mono, fonts.MonoBold, fonts.Symbol} {
		if !used[st] {
			continue
		}
		fam, sty := family(st)
		// A copy: gofpdf's subsetter rewrites composite glyphs' component
		// indices inside the TTF bytes it is given, which would corrupt
		// the shared font and make the next document differ.
		ttf := append([]byte(nil), fs.Face(st).TTF...)
		cf = append(cf, &entity.CustomFont{Family: fam, Style: sty, Bytes: ttf})
	}
	cfg := config.NewBuilder().
		WithDimensions(g.W, g.H).
		WithLeftMargin(0).WithTopMargin(0).WithRightMargin(0).WithBottomMargin(0).
		WithCustomFonts(cf).
		WithDefaultFont(&props.Font{Family: famBody, Size: g.Body, Style: fontstyle.Normal, Color: &props.Color{}}).
		// Uncompressed, so that the pages are compressed in parallel,
		// each worker reusing one compressor (gofpdf makes a new one, a
		// megabyte of tables, for every page). A long book is drawn in
		// chunks (drawChunks), so that the uncompressed copy gofpdf
		// makes of its pages at the end stays small.
		WithCompression(false).
		WithCreationDate(created).
		Build()

	gofpdfDefaults.Lock()
	gofpdf.SetDefaultCatalogSort(true)
	gofpdf.SetDefaultCreationDate(created)
	gofpdf.SetDefaultModificationDate(created)
	m := maroto.New(cfg)
	gofpdfDefaults.Unlock()

	for _, pg := range pages {
		m.AddRows(row.New(g.H).Add(col.New().Add(&pageComponent{pg: pg, h: g.H, release: release, fs: fs})))
	}
	doc, err := m.Generate()
	if err != nil {
		return nil, fmt.Errorf("pdf: maroto: %w", err)
	}
	return doc.GetBytes(), nil
}

// bigPDFPages is the number of pages above which a book is drawn in
// chunks of chunkPages pages: about five times the real handbook's print
// edition. gofpdf holds about 400 KB a page of a long book until its
// document is finished (its pages' content, then its output, in buffers
// that grow by doubling): drawn whole, a 1,900-page book held 730 MB,
// and two chunks of 1,000 pages at a time as much (issue 26, case 4).
const (
	bigPDFPages = 500
	chunkPages  = 250
)

// chunk is one document gofpdf drew, ready to be assembled: its objects
// (copied out of gofpdf's file, which is let go of), with each page's
// content stream compressed.
type chunk struct {
	doc    *gofpdfDoc
	packed [][]byte          // the pages' content streams, compressed, in page order
	tags   map[string]string // gofpdf's font names → subset names (subsetTags)
	first  int               // the index in the book's pages of its first page
}

// drawChunks draws d's pages with maroto: as one document, or, for a
// long book, as documents of chunkPages pages each, that assemble joins
// into one file. gofpdf keeps every page's content until its document is
// finished and then copies it all into its output; a long book in one
// piece held a gigabyte. Each chunk has its own subsets of the fonts.
// With release, the pages' operations are let go of as they are drawn.
func drawChunks(d *layout.Drawing, opt Options) ([]*chunk, error) {
	size := len(d.Pages)
	if opt.ChunkPages > 0 {
		size = opt.ChunkPages
	} else if len(d.Pages) > bigPDFPages {
		size = chunkPages
	}
	firsts := []int{0} // where each chunk starts; one (empty) for no pages
	for first := size; first < len(d.Pages); first += size {
		firsts = append(firsts, first)
	}
	// The chunks are drawn two at a time: maroto draws on one core, and
	// a chunk's memory is small.
	chunks := make([]*chunk, len(firsts))
	errs := make([]error, len(firsts))
	var wg sync.WaitGroup
	slots := make(chan struct{}, min(2, runtime.GOMAXPROCS(0)))
	for k, first := range firsts {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			chunks[k], errs[k] = drawChunk(d, opt, d.Pages[first:min(first+size, len(d.Pages))], first)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return chunks, nil
}

// drawChunk draws pages, which start at index first of the book's, as a
// document of their own.
func drawChunk(d *layout.Drawing, opt Options, pages []*layout.Page, first int) (*chunk, error) {
	c := &chunk{tags: subsetTags(pages, opt.Fonts), first: first}
	data, err := render(pages, d.Geometry, opt.Fonts, opt.Created, opt.Release)
	if err != nil {
		return nil, err
	}
	if c.doc, err = readGofpdf(data); err != nil {
		return nil, err
	}
	if len(c.doc.pages) != len(pages) {
		return nil, fmt.Errorf("pdf: maroto drew %d pages, want %d", len(c.doc.pages), len(pages))
	}
	plain := make([][]byte, len(c.doc.pages))
	for i, p := range c.doc.pages {
		s, deflated, err := streamData(c.doc.objs[c.doc.content[p]])
		if err != nil {
			return nil, err
		}
		if deflated {
			return nil, fmt.Errorf("pdf: gofpdf compressed a page")
		}
		plain[i] = s
	}
	c.packed = compressAll(len(plain), func(i int) []byte { return plain[i] })
	// Keep the other objects, not gofpdf's whole file.
	for _, p := range c.doc.pages {
		c.doc.objs[c.doc.content[p]] = nil
	}
	for n, o := range c.doc.objs {
		if o != nil {
			c.doc.objs[n] = bytes.Clone(o)
		}
	}
	c.doc.data = nil
	return c, nil
}

// pageComponent is the maroto component that draws one page.
type pageComponent struct {
	fs      *fonts.Set
	pg      *layout.Page
	h       float64
	release bool // drop the page's ops once drawn
}

func (c *pageComponent) SetConfig(*entity.Config) {}

func (c *pageComponent) GetStructure() *node.Node[core.Structure] {
	return node.New(core.Structure{Type: "handbook-page"})
}

func (c *pageComponent) GetHeight(core.Provider, *entity.Cell) float64 { return c.h }

// Render draws the page: furniture first (the cover's band lies under
// its title), then content.
func (c *pageComponent) Render(p core.Provider, cell *entity.Cell) {
	d := drawer{fs: c.fs}
	for _, ops := range [][]layout.Op{c.pg.Furniture, c.pg.Ops} {
		for i := range ops {
			switch ops[i].Kind {
			case layout.OpText:
				d.text(p, cell.X, cell.Y, &ops[i])
			case layout.OpRect, layout.OpImage:
				d.flush(p) // keep the order of ink: backgrounds under text
				d.draw(p, cell.X, cell.Y, &ops[i])
			}
		}
		d.flush(p)
	}
	if c.release {
		c.pg.Ops, c.pg.Furniture = nil, nil
	}
}

// drawer draws ops through a provider. It reuses the cell and property
// values it hands to maroto, which neither keeps nor changes them (a
// book has one text op per word). Colours are new for every op: maroto
// keeps the last text colour, to restore it after the next text.
type drawer struct {
	fs   *fonts.Set
	cell entity.Cell
	tp   props.Text
	line props.Line
	run  textRun
}

// textRun is a run of words drawn as one text call: words of one style
// on one baseline, left to right, with equal spaces between them (the
// words of a justified line, or of a line at natural spacing). maroto
// sets a text at a size and colour three times per call and the PDF
// library formats a text operator per call, so one call per run rather
// than per word halves the time a book takes to draw.
type textRun struct {
	st     layout.Style
	x, y   float64 // start of the first word, baseline (page coordinates)
	end    float64 // end of the last word
	gap    float64 // the space between words; -1 before the second word
	space  float64 // the natural space of the run's face and size
	words  []string
	cur    []byte  // the last word, as it grows from touching pieces
	widths float64 // the words' widths, summed
	ops    int
}

// text adds a text operation to the current run, or draws the run and
// starts a new one.
func (d *drawer) text(p core.Provider, ox, oy float64, o *layout.Op) {
	r := &d.run
	x, y := ox+o.X, oy+o.Y
	const eps = 0.02 // mm
	if r.ops > 0 && o.Style == r.st && math.Abs(y-r.y) < 1e-6 && !hasSpace(o.Text) {
		switch g := x - r.end; {
		case math.Abs(g) < eps: // a piece of the same word
			r.cur = append(r.cur, o.Text...)
			r.end, r.widths, r.ops = x+o.W, r.widths+o.W, r.ops+1
			return
		case g > eps && g < 3*r.space && (r.gap < 0 || math.Abs(g-r.gap) < eps):
			// The next word of a line: a justified space is at most
			// 2.3 natural ones. (A wider gap is a column's: maroto,
			// which drops a wide space after punctuation, must not
			// see it.)
			r.words = append(r.words, string(r.cur))
			r.cur = append(r.cur[:0], o.Text...)
			r.gap = g
			r.end, r.widths, r.ops = x+o.W, r.widths+o.W, r.ops+1
			return
		}
	}
	d.flush(p)
	if hasSpace(o.Text) {
		d.emit(p, o.Style, x, y, 0, o.Text, false)
		return
	}
	space := d.fs.Face(o.Style.Face).RuneWidth(' ', o.Style.Size) * layout.PtMM
	*r = textRun{st: o.Style, x: x, y: y, end: x + o.W, gap: -1, space: space, words: r.words[:0], cur: append(r.cur[:0], o.Text...), widths: o.W, ops: 1}
}

// flush draws the current run.
func (d *drawer) flush(p core.Provider) {
	r := &d.run
	if r.ops == 0 {
		return
	}
	r.ops = 0
	words := append(r.words, string(r.cur))
	r.words = words[:0]
	if len(words) == 1 {
		d.emit(p, r.st, r.x, r.y, 0, words[0], false)
		return
	}
	face := d.fs.Face(r.st.Face)
	space := r.space
	text := strings.Join(words, " ")
	switch {
	case math.Abs(r.gap-space) < 0.005:
		// Natural spacing: the spaces are the font's own.
		d.emit(p, r.st, r.x, r.y, 0, text, false)
	case r.gap > space+0.05:
		// Stretched: maroto's justification spreads the run over its
		// width with equal spaces, which is what the line has.
		d.emit(p, r.st, r.x, r.y, r.end-r.x, text, true)
	default:
		// Shrunk spaces, which maroto cannot set (it would wrap the run):
		// word by word.
		x := r.x
		for _, w := range words {
			d.emit(p, r.st, x, r.y, 0, w, false)
			x += face.Width(w, r.st.Size)*layout.PtMM + r.gap
		}
	}
}

// emit draws s in style st with its baseline at y: from x, or justified
// over [x, x+width) when justify is set.
func (d *drawer) emit(p core.Provider, st layout.Style, x, y, width float64, s string, justify bool) {
	fam, sty := family(st.Face)
	sizeMM := st.Size * layout.PtMM
	// AddText puts the baseline one font size below the cell's top plus
	// Top; a huge cell keeps a left-aligned text from wrapping.
	d.cell = entity.Cell{X: x, Y: y - sizeMM, Width: 1e4, Height: 1e4}
	al := align.Left
	if justify {
		d.cell.Width, al = width, align.Justify
	}
	d.tp = props.Text{
		Family: fam, Style: sty, Size: st.Size, Align: al,
		Color: &props.Color{Red: int(st.Color.R), Green: int(st.Color.G), Blue: int(st.Color.B)},
	}
	p.AddText(s, &d.cell, &d.tp)
}

// draw draws one op with origin (ox, oy).
func (d *drawer) draw(p core.Provider, ox, oy float64, o *layout.Op) {
	switch o.Kind {
	case layout.OpRect:
		// A filled rectangle is a horizontal line as thick as the
		// rectangle is high: maroto has no rectangle primitive, and PDF
		// lines have butt caps by default.
		d.cell = entity.Cell{X: ox + o.X, Y: oy + o.Y + o.H/2, Width: o.W, Height: 0}
		d.line = props.Line{
			Color:       &props.Color{Red: int(o.Color.R), Green: int(o.Color.G), Blue: int(o.Color.B)},
			Style:       linestyle.Solid,
			Thickness:   o.H,
			Orientation: orientation.Horizontal,
			SizePercent: 100,
		}
		p.AddLine(&d.cell, &d.line)
	case layout.OpImage:
		ext := extension.Png
		if o.File.MediaType == "image/jpeg" {
			ext = extension.Jpg
		}
		p.AddImageFromBytes(o.File.Data, &entity.Cell{X: ox + o.X, Y: oy + o.Y, Width: o.W, Height: o.H}, &props.Rect{Percent: 100}, ext)
	}
}

// hasSpace reports whether s holds a space of any kind: maroto splits a
// justified text at every one (a no-break space included), so such a
// text is drawn on its own.
func hasSpace(s string) bool { return strings.IndexFunc(s, unicode.IsSpace) >= 0 }
