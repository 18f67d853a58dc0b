package content

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/genai-handbook/handbook/content/diag"
)

var update = flag.Bool("update", false, "rewrite the want/ files of testdata/*.txtar from the current output")

// A test case is a txtar archive in testdata/. Its files, except those
// under want/, form the source tree. Its comment may hold option lines
// such as "MaxIncludeDepth=2". The want/ files hold the expected output:
//
//	want/diags  every diagnostic, Diagnostic.String(), one after another
//	            (absent: no diagnostics)
//	want/text   Source.Text exactly; a Text that does not end in a newline
//	            is followed by the line "[no newline at end]"
//	want/pos    lines `"needle" => file:line:col`: Pos of the first
//	            occurrence of needle in Text; "@N" or "@end" instead of a
//	            needle names an offset
//	want/meta   Config and FrontMatter, one "key=value" a line
//	want/files  Source.Files, one a line
//
// Run "go test -run TestTxtar -update" to rewrite the want/ files after
// a deliberate change, then review the diff.
const noNewline = "[no newline at end]\n"

// txtarCase is a parsed test archive.
type txtarCase struct {
	name string
	ar   *txtar.Archive
	fsys fstest.MapFS
	opt  Options
	want map[string]string // by name without "want/"
}

// parseCase turns an archive into a test case; err is set for bad options.
func parseCase(name string, ar *txtar.Archive) (*txtarCase, error) {
	c := &txtarCase{name: name, ar: ar, fsys: fstest.MapFS{}, want: map[string]string{}}
	for _, f := range ar.Files {
		if w, ok := strings.CutPrefix(f.Name, "want/"); ok {
			c.want[w] = string(f.Data)
			continue
		}
		c.fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("option %q: %v", line, err)
		}
		switch k {
		case "MaxIncludeDepth":
			c.opt.MaxIncludeDepth = n
		case "MaxFileSize":
			c.opt.MaxFileSize = int64(n)
		case "MaxTotalSize":
			c.opt.MaxTotalSize = int64(n)
		default:
			return nil, fmt.Errorf("unknown option %q", k)
		}
	}
	return c, nil
}

func loadCases(t testing.TB) []*txtarCase {
	names, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(names) == 0 {
		t.Fatalf("no test archives: %v", err)
	}
	var cases []*txtarCase
	for _, name := range names {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := parseCase(name, ar)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cases = append(cases, c)
	}
	return cases
}

// diagsString formats ds as in want/diags.
func diagsString(ds diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// textGolden formats a Text as in want/text.
func textGolden(text []byte) string {
	if len(text) > 0 && text[len(text)-1] != '\n' {
		return string(text) + "\n" + noNewline
	}
	return string(text)
}

func metaString(s *Source) string {
	var b strings.Builder
	c := s.Config
	fmt.Fprintf(&b, "title=%s\ndescription=%s\nurl=%s\nlang=%s\n", c.Title, c.Description, c.URL, c.Language)
	keys := make([]string, 0, len(c.Kramdown))
	for k := range c.Kramdown {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "kramdown.%s=%s\n", k, c.Kramdown[k])
	}
	fmt.Fprintf(&b, "page.layout=%s\npage.title=%s\n", s.FrontMatter.Layout, s.FrontMatter.Title)
	return b.String()
}

// posLines evaluates the queries of a want/pos file against s and returns
// the file as it should read.
func posLines(t *testing.T, s *Source, spec string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(spec, "\n"), "\n") {
		if line == "" {
			continue
		}
		q, _, ok := strings.Cut(line, " => ")
		if !ok {
			t.Errorf("bad want/pos line %q", line)
			continue
		}
		var off int
		switch {
		case q == "@end":
			off = len(s.Text)
		case strings.HasPrefix(q, "@"):
			n, err := strconv.Atoi(q[1:])
			if err != nil {
				t.Errorf("bad want/pos offset %q", q)
				continue
			}
			off = n
		default:
			needle, err := strconv.Unquote(q)
			if err != nil {
				t.Errorf("bad want/pos needle %q: %v", q, err)
				continue
			}
			off = bytes.Index(s.Text, []byte(needle))
			if off < 0 {
				t.Errorf("needle %q not in Text", needle)
				continue
			}
		}
		fmt.Fprintf(&b, "%s => %s\n", q, s.Pos(off))
	}
	return b.String()
}

func TestTxtar(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(strings.TrimSuffix(filepath.Base(c.name), ".txtar"), func(t *testing.T) {
			s, diags := Load(c.fsys, c.opt)
			if s == nil {
				t.Fatal("Load returned a nil Source")
			}
			checkInvariants(t, s, diags)
			got := map[string]string{
				"diags": diagsString(diags),
				"text":  textGolden(s.Text),
				"meta":  metaString(s),
				"files": strings.Join(s.Files, "\n") + "\n",
			}
			if len(s.Files) == 0 {
				got["files"] = ""
			}
			if spec, ok := c.want["pos"]; ok {
				got["pos"] = posLines(t, s, spec)
			}
			if *update {
				writeGolden(t, c, got)
				return
			}
			if c.want["diags"] != got["diags"] {
				t.Errorf("diagnostics:\n got:\n%s\nwant:\n%s", got["diags"], c.want["diags"])
			}
			for _, k := range []string{"text", "pos", "meta", "files"} {
				if w, ok := c.want[k]; ok && w != got[k] {
					t.Errorf("want/%s:\n got:\n%s\nwant:\n%s", k, got[k], w)
				}
			}
			if _, ok := c.want["text"]; !ok {
				t.Errorf("no want/text")
			}
		})
	}
}

// writeGolden rewrites the want/ files of c that exist (diags and text
// always) from got.
func writeGolden(t *testing.T, c *txtarCase, got map[string]string) {
	ar := &txtar.Archive{Comment: c.ar.Comment}
	for _, f := range c.ar.Files {
		if !strings.HasPrefix(f.Name, "want/") {
			ar.Files = append(ar.Files, f)
		}
	}
	for _, k := range []string{"diags", "text", "pos", "meta", "files"} {
		_, had := c.want[k]
		if !had && k != "text" && !(k == "diags" && got[k] != "") {
			continue
		}
		ar.Files = append(ar.Files, txtar.File{Name: "want/" + k, Data: []byte(got[k])})
	}
	if err := os.WriteFile(c.name, txtar.Format(ar), 0o666); err != nil {
		t.Fatal(err)
	}
}

// checkInvariants checks what must hold for any input: Text is valid
// UTF-8, every offset of Text has a valid position whose byte is the
// Text byte (except for substituted variables), and diagnostics are
// well-formed.
func checkInvariants(t testing.TB, s *Source, diags diag.Diagnostics) {
	t.Helper()
	if !utf8.Valid(s.Text) {
		t.Errorf("Text is not valid UTF-8")
	}
	for i, sp := range s.spans {
		if i > 0 && sp.off <= s.spans[i-1].off {
			t.Fatalf("spans not strictly increasing at %d", i)
		}
	}
	if len(s.Text) > 0 && (len(s.spans) == 0 || s.spans[0].off != 0) {
		t.Fatalf("Text not covered by spans from offset 0")
	}
	si := 0
	for off := 0; off < len(s.Text); off++ {
		for si+1 < len(s.spans) && s.spans[si+1].off <= off {
			si++
		}
		sp := s.spans[si]
		p := s.Pos(off)
		if !p.IsValid() || p.Line < 1 || p.Col < 1 {
			t.Fatalf("Pos(%d) = %v, not valid", off, p)
		}
		f := s.files[sp.file]
		if p.File != f.path || p.Line > len(f.lines) {
			t.Fatalf("Pos(%d) = %v, file has %d lines", off, p, len(f.lines))
		}
		foff := f.lines[p.Line-1] + p.Col - 1
		if foff >= len(f.data) {
			t.Fatalf("Pos(%d) = %v is past the end of %s", off, p, f.path)
		}
		if !sp.fixed && f.data[foff] != s.Text[off] {
			t.Fatalf("Pos(%d) = %v: file byte %q, Text byte %q", off, p, f.data[foff], s.Text[off])
		}
	}
	if len(s.Text) > 0 && !s.Pos(len(s.Text)).IsValid() {
		t.Errorf("Pos(len(Text)) is not valid")
	}
	if s.Pos(-1).IsValid() || s.Pos(len(s.Text)+1).IsValid() {
		t.Errorf("Pos of an out-of-range offset is valid")
	}
	for _, d := range diags {
		if !d.Pos.IsValid() || d.Msg == "" {
			t.Errorf("diagnostic without position or message: %q", d)
		}
		if r, _ := utf8.DecodeRuneInString(d.Msg); r >= 'A' && r <= 'Z' {
			t.Errorf("diagnostic message starts with a capital: %q", d)
		}
		for _, n := range d.Notes {
			if !n.Pos.IsValid() {
				t.Errorf("note without position: %q", d)
			}
		}
	}
}

// crlf returns data with a BOM and every LF turned into CRLF.
func crlf(data []byte) []byte {
	out := []byte("\xEF\xBB\xBF")
	return append(out, bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))...)
}

// TestBOMCRLF checks that every test case gives the same Text,
// diagnostics and positions with a BOM and CRLF line endings in every
// file as with plain LF.
func TestBOMCRLF(t *testing.T) {
	for _, c := range loadCases(t) {
		if c.opt.MaxFileSize != 0 || c.opt.MaxTotalSize != 0 {
			continue // the raw sizes differ
		}
		t.Run(strings.TrimSuffix(filepath.Base(c.name), ".txtar"), func(t *testing.T) {
			m := fstest.MapFS{}
			for name, f := range c.fsys {
				m[name] = &fstest.MapFile{Data: crlf(f.Data)}
			}
			s1, d1 := Load(c.fsys, c.opt)
			s2, d2 := Load(m, c.opt)
			checkInvariants(t, s2, d2)
			if !bytes.Equal(s1.Text, s2.Text) {
				t.Errorf("Text differs:\nLF:\n%s\nCRLF:\n%s", s1.Text, s2.Text)
			}
			if a, b := diagsString(d1), diagsString(d2); a != b {
				t.Errorf("diagnostics differ:\nLF:\n%s\nCRLF:\n%s", a, b)
			}
			if a, b := metaString(s1), metaString(s2); a != b {
				t.Errorf("meta differs:\nLF:\n%s\nCRLF:\n%s", a, b)
			}
			for off := 0; off <= len(s1.Text); off++ {
				if p1, p2 := s1.Pos(off), s2.Pos(off); p1 != p2 {
					t.Fatalf("Pos(%d): LF %v, CRLF %v", off, p1, p2)
				}
			}
		})
	}
}

// TestNormalize checks BOM and CRLF handling directly, including a lone CR.
func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"\xEF\xBB\xBF", ""},
		{"\xEF\xBB\xBFa\r\nb\r\n", "a\nb\n"},
		{"a\rb\r\n\r", "a\rb\n\r"},
		{"\xEF\xBB", "\xEF\xBB"},
		{"x\xEF\xBB\xBF", "x\xEF\xBB\xBF"},
	} {
		if got := string(normalize([]byte(tc.in))); got != tc.want {
			t.Errorf("normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestPosColumns checks Pos on a BOM+CRLF index.md byte by byte.
func TestPosColumns(t *testing.T) {
	m := fstest.MapFS{"index.md": {Data: []byte("\xEF\xBB\xBF---\r\ntitle: T\r\n---\r\nab\r\nc{{ page.title }}d\r\n")}}
	s, diags := Load(m, Options{})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if got, want := string(s.Text), "ab\ncTd\n"; got != want {
		t.Fatalf("Text = %q, want %q", got, want)
	}
	want := []string{"index.md:4:1", "index.md:4:2", "index.md:4:3", "index.md:5:1", "index.md:5:2", "index.md:5:18", "index.md:5:19", "index.md:6:1"}
	for off, w := range want {
		if got := s.Pos(off).String(); got != w {
			t.Errorf("Pos(%d) = %s, want %s", off, got, w)
		}
	}
	var nilSource *Source
	if nilSource.Pos(0).IsValid() {
		t.Errorf("nil Source has a position")
	}
}
