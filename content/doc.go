// Package content reads a handbook's source tree: _config.yml, index.md with
// its front matter, and the Liquid includes under _includes/, expanded into
// one text whose every byte keeps its file:line:col. It also defines the
// positions and diagnostics that every later stage reports with.
package content
