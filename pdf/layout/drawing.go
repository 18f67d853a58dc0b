package layout

// Drawing is what render draws and annotate annotates: the layout's pages
// or a booklet's sheet sides, with the anchors moved accordingly.
type Drawing struct {
	Pages    []*Page
	Marks    [][]Op          // per drawn page, its links and QR codes (for annotate), in drawing order
	Geometry *Geometry       // the drawn pages' size and body type
	Anchors  map[string]Dest // anchor id → drawn page and position
	Outline  []Bookmark      // the document outline
	Front    int             // front-matter pages for the page labels; -1: no labels
}

// Bookmark is an entry of the document outline: a title that leads to
// an anchor, and the entries under it.
type Bookmark struct {
	Title string
	ID    string // the anchor it leads to
	Open  bool   // the entries under it are shown
	Kids  []Bookmark
}

// Marks returns, for each page, the links and QR codes drawn on it, in
// drawing order: what the writer annotates, kept apart so that the
// writer may release the rest of a page once it is drawn.
func Marks(pages []*Page) [][]Op {
	marks := make([][]Op, len(pages))
	for i, pg := range pages {
		for _, ops := range [][]Op{pg.Furniture, pg.Ops} {
			for _, o := range ops {
				if o.Kind == OpLink || o.Kind == OpQR {
					marks[i] = append(marks[i], o)
				}
			}
		}
	}
	return marks
}
