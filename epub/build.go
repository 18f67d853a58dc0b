package epub

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"path"
	"strings"
	"sync"

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

	media map[string][]byte // container entry name → the bytes we gave go-epub for it
	files map[string][]byte // every finished container entry but the content documents
	shell shell             // go-epub's content document, around which each of ours is written
}

type fontFile struct {
	style fonts.Style
	href  string // from the css directory
}

// Placeholders for the title and body of the one section go-epub writes
// (see build). go-epub's escaping leaves both unchanged, and neither can
// occur anywhere else in the document it writes.
const (
	shellTitle = "epub-shell-title-7f3a91"
	shellBody  = "<!--epub-shell-body-7f3a91-->"
)

// build lays the book out and has go-epub assemble it: metadata, the
// stylesheet, fonts, images and cover, the container and package files
// and the XHTML content document. It leaves the finished entries in
// bd.files, but for the content documents, which write renders one at a
// time.
//
// go-epub is given a single section, the cover document with
// placeholders for its title and body, and every content document is
// then written from that section's bytes with its own title and body
// (see shell), so each has exactly the bytes go-epub would give it.
// Adding every document to go-epub instead costs too much for a large
// book: each AddSection and AddSubSection rebuilds a map of all the
// sections added so far (and AddSubSection searches the tree for the
// parent, allocating an error for every miss), which is quadratic in the
// number of chapters, and WriteTo writes every section to a file in a
// temporary directory, reads it back and removes it, several system
// calls per chapter. (For a book 100 times the handbook's size, that was
// nine tenths of Write's time and most of its 3.8 GB of allocations.)
// With one section, go-epub's share of Write does not grow with the book.
func build(b *tree.Book, opt Options) (*builder, error) {
	m := b.Meta
	// The compiler sets the title, language and identifier (tree.Check);
	// the identifier is derived there, once, from the title and source.
	if m.Title == "" || m.Identifier == "" {
		return nil, errors.New("the book has no title or no identifier")
	}
	bd := &builder{book: b, opt: opt, l: newLayout(b), lang: m.Language, identifier: m.Identifier, images: map[string]string{}, media: map[string][]byte{}}
	if bd.lang == "" {
		bd.lang = "en"
	}
	bd.toc = bd.l.toc()
	if len(opt.PageList) > 0 {
		bd.l.pb = newPageBreaks(b, bd.l, opt.PageList)
	}

	e, err := goepub.NewEpub(m.Title)
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
	// addMedia adds data with one of go-epub's Add methods and remembers
	// it under its container entry name.
	addMedia := func(add func(source, name string) (string, error), data []byte, name string) (string, error) {
		href, err := add(dataURL(data), name)
		if err != nil {
			return "", err
		}
		bd.media[path.Join(pkgDir, strings.TrimPrefix(href, "../"))] = data
		return href, nil
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
			name := xmlID(strings.ToLower(opt.Fonts.Name), "font") + "-" + st.String() + ".ttf"
			href, err := addMedia(e.AddFont, f.TTF, name)
			if err != nil {
				return nil, err
			}
			bd.fontFiles = append(bd.fontFiles, fontFile{st, href})
		}
	}
	css := stylesheet(opt, bd.fontFiles)
	if b.Changes != nil {
		css += whatsNewCSS
	}
	bd.cssHref, err = addMedia(e.AddCSS, []byte(css), "book.css")
	if err != nil {
		return nil, err
	}

	names := map[string]bool{}
	for _, f := range b.Files {
		if f == nil || len(f.Data) == 0 {
			continue
		}
		name := imageName(f.Path, names)
		href, err := addMedia(e.AddImage, f.Data, name)
		if err != nil {
			return nil, err
		}
		bd.images[f.Path] = href
	}
	cover := opt.Cover
	if cover == nil {
		cover = opt.DrawnCover
	}
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
	bd.coverHref, err = addMedia(e.AddImage, cover, coverName)
	if err != nil {
		return nil, err
	}

	if _, err := e.AddSection(shellBody, shellTitle, coverFile, bd.cssHref); err != nil {
		return nil, fmt.Errorf("adding %s: %w", coverFile, err)
	}
	var buf bytes.Buffer
	if err := writeShell(e, &buf); err != nil {
		return nil, err
	}
	if err := bd.postprocess(buf.Bytes(), path.Join(pkgDir, strings.TrimPrefix(bd.coverHref, "../"))); err != nil {
		return nil, err
	}
	return bd, nil
}

// shellMu serialises writeShell: go-epub keeps its working storage in a
// package variable.
var shellMu sync.Mutex

// writeShell has go-epub write e into buf. go-epub assembles a book in a
// working directory of its storage, by default a new directory under
// os.TempDir() that a killed build would leave behind (issue 26, case 9);
// it is given a fresh in-memory storage instead, so that writing an EPUB
// touches no file at all. The storage is go-epub's package state, hence
// the lock; go-epub's share of the work is small (one section), so
// builds in parallel barely wait.
func writeShell(e *goepub.Epub, buf *bytes.Buffer) error {
	shellMu.Lock()
	defer shellMu.Unlock()
	if err := goepub.Use(goepub.MemoryFS); err != nil {
		return err
	}
	_, err := e.WriteTo(buf)
	return err
}

// docPath is a content document's container entry name.
func docPath(d *doc) string { return path.Join(pkgDir, xhtmlDir, d.name) }

// docTitle is the <title> of a content document.
func (bd *builder) docTitle(d *doc) string {
	switch d.kind {
	case kindTitle:
		return bd.book.Meta.Title
	case kindCover:
		return fmt.Sprintf(bd.l.wd.CoverTitle, bd.book.Meta.Title)
	}
	return d.title
}

// write writes the container to w, rendering each content document just
// before it is compressed, so that only one is held in memory at a time.
func (bd *builder) write(w io.Writer) error {
	docs := make(map[string]*doc, len(bd.l.docs))
	names := make([]string, 0, len(bd.files)+len(bd.l.docs))
	for name := range bd.files {
		names = append(names, name)
	}
	for _, d := range bd.l.docs {
		docs[docPath(d)] = d
		names = append(names, docPath(d))
	}
	var body bytes.Buffer // reused: it grows to the largest document
	return writeZip(w, names, bd.opt.Modified, func(name string, w io.Writer) error {
		d := docs[name]
		if d == nil {
			_, err := w.Write(bd.files[name])
			return err
		}
		body.Reset()
		bd.body(d, &body)
		return bd.shell.write(w, bd.docTitle(d), body.Bytes())
	})
}

// postprocess reads go-epub's container and rewrites what go-epub gets
// wrong or leaves out: the package document, the navigation documents and
// the language of the content documents. It leaves the finished entries
// in bd.files and the content document's frame in bd.shell.
func (bd *builder) postprocess(epub []byte, coverPath string) error {
	zr, err := zip.NewReader(bytes.NewReader(epub), int64(len(epub)))
	if err != nil {
		return err
	}
	files := make(map[string][]byte, len(zr.File))
	for _, f := range zr.File {
		// Media are written as we gave them; the checksum confirms it, and
		// saves inflating fonts and images only to get the same bytes.
		if data, ok := bd.media[f.Name]; ok && f.UncompressedSize64 == uint64(len(data)) && f.CRC32 == crc32.ChecksumIEEE(data) {
			files[f.Name] = data
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		files[f.Name] = data
	}
	opf, ok := files[opfPath]
	if !ok {
		// go-epub logs, rather than returns, most of its write errors.
		return errors.New("go-epub wrote no package document")
	}
	sp := path.Join(pkgDir, xhtmlDir, coverFile)
	x, ok := files[sp]
	if !ok {
		return fmt.Errorf("go-epub did not write %s", sp)
	}
	delete(files, sp) // written from bd.shell, with the others
	if bd.shell, err = newShell(x, bd.lang); err != nil {
		return fmt.Errorf("%s: %w", sp, err)
	}
	files[path.Join(pkgDir, navFile)] = bd.navDocument()
	files[path.Join(pkgDir, ncxFile)] = bd.ncxDocument()
	if files[opfPath], err = bd.packageDocument(opf, coverPath); err != nil {
		return err
	}
	bd.files = files
	return nil
}

// htmlRoot is the start of the root element go-epub writes.
const htmlRoot = `<html xmlns="http://www.w3.org/1999/xhtml"`

// shell is a content document as go-epub writes it, cut around its title
// and body: head, the escaped title, mid, the body, tail.
type shell struct{ head, mid, tail []byte }

// newShell cuts the section go-epub wrote for the placeholders shellTitle
// and shellBody, and adds the book's language to its root element, which
// go-epub leaves without one.
func newShell(x []byte, lang string) (shell, error) {
	i := bytes.Index(x, []byte(htmlRoot))
	t := bytes.Index(x, []byte(shellTitle))
	b := bytes.Index(x, []byte(shellBody))
	switch {
	case i < 0:
		return shell{}, errors.New("no XHTML root element")
	case t < i || b < t || bytes.Count(x, []byte(shellTitle)) != 1 || bytes.Count(x, []byte(shellBody)) != 1:
		return shell{}, errors.New("title or body not where expected")
	}
	i += len(htmlRoot)
	lang = esc(lang)
	var s shell
	s.head = append(append(append(s.head, x[:i]...), ` lang="`+lang+`" xml:lang="`+lang+`"`...), x[i:t]...)
	s.mid = x[t+len(shellTitle) : b]
	s.tail = x[b+len(shellBody):]
	return s, nil
}

// write writes a content document with the given title and body, as
// go-epub writes a section: the title escaped by encoding/xml as go-epub
// marshals it, the body as is.
func (s *shell) write(w io.Writer, title string, body []byte) error {
	if _, err := w.Write(s.head); err != nil {
		return err
	}
	if err := xml.EscapeText(w, []byte(title)); err != nil {
		return err
	}
	if _, err := w.Write(s.mid); err != nil {
		return err
	}
	if _, err := w.Write(body); err != nil {
		return err
	}
	_, err := w.Write(s.tail)
	return err
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
	stem := xmlID(strings.TrimSuffix(base, ext), "image")
	ext = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, ext)
	if ext != "" {
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
