package layout

// Node is an element of a document's logical structure, which a tagged
// PDF gives screen readers: a standard structure type of PDF (ISO 32000-1,
// 14.8.4) such as "Document", "Part", "Sect", "H1"…"H6", "P", "L", "LI",
// "Lbl", "LBody", "Table", "TR", "TH", "TD", "BlockQuote", "Code",
// "Figure", "Caption", "Note", "TOC", "TOCI", under its parent. A
// design makes nodes as it walks the book, in reading order, and marks
// each drawing operation with the node it belongs to (Op.Node); the
// writer builds the structure tree from them.
type Node struct {
	Role   string
	Parent *Node  // nil for the root
	Seq    int    // its place in reading order among the nodes of its Setter
	Alt    string // what a Figure shows, for who cannot see it
	ID     string // the anchor the node stands at, if any (a Note's, which its references link to)
}
