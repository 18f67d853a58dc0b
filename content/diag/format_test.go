package diag

import (
	"strings"
	"testing"
)

// TestWriteGitHub: a diagnostic as a GitHub Actions workflow command, its
// message and properties escaped as GitHub wants, its notes as further
// lines.
func TestWriteGitHub(t *testing.T) {
	var b strings.Builder
	Diagnostics{
		{Severity: Warning, Msg: "50% done\nsecond line"},
		{Pos: Pos{File: "a,b:c.md", Line: 3}, Severity: Error, Msg: "x", Notes: []Note{{Pos: Pos{File: "n.md", Line: 1, Col: 2}, Msg: "first"}}},
	}.WriteGitHub(&b)
	if want := "::warning::50%25 done%0Asecond line\n::error file=a%2Cb%3Ac.md,line=3::x%0An.md:1:2: note: first\n"; b.String() != want {
		t.Errorf("escaping:\n%q\nwant\n%q", b.String(), want)
	}
}
