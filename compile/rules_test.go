package compile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/content/example"
	"github.com/genai-handbook/handbook/content/realbook"
)

func TestSiteID(t *testing.T) {
	for _, tc := range []struct{ title, want string }{
		{"Statistical Prediction and Supervised Learning", "statistical-prediction-and-supervised-learning"},
		{"Tool Use and \"Agents\"", "tool-use-and-\"agents\""},
		{"Low-Rank Adapters (LoRA)", "low-rank-adapters-(lora)"},
		{"  Spaced \t out\n title ", "spaced-out-title"},
		{"VQ-VAE", "vq-vae"},
		{"", "section"},
	} {
		if got := siteID(tc.title); got != tc.want {
			t.Errorf("siteID(%q) = %q, want %q", tc.title, got, tc.want)
		}
	}
}

func TestGithubSlug(t *testing.T) {
	for _, tc := range []struct{ title, want string }{
		{"Tool Use and \"Agents\"", "tool-use-and-agents"},
		{"Finetuning Methods for LLMs", "finetuning-methods-for-llms"},
		{"Low-Rank Adapters (LoRA)", "low-rank-adapters-lora"},
		{"Linear Attention (RWKV)", "linear-attention-rwkv"},
		{"Interlude: Why Trees Still Win", "interlude-why-trees-still-win"},
		{"snake_case ok", "snake_case-ok"},
	} {
		if got := githubSlug(tc.title); got != tc.want {
			t.Errorf("githubSlug(%q) = %q, want %q", tc.title, got, tc.want)
		}
	}
}

func TestKramdownID(t *testing.T) {
	for _, tc := range []struct{ title, want string }{
		{"1. Getting Started!", "getting-started"},
		{"Tool Use and \"Agents\"", "tool-use-and-agents"},
		{"C++ & Go", "c--go"},
	} {
		if got := kramdownID(tc.title); got != tc.want {
			t.Errorf("kramdownID(%q) = %q, want %q", tc.title, got, tc.want)
		}
	}
}

// TestNumbering checks the site's numbering rules on a small tree: one
// chapter counter across parts, no-numbering chapters skipped, N.M below
// numbered chapters only, labels as the site shows them.
func TestNumbering(t *testing.T) {
	src := "---\ntitle: t\n---\n" +
		"<h1 id=\"intro\">Intro</h1>\n\n<h2 class=\"no-numbering\">Skip</h2>\n\n<h3>Under skip</h3>\n\n<h2>First</h2>\n\n<h3>A</h3>\n\n<h4>A1</h4>\n\n<h3 class=\"no-numbering\">Plain</h3>\n\n<h3>B</h3>\n\n" +
		"<div class=\"section\">\n<h1 id=\"s1\">Section I: One</h1>\n</div>\n" +
		"<div class=\"section\" markdown=\"1\">\n\n<h1 id=\"s2\">Section II: Two</h1>\n\n## Markdown Chapter\n\n### Sub\n\n</div>\n"
	bk, diags := Load(fstest.MapFS{"index.md": {Data: []byte(src)}}, Options{})
	if bk == nil {
		t.Fatalf("no book: %v", diags)
	}
	if err := tree.Check(bk); err != nil {
		t.Error(err)
	}
	var got []string
	tree.Walk(bk, func(b tree.Block, _ tree.Inline) bool {
		if h, ok := b.(*tree.Heading); ok {
			got = append(got, h.ID+"|"+h.FullTitle()+"|"+h.Label())
		}
		return true
	})
	want := []string{
		"intro|Intro|",
		"skip|Skip|", "under-skip|Under skip|",
		"first|Chapter 1: First|Chapter 1", "a|1.1 A|1.1", "a1|1.1.1 A1|1.1.1", "plain|Plain|", "b|1.2 B|1.2",
		"s1|Section I: One|",
		"s2|Section II: Two|",
		"markdown-chapter|Chapter 2: Markdown Chapter|Chapter 2", "sub|2.1 Sub|2.1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("headings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p := bk.Parts[1]; p.Label != "Section I" || p.Title != "One" || p.Number != 1 {
		t.Errorf("part 1 = %q %q %d", p.Label, p.Title, p.Number)
	}
}

// TestBOMAndCRLF: a UTF-8 BOM and CRLF line endings give the same tree.
func TestBOMAndCRLF(t *testing.T) {
	lf := fstest.MapFS{}
	crlf := fstest.MapFS{}
	for _, name := range []string{"_config.yml", "index.md", "_includes/intro.md", "_includes/section1.md", "_includes/section2.md", "_includes/section3.md", "_includes/credits.md"} {
		data, err := example.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		lf[name] = &fstest.MapFile{Data: data}
		crlf[name] = &fstest.MapFile{Data: append([]byte("\uFEFF"), bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))...)}
	}
	for _, f := range []string{"assets/diagram.png"} {
		data, _ := example.FS.ReadFile(f)
		lf[f] = &fstest.MapFile{Data: data}
		crlf[f] = &fstest.MapFile{Data: data}
	}
	a, da := Load(lf, Options{})
	b, db := Load(crlf, Options{})
	if a == nil || b == nil {
		t.Fatalf("no book: %v / %v", da, db)
	}
	var ba, bb bytes.Buffer
	tree.Dump(&ba, a)
	tree.Dump(&bb, b)
	if ba.String() != bb.String() {
		t.Errorf("BOM+CRLF tree differs from LF tree")
	}
	if len(da) != len(db) {
		t.Errorf("diagnostics differ: %v vs %v", da, db)
	}
}

// handbookDir is the real handbook, read in place (never copied here); it
// skips t when absent (see package realbook).
func handbookDir(t testing.TB) string { return realbook.Need(t) }

// TestRealHandbook checks the acceptance figures on the published source.
func TestRealHandbook(t *testing.T) {
	bk, diags := Load(os.DirFS(handbookDir(t)), Options{})
	if diags.HasErrors() || bk == nil {
		t.Fatalf("errors: %v", diags)
	}
	if err := tree.Check(bk); err != nil {
		t.Error(err)
	}
	s := tree.Count(bk)
	if s.Introductions != 1 || s.Sections != 9 || s.Chapters != 53 {
		t.Errorf("structure: %d introduction(s), %d parts, %d chapters; want 1, 9, 53", s.Introductions, s.Sections, s.Chapters)
	}
	// 293 external links: the 292 that were links before, and the one
	// whose target is wrapped in brackets, repaired.
	if s.ExternalLinks != 293 || s.InternalLinks != 13 || s.InternalResolved != 13 {
		t.Errorf("links: %d external, %d/%d internal; want 293, 13/13", s.ExternalLinks, s.InternalResolved, s.InternalLinks)
	}
	if n := len(bk.Meta.AuthorLinks); n != 2 || bk.Meta.VersionURL == "" {
		t.Errorf("author block: %d author links, version url %q", n, bk.Meta.VersionURL)
	}
	if bk.Meta.Version != "v0.1" || bk.Meta.DateISO != "2024-06-05" || bk.Meta.Author == "" {
		t.Errorf("meta: %+v", bk.Meta)
	}
	var dump bytes.Buffer
	tree.Dump(&dump, bk)
	for _, want := range []string{
		`"Chapter 1: Preliminaries"`,
		`"Chapter 2: Statistical Prediction and Supervised Learning"`,
		`"Chapter 47: Generative Adversarial Nets"`,
		`"Chapter 53: Vision Transformers"`,
		"summary Goal: Recap machine learning basics",
		"summary Goal: Survey how models can use multiple modalities",
		`heading h5 #citation "Citation" [no-numbering,no-toc]`,
	} {
		if !strings.Contains(dump.String(), want) {
			t.Errorf("dump lacks %s", want)
		}
	}
	// Both forms of link that are broken on the live site resolve here.
	for _, l := range tree.Links(bk) {
		switch l.URL {
		case "#tool-use-and-agents":
			// The title gets curly quotes; the id keeps the site's text.
			if l.Target == nil || l.Target.Heading.Title() != `Tool Use and “Agents”` || l.Target.ID != `tool-use-and-"agents"` {
				t.Errorf("#tool-use-and-agents → %+v", l.Target)
			}
		case "#finetuning-methods-for-llms":
			if l.Target == nil || l.Target.ID != "s4" || l.Target.Chapter != -1 {
				t.Errorf("#finetuning-methods-for-llms → %+v", l.Target)
			}
		}
	}
	for _, d := range diags {
		if d.Pos.File == "" || d.Pos.Line == 0 {
			t.Errorf("diagnostic without a position: %s", d)
		}
	}
}

// FuzzCompile feeds arbitrary index.md text (with an include) through the
// whole compiler: it must never panic, and a book it returns must dump.
func FuzzCompile(f *testing.F) {
	for _, name := range []string{"index.md", "_includes/intro.md", "_includes/section1.md", "_includes/section2.md", "_includes/section3.md"} {
		data, _ := example.FS.ReadFile(name)
		f.Add(string(data), "")
	}
	files, _ := filepath.Glob("testdata/cases/*.txtar")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		f.Add(string(data), "<h2>x</h2>\n")
	}
	f.Add("<div class=\"section\"><h1>Section I: x</h1><div class=\"section-summary\"><b>Goal:</b> y", "[a](#b)")
	f.Fuzz(func(t *testing.T, index, include string) {
		fsys := fstest.MapFS{
			"index.md":           {Data: []byte("---\ntitle: f\n---\n" + index + "\n{% include inc.md %}\n")},
			"_includes/inc.md":   {Data: []byte(include)},
			"_includes/intro.md": {Data: []byte(include)},
			"assets/diagram.png": {Data: []byte("\x89PNG")},
		}
		bk, _ := Load(fsys, Options{})
		if bk != nil {
			if err := tree.Check(bk); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := tree.Dump(&buf, bk); err != nil {
				t.Fatal(err)
			}
			for _, p := range bk.Parts {
				if p.ID == "" {
					t.Fatalf("part without id")
				}
			}
		}
	})
}

// TestImageSymlinkEscape: an image whose path goes through a symlink that
// leaves the source root, directly or in two hops, is refused and its
// bytes never read; a FIFO or a chain to /dev/stdin is refused without
// being opened (issue 26, case 2).
func TestImageSymlinkEscape(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "src")
	os.MkdirAll(filepath.Join(src, "img", "deep"), 0o755)
	secret := filepath.Join(root, "secret.png")
	os.WriteFile(secret, []byte("\x89PNG OUTSIDE"), 0o644)
	if err := os.Symlink(secret, filepath.Join(src, "img", "leak.png")); err != nil {
		t.Skip(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(filepath.Join(root), filepath.Join(src, "up")))
	// Two hops: x is a symlink out (never named by the book), and the
	// image is a relative symlink inside the root that climbs to it.
	must(os.Symlink(root, filepath.Join(src, "x")))
	must(os.Symlink("../../x/secret.png", filepath.Join(src, "img", "deep", "a.png")))
	must(os.Symlink("/dev/stdin", filepath.Join(src, "stdin")))
	must(os.Symlink("../stdin", filepath.Join(src, "img", "in.png")))
	if err := syscall.Mkfifo(filepath.Join(src, "img", "fifo.png"), 0o644); err != nil {
		t.Skip(err)
	}
	os.WriteFile(filepath.Join(src, "index.md"), []byte("---\ntitle: t\n---\n<h1 id=\"intro\">I</h1>\n\n![a](img/leak.png) ![b](up/secret.png) ![c](C:\\x.png) ![d](..%2Fsecret.png)\n\n![e](/img/deep/a.png) ![f](img/in.png) ![g](img/fifo.png)\n"), 0o644)
	bk, diags := Load(os.DirFS(src), Options{})
	if bk == nil {
		t.Fatal(diags)
	}
	if len(bk.Files) != 0 {
		t.Errorf("files embedded: %v", bk.Files[0].Path)
	}
	var got []string
	for _, d := range diags {
		got = append(got, d.String())
	}
	want := []string{
		`index.md:6:1: warning: image "img/leak.png" refused: symlink "img/leak.png" points outside the source root: the book shows its alt text`,
		`index.md:6:20: warning: image "up/secret.png" refused: symlink "up" points outside the source root: the book shows its alt text`,
		`index.md:6:40: warning: image path "C:\\x.png" leaves the source root: refused`,
		`index.md:6:55: warning: image path "..%2Fsecret.png" leaves the source root: refused`,
		`index.md:8:1: warning: image "/img/deep/a.png" refused: symlink "x" points outside the source root: the book shows its alt text`,
		`index.md:8:23: warning: image "img/in.png" refused: symlink "stdin" points outside the source root: the book shows its alt text`,
		`index.md:8:40: warning: image "img/fifo.png" not a regular file: the book shows its alt text`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestControlCharactersRemoved: a NUL or other control character in the
// source never reaches the tree, so every book shows the same text (issue
// 13, item 14; content removes them and warns).
func TestControlCharactersRemoved(t *testing.T) {
	src := "---\ntitle: t\x00\n---\n<h1 id=\"intro\">In\x00tro</h1>\n\nSome\x01 text [a\x02](https://x.example/\x03y) `co\x04de`\n\n```\nblock\x05\n```\n"
	bk, diags := Load(fstest.MapFS{"index.md": {Data: []byte(src)}}, Options{})
	if bk == nil {
		t.Fatal(diags)
	}
	var dump bytes.Buffer
	tree.Dump(&dump, bk)
	if strings.IndexFunc(dump.String(), func(r rune) bool { return r < 0x20 && r != '\n' }) >= 0 {
		t.Errorf("control characters in the tree:\n%q", dump.String())
	}
	if !strings.Contains(dump.String(), "paragraph Some text [a](https://x.example/y) `code`") {
		t.Errorf("text not as expected:\n%s", dump.String())
	}
	if n := diags.Count(diag.Warning); n != 4 {
		t.Errorf("%d warnings, want one per line with control characters (4):\n%v", n, diags)
	}
}
