package epub

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
	epubcheckpkg "github.com/genai-handbook/handbook/epub/epubcheck"
)

// This file holds the checks every test book goes through: an independent
// reading of the container (it does not reuse the writer's layout code),
// and epubcheck.

// xdoc is what the checks learn from one parsed XHTML document.
type xdoc struct {
	name      string            // path in the container
	ids       map[string]bool   // every id attribute
	links     []xlink           // every <a href>
	srcs      []string          // img@src, link@href
	lang      string            // html@lang
	xmlLang   string            // html@xml:lang
	title     string            // head/title text
	headings  []int             // levels in order
	noterefs  map[string]string // noteref id → href
	footnotes map[string]string // footnote aside id → its back-link href
	text      strings.Builder   // all character data
}

type xlink struct {
	href, epubType, text string
}

const (
	nsEPUB = "http://www.idpf.org/2007/ops"
	nsXML  = "http://www.w3.org/XML/1998/namespace"
)

// parseXHTML parses data strictly (no entities besides XML's five) and
// collects what the checks need.
func parseXHTML(name string, data []byte) (*xdoc, error) {
	d := &xdoc{name: name, ids: map[string]bool{}, noterefs: map[string]string{}, footnotes: map[string]string{}}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var stack []string
	var link *xlink
	inTitle := false
	aside := "" // id of the footnote aside we are in
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tok.Name.Local)
			attr := func(space, local string) string {
				for _, a := range tok.Attr {
					if a.Name.Local == local && (a.Name.Space == space) {
						return a.Value
					}
				}
				return ""
			}
			if id := attr("", "id"); id != "" {
				if d.ids[id] {
					return nil, fmt.Errorf("%s: duplicate id %q", name, id)
				}
				d.ids[id] = true
			}
			switch l := tok.Name.Local; l {
			case "html":
				d.lang, d.xmlLang = attr("", "lang"), attr(nsXML, "lang")
			case "title":
				inTitle = true
			case "h1", "h2", "h3", "h4", "h5", "h6":
				d.headings = append(d.headings, int(l[1]-'0'))
			case "a":
				link = &xlink{href: attr("", "href"), epubType: attr(nsEPUB, "type")}
				if link.epubType == "noteref" {
					d.noterefs[attr("", "id")] = link.href
				}
				if aside != "" && attr("", "role") == "doc-backlink" {
					d.footnotes[aside] = link.href
				}
			case "img":
				d.srcs = append(d.srcs, attr("", "src"))
			case "link":
				d.srcs = append(d.srcs, attr("", "href"))
			case "aside":
				if attr(nsEPUB, "type") == "footnote" {
					aside = attr("", "id")
					d.footnotes[aside] = ""
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			switch tok.Name.Local {
			case "title":
				inTitle = false
			case "a":
				if link != nil {
					d.links = append(d.links, *link)
					link = nil
				}
			case "aside":
				aside = ""
			}
		case xml.CharData:
			if inTitle {
				d.title += string(tok)
			}
			if link != nil {
				link.text += string(tok)
			}
			d.text.Write(tok)
		}
	}
	return d, nil
}

// book is an unpacked EPUB.
type book struct {
	entries  []*zip.File
	files    map[string][]byte
	spine    []string // hrefs relative to the container root
	manifest map[string]string
	docs     map[string]*xdoc
	opf      string
}

func unpack(t testing.TB, data []byte) *book {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	bk := &book{entries: zr.File, files: map[string][]byte{}, manifest: map[string]string{}, docs: map[string]*xdoc{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		bk.files[f.Name] = b
	}
	var container struct {
		Rootfiles []struct {
			FullPath string `xml:"full-path,attr"`
		} `xml:"rootfiles>rootfile"`
	}
	if err := xml.Unmarshal(bk.files["META-INF/container.xml"], &container); err != nil || len(container.Rootfiles) != 1 {
		t.Fatalf("container.xml: %v %+v", err, container)
	}
	bk.opf = container.Rootfiles[0].FullPath
	var pkg struct {
		Items []struct {
			ID        string `xml:"id,attr"`
			Href      string `xml:"href,attr"`
			MediaType string `xml:"media-type,attr"`
		} `xml:"manifest>item"`
		Itemrefs []struct {
			IDRef string `xml:"idref,attr"`
		} `xml:"spine>itemref"`
	}
	if err := xml.Unmarshal(bk.files[bk.opf], &pkg); err != nil {
		t.Fatalf("package document: %v", err)
	}
	dir := path.Dir(bk.opf)
	byID := map[string]string{}
	for _, it := range pkg.Items {
		full := path.Join(dir, it.Href)
		byID[it.ID] = full
		bk.manifest[full] = it.MediaType
		if _, ok := bk.files[full]; !ok {
			t.Errorf("manifest item %s is not in the container", full)
		}
		if it.MediaType == "application/xhtml+xml" {
			d, err := parseXHTML(full, bk.files[full])
			if err != nil {
				t.Errorf("not well-formed XML: %v", err)
				continue
			}
			bk.docs[full] = d
		}
	}
	for _, ir := range pkg.Itemrefs {
		bk.spine = append(bk.spine, byID[ir.IDRef])
	}
	for name := range bk.files {
		if _, ok := bk.manifest[name]; !ok && name != "mimetype" && name != bk.opf && !strings.HasPrefix(name, "META-INF/") {
			t.Errorf("container entry %s is not in the manifest", name)
		}
	}
	return bk
}

// stats counts what checkBook verified, for the tests on real books.
type stats struct {
	external    int // external tree links found as hrefs
	internal    int // resolved internal tree links
	navParts    int
	navChapters int // numbered chapters in the nav
	footnotes   int
}

var (
	ncname   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9._-]*$`)
	modified = regexp.MustCompile(`<meta property="dcterms:modified">(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)</meta>`)
)

// checkBook runs the structural checks on an EPUB written from b.
func checkBook(t testing.TB, data []byte, b *tree.Book, opt Options) stats {
	t.Helper()
	var st stats
	bk := unpack(t, data)

	// The container: mimetype first, stored, no extra field, then sorted.
	first := bk.entries[0]
	if first.Name != "mimetype" || first.Method != zip.Store || len(first.Extra) != 0 || string(bk.files["mimetype"]) != "application/epub+zip" {
		t.Errorf("first entry: %s method %d extra %d", first.Name, first.Method, len(first.Extra))
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) || !bytes.Contains(data[:64], []byte("mimetypeapplication/epub+zip")) {
		t.Errorf("the container does not start with the mimetype signature")
	}
	for i := 2; i < len(bk.entries); i++ {
		if bk.entries[i-1].Name >= bk.entries[i].Name {
			t.Errorf("entries not sorted: %s before %s", bk.entries[i-1].Name, bk.entries[i].Name)
		}
	}
	want := opt.withDefaults().Modified
	for _, e := range bk.entries {
		// Zip (MS-DOS) times count seconds in twos.
		if !e.Modified.Equal(want.Truncate(2*time.Second)) && want.Year() >= 1980 {
			t.Errorf("%s: time %v, want %v", e.Name, e.Modified, want)
			break
		}
	}

	// Reading order, derived from the tree independently of the writer.
	wantSpine := []string{"EPUB/xhtml/cover.xhtml", "EPUB/xhtml/title.xhtml", "EPUB/xhtml/colophon.xhtml", "EPUB/nav.xhtml"}
	chapters, parts := 0, 0
	for i, p := range b.Parts {
		if i == 0 && p.Number == 0 {
			// The introduction's file holds its chapters up to the first
			// numbered one; from there on each has a file of its own.
			wantSpine = append(wantSpine, "EPUB/xhtml/intro.xhtml")
			own := false
			for _, c := range p.Chapters {
				if own = own || c.Heading.Number != ""; own {
					chapters++
					wantSpine = append(wantSpine, fmt.Sprintf("EPUB/xhtml/ch-%03d.xhtml", chapters))
				}
			}
			continue
		}
		parts++
		wantSpine = append(wantSpine, fmt.Sprintf("EPUB/xhtml/part-%02d.xhtml", parts))
		for range p.Chapters {
			chapters++
			wantSpine = append(wantSpine, fmt.Sprintf("EPUB/xhtml/ch-%03d.xhtml", chapters))
		}
	}
	wantSpine = append(wantSpine, "EPUB/xhtml/credits.xhtml")
	if strings.Join(bk.spine, "\n") != strings.Join(wantSpine, "\n") {
		t.Errorf("spine:\n%s\nwant:\n%s", strings.Join(bk.spine, "\n"), strings.Join(wantSpine, "\n"))
	}

	// Metadata.
	opf := string(bk.files[bk.opf])
	if m := modified.FindStringSubmatch(opf); m == nil || m[1] != want.Format("2006-01-02T15:04:05Z") {
		t.Errorf("dcterms:modified: %v, want %s", m, want.Format("2006-01-02T15:04:05Z"))
	}
	ident := b.Meta.Identifier
	for _, s := range []string{
		`<dc:identifier id="pub-id">` + esc(ident) + `</dc:identifier>`,
		`<dc:title id="title">` + esc(b.Meta.Title) + `</dc:title>`,
		`<dc:language>` + b.Meta.Language + `</dc:language>`,
		`properties="cover-image"`,
		`<meta property="schema:accessibilityHazard">none</meta>`,
		`<meta property="schema:accessModeSufficient">textual</meta>`,
	} {
		if !strings.Contains(opf, s) {
			t.Errorf("package document lacks %s", s)
		}
	}
	if b.Meta.Subtitle != "" && !strings.Contains(opf, `<meta refines="#subtitle" property="title-type">subtitle</meta>`) {
		t.Errorf("package document lacks the subtitle")
	}
	if !strings.Contains(string(bk.files["EPUB/toc.ncx"]), `<meta name="dtb:uid" content="`+esc(ident)+`"/>`) {
		t.Errorf("toc.ncx dtb:uid is not the package identifier %s", ident)
	}

	// Every document: language, title, heading order, valid ids.
	for name, d := range bk.docs {
		if d.lang != b.Meta.Language || d.xmlLang != b.Meta.Language {
			t.Errorf("%s: lang %q xml:lang %q", name, d.lang, d.xmlLang)
		}
		if strings.TrimSpace(d.title) == "" {
			t.Errorf("%s: no title", name)
		}
		for id := range d.ids {
			if !ncname.MatchString(id) {
				t.Errorf("%s: id %q is not an XML name", name, id)
			}
		}
		if name == "EPUB/xhtml/cover.xhtml" {
			continue
		}
		if len(d.headings) == 0 || d.headings[0] != 1 {
			t.Errorf("%s: headings %v do not start with h1", name, d.headings)
		}
		for i := 1; i < len(d.headings); i++ {
			if d.headings[i] > d.headings[i-1]+1 || d.headings[i] == 1 {
				t.Errorf("%s: heading levels %v skip a level or repeat h1", name, d.headings)
				break
			}
		}
	}

	// Every relative reference resolves to a file and, with a fragment,
	// to an id in it.
	hrefs := map[string]int{}
	for name, d := range bk.docs {
		refs := append([]string{}, d.srcs...)
		for _, l := range d.links {
			if l.href == "" {
				t.Errorf("%s: <a> without href (%q)", name, l.text)
			}
			refs = append(refs, l.href)
		}
		for _, r := range refs {
			if strings.Contains(r, ":") {
				if name != "EPUB/nav.xhtml" {
					hrefs[r]++
				}
				continue
			}
			file, frag, _ := strings.Cut(r, "#")
			target := name
			if file != "" {
				target = path.Join(path.Dir(name), file)
			}
			if _, ok := bk.files[target]; !ok {
				t.Errorf("%s: %q points to missing %s", name, r, target)
				continue
			}
			if frag != "" {
				td, ok := bk.docs[target]
				if !ok || !td.ids[frag] {
					t.Errorf("%s: %q: no id %q in %s", name, r, frag, target)
				}
			}
		}
	}

	// Every external link of the tree is kept; every resolved internal
	// link is a link.
	links := append([]*tree.Link{}, b.Meta.AuthorLinks...)
	if b.Meta.VersionURL != "" {
		links = append(links, &tree.Link{URL: b.Meta.VersionURL})
	}
	links = append(links, tree.Links(b)...)
	for _, l := range links {
		switch {
		case l.Target != nil:
			st.internal++
		case !l.IsInternal() && hasScheme(strings.TrimSpace(l.URL)):
			h := encodeURL(strings.TrimSpace(l.URL))
			if hrefs[h] == 0 {
				t.Errorf("external link %q is missing", l.URL)
				continue
			}
			hrefs[h]--
			st.external++
		}
	}
	internalHrefs := 0
	for name, d := range bk.docs {
		if name == "EPUB/nav.xhtml" {
			continue
		}
		for _, l := range d.links {
			if !strings.Contains(l.href, ":") && l.epubType != "noteref" && !strings.HasPrefix(l.href, "#fnref") {
				internalHrefs++
			}
		}
	}
	if internalHrefs != st.internal {
		t.Errorf("%d internal links in the book, %d resolved in the tree", internalHrefs, st.internal)
	}

	// Footnotes come in pairs: reference → aside → back to the reference.
	for name, d := range bk.docs {
		for ref, href := range d.noterefs {
			if ref == "" {
				continue
			}
			st.footnotes++
			back, ok := d.footnotes[strings.TrimPrefix(href, "#")]
			if !strings.HasPrefix(href, "#") || !ok {
				t.Errorf("%s: noteref %s → %s has no footnote in the same file", name, ref, href)
			} else if back != "#"+ref {
				t.Errorf("%s: footnote %s links back to %q, want #%s", name, href, back, ref)
			}
		}
		if len(d.footnotes) > len(d.noterefs) {
			t.Errorf("%s: %d footnotes for %d references", name, len(d.footnotes), len(d.noterefs))
		}
	}
	var notes int
	tree.Walk(b, func(_ tree.Block, in tree.Inline) bool {
		if _, ok := in.(*tree.Footnote); ok {
			notes++
		}
		return true
	})
	if st.footnotes != notes {
		t.Errorf("%d footnote references written, %d in the tree", st.footnotes, notes)
	}

	// The nav lists every part and every numbered chapter.
	nav := bk.docs["EPUB/nav.xhtml"]
	if nav == nil {
		t.Fatal("no nav.xhtml")
	}
	navText := map[string]bool{}
	for _, l := range nav.links {
		navText[l.text] = true
	}
	for _, p := range b.Parts {
		if navText[p.FullTitle()] {
			st.navParts++
		} else {
			t.Errorf("nav lacks part %q", p.FullTitle())
		}
		for _, c := range p.Chapters {
			if c.Heading.Numbered {
				if navText[c.Heading.FullTitle()] {
					st.navChapters++
				} else {
					t.Errorf("nav lacks chapter %q", c.Heading.FullTitle())
				}
			}
		}
	}
	for _, typ := range []string{"cover", "toc", "bodymatter", "colophon"} {
		found := false
		for _, l := range nav.links {
			found = found || l.epubType == typ
		}
		if !found {
			t.Errorf("landmarks lack %s", typ)
		}
	}
	return st
}

// epubcheck runs the real validator on every book (name → EPUB bytes),
// all in one Java VM, and fails the test on any fatal error, error or
// warning (see package epubcheck).
func epubcheck(t *testing.T, books map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	var files []string
	for _, name := range sortedKeys(books) {
		file := filepath.Join(dir, name+".epub")
		if err := os.WriteFile(file, books[name], 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	epubcheckpkg.Check(t, files...)
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
