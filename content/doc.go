// Package content reads a handbook's source tree: _config.yml, index.md with
// its front matter, and the Liquid includes under _includes/, expanded into
// one text whose every byte keeps its file:line:col. It also defines the
// positions and diagnostics that every later stage reports with.
//
// # Liquid
//
// Load implements the small part of Jekyll's Liquid that the handbook
// uses, with Jekyll's semantics (an include's text simply replaces its tag,
// without re-indentation):
//
//	{% include NAME %}                  the file _includes/NAME, recursively
//	{% include NAME key="v" k2='w' %}   ... with parameters
//	{{ include.key }}                   a parameter, inside an included file
//	{{ site.title }}                    _config.yml "title"
//	{{ site.description }}              _config.yml "description"
//	{{ page.title }}                    index.md front matter "title"
//	{% comment %} ... {% endcomment %}  dropped (comments may nest)
//	{% raw %} ... {% endraw %}          kept verbatim, not interpreted
//
// Whitespace control ("{%-", "-%}", "{{-", "-}}") trims the whitespace
// before or after the tag in the same file. Any other tag, variable or
// filter is an error at its position. An include parameter that was not
// passed expands to nothing, with a warning, as Jekyll renders it empty.
//
// Include names are relative to _includes/ and may not leave it: names
// with ".." components, absolute or Windows paths, and symlinks pointing
// outside the source root are refused without being read.
//
// All files are read as UTF-8; a byte order mark is dropped and CRLF line
// endings become LF. C0 control characters other than tab, LF and CR
// (NUL, ESC, …) are removed, with a warning at each line that had them:
// no book can show them, and removing them here gives every book the same
// text. Positions keep the line numbers of the original file, with
// columns counted in bytes of the normalised line.
package content
