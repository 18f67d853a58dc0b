package content

import "io/fs"

// Config is what the compiler uses of _config.yml.
type Config struct {
	Title       string            // site.title
	Description string            // site.description
	URL         string            // site.url, "" when absent
	Language    string            // "lang" key; "" when absent (the compiler defaults to "en")
	Kramdown    map[string]string // the kramdown: settings, values as written (e.g. "input": "GFM")
}

// FrontMatter is the YAML front matter of index.md.
type FrontMatter struct {
	Layout string // page.layout
	Title  string // page.title
}

// Source is a handbook read from disk: index.md with every Liquid include
// expanded and every Liquid variable substituted, BOM stripped and CRLF
// turned into LF. Pos maps any byte offset of Text back to the file, line
// and column it came from.
type Source struct {
	FS          fs.FS       // the source root, for images and other assets
	Config      Config      // from _config.yml (zero when the file is absent)
	FrontMatter FrontMatter // from index.md
	Text        []byte      // the expanded body of index.md (front matter removed)
	Files       []string    // every file read, in reading order, relative to the root

	// The offset → position table used by Pos: spans sorted by Text
	// offset, and the files they point into with their line tables.
	spans []span
	files []*srcFile
}

// Options controls Load. The zero value is ready to use.
type Options struct {
	MaxIncludeDepth int   // include nesting limit; 0 means 32
	MaxFileSize     int64 // per file, bytes; 0 means 8 MiB
	MaxTotalSize    int64 // all expanded text, bytes; 0 means 8 MiB (about 80 times the real handbook)
}
