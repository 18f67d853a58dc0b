package config

import (
	"bytes"
	"errors"
	"image"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/genai-handbook/handbook/content"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/fonts"
)

// coverMinHeight is the height below which a cover looks blurred on an
// e-reader or a store page (the retailers ask for 1600×2560).
const coverMinHeight = 1000

// CheckCover warns about a cover image too small or not in portrait
// orientation, and refuses one that is not an image.
func CheckCover(diags *diag.Diagnostics, at diag.Pos, data []byte) {
	c, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		diags.Errorf(at, "cover is not a PNG, JPEG or GIF image: %v", err)
		return
	}
	if c.Height < coverMinHeight {
		diags.Warnf(at, "cover is %d×%d px: less than %d px high, it looks blurred on e-readers (1600×2560 is the usual size)", c.Width, c.Height, coverMinHeight)
	}
	if c.Width >= c.Height {
		diags.Warnf(at, "cover is %d×%d px, not portrait: books are taller than wide (1600×2560 is the usual size)", c.Width, c.Height)
	}
}

// Limits on the files handbook.yml and --cover name, checked before they
// are read: a cover is an image like any other (see compile's limits), a
// font file is a few hundred kilobytes (Charis SIL's are 1 MB).
const (
	MaxCoverSize int64 = 16 << 20
	MaxFontSize  int64 = 32 << 20
)

// ReadCover reads the cover at abs (an absolute path, as the user named
// it), which must lie inside the source tree root, whose files are fsys.
// It returns the cover's position: its path relative to that root.
func ReadCover(root string, fsys fs.FS, abs string) ([]byte, diag.Pos, error) {
	r, ok := relInside(root, abs)
	if !ok {
		return nil, diag.Pos{}, errors.New("outside the source tree: refused")
	}
	data, _, err := content.ReadFile(fsys, r, MaxCoverSize)
	if err != nil {
		return nil, diag.Pos{}, errors.New(err.(*content.ReadError).Reason())
	}
	return data, diag.Pos{File: r}, nil
}

// relInside returns abs as a slash path relative to root when it is inside
// root as written, or inside root once both are resolved (a root given
// through a symlink). It does not follow abs itself: content.ReadFile
// resolves what it names hop by hop.
func relInside(root, abs string) (string, bool) {
	inside := func(root, p string) (string, bool) {
		r, err := filepath.Rel(root, p)
		if err != nil || r == "." || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) || filepath.IsAbs(r) {
			return "", false
		}
		return filepath.ToSlash(r), true
	}
	if r, ok := inside(root, abs); ok {
		return r, true
	}
	realRoot, err1 := filepath.EvalSymlinks(root)
	realDir, err2 := filepath.EvalSymlinks(filepath.Dir(abs))
	if err1 != nil || err2 != nil {
		return "", false
	}
	return inside(realRoot, filepath.Join(realDir, filepath.Base(abs)))
}

// ReadFile reads a file that handbook.yml names, relative to the source
// root fsys, under content.ReadFile's rule (every symlink resolved inside
// the root, a regular file, at most limit bytes).
func ReadFile(fsys fs.FS, name string, limit int64) ([]byte, diag.Pos, error) {
	name = path.Clean(strings.TrimPrefix(filepath.ToSlash(name), "./"))
	data, real, err := content.ReadFile(fsys, name, limit)
	if err != nil {
		return nil, diag.Pos{File: name}, errors.New(err.(*content.ReadError).Reason())
	}
	return data, diag.Pos{File: real}, nil
}

// LoadFonts reads the TTF files handbook.yml names (inside the source
// root fsys); nil means the default fonts. Problems are errors at the
// font's line in handbook.yml.
func LoadFonts(fsys fs.FS, cfg File, diags *diag.Diagnostics) *fonts.Set {
	if len(cfg.Fonts) == 0 {
		return nil
	}
	styles := map[string]fonts.Style{"regular": fonts.Regular, "bold": fonts.Bold, "italic": fonts.Italic,
		"bolditalic": fonts.BoldItalic, "mono": fonts.Mono, "monobold": fonts.MonoBold}
	keys := make([]string, 0, len(cfg.Fonts))
	for k := range cfg.Fonts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ttfs := map[fonts.Style][]byte{}
	bad := false
	for _, key := range keys {
		data, _, err := ReadFile(fsys, cfg.Fonts[key], MaxFontSize)
		if err != nil {
			diags.Errorf(cfg.At("fonts."+key), "font %s: %v", key, err)
			bad = true
			continue
		}
		ttfs[styles[key]] = data
	}
	if bad {
		return nil
	}
	set, err := fonts.NewSet("custom", ttfs)
	if err != nil {
		diags.Errorf(cfg.At("fonts"), "fonts: %v", err)
		return nil
	}
	return set
}

// ReadCover reads and checks the cover handbook.yml names (see
// CheckCover); a problem is a diagnostic at the key's value, and the
// cover then nil.
func (c File) ReadCover(fsys fs.FS, diags *diag.Diagnostics) []byte {
	data, at, err := ReadFile(fsys, c.Cover, MaxCoverSize)
	if err != nil {
		diags.Errorf(c.At("cover"), "cover: %v", err)
		return nil
	}
	CheckCover(diags, at, data)
	return data
}
