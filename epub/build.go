package epub

import (
	"archive/zip"
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"sort"
	"strings"

	goepub "github.com/go-shiori/go-epub"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/fonts"
)

// The layout go-epub v1.2.1 gives a publication (see its write.go).
const (
	pkgDir  = "EPUB"
	opfPath = pkgDir + "/package.opf"
)

// builder holds what one Write call knows about the book being written.
type builder struct {
	book       *tree.Book
	opt        Options
	l          *layout
	lang       string
	identifier string
	images     map[string]string // tree.File.Path → href from the content directory
	coverHref  string            // from the content directory: "../images/cover.png"
	cssHref    string            // from the content directory: "../css/book.css"
	fontFiles  []fontFile
	toc        []*navEntry
}

type fontFile struct {
	style fonts.Style
	href  string // from the css directory
}

// build assembles the book with go-epub and returns the finished
// container's entries, post-processed, by name.
func build(b *tree.Book, opt Options) (map[string][]byte, error) {
	m := b.Meta
	bd := &builder{book: b, opt: opt, l: newLayout(b), lang: m.Language, identifier: m.Identifier, images: map[string]string{}}
	if bd.lang == "" {
		bd.lang = "en"
	}
	if bd.identifier == "" {
		bd.identifier = derivedIdentifier(m)
	}
	bd.toc = bd.l.toc()

	title := m.Title
	if title == "" {
		title = "Untitled"
	}
	e, err := goepub.NewEpub(title)
	if err != nil {
		return nil, err
	}
	// Media go in as data: URLs; this client makes sure go-epub, which
	// tries HTTP before data: URLs, can never reach the network.
	e.Client = &http.Client{Transport: offline{}}
	e.SetIdentifier(bd.identifier)
	e.SetLang(bd.lang)
	if m.Author != "" {
		e.SetAuthor(m.Author)
	}
	if d := description(m); d != "" {
		e.SetDescription(d)
	}

	// Fonts first: the stylesheet names them.
	if opt.EmbedFonts {
		seen := map[*fonts.Font]bool{}
		for _, st := range []fonts.Style{fonts.Regular, fonts.Bold, fonts.Italic, fonts.BoldItalic, fonts.Mono, fonts.MonoBold} {
			f := opt.Fonts.Face(st)
			if f == nil || seen[f] {
				continue
			}
			seen[f] = true
			name := xmlID(strings.ToLower(fileSafe(opt.Fonts.Name)), "font") + "-" + st.String() + ".ttf"
			href, err := e.AddFont(dataURL(f.TTF), name)
			if err != nil {
				return nil, err
			}
			bd.fontFiles = append(bd.fontFiles, fontFile{st, href})
		}
	}
	bd.cssHref, err = e.AddCSS(dataURL([]byte(stylesheet(opt, bd.fontFiles))), "book.css")
	if err != nil {
		return nil, err
	}

	names := map[string]bool{}
	for _, f := range b.Files {
		if f == nil || len(f.Data) == 0 {
			continue
		}
		name := imageName(f.Path, names)
		href, err := e.AddImage(dataURL(f.Data), name)
		if err != nil {
			return nil, err
		}
		bd.images[f.Path] = href
	}
	cover := opt.Cover
	if cover == nil {
		if cover, err = drawCover(m, opt.Fonts); err != nil {
			return nil, fmt.Errorf("drawing the cover: %w", err)
		}
	}
	ext, _ := imageType(cover)
	if ext == "" {
		return nil, errors.New("cover image is neither PNG, JPEG nor GIF")
	}
	coverName := "cover" + ext
	if names[coverName] {
		coverName = imageName("cover-image"+ext, names)
	}
	bd.coverHref, err = e.AddImage(dataURL(cover), coverName)
	if err != nil {
		return nil, err
	}

	for _, d := range bd.l.docs {
		body := bd.body(d)
		title := d.title
		switch d.kind {
		case kindTitle:
			title = m.Title
		case kindCover:
			title = "Cover: " + m.Title
		}
		if d.parent != "" {
			_, err = e.AddSubSection(d.parent, body, title, d.name, bd.cssHref)
		} else {
			_, err = e.AddSection(body, title, d.name, bd.cssHref)
		}
		if err != nil {
			return nil, fmt.Errorf("adding %s: %w", d.name, err)
		}
	}

	var buf bytes.Buffer
	if _, err := e.WriteTo(&buf); err != nil {
		return nil, err
	}
	return bd.postprocess(buf.Bytes(), path.Join(pkgDir, strings.TrimPrefix(bd.coverHref, "../")))
}

// postprocess reads go-epub's container and rewrites what go-epub gets
// wrong or leaves out: the package document, the navigation documents and
// the language of every content document.
func (bd *builder) postprocess(epub []byte, coverPath string) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(epub), int64(len(epub)))
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		files[f.Name] = data
	}
	opf, ok := files[opfPath]
	if !ok {
		// go-epub logs, rather than returns, most of its write errors.
		return nil, errors.New("go-epub wrote no package document")
	}
	for _, d := range bd.l.docs {
		name := path.Join(pkgDir, xhtmlDir, d.name)
		x, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("go-epub did not write %s", name)
		}
		if files[name], err = bd.setLang(x); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	files[path.Join(pkgDir, navFile)] = []byte(bd.navDocument())
	files[path.Join(pkgDir, ncxFile)] = []byte(bd.ncxDocument())
	if files[opfPath], err = bd.packageDocument(opf, coverPath); err != nil {
		return nil, err
	}
	return files, nil
}

// htmlRoot is the start of the root element go-epub writes.
const htmlRoot = `<html xmlns="http://www.w3.org/1999/xhtml"`

// setLang adds the book's language to a content document's root element,
// which go-epub leaves without one.
func (bd *builder) setLang(x []byte) ([]byte, error) {
	i := bytes.Index(x, []byte(htmlRoot))
	if i < 0 {
		return nil, errors.New("no XHTML root element")
	}
	i += len(htmlRoot)
	lang := esc(bd.lang)
	out := make([]byte, 0, len(x)+64)
	out = append(out, x[:i]...)
	out = append(out, ` lang="`+lang+`" xml:lang="`+lang+`"`...)
	return append(out, x[i:]...), nil
}

// offline is an http.RoundTripper that refuses every request.
type offline struct{}

func (offline) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("epub: no network access (%s)", r.URL.Scheme)
}

// dataURL wraps data for go-epub. The media type is always
// application/octet-stream: go-epub sniffs the real type from the bytes,
// and its data: URL parser rejects some valid types (font/ttf).
func dataURL(data []byte) string {
	return "data:application/octet-stream;base64," + base64.StdEncoding.EncodeToString(data)
}

// imageName returns a unique file name for an embedded image: the
// source's base name reduced to safe characters, starting with a letter.
func imageName(p string, used map[string]bool) string {
	base := strings.ToLower(path.Base(p))
	ext := path.Ext(base)
	stem := xmlID(fileSafe(strings.TrimSuffix(base, ext)), "image")
	ext = strings.ToLower(fileSafe(ext))
	if ext != "" && ext[0] != '.' {
		ext = "." + ext
	}
	name := stem + ext
	for n := 2; used[name]; n++ {
		name = fmt.Sprintf("%s-%d%s", stem, n, ext)
	}
	used[name] = true
	return name
}

// imageType returns the extension and media type of a PNG, JPEG or GIF
// image, or "" for anything else.
func imageType(data []byte) (ext, mediaType string) {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return ".png", "image/png"
	case bytes.HasPrefix(data, []byte{0xff, 0xd8, 0xff}):
		return ".jpg", "image/jpeg"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return ".gif", "image/gif"
	}
	return "", ""
}

func description(m tree.Meta) string {
	if m.Subtitle != "" {
		return m.Subtitle
	}
	return m.Title
}

// derivedIdentifier makes a stable name-based (version 5) UUID from the
// title and source URL, for trees that carry no identifier.
func derivedIdentifier(m tree.Meta) string {
	h := sha1.Sum([]byte("github.com/genai-handbook/handbook/epub\x00" + m.Title + "\x00" + m.SourceURL))
	u := h[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
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
