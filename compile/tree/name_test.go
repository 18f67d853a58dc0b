package tree

import (
	"regexp"
	"strings"
	"testing"
)

// TestFileName: every book's file name is a plain name in the output
// directory, whatever the version and slug hold (issue 13, item 4: a
// version "v1/../../../pwned" made the PDF land outside --out).
func TestFileName(t *testing.T) {
	for _, c := range []struct{ stem, version, suffix, ext, want string }{
		{"generative-ai-handbook", "v0.1", "", ".epub", "generative-ai-handbook-v0.1.epub"},
		{"generative-ai-handbook", "v0.1", "print-letter", ".pdf", "generative-ai-handbook-v0.1-print-letter.pdf"},
		{"generative-ai-handbook", "", "", "pdf", "generative-ai-handbook.pdf"},
		{"h", "v1/../../../pwned", "", ".pdf", "h-v1-pwned.pdf"},
		{"h", "../../etc/passwd", "", ".epub", "h-etc-passwd.epub"},
		{"../../x", "..", "..", ".pdf", "x.pdf"},
		{"h", "v1\x00.pdf", "", ".pdf", "h-v1-pdf.pdf"},
		{"h", `v1\..\..\x`, "", ".pdf", "h-v1-x.pdf"},
		{".hidden", ".v1", "", ".pdf", "hidden-v1.pdf"},
		{"h", "v2.0-β", "", ".epub", "h-v2.0.epub"},
		{"handbuch-für-alle", "v1", "", ".epub", "handbuch-f-r-alle-v1.epub"},
		{"", "", "", ".epub", "book.epub"},
		{"日本語", "版", "", ".epub", "book.epub"},
		{"con", "", "", ".epub", "con-book.epub"},
		{"h", "v1...2", "", ".pdf", "h-v1-2.pdf"},
		{"h", "C:x", "", ".pdf", "h-C-x.pdf"},
		{"h", "v1", "", "../x", "h-v1.x"},
		{"generative-ai-handbook", "v0.1", "", ".kepub.epub", "generative-ai-handbook-v0.1.kepub.epub"},
		{"h", "v1", "", ".kepub.epub.zip", "h-v1.kepub.epub"}, // cut at 10 bytes
	} {
		if got := FileName(c.stem, c.version, c.suffix, c.ext); got != c.want {
			t.Errorf("FileName(%q, %q, %q, %q) = %q, want %q", c.stem, c.version, c.suffix, c.ext, got, c.want)
		}
	}

	safe := regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]*$`)
	long := strings.Repeat("very-long-name-", 100)
	for _, in := range [][4]string{
		{long, long, long, ".pdf"},
		{strings.Repeat("é", 500), strings.Repeat("/..", 300), "", ".epub"},
		{strings.Repeat("a.", 200), strings.Repeat("1.", 200), "", ".epub"},
	} {
		got := FileName(in[0], in[1], in[2], in[3])
		if len(got) > 144 || !safe.MatchString(got) || strings.Contains(got, "..") {
			t.Errorf("FileName(%.20q…) = %q (%d bytes): not a short safe name", in[0], got, len(got))
		}
	}
}

func TestScheme(t *testing.T) {
	for _, c := range []struct {
		in, scheme string
		ok, safe   bool
	}{
		{"https://x.org/", "https", true, true},
		{"HTTP://X", "http", true, true},
		{"mailto:a@b", "mailto", true, true},
		{"jAvAsCrIpt:alert(1)", "javascript", true, false},
		{"file:///etc/passwd", "file", true, false},
		{"data:text/html,x", "data", true, false},
		{"ftp://x", "ftp", true, false},
		{" https://x", "", false, false},
		{"https://x\n", "https", true, false},
		{"#frag", "", false, false},
		{"page.html", "", false, false},
		{"1http://x", "", false, false},
	} {
		s, ok := Scheme(c.in)
		if s != c.scheme || ok != c.ok || IsSafeURL(c.in) != c.safe {
			t.Errorf("Scheme(%q) = %q, %v; IsSafeURL = %v; want %q, %v, %v", c.in, s, ok, IsSafeURL(c.in), c.scheme, c.ok, c.safe)
		}
	}
}

// TestPartFullTitle: one definition of a part's display title.
func TestPartFullTitle(t *testing.T) {
	if got := (&Part{Label: "Section I", Title: "Basics"}).FullTitle(); got != "Section I: Basics" {
		t.Errorf("got %q", got)
	}
	if got := (&Part{Title: "Introduction"}).FullTitle(); got != "Introduction" {
		t.Errorf("got %q", got)
	}
}
