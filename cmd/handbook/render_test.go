package main

import (
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestRenderScript runs docs/render.sh, which draws the README's pictures,
// into a temporary directory, and checks that it drew each of them.
func TestRenderScript(t *testing.T) {
	notShort(t, "docs/render.sh (two go builds)")
	bash := needTool(t, "bash", "bash")
	needTool(t, "pdftoppm", "poppler-utils")
	needTool(t, "pdfinfo", "poppler-utils")
	needTool(t, "pdftotext", "poppler-utils")
	needTool(t, "unzip", "unzip")
	dest := t.TempDir()
	cmd := exec.Command(bash, filepath.Join("docs", "render.sh"), dest)
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("docs/render.sh: %v\n%s", err, out)
	}
	for _, name := range []string{"cover-contents.png", "pdf-body.png", "print/resources.png", "epub-cover.png"} {
		f, err := os.Open(filepath.Join(dest, name))
		if err != nil {
			t.Errorf("%s not drawn: %v", name, err)
			continue
		}
		c, err := png.DecodeConfig(f)
		f.Close()
		// 100 dpi: an A4 page is 827 pixels wide.
		if err != nil || c.Width < 600 || c.Height < 900 {
			t.Errorf("%s: %dx%d, %v", name, c.Width, c.Height, err)
		}
	}
}
