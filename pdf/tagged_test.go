package pdf

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/genai-handbook/handbook/compile/tree"
)

// This file checks a tagged PDF (issue 22) with the real tools: qpdf's
// JSON for the objects, marked content and structure tree, and poppler's
// `pdfinfo -struct-text` for what a screen reader reads.

// qpdfDoc is a PDF as qpdf --json=2 gives it, content streams decoded.
type qpdfDoc struct {
	raw   []byte                     // qpdf's output, which checkStructure reads too
	objs  map[string]json.RawMessage // "obj:12 0 R" → {"value": …} or {"stream": …}
	pages []string                   // page objects, "12 0 R"
	root  string
}

func readQPDF(t *testing.T, path string) *qpdfDoc {
	t.Helper()
	out, err := exec.Command("qpdf", "--json=2", "--json-stream-data=inline", "--decode-level=generalized", path).Output()
	if err != nil {
		t.Fatalf("qpdf --json: %v", err)
	}
	var j struct {
		Pages []struct {
			Object string `json:"object"`
		} `json:"pages"`
		QPDF []json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal(out, &j); err != nil || len(j.QPDF) != 2 {
		t.Fatalf("qpdf --json: %v", err)
	}
	d := &qpdfDoc{raw: out}
	if err := json.Unmarshal(j.QPDF[1], &d.objs); err != nil {
		t.Fatal(err)
	}
	for _, p := range j.Pages {
		d.pages = append(d.pages, p.Object)
	}
	tr := d.dict(t, "trailer")
	d.root, _ = tr["/Root"].(string)
	return d
}

// dict returns object ref's dictionary (a stream's dictionary for a
// stream); ref "trailer" is the trailer.
func (d *qpdfDoc) dict(t *testing.T, ref string) map[string]any {
	t.Helper()
	key := ref
	if ref != "trailer" {
		key = "obj:" + ref
	}
	var o struct {
		Value  any `json:"value"`
		Stream *struct {
			Dict map[string]any `json:"dict"`
		} `json:"stream"`
	}
	raw, ok := d.objs[key]
	if !ok {
		t.Fatalf("no object %s", ref)
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		t.Fatal(err)
	}
	if o.Stream != nil {
		return o.Stream.Dict
	}
	m, _ := o.Value.(map[string]any)
	return m
}

// value resolves v: an indirect reference's value, else v.
func (d *qpdfDoc) value(t *testing.T, v any) any {
	t.Helper()
	s, ok := v.(string)
	if !ok || !strings.HasSuffix(s, " R") {
		return v
	}
	var o struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal(d.objs["obj:"+s], &o); err != nil {
		t.Fatal(err)
	}
	return o.Value
}

// data returns stream ref's decoded data.
func (d *qpdfDoc) data(t *testing.T, ref string) []byte {
	t.Helper()
	var o struct {
		Stream struct {
			Data string `json:"data"`
		} `json:"stream"`
	}
	if err := json.Unmarshal(d.objs["obj:"+ref], &o); err != nil {
		t.Fatal(err)
	}
	b, err := base64.StdEncoding.DecodeString(o.Stream.Data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// markedContent scans a content stream and returns its marked content
// sequences' tags by MCID, and the painting operators found outside any
// marked content (neither a structure element's nor an artifact's).
func markedContent(data []byte) (mcids map[int]string, loose []string) {
	mcids = map[int]string{}
	depth := 0
	var operands []string
	for _, tok := range contentTokens(data) {
		if tok[0] == '/' || tok[0] == '(' || tok[0] == '<' || tok[0] == '[' || tok[0] == '-' || tok[0] == '.' || tok[0] >= '0' && tok[0] <= '9' {
			operands = append(operands, tok)
			continue
		}
		switch tok {
		case "BDC", "BMC":
			depth++
			if tok == "BDC" && len(operands) >= 2 {
				if m := mcidRE.FindStringSubmatch(operands[len(operands)-1]); m != nil {
					n, _ := strconv.Atoi(m[1])
					mcids[n] = operands[len(operands)-2]
				}
			}
		case "EMC":
			depth--
		case "Tj", "TJ", "'", "\"", "Do", "f", "f*", "F", "B", "B*", "b", "b*", "S", "s", "sh":
			if depth <= 0 {
				loose = append(loose, tok)
			}
		}
		operands = operands[:0]
	}
	return mcids, loose
}

var mcidRE = regexp.MustCompile(`/MCID (\d+)`)

// contentTokens splits a content stream into operands and operators; a
// string, hex string, array or dictionary is one token.
func contentTokens(data []byte) []string {
	var toks []string
	i := 0
	for i < len(data) {
		c := data[i]
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			i++
		case c == '(' || c == '[' || c == '<':
			j := skipObject(data, i)
			toks = append(toks, string(data[i:j]))
			i = j
		default:
			j := i
			for j < len(data) && !strings.ContainsRune(" \n\r\t([<", rune(data[j])) {
				j++
			}
			if j == i {
				j++
			}
			toks = append(toks, string(data[i:j]))
			i = j
		}
	}
	return toks
}

// skipObject returns the end of the string, array or dictionary at i.
func skipObject(data []byte, i int) int {
	depth := 0
	for j := i; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '(', '[', '<':
			if data[j] == '<' && j+1 < len(data) && data[j+1] != '<' && depth > 0 && data[i] != '<' {
				continue
			}
			depth++
		case ')', ']', '>':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(data)
}

// checkTagged holds the PDF b to issue 22's tagging: the catalog's
// entries, every page's, every drawing marked, the structure tree and its
// parent tree consistent, figures with alternative text, every link
// annotation owned by a Link, and the words a screen reader reads in the
// book's order.
func checkTagged(t *testing.T, b built, d *qpdfDoc) {
	t.Helper()
	cat := d.dict(t, d.root)
	if mi, _ := d.value(t, cat["/MarkInfo"]).(map[string]any); mi["/Marked"] != true {
		t.Errorf("catalog /MarkInfo = %v, want /Marked true", cat["/MarkInfo"])
	}
	if lang, _ := cat["/Lang"].(string); lang != "u:"+b.b.Meta.Language {
		t.Errorf("catalog /Lang = %q, want %q", lang, b.b.Meta.Language)
	}
	if vp, _ := d.value(t, cat["/ViewerPreferences"]).(map[string]any); vp["/DisplayDocTitle"] != true {
		t.Errorf("catalog /ViewerPreferences = %v, want /DisplayDocTitle true", cat["/ViewerPreferences"])
	}
	if meta, _ := cat["/Metadata"].(string); meta == "" {
		t.Errorf("catalog has no /Metadata")
	} else if x := string(d.data(t, meta)); !strings.Contains(x, "<dc:title>") || !strings.Contains(x, xmlEscape(b.b.Meta.Title)) {
		t.Errorf("XMP metadata lacks the title %q", b.b.Meta.Title)
	}
	rootRef, _ := cat["/StructTreeRoot"].(string)
	if rootRef == "" {
		t.Fatal("catalog has no /StructTreeRoot")
	}
	sroot := d.dict(t, rootRef)

	// The parent tree: page i's marked content at key i, annotations
	// after the pages.
	parents := map[int]any{}
	nums, _ := d.value(t, d.dict(t, sroot["/ParentTree"].(string))["/Nums"]).([]any)
	for i := 0; i+1 < len(nums); i += 2 {
		// A page's entry is an array of elements; an annotation's is
		// the element itself, by reference.
		v := nums[i+1]
		if a, ok := d.value(t, v).([]any); ok {
			v = a
		}
		parents[int(nums[i].(float64))] = v
	}

	// Pages: /StructParents, /Tabs, marked content.
	annotOwner := map[string]string{} // annotation → its Link element, from the parent tree
	var annots []string
	for i, pref := range d.pages {
		pg := d.dict(t, pref)
		if sp, _ := pg["/StructParents"].(float64); pg["/StructParents"] == nil || int(sp) != i {
			t.Errorf("page %d: /StructParents %v, want %d", i+1, pg["/StructParents"], i)
		}
		if pg["/Tabs"] != "/S" {
			t.Errorf("page %d: /Tabs %v, want /S", i+1, pg["/Tabs"])
		}
		var data []byte
		switch c := pg["/Contents"].(type) {
		case string:
			data = d.data(t, c)
		case []any:
			for _, r := range c {
				data = append(append(data, d.data(t, r.(string))...), '\n')
			}
		}
		mcids, loose := markedContent(data)
		if len(loose) > 0 {
			t.Errorf("page %d: %d drawing operators outside marked content: %v", i+1, len(loose), head(loose, 10))
		}
		owners, _ := parents[i].([]any)
		if len(mcids) > 0 && len(owners) != len(mcids) {
			t.Errorf("page %d: %d MCIDs, parent tree lists %d", i+1, len(mcids), len(owners))
		}
		for n, tag := range mcids {
			if n >= len(owners) {
				continue
			}
			ref, _ := owners[n].(string)
			if e := d.dict(t, ref); e["/S"] != tag {
				t.Errorf("page %d MCID %d: marked %s, its element is %v", i+1, n, tag, e["/S"])
			}
		}
		as, _ := d.value(t, pg["/Annots"]).([]any)
		for _, a := range as {
			ad := d.dict(t, a.(string))
			if ad["/Subtype"] != "/Link" {
				continue
			}
			annots = append(annots, a.(string))
			if c, _ := ad["/Contents"].(string); len(c) < 3 {
				t.Errorf("page %d: link annotation %s has no /Contents", i+1, a)
			}
			key, ok := ad["/StructParent"].(float64)
			if !ok {
				t.Errorf("page %d: link annotation %s has no /StructParent", i+1, a)
				continue
			}
			owner, _ := parents[int(key)].(string)
			annotOwner[a.(string)] = owner
		}
	}

	// The structure tree, from its root: parents, roles, alternative
	// text, and the annotations the Links hold.
	roles := map[string]int{}
	held := map[string]string{} // annotation → the Link holding it
	var walk func(ref, parent string, depth int)
	walk = func(ref, parent string, depth int) {
		if depth > 200 {
			t.Fatalf("structure tree deeper than 200 at %s", ref)
		}
		e := d.dict(t, ref)
		role, _ := e["/S"].(string)
		roles[role]++
		if p, _ := e["/P"].(string); p != parent {
			t.Errorf("%s %s: /P %s, want %s", role, ref, p, parent)
		}
		switch role {
		case "/Figure":
			if alt, _ := e["/Alt"].(string); len(alt) < 3 {
				t.Errorf("Figure %s has no /Alt", ref)
			}
		case "/Span":
			if at, _ := e["/ActualText"].(string); len(at) < 3 {
				t.Errorf("Span %s has no /ActualText", ref)
			}
		}
		kids := d.value(t, e["/K"])
		ks, ok := kids.([]any)
		if !ok {
			ks = []any{kids}
		}
		for _, k := range ks {
			switch k := d.value(t, k).(type) {
			case map[string]any:
				if k["/Type"] == "/OBJR" {
					a, _ := k["/Obj"].(string)
					if role != "/Link" {
						t.Errorf("%s %s holds annotation %s: only a Link may", role, ref, a)
					}
					if held[a] != "" {
						t.Errorf("annotation %s held twice", a)
					}
					held[a] = ref
				}
			case string: // an element, by reference
			}
			if s, ok := k.(string); ok && strings.HasSuffix(s, " R") {
				walk(s, ref, depth+1)
			}
		}
	}
	top, _ := d.value(t, sroot["/K"]).([]any)
	if len(top) != 1 {
		t.Fatalf("StructTreeRoot /K = %v, want one Document", sroot["/K"])
	}
	if e := d.dict(t, top[0].(string)); e["/S"] != "/Document" {
		t.Errorf("the root element is %v, want Document", e["/S"])
	}
	walk(top[0].(string), rootRef, 0)
	for _, a := range annots {
		if held[a] == "" {
			t.Errorf("link annotation %s is held by no Link", a)
		} else if annotOwner[a] != held[a] {
			t.Errorf("link annotation %s: parent tree names %s, held by %s", a, annotOwner[a], held[a])
		}
	}
	for _, r := range []string{"/Document", "/Sect", "/H1", "/H2", "/P", "/Link", "/TOC", "/TOCI"} {
		if roles[r] == 0 {
			t.Errorf("no %s element; roles: %v", r, roles)
		}
	}
	t.Logf("%d elements: %v; %d link annotations", sum(roles), roles, len(annots))

	checkReading(t, b)
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// xmlEscape escapes s as XML text.
func xmlEscape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// structNode is one line of pdfinfo -struct-text: an element with its
// content, or a piece of text.
type structNode struct {
	role string // "" for text
	text string
	kids []*structNode
}

// readStructText parses pdfinfo -struct-text's indented outline.
func readStructText(out string) *structNode {
	root := &structNode{role: "root"}
	type open struct {
		indent int
		n      *structNode
	}
	stack := []open{{-1, root}}
	for _, l := range strings.Split(out, "\n") {
		s := strings.TrimLeft(l, " ")
		if s == "" {
			continue
		}
		ind := len(l) - len(s)
		for len(stack) > 1 && stack[len(stack)-1].indent >= ind {
			stack = stack[:len(stack)-1]
		}
		n := &structNode{}
		if strings.HasPrefix(s, `"`) {
			n.text = strings.TrimSuffix(strings.TrimPrefix(s, `"`), `"`)
		} else {
			n.role, _, _ = strings.Cut(s, " (")
		}
		p := stack[len(stack)-1].n
		p.kids = append(p.kids, n)
		stack = append(stack, open{ind, n})
	}
	return root
}

// textOf returns n's text in reading order; a Span (a word broken across
// lines) reads as its whole word, as its /ActualText says.
func (n *structNode) textOf() string {
	if n.role == "" {
		return n.text
	}
	var sb strings.Builder
	for _, k := range n.kids {
		sb.WriteString(k.textOf())
	}
	if n.role == "Span" {
		s := sb.String()
		if i := strings.Index(s, "-"); i > 0 {
			s = s[:i] + s[i+1:]
		}
		return s
	}
	return sb.String()
}

// headings returns the texts of n's heading elements, in order.
func (n *structNode) headings(out []string) []string {
	if len(n.role) == 2 && n.role[0] == 'H' && n.role[1] >= '1' && n.role[1] <= '6' {
		return append(out, n.textOf())
	}
	for _, k := range n.kids {
		out = k.headings(out)
	}
	return out
}

// readingWords returns the words of the book's text in reading order:
// part and chapter headings, summaries, paragraphs, lists, tables, code;
// not footnotes (set apart from their marks) nor numbers the PDF adds.
func readingWords(b *tree.Book) []string {
	var sb strings.Builder
	var visit tree.Visitor
	visit = func(bl tree.Block, in tree.Inline) bool {
		if bl != nil {
			sb.WriteString("\n")
		}
		switch x := in.(type) {
		case *tree.Text:
			sb.WriteString(x.Text)
		case *tree.Code:
			sb.WriteString(x.Text)
		case *tree.LineBreak:
			sb.WriteString("\n")
		case *tree.Footnote:
			return false
		}
		if x, ok := bl.(*tree.Table); ok {
			for _, r := range append([][][]tree.Inline{x.Header}, x.Rows...) {
				for _, c := range r {
					tree.WalkInlines(c, visit)
					sb.WriteString("\n")
				}
			}
			return false
		}
		if x, ok := bl.(*tree.CodeBlock); ok {
			sb.WriteString(x.Text + "\n")
		}
		return true
	}
	for _, p := range b.Parts {
		if p.Heading != nil {
			tree.WalkBlocks([]tree.Block{p.Heading}, visit)
		}
		tree.WalkInlines(p.Summary, visit)
		tree.WalkBlocks(p.Blocks, visit)
		for _, c := range p.Chapters {
			tree.WalkChapter(c, visit)
		}
	}
	return tokens(sb.String())
}

// inOrder returns how many of want occur in have in the same order.
// Each word is looked for among the next few words of have after the
// last one found; failing that, the word with the three after it is
// looked for anywhere ahead (what lies between in have, text that only
// the PDF has, such as a print edition's resource lists, is skipped).
func inOrder(want, have []string) int {
	const near = 16
	n, at := 0, 0
	for i, w := range want {
		found := -1
		for j := at; j < len(have) && j < at+near; j++ {
			if have[j] == w {
				found = j
				break
			}
		}
		if found < 0 && i+4 <= len(want) {
			for j := at; j+4 <= len(have); j++ {
				if slices.Equal(have[j:j+4], want[i:i+4]) {
					found = j
					break
				}
			}
		}
		if found >= 0 {
			n++
			at = found + 1
		}
	}
	return n
}

// checkReading reads b's structure as a screen reader does (pdfinfo
// -struct-text) and finds the book's headings as heading elements and
// its words in order.
func checkReading(t *testing.T, b built) {
	t.Helper()
	st := readStructText(run(t, "pdfinfo", "-struct-text", b.path))
	var heads []string
	for _, h := range st.headings(nil) {
		heads = append(heads, strings.Join(tokens(h), " "))
	}
	var want []string
	tree.Walk(b.b, func(bl tree.Block, _ tree.Inline) bool {
		if h, ok := bl.(*tree.Heading); ok {
			want = append(want, strings.Join(tokens(tree.PlainText(h.Content)), " "))
		}
		return true
	})
	at := 0
	for _, w := range want {
		found := false
		for j := at; j < len(heads); j++ {
			if strings.HasSuffix(heads[j], w) {
				found, at = true, j+1
				break
			}
		}
		if !found {
			t.Errorf("heading %q is not a heading element after %q", w, heads[max(at-1, 0)])
		}
	}
	have := tokens(st.textOf())
	ws := readingWords(b.b)
	n := inOrder(ws, have)
	pct := 100 * float64(n) / float64(max(len(ws), 1))
	t.Logf("%d headings; %d of %d words (%.2f%%) read in order through the structure", len(heads), n, len(ws), pct)
	if pct < 99 {
		t.Errorf("only %.2f%% of the book's words read in order through the structure, want ≥ 99%%", pct)
	}
}
