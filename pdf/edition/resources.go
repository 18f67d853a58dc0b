package edition

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/design"
	"github.com/genai-handbook/handbook/pdf/layout"
)

// This file sets the print edition's Resources lists: every external link
// of a chapter once, grouped by kind, with its site, its text (or the
// sentence around it when the text says little) and its full address,
// then QR codes for the addresses a reader would not type.

// kind is what a resource is, told from its address.
type kind uint8

const (
	kindVideo kind = iota
	kindPaper
	kindCode
	kindCourse
	kindBook
	kindArticle
	numKinds
)

// kindIDs name the kinds in the data the print edition reports
// (Resource.Kind, PlanRow.Counts); the book prints words.Words' names.
var kindIDs = [numKinds]string{"video", "paper", "code", "course", "book", "article"}

// String returns the kind's identifier.
func (k kind) String() string { return kindIDs[k] }

// resourceKind tells the kind of a resource from its address: videos on
// YouTube and Vimeo; papers on arXiv, OpenReview, the ACL Anthology, the
// proceedings sites, and any PDF; code on GitHub, GitLab, Colab and the
// Hugging Face Hub's repositories; courses on the course platforms and in
// a university's class pages; books on the handbook's usual book sites
// and paths that say so; articles otherwise (blog posts, documentation,
// news).
func resourceKind(u string) kind {
	pu, err := url.Parse(u)
	if err != nil {
		return kindArticle
	}
	host := strings.TrimPrefix(strings.ToLower(pu.Hostname()), "www.")
	path := strings.ToLower(pu.Path)
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	is := func(hosts ...string) bool {
		for _, h := range hosts {
			if host == h || strings.HasSuffix(host, "."+h) {
				return true
			}
		}
		return false
	}
	switch {
	case is("youtube.com", "youtu.be", "vimeo.com"):
		return kindVideo
	case is("arxiv.org", "openreview.net", "aclanthology.org", "proceedings.neurips.cc", "papers.nips.cc", "neurips.cc",
		"proceedings.mlr.press", "jmlr.org", "dl.acm.org", "ieeexplore.ieee.org", "semanticscholar.org", "biorxiv.org"),
		strings.HasSuffix(path, ".pdf"):
		return kindPaper
	case is("github.com", "gitlab.com", "colab.research.google.com"),
		is("huggingface.co") && strings.Count(strings.Trim(path, "/"), "/") >= 1 && !hubPages[first]:
		return kindCode
	case is("coursera.org", "edx.org", "udacity.com", "udemy.com", "course.fast.ai", "karpathy.ai"),
		is("huggingface.co") && first == "learn",
		strings.Contains(host, "course") || strings.Contains(path, "/course") || strings.Contains(path, "/class/") || strings.HasPrefix(path, "/learn"),
		strings.HasSuffix(host, ".edu") && len(host) > 2 && strings.HasPrefix(host, "cs") && unicode.IsDigit(rune(host[2])):
		return kindCourse
	case is("d2l.ai", "deeplearningbook.org", "statlearning.com", "probml.github.io"),
		strings.Contains(host, "book") || strings.Contains(path, "/book"):
		return kindBook
	}
	return kindArticle
}

// hubPages are the first path segments of the Hugging Face Hub that are
// not repositories.
var hubPages = map[string]bool{"blog": true, "docs": true, "learn": true, "papers": true, "posts": true, "tasks": true, "course": true}

// deepLink reports whether a QR code helps with u: an address with a path
// beyond "/" or a query, which nobody types from memory. A bare domain or
// a home page is read and typed more easily than scanned.
func deepLink(u string) bool {
	pu, err := url.Parse(u)
	if err != nil || pu.Host == "" {
		return false
	}
	p := strings.Trim(pu.EscapedPath(), "/")
	return p != "" || pu.RawQuery != ""
}

// vague reports whether a link's text says little on its own ("here",
// "this video", "#10"), so that its Resources entry quotes the sentence
// around it instead.
func vague(text string) bool {
	s := strings.ToLower(strings.TrimSpace(text))
	s = strings.Trim(s, "“”\"'‘’()[].,:;!?")
	if utf8.RuneCountInString(s) <= 3 {
		return true
	}
	for _, w := range []string{"this ", "the ", "a ", "an ", "one ", "another ", "his ", "her ", "their ", "our "} {
		s = strings.TrimPrefix(s, w)
	}
	switch s {
	case "here", "this", "link", "video", "videos", "post", "blog", "blog post", "paper", "article", "website", "site",
		"page", "thread", "repo", "notes", "slides", "docs", "talk", "lecture", "course", "book", "series", "tutorial",
		"overview", "guide", "writeup", "write-up", "explainer", "source", "demo", "code", "report", "survey", "list",
		"follow-up", "followup", "part", "sequel", "one", "section", "chapter", "resource", "these", "some", "more",
		"paper here", "post here", "video here", "great", "nice":
		return true
	}
	n := strings.TrimPrefix(s, "#")
	return n != "" && strings.Trim(n, "0123456789") == "" // "#10", "2"
}

// sentenceAround returns the sentence of text that holds the byte range
// [from, to), cut to about n characters around the range with "…".
func sentenceAround(text string, from, to, n int) string {
	if from < 0 || to > len(text) || from > to {
		return ""
	}
	start := 0
	for i := from - 1; i > 0; i-- {
		if c := text[i-1]; (c == '.' || c == '!' || c == '?' || c == ':' || c == ';') && text[i] == ' ' {
			start = i + 1
			break
		}
	}
	end := len(text)
	for i := to; i+1 < len(text); i++ {
		if c := text[i]; (c == '.' || c == '!' || c == '?' || c == ';') && text[i+1] == ' ' {
			end = i + 1
			break
		}
	}
	s := strings.TrimSpace(text[start:end])
	from -= start
	to -= start
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	// Keep the link's words in view: cut around the range.
	rf := utf8.RuneCountInString(s[:max(from, 0)])
	lo := max(rf-n/2, 0)
	hi := min(lo+n, len(rs))
	lo = max(hi-n, 0)
	// Cut between words, not inside one.
	if lo > 0 {
		for k := lo; k < rf && k < hi; k++ {
			if rs[k-1] == ' ' {
				lo = k
				break
			}
		}
	}
	if hi < len(rs) {
		for k := hi; k > lo+1; k-- {
			if rs[k] == ' ' {
				hi = k
				break
			}
		}
	}
	out := strings.TrimSpace(string(rs[lo:hi]))
	if lo > 0 {
		out = "…" + out
	}
	if hi < len(rs) {
		out += "…"
	}
	return out
}

// linkContext returns the sentence of the inline content root in which
// the link l stands, or "" when l is not in it.
func linkContext(root []tree.Inline, l *tree.Link) string {
	var sb strings.Builder
	from, to := -1, -1
	tree.WalkInlines(root, func(_ tree.Block, in tree.Inline) bool {
		switch x := in.(type) {
		case *tree.Link:
			if x == l {
				from = sb.Len()
				sb.WriteString(tree.PlainText(l.Content))
				to = sb.Len()
				return false
			}
		case *tree.Text:
			sb.WriteString(x.Text)
		case *tree.Code:
			sb.WriteString(x.Text)
		case *tree.LineBreak:
			sb.WriteString(" ")
		case *tree.Footnote:
			return false // a note is not part of the sentence
		}
		return true
	})
	if from < 0 {
		return ""
	}
	return sentenceAround(sb.String(), from, to, 110)
}

// qrSize returns the side of a QR code of n modules: at least min, and
// modules of at least 0.45 mm. Phones read codes from arm's length at
// that size, and the test renders them at 150 dpi (2.7 pixels a module).
func (t *printMatter) qrSize(n int) float64 {
	min := 20.0
	if t.Geometry.Name == "a5" {
		min = 18
	}
	// Rounded up to the grid, so that modules stay at least 0.45 mm.
	return math.Ceil(math.Max(min, float64(n)*0.45)*256) / 256
}

// Resource is one entry of a Resources list, as Layout.Resources records
// it.
type Resource struct {
	N    int    // its number in its list, the [N] of its marks
	URL  string // the address as written in the source
	Kind string // "video", "paper", "code", "course", "book" or "article"
	Site string // the address's host without "www."
	Text string // the link's text, or the sentence around it in quotes
	QR   bool   // it has a QR code (a deep link)
}

// resourcesBlock sets the current section's Resources list: its links
// grouped by kind (videos, papers, code, courses, books, articles), each
// with its number, its text (or the sentence it stands in, in quotes, when
// the text says little), its kind and site, and its full address in small
// monospace, broken only where a reader cannot mistake the break for part
// of it. The QR codes of its deep links follow, three to a row, each over
// its number. An entry, and a row of codes, is one unbreakable item.
func (t *printMatter) resourcesBlock(f *layout.Flow, c design.Ctx) {
	cl := t.cites
	if cl == nil || len(cl.list) == 0 {
		return
	}
	size, lead := t.HeadingSize(4)
	f.Space(c.Lead * 1.2)
	hs := layout.Style{Face: fonts.Bold, Size: size, Color: design.ColText}
	_, endHeading := t.Open("H3")
	for i, it := range t.TextItems(t.Plain(t.Wording().Resources, hs, nil, tree.Pos{}), c.X, c.W, size, lead, layout.AlignLeft, "resh") {
		it.Heading = true
		it.Keep = i > 0
		f.Add(it)
	}
	endHeading()
	prev := t.Node
	defer func() { t.Node = prev }()
	f.KeepNext = 2

	bold := t.Fonts.Face(fonts.Bold)
	ns := layout.Style{Face: fonts.Bold, Size: c.Size * 0.92, Color: design.ColText}
	numW := layout.Grid(bold.Width("00", ns.Size)*layout.PtMM + 2.5)
	textX := c.X + numW
	textW := c.W - numW
	ts := layout.Style{Face: fonts.Regular, Size: c.Size * 0.92, Color: design.ColText}
	tlead := layout.Grid(c.Lead * 0.92)
	ms := layout.Style{Face: fonts.Italic, Size: c.Size * 0.82, Color: design.ColMuted}
	mlead := layout.Grid(c.Lead * 0.84)
	us := layout.Style{Face: fonts.Mono, Size: math.Round(c.Size*0.74*4) / 4, Color: design.ColText}
	ulead := layout.Grid(us.Size * 1.3 * layout.PtMM)
	mono := t.Fonts.Face(fonts.Mono)
	base := t.Baseline(ts.Size, tlead)
	gs := layout.Style{Face: fonts.Bold, Size: c.Size * 0.8, Color: design.ColMuted}

	var groups [numKinds][]*resource
	record := make([]Resource, 0, len(cl.list))
	for _, r := range cl.list {
		groups[r.kind] = append(groups[r.kind], r)
		text := r.title
		if r.ctx != "" {
			text = "“" + r.ctx + "”"
		}
		record = append(record, Resource{N: r.n, URL: r.url, Kind: r.kind.String(), Site: domain(r.url), Text: text, QR: r.qr != nil})
	}
	t.resLists = append(t.resLists, record)
	for k, rs := range groups {
		if len(rs) == 0 {
			continue
		}
		f.Space(c.Lead * 0.35)
		_, endHeading := t.Open("H4")
		gw := t.Plain(strings.ToUpper(t.Wording().KindGroups[k]), gs, nil, tree.Pos{})
		for i, it := range t.TextItems(gw, textX, textW, gs.Size, layout.Grid(gs.Size*1.5*layout.PtMM), layout.AlignLeft, "resh") {
			it.Heading = true
			it.Keep = i > 0
			f.Add(it)
		}
		endHeading()
		f.KeepNext = 1
		list := t.NewNode("L", t.Container())
		for _, r := range rs {
			it := &layout.Item{Kind: layout.ItemLine, Anchors: []string{r.id}, Tag: "res", Base: base}
			link := &layout.Link{URI: r.url}
			num := strconv.Itoa(r.n)
			nw := bold.Width(num, ns.Size) * layout.PtMM
			li := t.NewNode("LI", list)
			lbl := t.NewNode("Lbl", li)
			t.Node = t.NewNode("LBody", li)
			it.Ops = append(it.Ops, layout.Op{Kind: layout.OpText, X: textX - 2.5 - nw, Y: base, W: nw, Style: ns, Text: num, Node: lbl})
			y := 0.0
			var ws []layout.Word
			switch {
			case r.ctx != "":
				ws = t.Plain("“"+r.ctx+"”", ts, link, tree.Pos{})
			case r.title != "" && r.title != r.url:
				ws = t.Plain(r.title, ts, link, tree.Pos{})
			}
			for _, l := range t.Lines(ws, textW, layout.AlignLeft) {
				it.Ops = append(it.Ops, t.Render(l, textX, textW, y+base, layout.AlignLeft)...)
				y += tlead
			}
			meta := r.kind.String()
			if d := domain(r.url); d != "" {
				meta += " · " + d
			}
			if r.qr != nil {
				meta += " · " + t.Wording().QRBelow
			}
			mb := t.Baseline(ms.Size, mlead)
			if len(ws) == 0 {
				mb = base - y // the first line: on the number's baseline
			}
			for _, l := range t.Lines(t.Plain(meta, ms, nil, tree.Pos{}), textW, layout.AlignLeft) {
				it.Ops = append(it.Ops, t.Render(l, textX, textW, y+mb, layout.AlignLeft)...)
				y += mlead
			}
			ub := t.Baseline(us.Size, ulead)
			for _, s := range urlLines(r.url, textW, mono.RuneWidth('m', us.Size)*layout.PtMM) {
				s = t.Drawable(s, mono, tree.Pos{})
				w := mono.Width(s, us.Size) * layout.PtMM
				it.Ops = append(it.Ops,
					layout.Op{Kind: layout.OpText, X: textX, Y: y + ub, W: w, Style: us, Text: s, Node: t.Node},
					layout.Op{Kind: layout.OpLink, X: textX, Y: y, W: w, H: ulead, Link: link, Node: t.Node})
				y += ulead
			}
			it.H = layout.Grid(y + c.Lead*0.3)
			f.Add(it)
		}
	}
	t.qrGrid(f, c, cl.list)
	f.Space(c.Parskip())
}

// qrPerRow is how many QR codes a row of the grid holds.
const qrPerRow = 3

// qrGrid sets the QR codes of the resources that have one, qrPerRow to a
// row, each over its number, with four modules of quiet zone between
// codes and around the rows.
func (t *printMatter) qrGrid(f *layout.Flow, c design.Ctx, list []*resource) {
	var codes []*resource
	side, module := 0.0, 0.0
	for _, r := range list {
		if r.qr == nil {
			continue
		}
		codes = append(codes, r)
		q := t.qrSize(r.qr.N)
		side = math.Max(side, q)
		module = math.Max(module, q/float64(r.qr.N))
	}
	if len(codes) == 0 {
		return
	}
	quiet := layout.Grid(4*module + 0.5)
	cellW := c.W / qrPerRow
	ls := layout.Style{Face: fonts.Bold, Size: c.Size * 0.85, Color: design.ColText}
	lh := layout.Grid(ls.Size * 1.3 * layout.PtMM)
	f.Space(c.Lead * 0.4)
	first := true
	for i := 0; i < len(codes); i += qrPerRow {
		row := codes[i:min(i+qrPerRow, len(codes))]
		it := &layout.Item{Kind: layout.ItemBlock, Tag: "qr", Keep: first}
		first = false
		for j, r := range row {
			q := t.qrSize(r.qr.N)
			x := c.X + float64(j)*cellW + (cellW-q)/2
			y := quiet
			link := &layout.Link{URI: r.url}
			fig := t.NewNode("Figure", t.Container())
			fig.Alt = fmt.Sprintf(t.Wording().QRFor, r.url)
			caption := t.NewNode("Caption", fig)
			it.Ops = append(it.Ops,
				layout.Op{Kind: layout.OpQR, X: x, Y: y, W: q, H: q, Text: r.url, QR: r.qr, Node: fig},
				layout.Op{Kind: layout.OpLink, X: x, Y: y, W: q, H: q, Link: link, Node: fig})
			num := strconv.Itoa(r.n)
			nw := t.Fonts.Face(fonts.Bold).Width(num, ls.Size) * layout.PtMM
			base := y + q + quiet + lh*0.75 // clear of the code's quiet zone
			it.Ops = append(it.Ops, layout.Op{Kind: layout.OpText, X: c.X + float64(j)*cellW + (cellW-nw)/2, Y: base, W: nw, Style: ls, Text: num, Node: caption})
		}
		it.H = layout.Grid(quiet + side + quiet + lh)
		f.Add(it)
	}
}
