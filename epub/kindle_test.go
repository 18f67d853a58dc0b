package epub

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/genai-handbook/handbook/content/example"
)

// Send to Kindle converts an EPUB with Amazon's own tools, which reject
// (or silently drop) books for reasons epubcheck does not flag; the
// reader sees "E999" and nothing else. Each rule below is one such reason,
// documented by Amazon or repaired by the public fix-up tools, checked on
// the unzipped EPUB. TestKindleRules holds the example's and the real
// handbook's EPUBs to every rule; TestKindleRulesCanFail breaks the
// example in the way each rule names and watches that rule fail.

// kbook is an EPUB as the rules read it: its entries in container order
// and their bytes.
type kbook struct {
	names  []string
	first  zip.FileHeader // the first entry's header
	files  map[string][]byte
	size   int
	opf    string // the package document's path
	opfDir string
}

func readKbook(t testing.TB, data []byte) *kbook {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	kb := &kbook{files: map[string][]byte{}, size: len(data), first: zr.File[0].FileHeader}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		kb.names = append(kb.names, f.Name)
		kb.files[f.Name] = b
	}
	m := regexp.MustCompile(`full-path="([^"]+)"`).FindSubmatch(kb.files["META-INF/container.xml"])
	if m == nil {
		t.Fatal("container.xml names no package document")
	}
	kb.opf = string(m[1])
	kb.opfDir = path.Dir(kb.opf)
	return kb
}

// add puts a new entry at the end of the container.
func (kb *kbook) add(name string, data []byte) {
	kb.names = append(kb.names, name)
	kb.files[name] = data
}

// edit replaces the first old in an entry by new; it fails the test when
// old is not there, so that a mutation never silently does nothing.
func (kb *kbook) edit(t *testing.T, name, old, new string) {
	t.Helper()
	if !bytes.Contains(kb.files[name], []byte(old)) {
		t.Fatalf("%s lacks %q", name, old)
	}
	kb.files[name] = bytes.Replace(kb.files[name], []byte(old), []byte(new), 1)
}

// item is a manifest item.
type item struct {
	ID         string `xml:"id,attr"`
	Href       string `xml:"href,attr"`
	MediaType  string `xml:"media-type,attr"`
	Properties string `xml:"properties,attr"`
}

// pkg is what the rules read of the package document.
type pkg struct {
	UniqueID    string `xml:"unique-identifier,attr"`
	Identifiers []struct {
		ID    string `xml:"id,attr"`
		Value string `xml:",chardata"`
	} `xml:"metadata>identifier"`
	Languages []string `xml:"metadata>language"`
	Metas     []struct {
		Name    string `xml:"name,attr"`
		Content string `xml:"content,attr"`
	} `xml:"metadata>meta"`
	Items []item `xml:"manifest>item"`
	Spine struct {
		Toc      string `xml:"toc,attr"`
		Itemrefs []struct {
			IDRef string `xml:"idref,attr"`
		} `xml:"itemref"`
	} `xml:"spine"`
}

func (kb *kbook) pkg() (*pkg, error) {
	var p pkg
	if err := xml.Unmarshal(kb.files[kb.opf], &p); err != nil {
		return nil, fmt.Errorf("%s: %v", kb.opf, err)
	}
	return &p, nil
}

// full is a manifest href's entry name.
func (kb *kbook) full(href string) string { return path.Join(kb.opfDir, href) }

// spine lists the reading order's entry names.
func (kb *kbook) spine(p *pkg) []string {
	byID := map[string]string{}
	for _, it := range p.Items {
		byID[it.ID] = kb.full(it.Href)
	}
	var out []string
	for _, ir := range p.Spine.Itemrefs {
		out = append(out, byID[ir.IDRef])
	}
	return out
}

// docs lists the XHTML content documents, the navigation document
// included, in name order.
func (kb *kbook) docs() []string {
	var out []string
	for _, n := range kb.names {
		if strings.HasSuffix(n, ".xhtml") || strings.HasSuffix(n, ".html") {
			out = append(out, n)
		}
	}
	return out
}

// elements calls fn with every start element of an XML entry (strictly
// parsed); it returns the parse error.
func elements(data []byte, fn func(xml.StartElement)) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			fn(se)
		}
	}
}

// attrOf is an attribute of no namespace, or for "lang" and "type" of
// any (xml:lang, epub:type).
func attrOf(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local && (a.Name.Space == "" || local == "lang" || local == "type") {
			return a.Value, true
		}
	}
	return "", false
}

// ids lists every id of every document, by entry name.
func (kb *kbook) ids() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, d := range kb.docs() {
		out[d] = map[string]bool{}
		elements(kb.files[d], func(se xml.StartElement) {
			if id, ok := attrOf(se, "id"); ok {
				out[d][id] = true
			}
		})
	}
	return out
}

// target resolves a reference made from entry from to an entry name and
// a fragment.
func target(from, ref string) (string, string) {
	file, frag, _ := strings.Cut(ref, "#")
	if file == "" {
		return from, frag
	}
	return path.Join(path.Dir(from), file), frag
}

// tocTargets lists the NCX's navPoint targets in document order, with
// their playOrder, and the nav document's toc links.
func (kb *kbook) tocTargets(p *pkg) (ncx []string, order []string, nav []string, err error) {
	var ncxName, navName string
	for _, it := range p.Items {
		if it.ID == p.Spine.Toc {
			ncxName = kb.full(it.Href)
		}
		if strings.Contains(" "+it.Properties+" ", " nav ") {
			navName = kb.full(it.Href)
		}
	}
	if err := elements(kb.files[ncxName], func(se xml.StartElement) {
		switch se.Name.Local {
		case "navPoint":
			o, _ := attrOf(se, "playOrder")
			order = append(order, o)
		case "content":
			src, _ := attrOf(se, "src")
			f, frag := target(ncxName, src)
			ncx = append(ncx, f+"#"+frag)
		}
	}); err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %v", ncxName, err)
	}
	inToc := false
	if err := elements(kb.files[navName], func(se xml.StartElement) {
		if se.Name.Local == "nav" {
			typ, _ := attrOf(se, "type")
			inToc = typ == "toc"
		}
		if se.Name.Local == "a" && inToc {
			href, _ := attrOf(se, "href")
			f, frag := target(navName, href)
			nav = append(nav, f+"#"+frag)
		}
	}); err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %v", navName, err)
	}
	return ncx, order, nav, nil
}

// kindleRule is one reason Send to Kindle rejects an EPUB: its name, where
// it is documented or reported, the check, and a way to break the example
// so that the check must fail.
type kindleRule struct {
	name, source string
	check        func(kb *kbook) []string
	breakIt      func(t *testing.T, kb *kbook)
}

// TestKindleRules holds the example's and the real handbook's EPUBs to
// every rule, each a subtest.
func TestKindleRules(t *testing.T) {
	books := map[string][]byte{
		"example": write(t, loadBook(t, example.FS), Options{Modified: time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)}),
	}
	if fsys, ok := handbookFS(); ok {
		books["handbook"] = write(t, loadBook(t, fsys), Options{})
	} else {
		t.Log("the real handbook is absent: only the example is checked")
	}
	for _, name := range sortedKeys(books) {
		kb := readKbook(t, books[name])
		for _, r := range kindleRules {
			t.Run(name+"/"+r.name, func(t *testing.T) {
				for _, p := range r.check(kb) {
					t.Errorf("%s (%s)", p, r.source)
				}
			})
		}
	}
	t.Logf("%d Send to Kindle rules on %d books", len(kindleRules), len(books))
}

// TestKindleRulesCanFail breaks the example's EPUB as each rule says a
// book must not be, and asserts that the rule (and it alone is asked)
// then fails.
func TestKindleRulesCanFail(t *testing.T) {
	data := write(t, loadBook(t, example.FS), Options{})
	for _, r := range kindleRules {
		t.Run(r.name, func(t *testing.T) {
			kb := readKbook(t, data)
			if got := r.check(kb); len(got) != 0 {
				t.Fatalf("fails before it is broken: %v", got)
			}
			r.breakIt(t, kb)
			got := r.check(kb)
			if len(got) == 0 {
				t.Fatal("the broken book passes")
			}
			t.Logf("broken: %s", got[0])
		})
	}
}
