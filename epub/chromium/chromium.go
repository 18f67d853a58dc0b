// Package chromium renders a book's XHTML documents with their CSS in a
// real rendering engine, headless Chromium (Debian's chromium package),
// for the tests: at phone and tablet widths, in the light and the dark
// colour scheme, it measures what a reader would meet — a code block, a
// table or a long URL wider than the screen, text too faint against the
// page, an image that does not fit or does not load, a link to an id
// that is not there, a footnote that Apple Books, Kobo and Kindle cannot
// show as a pop-up. epubcheck and Ace know none of these.
//
// One browser serves a whole test (Start), one tab renders every
// document (Check): each document is loaded once, and the viewport and
// colour scheme are then switched under all of them, which re-lays them
// out without reloading them.
package chromium

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Viewport is a screen's size in CSS pixels.
type Viewport struct{ Width, Height int }

func (v Viewport) String() string { return fmt.Sprintf("%d×%d", v.Width, v.Height) }

// Viewports are the screens every document is rendered on: a small
// phone's (360×640, the narrowest in common use) and a tablet's.
var Viewports = []Viewport{{360, 640}, {768, 1024}}

// Schemes are the colour schemes every document is rendered in, as a
// reading system asks for them (prefers-color-scheme).
var Schemes = []string{"light", "dark"}

// MinContrast is WCAG 2's level AA for text: 4.5:1.
const MinContrast = 4.5

//go:embed measure.js
var measureJS string

// Finding is one problem a check found in one rendering of a document.
type Finding struct {
	Check string // "overflow", "contrast", "image", "link", "footnote"
	Doc   string // the document, relative to the book's root
	At    string // the viewport and scheme ("360×640 dark"); "" for all of them
	What  string
}

func (f Finding) String() string {
	at := ""
	if f.At != "" {
		at = " at " + f.At
	}
	return fmt.Sprintf("%s: %s%s: %s", f.Check, f.Doc, at, f.What)
}

// Report is what Check found over every document, viewport and scheme.
type Report struct {
	Docs     int // documents rendered
	Renders  int // documents × viewports × schemes
	Texts    int // elements whose text was held to MinContrast, over every rendering
	Links    int // internal links followed
	Notes    int // footnote references checked
	Findings []Finding
}

// Failed lists the checks that found something, each once, sorted.
func (r Report) Failed() []string {
	var out []string
	for _, f := range r.Findings {
		if !slices.Contains(out, f.Check) {
			out = append(out, f.Check)
		}
	}
	slices.Sort(out)
	return out
}

// Browser is a headless Chromium with one tab.
type Browser struct {
	ctx    context.Context
	cancel func()
}

// Find returns the path of Chromium's executable, or "".
func Find() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Start starts Chromium for tb and stops it when tb ends. It skips tb
// under -short, and where Chromium is not installed (failing it then
// under CI=true, where every validator must run).
func Start(tb testing.TB) *Browser {
	tb.Helper()
	if testing.Short() {
		tb.Skip("-short: skips Chromium")
	}
	exe := Find()
	if exe == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("Chromium is not installed (apt-get install chromium); CI=true requires it")
		}
		tb.Skip("Chromium is not installed (apt-get install chromium): the books are not rendered")
	}
	// The flags for a machine without a display, a sandbox or a network:
	// nothing is fetched but the book's own files.
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.Flag("mute-audio", true),
		chromedp.UserDataDir(tb.TempDir()))
	ctx, cancel := chromedp.NewContext(alloc)
	b := &Browser{ctx: ctx, cancel: func() { cancel(); cancelAlloc() }}
	tb.Cleanup(b.cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		tb.Fatalf("starting Chromium (%s): %v", exe, err)
	}
	return b
}

// view sets the viewport and the colour scheme.
func (b *Browser) view(vp Viewport, scheme string) error {
	return chromedp.Do(b.ctx,
		chromedp.EmulateViewport(int64(vp.Width), int64(vp.Height)),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
			return err
		}))
}

// measurement is what measure.js returns.
type measurement struct {
	Base                              string // the document's URL, as its links' URLs have it
	Width, Height, ScrollWidth, Texts int
	Overflow                          []struct {
		What        string
		Left, Right int
	}
	Contrast []struct {
		What, Color, Background string
		Ratio                   float64
	}
	Images []struct{ What, Why string }
	IDs    []string
	Links  []struct{ What, Href, URL string }
	Notes  []struct {
		What     string
		Problems []string
	}
}

// Check renders every document docs names (paths under root, the
// unzipped book) at every viewport in every scheme, and reports what the
// checks found; an error is a browser that failed.
//
// The documents are served from a loopback HTTP server (same origin, so
// that a script can measure them) and loaded once, all together, each in
// an iframe exactly the viewport's size; each viewport and scheme then
// re-lays them all out, and one script measures every frame. Navigating
// to each document in turn took four times as long.
func (b *Browser) Check(root string, docs []string) (Report, error) {
	rep := Report{Docs: len(docs)}
	srv := httptest.NewServer(serve(root))
	defer srv.Close()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+"/"+shellName)); err != nil {
		return rep, err
	}
	var urls []string
	for _, d := range docs {
		urls = append(urls, srv.URL+"/"+(&url.URL{Path: d}).EscapedPath())
	}
	load := `(async (urls) => {
	  await Promise.all(urls.map((u) => new Promise((loaded) => {
	    const f = document.createElement("iframe");
	    f.onload = loaded;
	    f.src = u;
	    document.body.appendChild(f);
	  })));
	  return urls.length;
	})(` + jsonOf(urls) + `)`
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](load, chromedp.EvalAwaitPromise)); err != nil {
		return rep, fmt.Errorf("loading the documents: %w", err)
	}
	ids := map[string]map[string]bool{} // document URL → its ids
	type link struct{ doc, what, href, url string }
	var links []link
	for i, vp := range Viewports {
		for j, scheme := range Schemes {
			if err := b.view(vp, scheme); err != nil {
				return rep, err
			}
			full := i == 0 && j == 0 // ids, links and notes: once a document
			measure := fmt.Sprintf(`((measure) => [...document.querySelectorAll("iframe")].map((f) => {
			  f.style.width = "%dpx"; f.style.height = "%dpx";
			  return measure(f, %v);
			}))(%s)`, vp.Width, vp.Height, full, measureJS)
			ms, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]measurement](measure))
			if err != nil {
				return rep, err
			}
			if len(ms) != len(docs) {
				return rep, fmt.Errorf("%d documents measured of %d", len(ms), len(docs))
			}
			at := vp.String() + " " + scheme
			for k, m := range ms {
				doc := docs[k]
				rep.Renders++
				rep.Texts += m.Texts
				add := func(check, what string) { rep.Findings = append(rep.Findings, Finding{check, doc, at, what}) }
				if m.Width != vp.Width {
					return rep, fmt.Errorf("%s: laid out %d px wide at %s", doc, m.Width, at)
				}
				if m.ScrollWidth > m.Width {
					add("overflow", fmt.Sprintf("the page scrolls sideways: %d px wide", m.ScrollWidth))
				}
				for _, o := range m.Overflow {
					add("overflow", fmt.Sprintf("%s reaches from x=%d to x=%d", o.What, o.Left, o.Right))
				}
				for _, c := range m.Contrast {
					add("contrast", fmt.Sprintf("%s: %s on %s, %.2f:1 (want %.1f:1)", c.What, c.Color, c.Background, c.Ratio, MinContrast))
				}
				for _, img := range m.Images {
					add("image", img.What+": "+img.Why)
				}
				if !full {
					continue
				}
				ids[m.Base] = map[string]bool{}
				for _, id := range m.IDs {
					ids[m.Base][id] = true
				}
				for _, l := range m.Links {
					links = append(links, link{doc, l.What, l.Href, l.URL})
				}
				for _, n := range m.Notes {
					rep.Notes++
					for _, p := range n.Problems {
						rep.Findings = append(rep.Findings, Finding{"footnote", doc, "", n.What + " " + p})
					}
				}
			}
		}
	}
	// Every internal link leads to a document of the book and, with a
	// fragment, to an id the browser found in it.
	for _, l := range links {
		rep.Links++
		file, frag, _ := strings.Cut(l.url, "#")
		docIDs, ok := ids[file]
		switch {
		case !ok:
			rep.Findings = append(rep.Findings, Finding{"link", l.doc, "", l.what + " → " + l.href + ": no such document in the book"})
		case frag != "" && !docIDs[unescape(frag)]:
			rep.Findings = append(rep.Findings, Finding{"link", l.doc, "", l.what + " → " + l.href + ": no such id"})
		}
	}
	return rep, nil
}

// shellName is the page the documents' iframes are loaded into.
const shellName = "_shell.html"

// mediaTypes are the types the server gives a book's files: an XHTML
// document must be served as XHTML to be parsed as one.
var mediaTypes = map[string]string{
	".xhtml": "application/xhtml+xml", ".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg",
	".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml", ".ttf": "font/ttf", ".otf": "font/otf",
}

// serve serves the unzipped book under root, and the shell page.
func serve(root string) http.Handler {
	files := http.FileServer(http.Dir(root))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/"+shellName {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, `<!DOCTYPE html><html><head><style>body { margin: 0 } iframe { display: block; border: 0 }</style></head><body></body></html>`)
			return
		}
		if t := mediaTypes[strings.ToLower(path.Ext(r.URL.Path))]; t != "" {
			w.Header().Set("Content-Type", t)
		}
		files.ServeHTTP(w, r)
	})
}

// jsonOf is v as a JavaScript literal.
func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Screenshot renders one document at vp in scheme and returns its first
// screen as a PNG.
func (b *Browser) Screenshot(file string, vp Viewport, scheme string) ([]byte, error) {
	if err := chromedp.Do(b.ctx, chromedp.Navigate(fileURL(file))); err != nil {
		return nil, err
	}
	if err := b.view(vp, scheme); err != nil {
		return nil, err
	}
	return chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
}

// fileURL is the file: URL of an absolute path.
func fileURL(path string) string {
	abs, _ := filepath.Abs(path)
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// Summary is one line for a test's log: the documents, viewports, schemes
// and renderings, and what the checks looked at.
func (r Report) Summary() string {
	return fmt.Sprintf("%d documents × %d viewports × %d schemes = %d renderings; %d texts held to %.1f:1, %d internal links, %d footnote references",
		r.Docs, len(Viewports), len(Schemes), r.Renders, r.Texts, MinContrast, r.Links, r.Notes)
}
