package writer

import (
	"bytes"
	"fmt"
	"regexp"
	"runtime"
	"sync"
	"time"

	"github.com/johnfercher/go-tree/node"
	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/extension"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"github.com/phpdave11/gofpdf"

	"github.com/genai-handbook/handbook/pdf/layout"
)

// gofpdfDefaults guards gofpdf's package-level defaults, which every new
// document copies when it is created: the modification date (else the
// clock) and sorted resource catalogs (else map order). Both are needed
// for byte-identical output.
var gofpdfDefaults sync.Mutex

// render makes the pages with maroto and returns the PDF bytes: the
// document's frame (catalog, page tree, pages of the drawing's size,
// document information) and the images, which gofpdf encodes. Every page
// is one row, exactly as high as the page, holding one component that
// draws the page's images at their computed positions: maroto does no
// layout of its own here, so nothing can drift onto another page. The
// text and the rest of the drawing are the writer's own (content.go).
func render(pages []*layout.Page, g *layout.Geometry, created time.Time) ([]byte, error) {
	cfg := config.NewBuilder().
		WithDimensions(g.W, g.H).
		WithLeftMargin(0).WithTopMargin(0).WithRightMargin(0).WithBottomMargin(0).
		// Uncompressed, so that assemble can read which image each
		// page draws (its content stream is then replaced by ours).
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
		m.AddRows(row.New(g.H).Add(col.New().Add(&pageComponent{pg: pg, h: g.H})))
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
	images [][]string // per page, the names gofpdf gave the images it drew, in order
	first  int        // the index in the book's pages of its first page
}

// drawChunks draws d's pages with maroto: as one document, or, for a
// long book, as documents of chunkPages pages each, that assemble joins
// into one file. gofpdf keeps every page's content until its document is
// finished and then copies it all into its output; a long book in one
// piece held a gigabyte. (It now holds little per page, the writer
// drawing the text; the chunks keep a long book's images apart.)
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
// document of their own, and keeps of each page the names of its images.
func drawChunk(d *layout.Drawing, opt Options, pages []*layout.Page, first int) (*chunk, error) {
	c := &chunk{first: first}
	data, err := render(pages, d.Geometry, opt.Created)
	if err != nil {
		return nil, err
	}
	if c.doc, err = readGofpdf(data); err != nil {
		return nil, err
	}
	if len(c.doc.pages) != len(pages) {
		return nil, fmt.Errorf("pdf: maroto drew %d pages, want %d", len(c.doc.pages), len(pages))
	}
	c.images = make([][]string, len(c.doc.pages))
	for i, p := range c.doc.pages {
		s, deflated, err := streamData(c.doc.objs[c.doc.content[p]])
		if err != nil {
			return nil, err
		}
		if deflated {
			return nil, fmt.Errorf("pdf: gofpdf compressed a page")
		}
		for _, m := range imageRE.FindAllSubmatch(s, -1) {
			c.images[i] = append(c.images[i], string(m[1]))
		}
	}
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

// imageRE matches gofpdf's drawing of an image: "… cm /I1 Do Q".
var imageRE = regexp.MustCompile(`/(\S+) Do\b`)

// pageComponent is the maroto component that makes one page: gofpdf
// draws its images (the writer draws the rest in a content stream of its
// own, see content.go), which makes gofpdf encode them as image objects
// (PNG's predictors, an alpha channel's soft mask) and list them in the
// page's resources.
type pageComponent struct {
	pg *layout.Page
	h  float64
}

func (c *pageComponent) SetConfig(*entity.Config) {}

func (c *pageComponent) GetStructure() *node.Node[core.Structure] {
	return node.New(core.Structure{Type: "handbook-page"})
}

func (c *pageComponent) GetHeight(core.Provider, *entity.Cell) float64 { return c.h }

// Render draws the page's images, in the order of its operations.
func (c *pageComponent) Render(p core.Provider, cell *entity.Cell) {
	for _, ops := range [][]layout.Op{c.pg.Furniture, c.pg.Ops} {
		for i := range ops {
			o := &ops[i]
			if o.Kind != layout.OpImage {
				continue
			}
			ext := extension.Png
			if o.File.MediaType == "image/jpeg" {
				ext = extension.Jpg
			}
			p.AddImageFromBytes(o.File.Data, &entity.Cell{X: cell.X + o.X, Y: cell.Y + o.Y, Width: o.W, Height: o.H}, &props.Rect{Percent: 100}, ext)
		}
	}
}
