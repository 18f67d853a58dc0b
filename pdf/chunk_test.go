package pdf

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestChunks draws every book in chunks of a few pages, as a long book is
// drawn (drawChunks), and checks the joined file against the book drawn
// in one piece: qpdf finds nothing wrong, and the pages, their text, the
// link annotations, internal destinations, outline and page labels are
// the same; the fonts are the same embedded subsets. The screen edition,
// the print edition and a booklet; under -short, the example's print
// edition only.
func TestChunks(t *testing.T) {
	need(t, "qpdf", "pdftotext", "pdffonts", "pdfinfo")
	dir := t.TempDir()
	for _, bk := range books(t) {
		// Every edition of the example, and the real handbook's print
		// edition (the one with every kind of object: links, notes, QR
		// codes, page references); under -short, the example's print
		// edition only.
		opts := []Options{{}, {Edition: "print"}, {Booklet: true}}
		if testing.Short() || bk.name != "example" {
			if testing.Short() && bk.name != "example" {
				continue
			}
			opts = opts[1:2]
		}
		for _, opt := range opts {
			name := bk.name + "-" + Filename(bk.b, opt)
			var whole, parts bytes.Buffer
			if _, err := Write(&whole, bk.b, opt); err != nil {
				t.Fatal(err)
			}
			opt.chunkPages = 7
			res, err := Write(&parts, bk.b, opt)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if res.Pages <= 7 {
				t.Fatalf("%s: %d pages, too few for chunks of 7", name, res.Pages)
			}
			pw, pp := filepath.Join(dir, "whole-"+name), filepath.Join(dir, "parts-"+name)
			if err := os.WriteFile(pw, whole.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(pp, parts.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out := run(t, "qpdf", "--check", pp)
			if strings.Contains(out, "WARNING") || !strings.Contains(out, "No syntax or stream encoding errors") {
				t.Errorf("%s: qpdf --check:\n%s", name, out)
			}
			if a, b := run(t, "pdftotext", "-layout", pw, "-"), run(t, "pdftotext", "-layout", pp, "-"); a != b {
				t.Errorf("%s: the text of the chunked file differs", name)
			}
			// Annotations, destinations, outline items and labels: the
			// same counts and the same page labels (qpdf's JSON names
			// pages by their object numbers, which differ).
			qw, qp := qdf(t, pw), qdf(t, pp)
			for _, re := range []*regexp.Regexp{
				regexp.MustCompile(`/Subtype /Link`),
				regexp.MustCompile(`/S /GoTo`),
				regexp.MustCompile(`/S /URI`),
				regexp.MustCompile(`/Type /Page\b[^s]`),
				regexp.MustCompile(`/PageLabels << /Nums \[[^\]]*\]`),
				regexp.MustCompile(`/Title `),
			} {
				a := re.FindAll(qw, -1)
				b := re.FindAll(qp, -1)
				if len(a) != len(b) || len(a) > 0 && string(a[len(a)-1]) != string(b[len(b)-1]) {
					t.Errorf("%s: %d × %q in one piece, %d in chunks", name, len(a), re, len(b))
				}
			}
			// The fonts are the writer's, one subset of each face for the
			// whole file, whatever drew its pages.
			fonts := strings.Split(strings.TrimSpace(run(t, "pdffonts", pp)), "\n")[2:]
			if wf := strings.Split(strings.TrimSpace(run(t, "pdffonts", pw)), "\n")[2:]; strings.Join(names(fonts), " ") != strings.Join(names(wf), " ") {
				t.Errorf("%s: fonts in chunks %v, in one piece %v", name, names(fonts), names(wf))
			}
			for _, l := range fonts {
				f := strings.Fields(l)
				if len(f) < 7 || f[len(f)-5] != "yes" || f[len(f)-4] != "yes" || !strings.Contains(f[0], "+") {
					t.Errorf("%s: font not an embedded subset: %s", name, l)
				}
			}
		}
	}
}

// qdf returns the file at path with its streams uncompressed and its
// objects one per line group (qpdf --qdf), for counting.
func qdf(t *testing.T, path string) []byte {
	t.Helper()
	out := path + ".qdf"
	run(t, "qpdf", "--qdf", "--object-streams=disable", path, out)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// names returns the font names of pdffonts' lines.
func names(lines []string) []string {
	var out []string
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 0 {
			out = append(out, f[0])
		}
	}
	return out
}
