package compile

import (
	"bytes"
	"image"
	_ "image/gif" // register decoders for image.DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"io"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
)

// maxImageSize bounds one image file; a handbook's figures are far smaller.
const maxImageSize = 16 << 20

// image resolves an image source. Local images are read (once) from the
// source tree, never from outside it; remote images are not fetched.
func (c *compiler) image(src, alt, title string, pos diag.Pos) *tree.Image {
	img := &tree.Image{Src: src, Alt: alt, Title: title, Pos: pos}
	lower := strings.ToLower(src)
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "//") {
		c.diags.Warnf(pos, "remote image %q not fetched: its alt text is shown as a link", src)
		return img
	}
	name, ok := localPath(src)
	if !ok {
		c.diags.Warnf(pos, "image path %q leaves the source root: refused", src)
		return img
	}
	if f, ok := c.files[name]; ok {
		img.File = f
		return img
	}
	if err := checkNoEscape(c.src.FS, name); err != nil {
		c.diags.Warnf(pos, "image path %q leaves the source root: refused", src)
		return img
	}
	f, err := c.src.FS.Open(name)
	if err != nil {
		c.diags.Warnf(pos, "image %q not found", src)
		return img
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImageSize+1))
	if err != nil {
		c.diags.Warnf(pos, "image %q cannot be read: %v", src, err)
		return img
	}
	if len(data) > maxImageSize {
		c.diags.Warnf(pos, "image %q is larger than %d MiB: left out", src, maxImageSize>>20)
		return img
	}
	file := &tree.File{Path: name, Data: data}
	switch {
	case strings.HasSuffix(strings.ToLower(name), ".svg"):
		file.MediaType = "image/svg+xml"
	default:
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			c.diags.Warnf(pos, "image %q is not a PNG, JPEG, GIF or SVG file: left out", src)
			return img
		}
		file.MediaType = "image/" + format
		file.Width, file.Height = cfg.Width, cfg.Height
	}
	c.files[name] = file
	img.File = file
	return img
}

// localPath turns an image source into a clean path relative to the
// source root. A leading "/" is the site root, as Jekyll serves it. Paths
// that climb out of the root, use backslashes or name a drive are refused.
func localPath(src string) (string, bool) {
	if i := strings.IndexAny(src, "?#"); i >= 0 {
		src = src[:i]
	}
	if u, err := url.PathUnescape(src); err == nil {
		src = u
	}
	if strings.ContainsAny(src, "\\\x00") || len(src) >= 2 && src[1] == ':' {
		return "", false
	}
	src = strings.TrimPrefix(src, "/")
	if strings.HasPrefix(src, "/") { // "//" was a network path
		return "", false
	}
	for _, el := range strings.Split(src, "/") {
		if el == ".." {
			return "", false
		}
	}
	name := path.Clean(src)
	if !fs.ValidPath(name) || name == "." {
		return "", false
	}
	return name, true
}

// checkNoEscape refuses a path any of whose components is a symbolic link
// pointing outside the source root (or anywhere, when the file system
// cannot say where it points).
func checkNoEscape(fsys fs.FS, name string) error {
	parts := strings.Split(name, "/")
	for i := range parts {
		prefix := strings.Join(parts[:i+1], "/")
		info, err := fs.Lstat(fsys, prefix)
		if err != nil {
			return nil // a missing file is reported by the caller
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		target, err := fs.ReadLink(fsys, prefix)
		if err != nil || path.IsAbs(target) || strings.Contains(target, "\\") {
			return fs.ErrPermission
		}
		resolved := path.Join(path.Dir(prefix), target)
		if resolved == ".." || strings.HasPrefix(resolved, "../") {
			return fs.ErrPermission
		}
	}
	return nil
}
