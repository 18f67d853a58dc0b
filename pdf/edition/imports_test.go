package edition

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoWriterImports asserts that the typesetter knows nothing of the
// libraries that write the PDF: only package pdf may import them.
func TestNoWriterImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Skipf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/johnfercher/maroto", "github.com/phpdave11/gofpdf", "github.com/pdfcpu/pdfcpu"} {
			if strings.HasPrefix(dep, banned) {
				t.Errorf("typeset depends on %s", dep)
			}
		}
	}
}
