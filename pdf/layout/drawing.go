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
