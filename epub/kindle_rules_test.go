package epub

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/genai-handbook/handbook/compile"
)

// Where the rules come from: the public fix-up tools (innocenat's
// kindle-epub-fix, whose four repairs the issue names, its forks and pull
// requests, and dliedke's Kindle-EPUB-Fixer), Amazon's rejection letter and
// KDP's help, and the threads of readers and maintainers who met "E999".
const (
	srcFix       = "kindle-epub-fix (innocenat), the repair Kindle users apply by hand"
	srcFixPR     = "kindle-epub-fix pull request 25 (E999/E21018 repairs)"
	srcFixer     = "Kindle-EPUB-Fixer (dliedke), its checks for Send to Kindle"
	srcLetter    = "Amazon's rejection letter: documents under 50 MB, not password-protected or encrypted"
	srcKDP       = "KDP's list of supported languages, as kindle-epub-fix carries it"
	srcNav       = "bookfere.com's analysis of failed pushes (errors in toc.ncx or nav.xhtml, file names with spaces or non-ASCII characters), MobileRead (TOC entries in the book's order)"
	srcOversized = "mastering-cardano issue 47 (E999 at 134 MB, accepted under 50 MB)"
)

var plainName = regexp.MustCompile(`^[A-Za-z0-9._/-]+$`)

var kindleRules = []kindleRule{
	{name: "mimetype-first-stored", source: srcFixer,
		check: func(kb *kbook) []string {
			if kb.names[0] != "mimetype" || kb.first.Method != 0 || len(kb.first.Extra) != 0 || string(kb.files["mimetype"]) != "application/epub+zip" {
				return []string{fmt.Sprintf("first entry %s (method %d, %d bytes extra): want mimetype, stored, no extra field", kb.names[0], kb.first.Method, len(kb.first.Extra))}
			}
			return nil
		},
		breakIt: func(t *testing.T, kb *kbook) { kb.names[0], kb.names[1] = kb.names[1], kb.names[0] }},

	{name: "file-names-plain", source: srcNav,
		check: func(kb *kbook) (out []string) {
			for _, n := range kb.names {
				if !plainName.MatchString(n) {
					out = append(out, fmt.Sprintf("entry %q: want ASCII letters, digits, '.', '_', '-' and '/' only", n))
				}
			}
			return out
		},
		breakIt: func(t *testing.T, kb *kbook) {
			kb.add("EPUB/images/my diagram.png", kb.files["EPUB/images/diagram.png"])
		}},

	{name: "under-50-MB", source: srcLetter + "; " + srcOversized,
		check: func(kb *kbook) []string {
			if kb.size >= 50<<20 {
				return []string{fmt.Sprintf("%d bytes: Send to Kindle takes documents under 50 MB", kb.size)}
			}
			return nil
		},
		breakIt: func(t *testing.T, kb *kbook) { kb.size = 60 << 20 }},

	{name: "not-encrypted", source: srcLetter + "; " + srcFixer,
		check: func(kb *kbook) (out []string) {
			for _, n := range []string{"META-INF/encryption.xml", "META-INF/rights.xml"} {
				if _, ok := kb.files[n]; ok {
					out = append(out, n+": an encrypted or rights-managed book is refused")
				}
			}
			return out
		},
		breakIt: func(t *testing.T, kb *kbook) { kb.add("META-INF/encryption.xml", []byte("<encryption/>")) }},

	{name: "xml-declaration-utf-8", source: srcFix + ": without it Kindle reads the text as ISO-8859-1",
		check: func(kb *kbook) (out []string) {
			decl := regexp.MustCompile(`^<\?xml version="1\.[01]" encoding="(?i:utf-8)"\?>`)
			for _, n := range kb.names {
				if strings.HasSuffix(n, ".xhtml") || strings.HasSuffix(n, ".opf") || strings.HasSuffix(n, ".ncx") {
					if !decl.Match(kb.files[n]) {
						out = append(out, n+": does not begin with an XML declaration naming UTF-8")
					}
				}
			}
			return out
		},
		breakIt: func(t *testing.T, kb *kbook) {
			kb.edit(t, "EPUB/xhtml/ch-001.xhtml", `<?xml version="1.0" encoding="UTF-8"?>`, "")
		}},

	{name: "xhtml-well-formed", source: srcFixer + " (entities XML does not define); harvard-edge/cs249r_book issue 1148 (\"--\" in comments)",
		check: func(kb *kbook) (out []string) {
			for _, d := range kb.docs() {
				if err := elements(kb.files[d], func(xml.StartElement) {}); err != nil {
					out = append(out, fmt.Sprintf("%s: not well-formed XML: %v", d, err))
				}
			}
			return out
		},
		breakIt: func(t *testing.T, kb *kbook) { kb.edit(t, "EPUB/xhtml/ch-001.xhtml", "</h1>", "&nbsp;</h1>") }},

	{name: "language-kindle-accepts", source: srcFix + "; " + srcKDP,
		check: func(kb *kbook) (out []string) {
			p, err := kb.pkg()
			if err != nil {
				return []string{err.Error()}
			}
			if len(p.Languages) != 1 || !compile.KindleAccepts(p.Languages[0]) {
				return []string{fmt.Sprintf("dc:language %q: want one language Send to Kindle accepts", p.Languages)}
			}
			for _, d := range kb.docs() {
				elements(kb.files[d], func(se xml.StartElement) {
					if lang, _ := attrOf(se, "lang"); se.Name.Local == "html" && lang != p.Languages[0] {
						out = append(out, fmt.Sprintf("%s: lang %q, but dc:language %q", d, lang, p.Languages[0]))
					}
				})
			}
			return out
		},
		breakIt: func(t *testing.T, kb *kbook) {
			kb.edit(t, kb.opf, "<dc:language>en</dc:language>", "<dc:language>tlh</dc:language>")
		}},

	{name: "unique-identifier", source: srcFixPR + " (unique-identifier mismatch)",
		check: func(kb *kbook) []string {
			p, err := kb.pkg()
			if err != nil {
				return []string{err.Error()}
			}
			id := ""
			for _, i := range p.Identifiers {
				if i.ID == p.UniqueID {
					id = strings.TrimSpace(i.Value)
				}
			}
			if id == "" {
				return []string{fmt.Sprintf("unique-identifier %q names no dc:identifier", p.UniqueID)}
			}
			if !bytes.Contains(kb.files[kb.opfDir+"/toc.ncx"], []byte(`<meta name="dtb:uid" content="`+id+`"/>`)) {
				return []string{"toc.ncx's dtb:uid is not the package's identifier " + id}
			}
			return nil
		},
		breakIt: func(t *testing.T, kb *kbook) {
			kb.edit(t, "EPUB/toc.ncx", `name="dtb:uid" content="urn:uuid:`, `name="dtb:uid" content="urn:uuid:0`)
		}},

	{name: "ncx-play-order", source: srcFixPR + " (NCX playOrder sequence); " + srcNav,
		check: func(kb *kbook) (out []string) {
			p, err := kb.pkg()
			if err != nil {
				return []string{err.Error()}
			}
			_, order, _, err := kb.tocTargets(p)
			if err != nil {
				return []string{err.Error()}
			}
			if len(order) == 0 {
				return []string{"no NCX, or no navPoint in it (the spine's toc attribute names the NCX)"}
			}
			for i, o := range order {
				if o != strconv.Itoa(i+1) {
					return []string{fmt.Sprintf("navPoint %d has playOrder %q: want 1, 2, 3… in document order", i+1, o)}
				}
			}
			return nil
		},
		breakIt: func(t *testing.T, kb *kbook) { kb.edit(t, "EPUB/toc.ncx", `playOrder="2"`, `playOrder="7"`) }},

	{name: "toc-targets-exist", source: srcNav,
		check: func(kb *kbook) (out []string) {
			p, err := kb.pkg()
			if err != nil {
				return []string{err.Error()}
			}
			ncx, _, nav, err := kb.tocTargets(p)
			if err != nil {
				return []string{err.Error()}
			}
			ids, inSpine := kb.ids(), map[string]bool{}
			for _, s := range kb.spine(p) {
				inSpine[s] = true
			}
			for _, ref := range append(ncx, nav...) {
				file, frag, _ := strings.Cut(ref, "#")
				if !inSpine[file] || frag != "" && !ids[file][frag] {
					out = append(out, "the table of contents points to "+ref+", which is not in the reading order")
				}
			}
			if len(ncx) == 0 || len(nav) == 0 {
				out = append(out, fmt.Sprintf("%d NCX entries and %d nav toc entries: want both", len(ncx), len(nav)))
			}
			return out
		},
		breakIt: func(t *testing.T, kb *kbook) {
			kb.edit(t, "EPUB/toc.ncx", `src="xhtml/ch-001.xhtml#preliminaries"`, `src="xhtml/ch-001.xhtml#nowhere"`)
		}},

	{name: "toc-follows-spine", source: srcFix + " (spine order to match the NCX); " + srcNav,
		check: func(kb *kbook) (out []string) {
			p, err := kb.pkg()
			if err != nil {
				return []string{err.Error()}
			}
			ncx, _, nav, err := kb.tocTargets(p)
			if err != nil {
				return []string{err.Error()}
			}
			index := map[string]int{}
			for i, s := range kb.spine(p) {
				index[s] = i
			}
			for what, refs := range map[string][]string{"toc.ncx": ncx, "nav.xhtml": nav} {
				for i := 1; i < len(refs); i++ {
					a, _, _ := strings.Cut(refs[i-1], "#")
					b, _, _ := strings.Cut(refs[i], "#")
					if index[b] < index[a] {
						out = append(out, fmt.Sprintf("%s lists %s after %s, against the reading order", what, b, a))
					}
				}
			}
			return out
		},
		breakIt: func(t *testing.T, kb *kbook) {
			kb.edit(t, "EPUB/toc.ncx", `src="xhtml/ch-001.xhtml#preliminaries"`, `src="xhtml/ch-012.xhtml#mixture-models-and-em"`)
		}},

	{name: "no-link-to-body-id", source: srcFix + " (a link to a <body>'s id shows as unresolved)",
		check: func(kb *kbook) (out []string) {
			bodies := map[string]string{}
			for _, d := range kb.docs() {
				elements(kb.files[d], func(se xml.StartElement) {
					if id, ok := attrOf(se, "id"); ok && se.Name.Local == "body" {
						bodies[d] = id
					}
				})
			}
			for _, d := range append(kb.docs(), kb.opfDir+"/toc.ncx") {
				elements(kb.files[d], func(se xml.StartElement) {
					ref, ok := attrOf(se, "href")
					if !ok {
						ref, _ = attrOf(se, "src")
					}
					if file, frag := target(d, ref); frag != "" && bodies[file] == frag {
						out = append(out, fmt.Sprintf("%s links to %s, the id of %s's body", d, ref, file))
					}
				})
			}
			return out
		},
		breakIt: func(t *testing.T, kb *kbook) {
			kb.edit(t, "EPUB/xhtml/ch-001.xhtml", "<body", `<body id="top"`)
			kb.edit(t, "EPUB/nav.xhtml", `href="xhtml/ch-001.xhtml#preliminaries"`, `href="xhtml/ch-001.xhtml#top"`)
		}},

	{name: "img-has-src", source: srcFix + " (stray <img> without src)",
		check: func(kb *kbook) (out []string) {
			for _, d := range kb.docs() {
				elements(kb.files[d], func(se xml.StartElement) {
					if src, _ := attrOf(se, "src"); se.Name.Local == "img" {
						file, _ := target(d, src)
						if _, ok := kb.files[file]; src == "" || !ok {
							out = append(out, fmt.Sprintf("%s: <img> with src %q, which is no image of the book", d, src))
						}
					}
				})
			}
			return out
		},
		breakIt: func(t *testing.T, kb *kbook) {
			kb.edit(t, "EPUB/xhtml/cover.xhtml", `src="../images/cover.png" `, "")
		}},

	{name: "img-alt-not-empty", source: srcFixPR + " (E21018: empty alt)",
		check: func(kb *kbook) (out []string) {
			for _, d := range kb.docs() {
				elements(kb.files[d], func(se xml.StartElement) {
					if alt, _ := attrOf(se, "alt"); se.Name.Local == "img" && strings.TrimSpace(alt) == "" {
						out = append(out, d+": <img> without alt text")
					}
				})
			}
			return out
		},
		breakIt: func(t *testing.T, kb *kbook) {
			kb.edit(t, "EPUB/xhtml/cover.xhtml", `alt="Cover of`, `alt="" data-was="Cover of`)
		}},

	{name: "no-script", source: srcFixPR + " (script removed); KDP does not run scripts",
		check: func(kb *kbook) (out []string) {
			for _, d := range kb.docs() {
				elements(kb.files[d], func(se xml.StartElement) {
					if se.Name.Local == "script" {
						out = append(out, d+": <script>")
					}
					for _, a := range se.Attr {
						if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
							out = append(out, fmt.Sprintf("%s: event handler %s on <%s>", d, a.Name.Local, se.Name.Local))
						}
					}
				})
			}
			return out
		},
		breakIt: func(t *testing.T, kb *kbook) {
			kb.edit(t, "EPUB/xhtml/ch-001.xhtml", "</body>", `<script type="text/javascript">x()</script></body>`)
		}},

	{name: "no-remote-resources", source: srcFixer + " (remote resources)",
		check: func(kb *kbook) (out []string) {
			for _, d := range kb.docs() {
				elements(kb.files[d], func(se xml.StartElement) {
					for _, a := range se.Attr {
						if (a.Name.Local == "src" || se.Name.Local == "link" && a.Name.Local == "href") && strings.Contains(a.Value, "://") {
							out = append(out, fmt.Sprintf("%s: <%s> loads %s", d, se.Name.Local, a.Value))
						}
					}
				})
			}
			for _, n := range kb.names {
				if strings.HasSuffix(n, ".css") && regexp.MustCompile(`url\(\s*["']?[a-z]+://`).Match(kb.files[n]) {
					out = append(out, n+": loads a remote resource")
				}
			}
			return out
		},
		breakIt: func(t *testing.T, kb *kbook) {
			kb.edit(t, "EPUB/xhtml/cover.xhtml", `src="../images/cover.png"`, `src="https://example.com/cover.png"`)
		}},

	{name: "images-kindle-formats", source: srcLetter + " (JPEG, GIF, BMP, PNG); SVG as in KDP's guidelines",
		check: func(kb *kbook) (out []string) {
			p, err := kb.pkg()
			if err != nil {
				return []string{err.Error()}
			}
			magic := map[string]string{"image/png": "\x89PNG", "image/jpeg": "\xff\xd8", "image/gif": "GIF8", "image/svg+xml": "<"}
			for _, it := range p.Items {
				if !strings.HasPrefix(it.MediaType, "image/") {
					continue
				}
				m, ok := magic[it.MediaType]
				if data := bytes.TrimSpace(kb.files[kb.full(it.Href)]); !ok || !bytes.HasPrefix(data, []byte(m)) {
					out = append(out, fmt.Sprintf("%s: %s, or not what its media type says", it.Href, it.MediaType))
				}
			}
			return out
		},
		breakIt: func(t *testing.T, kb *kbook) { kb.files["EPUB/images/diagram.png"] = []byte("RIFF....WEBPVP8 ") }},

	{name: "cover-declared", source: "KDP's guidelines (a cover image declared in the package); " + srcFixer + " (cover image)",
		check: func(kb *kbook) []string {
			p, err := kb.pkg()
			if err != nil {
				return []string{err.Error()}
			}
			var id string
			for _, it := range p.Items {
				if strings.Contains(" "+it.Properties+" ", " cover-image ") {
					id = it.ID
				}
			}
			for _, m := range p.Metas {
				if m.Name == "cover" && m.Content == id && id != "" {
					return nil
				}
			}
			return []string{fmt.Sprintf("the cover image (item %q) is not declared both as cover-image and by <meta name=\"cover\">", id)}
		},
		breakIt: func(t *testing.T, kb *kbook) { kb.edit(t, kb.opf, `<meta name="cover"`, `<meta name="x-cover"`) }},
}
