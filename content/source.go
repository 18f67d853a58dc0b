package content

import (
	"io/fs"
	"path"
	"strings"
)

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

// IsSourceName reports whether a file's name is one a handbook's source
// files have: not hidden, not an editor's or a tool's temporary or backup
// file ("x.md~", "#x.md#", ".x.md.swp", vim's "4913", the "sedcVtbF7"
// that `sed -i` writes beside the file it edits), and with one of the
// extensions of text, configuration, images and fonts. `handbook watch`
// rebuilds on a change to such a file only.
func IsSourceName(base string) bool {
	if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "#") || strings.HasSuffix(base, "~") {
		return false
	}
	return sourceExts[strings.ToLower(path.Ext(base))]
}

// sourceExts are the extensions of the files a handbook is made of: its
// text, configuration, images and fonts.
var sourceExts = map[string]bool{
	".md": true, ".markdown": true, ".html": true, ".htm": true, ".yml": true, ".yaml": true,
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".svg": true, ".ttf": true, ".otf": true,
}
