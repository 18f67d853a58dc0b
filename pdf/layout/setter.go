package layout

import (
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/hyphen"
	"github.com/genai-handbook/handbook/pdf/linebreak"
)

// Setter is the layout engine: it turns words into lines (total fit,
// hyphenation, emergency breaks) and flows of items into pages (keeps,
// widows and orphans, floats), measuring with one font set on one page
// geometry.
type Setter struct {
	Geometry *Geometry
	Fonts    *fonts.Set
	keep     bool // record placed items on pages and keep their ops (tests)
	discard  bool // place no items' ops on the pages (Options.Discard)
	qrPlaced int  // QR codes placed on pages (counted here: with discard, the pages do not hold them)
	Diags    *diag.Diagnostics
	missed   map[missKey]bool
	rtlSeen  map[tree.Pos]bool   // positions warned of right-to-left text
	wide     map[tooWideKey]bool // tokens reported as wider than a line
	pos      tree.Pos            // the position of the block whose words are being made
	Src      tree.Block          // the block being set, whose lines record it; nil outside one
	// Node is the structure element the text being set belongs to:
	// Render marks its text and links with it. nil: an artifact.
	Node    *Node
	nodes   int               // nodes made so far, for their order
	hyph    *hyphen.Patterns  // the book language's patterns; nil: no hyphenation
	cache   *Cache            // broken paragraphs and hyphenation, maybe shared with other Typeset calls
	keyBuf  []byte            // scratch for cache keys
	breaker linebreak.Breaker // its memory reused from paragraph to paragraph
	para    struct {          // buildPara's slices, reused
		items, finished []linebreak.Item
		draw            [][]Frag
		src             []int
		word            []int32
	}
	wideSeen []wideToken       // tokens found too wide while breaking the current paragraph
	group    int               // last paragraph/code group number
	refIDs   []string          // the anchors of page references, as Op.ref numbers them
	refNums  map[string]uint32 // refIDs' indices + 1
}

// Options configures a Setter.
type Options struct {
	// Geometry is the page the Setter fills. Required.
	Geometry *Geometry
	// Fonts measure the text. Required.
	Fonts *fonts.Set
	// Hyphen are the text language's hyphenation patterns. Default nil:
	// no hyphenation.
	Hyphen *hyphen.Patterns
	// Cache keeps broken paragraphs and hyphenated words for other
	// Setters on the same text. Default nil: a cache of this Setter's own.
	Cache *Cache
	// Keep records, on every page, the items placed on it, and keeps
	// every page's operations (for Dump). Default false.
	Keep bool
	// Discard leaves pages without their items' drawing operations,
	// for a caller that wants only what setting finds (diagnostics,
	// pages, the page map): a long book's operations take hundreds of
	// megabytes. Ignored with Keep. Default false.
	Discard bool
	// Diags receives the Setter's diagnostics. Required.
	Diags *diag.Diagnostics
}

// New returns a Setter.
func New(opt Options) *Setter {
	c := opt.Cache
	if c == nil {
		c = &Cache{}
	}
	return &Setter{Geometry: opt.Geometry, Fonts: opt.Fonts, keep: opt.Keep, discard: opt.Discard && !opt.Keep, Diags: opt.Diags, missed: map[missKey]bool{}, cache: c, hyph: opt.Hyphen}
}

// NewGroup numbers a new group of lines (a paragraph, a code block),
// whose widows and orphans Paginate avoids.
func (t *Setter) NewGroup() int {
	t.group++
	return t.group
}

// NewNode returns a new structure element of role under parent, after
// every node made before it.
func (t *Setter) NewNode(role string, parent *Node) *Node {
	t.nodes++
	return &Node{Role: role, Parent: parent, Seq: t.nodes}
}

// QRPlaced returns the number of QR codes placed on pages so far.
func (t *Setter) QRPlaced() int { return t.qrPlaced }

// PageRef returns the anchor whose page label ends o's text (Frag.Ref),
// "" for none.
func (t *Setter) PageRef(o *Op) string {
	if o.ref == 0 {
		return ""
	}
	return t.refIDs[o.ref-1]
}

// refIndex returns Op.ref's number for anchor id: 0 for "".
func (t *Setter) refIndex(id string) uint32 {
	if id == "" {
		return 0
	}
	if n, ok := t.refNums[id]; ok {
		return n
	}
	if t.refNums == nil {
		t.refNums = map[string]uint32{}
	}
	t.refIDs = append(t.refIDs, id)
	n := uint32(len(t.refIDs))
	t.refNums[id] = n
	return n
}
