package compile

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/gif"    // also registers the GIF decoder for image.Decode
	_ "image/jpeg" // register decoders for image.Decode
	"image/png"
	"io"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content"
	"github.com/genai-handbook/handbook/content/diag"
)

// Limits on a local image. A handbook's figures are far smaller; beyond
// them an image is a decompression bomb or a mistake, and one such image
// made a PDF viewer take half a minute for a single page.
const (
	maxImageSize   = 16 << 20   // bytes of the file
	maxImageSide   = 10_000     // pixels, width or height
	maxImagePixels = 40_000_000 // pixels of the image (all frames of a GIF)
)

// image resolves an image source. Local images are read (once) from the
// source tree, never from outside it, and decoded in full: only an image
// that decodes within the limits enters the tree. Remote images are not
// fetched. An image that cannot be used is a warning at its position and
// has File nil, so the books show its alt text.
func (c *compiler) image(src, alt, title string, pos diag.Pos) *tree.Image {
	img := &tree.Image{Src: src, Alt: alt, Title: title, Pos: pos}
	if img.IsRemote() {
		c.diags.Warnf(pos, "remote image %s not fetched: its alt text is shown as a link", diag.Quote(src))
		return img
	}
	if strings.HasPrefix(src, "//") {
		c.diags.Warnf(pos, "image %s is a network path without a scheme: the book shows its alt text", diag.Quote(src))
		return img
	}
	name, ok := localPath(src)
	if !ok {
		c.diags.Warnf(pos, "image path %s leaves the source root: refused", diag.Quote(src))
		return img
	}
	if f, ok := c.files[name]; ok {
		img.File = f
		return img
	}
	if why, ok := c.badImages[name]; ok {
		c.diags.Warnf(pos, "image %s %s: the book shows its alt text", diag.Quote(src), why)
		return img
	}
	data, _, err := content.ReadFile(c.src.FS, name, maxImageSize)
	if err != nil {
		var re *content.ReadError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			c.diags.Warnf(pos, "image %s not found", diag.Quote(src))
		case errors.As(err, &re):
			c.diags.Warnf(pos, "image %s %s: the book shows its alt text", diag.Quote(src), re.Reason())
		default:
			c.diags.Warnf(pos, "image %s cannot be read: %v", diag.Quote(src), err)
		}
		return img
	}
	file, why := decodeImage(name, data)
	if file == nil {
		c.badImages[name] = why
		c.diags.Warnf(pos, "image %s %s: the book shows its alt text", diag.Quote(src), why)
		return img
	}
	c.files[name] = file
	img.File = file
	return img
}

// decodeImage checks an image file: an SVG document without active
// content, or a PNG, JPEG or GIF that decodes completely within the
// limits. The header's size is checked before anything is decoded, so a
// header that claims a huge image costs nothing. It returns the file, or
// nil and why not (a phrase that follows the image's name).
func decodeImage(name string, data []byte) (*tree.File, string) {
	if len(data) > maxImageSize {
		return nil, fmt.Sprintf("is larger than %d MiB", maxImageSize>>20)
	}
	if len(data) == 0 {
		return nil, "is empty"
	}
	file := &tree.File{Path: name, Data: data}
	if strings.HasSuffix(strings.ToLower(name), ".svg") {
		if err := checkSVG(data); err != nil {
			return nil, "is not a safe SVG file (" + err.Error() + ")"
		}
		file.MediaType = "image/svg+xml"
		return file, ""
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || format != "png" && format != "jpeg" && format != "gif" {
		return nil, "is not a PNG, JPEG, GIF or SVG file"
	}
	w, h := cfg.Width, cfg.Height
	if w <= 0 || h <= 0 || w > maxImageSide || h > maxImageSide || w*h > maxImagePixels {
		return nil, fmt.Sprintf("is %d×%d pixels, beyond the limits of %d a side and %d megapixels", w, h, maxImageSide, maxImagePixels/1_000_000)
	}
	if format == "gif" {
		// image.Decode reads a GIF's first frame only; every frame must
		// decode, and all of them together stay within the pixel limit.
		if n, err := gifPixels(data); err != nil || n > maxImagePixels {
			return nil, fmt.Sprintf("has frames of more than %d megapixels in all, or a broken frame", maxImagePixels/1_000_000)
		}
		_, err = gif.DecodeAll(bytes.NewReader(data))
	} else {
		var img image.Image
		img, _, err = image.Decode(bytes.NewReader(data))
		if err == nil && format == "png" && !pdfReadyPNG(data) {
			file.Data, err = reencodePNG(img)
		}
	}
	if err != nil {
		return nil, "cannot be decoded (" + err.Error() + ")"
	}
	file.MediaType = "image/" + format
	file.Width, file.Height = w, h
	return file, ""
}

// gifPixels adds up the pixels of a GIF's frames from their image
// descriptors, without decoding them, so that DecodeAll is only asked to
// decode what fits in the limit. It reads the block structure of GIF89a:
// the header and logical screen descriptor, the global colour table, then
// extensions (skipped) and image descriptors (counted) up to the trailer.
func gifPixels(data []byte) (int, error) {
	errBad := errors.New("gif: malformed")
	if len(data) < 13 {
		return 0, errBad
	}
	p := 13
	if data[10]&0x80 != 0 {
		p += 3 << (data[10]&7 + 1)
	}
	// subBlocks skips a sequence of data sub-blocks ending with an empty one.
	subBlocks := func() bool {
		for p < len(data) {
			n := int(data[p])
			p += 1 + n
			if n == 0 {
				return p <= len(data)
			}
		}
		return false
	}
	total := 0
	for p < len(data) {
		switch data[p] {
		case 0x3b: // trailer
			return total, nil
		case 0x21: // extension: label, then sub-blocks
			p += 2
			if !subBlocks() {
				return 0, errBad
			}
		case 0x2c: // image descriptor
			if p+10 > len(data) {
				return 0, errBad
			}
			w := int(data[p+5]) | int(data[p+6])<<8
			h := int(data[p+7]) | int(data[p+8])<<8
			total += w * h
			if total > maxImagePixels {
				return total, nil
			}
			flags := data[p+9]
			p += 10
			if flags&0x80 != 0 {
				p += 3 << (flags&7 + 1)
			}
			p++ // LZW minimum code size
			if !subBlocks() {
				return 0, errBad
			}
		default:
			return 0, errBad
		}
	}
	return 0, errBad // no trailer
}

// svgActive lists the SVG elements that run code or embed other
// documents; an SVG holding one is not embedded.
var svgActive = map[string]bool{"script": true, "foreignObject": true, "iframe": true, "object": true, "embed": true, "handler": true, "listener": true}

// checkSVG reads an SVG document to its end and refuses what a book must
// not carry: malformed XML, a root that is not <svg>, scripts and
// foreign content, event-handler attributes, and references to anything
// outside the document (only "#id" and data:image/ references are kept).
func checkSVG(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	root := true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if root {
				return errors.New("no <svg> element")
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root && t.Name.Local != "svg" {
				return fmt.Errorf("the root element is <%s>", diag.Cut(t.Name.Local))
			}
			root = false
			if svgActive[t.Name.Local] {
				return fmt.Errorf("it holds <%s>", t.Name.Local)
			}
			for _, a := range t.Attr {
				k := strings.ToLower(a.Name.Local)
				v := strings.TrimSpace(a.Value)
				switch {
				case strings.HasPrefix(k, "on"):
					return fmt.Errorf("it has an event handler %s", diag.Cut(a.Name.Local))
				case k == "href" || k == "src":
					if !strings.HasPrefix(v, "#") && !strings.HasPrefix(strings.ToLower(v), "data:image/") {
						return fmt.Errorf("it refers to %s", diag.Quote(v))
					}
				}
			}
		case xml.Directive:
			return errors.New("it has a DTD")
		}
	}
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

// pdfReadyPNG reports whether a PNG file (already decoded, so its header
// is sound) can be embedded in a PDF as it is: 8 bits a sample or fewer,
// not interlaced. The PDF writer (gofpdf) refuses the others, and a
// handbook with such an image passed check and failed every PDF at build
// (issue 26, case 6); those are re-encoded by reencodePNG, so that every
// book shows the same picture.
func pdfReadyPNG(data []byte) bool {
	// IHDR is the first chunk: bit depth at byte 24, interlace at 28.
	return len(data) > 28 && data[24] <= 8 && data[28] == 0
}

// reencodePNG writes img as a PNG of 8 bits a sample, not interlaced,
// with Go's encoder (deterministic: the same image gives the same bytes).
func reencodePNG(img image.Image) ([]byte, error) {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.Gray16:
		g := image.NewGray(b)
		draw.Draw(g, b, m, b.Min, draw.Src)
		img = g
	case *image.NRGBA64, *image.RGBA64:
		n := image.NewNRGBA(b)
		draw.Draw(n, b, m, b.Min, draw.Src)
		img = n
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
