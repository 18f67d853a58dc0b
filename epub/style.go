package epub

import (
	_ "embed"
	"strings"

	"github.com/genai-handbook/handbook/fonts"
)

//go:embed style.css
var baseCSS string

// stylesheet returns the book's CSS: style.css, preceded by @font-face
// rules and font families when the fonts are embedded.
func stylesheet(opt Options, files []fontFile) string {
	if len(files) == 0 {
		return baseCSS
	}
	family := strings.ReplaceAll(opt.Fonts.Name, `"`, "")
	var sb strings.Builder
	sb.WriteString("/* Embedded fonts: " + family + ". */\n")
	for _, f := range files {
		fam, weight, style := family, "normal", "normal"
		switch f.style {
		case fonts.Bold:
			weight = "bold"
		case fonts.Italic:
			style = "italic"
		case fonts.BoldItalic:
			weight, style = "bold", "italic"
		case fonts.Mono:
			fam += " Mono"
		case fonts.MonoBold:
			fam, weight = fam+" Mono", "bold"
		}
		// The href go-epub returns is relative to the content documents
		// ("../fonts/x.ttf"), which is also right from the css directory.
		sb.WriteString("@font-face {\n  font-family: \"" + fam + "\";\n  font-weight: " + weight + ";\n  font-style: " + style + ";\n  src: url(\"" + f.href + "\");\n}\n")
	}
	sb.WriteString("body { font-family: \"" + family + "\", serif; }\n")
	sb.WriteString("code, pre, kbd, samp { font-family: \"" + family + " Mono\", monospace; }\n\n")
	sb.WriteString(baseCSS)
	return sb.String()
}
