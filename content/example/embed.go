// Package example bundles a small example handbook, "A Field Guide to
// Classical Machine Learning", written in the same Jekyll source layout as
// the Generative AI Handbook: _config.yml, index.md with its section
// skeleton, the Liquid includes under _includes/, and an image under assets/.
// It exercises the constructs the compiler must handle while staying short
// enough to read in full.
package example

import (
	"embed"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// FS is the bundled example handbook, rooted at its source directory (so
// FS holds "_config.yml", "index.md", "_includes/intro.md", ...). It is the
// default input when no source is given.
//
//go:embed _config.yml index.md _includes assets
var FS embed.FS

// WriteTo writes the example's files into dir, creating it, and returns
// their paths (slash-separated, relative to dir). It never overwrites a
// file unless force is set: when some already exist, it writes nothing
// and returns them as exist. A file is replaced, not written through, so
// that a symlink in dir cannot lead the example's files elsewhere.
func WriteTo(dir string, force bool) (written, exist []string, err error) {
	var files []string
	err = fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path.Ext(p) != ".go" {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	for _, p := range files {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p))); err == nil {
			exist = append(exist, p)
		}
	}
	if len(exist) > 0 && !force {
		return nil, exist, nil
	}
	for _, p := range files {
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return written, nil, err
		}
		data, err := FS.ReadFile(p)
		if err != nil {
			return written, nil, err
		}
		if err := os.Remove(dst); err != nil && !os.IsNotExist(err) {
			return written, nil, err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return written, nil, err
		}
		written = append(written, p)
	}
	return written, nil, nil
}
