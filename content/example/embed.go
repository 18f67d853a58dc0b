// Package example bundles a small example handbook, "A Field Guide to
// Classical Machine Learning", written in the same Jekyll source layout as
// the Generative AI Handbook: _config.yml, index.md with its section
// skeleton, the Liquid includes under _includes/, and an image under assets/.
// It exercises the constructs the compiler must handle while staying short
// enough to read in full.
package example

import "embed"

// FS is the bundled example handbook, rooted at its source directory (so
// FS holds "_config.yml", "index.md", "_includes/intro.md", ...). It is the
// default input when no source is given.
//
//go:embed _config.yml index.md _includes assets
var FS embed.FS
