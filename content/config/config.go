// Package config reads handbook.yml, the optional tool configuration in a
// handbook's source root for what _config.yml lacks (a subtitle, the
// books to make, a cover, fonts), and the files it names, under the
// content package's rule for every file the tool reads. Every problem is
// a diagnostic at its line and column; a setting's position is kept, so
// that a later warning about it can point there.
package config

import (
	"bytes"
	"errors"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/genai-handbook/handbook/content"
	"github.com/genai-handbook/handbook/content/diag"
)

// Name is the file's name in the source root.
const Name = "handbook.yml"

// maxConfigSize bounds handbook.yml: a few hundred bytes in practice.
const maxConfigSize = 1 << 20

// File is handbook.yml.
type File struct {
	Subtitle   string            `yaml:"subtitle"`    // book subtitle (default: site.description)
	AuthorSort string            `yaml:"author_sort"` // "Brown, William"
	Language   string            `yaml:"language"`    // BCP 47 tag (default: _config.yml lang, else en)
	Identifier string            `yaml:"identifier"`  // EPUB identifier (default: derived from title and source URL)
	Version    string            `yaml:"version"`     // overrides the version line
	Cover      string            `yaml:"cover"`       // cover image path in the source tree
	Fonts      map[string]string `yaml:"fonts"`       // regular, bold, italic, bolditalic, mono, monobold → TTF path in the source tree
	Paper      []string          `yaml:"paper"`       // a4, letter, a5
	Formats    []string          `yaml:"formats"`     // epub, kepub, pdf
	Editions   []string          `yaml:"editions"`    // screen, print
	Booklet    bool              `yaml:"booklet"`     // also build the A5 booklet
	Out        string            `yaml:"out"`         // output directory
	Name       string            `yaml:"name"`        // output file-name stem (default: from the title)
	EmbedFonts bool              `yaml:"embed_fonts"` // embed fonts in the EPUB

	// keys holds the position of each key present ("fonts.bold" for a
	// font), vals the position of its value: diagnostics about a setting
	// point at it.
	keys, vals map[string]diag.Pos
}

// At returns the position of key's value ("cover", "fonts.bold"), or of
// the file when key is not set.
func (c File) At(key string) diag.Pos {
	if p, ok := c.vals[key]; ok {
		return p
	}
	return diag.Pos{File: Name}
}

// KeyAt returns the position of key itself.
func (c File) KeyAt(key string) diag.Pos {
	if p, ok := c.keys[key]; ok {
		return p
	}
	return diag.Pos{File: Name}
}

// Has reports whether key is set.
func (c File) Has(key string) bool {
	_, ok := c.keys[key]
	return ok
}

// Allowed lists the values each list-valued key accepts ("formats",
// "paper", "editions"): the build pipeline's, which this package does not
// know.
type Allowed map[string][]string

// configKeys lists the keys handbook.yml may have, for error messages.
var configKeys = map[string]bool{
	"subtitle": true, "author_sort": true, "language": true, "identifier": true, "version": true,
	"cover": true, "fonts": true, "paper": true, "formats": true, "editions": true, "booklet": true, "out": true, "name": true, "embed_fonts": true,
}

var fontKeys = map[string]bool{"regular": true, "bold": true, "italic": true, "bolditalic": true, "mono": true, "monobold": true}

// Load reads handbook.yml from the source root fsys when it exists.
// Unknown keys, wrong types, values not in allowed and paths that leave
// the source tree are errors with their line and column. Paths (out,
// cover, fonts) are relative to the source root.
func Load(fsys fs.FS, allowed Allowed) (File, diag.Diagnostics) {
	cfg := File{keys: map[string]diag.Pos{}, vals: map[string]diag.Pos{}}
	var diags diag.Diagnostics
	pos := func(line, col int) diag.Pos { return diag.Pos{File: Name, Line: line, Col: col} }
	data, _, err := content.ReadFile(fsys, Name, maxConfigSize)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, nil // optional
	}
	if err != nil {
		diags.Errorf(pos(0, 0), "%s", err.(*content.ReadError).Reason())
		return cfg, diags
	}
	var root yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&root); err != nil {
		if err.Error() == "EOF" {
			return cfg, nil // empty file
		}
		diags.Errorf(pos(0, 0), "invalid YAML: %v", strings.TrimPrefix(err.Error(), "yaml: "))
		return cfg, diags
	}
	if len(root.Content) == 0 {
		return cfg, nil
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		diags.Errorf(pos(doc.Line, doc.Column), "%s must be a mapping of keys to values", Name)
		return cfg, diags
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if !configKeys[k.Value] {
			diags.Errorf(pos(k.Line, k.Column), "unknown key %q (known: %s)", k.Value, strings.Join(sortedKeys(configKeys), ", "))
			continue
		}
		cfg.keys[k.Value], cfg.vals[k.Value] = pos(k.Line, k.Column), pos(v.Line, v.Column)
		if k.Value == "fonts" && v.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(v.Content); j += 2 {
				fk, fv := v.Content[j], v.Content[j+1]
				if !fontKeys[fk.Value] {
					diags.Errorf(pos(fk.Line, fk.Column), "unknown font style %q (known: %s)", fk.Value, strings.Join(sortedKeys(fontKeys), ", "))
				}
				cfg.keys["fonts."+fk.Value], cfg.vals["fonts."+fk.Value] = pos(fk.Line, fk.Column), pos(fv.Line, fv.Column)
				if fv.Kind == yaml.ScalarNode {
					checkPath(&diags, pos(fv.Line, fv.Column), "font "+fk.Value, fv.Value)
				}
			}
		}
		// Decode each key on its own so a type error names its line.
		one := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{k, v}}
		if err := one.Decode(&cfg); err != nil {
			diags.Errorf(pos(v.Line, v.Column), "key %q: %s", k.Value, cleanYAMLError(err))
			continue
		}
		if want, ok := allowed[k.Value]; ok && v.Kind == yaml.SequenceNode {
			for _, e := range v.Content {
				if !slices.Contains(want, strings.ToLower(strings.TrimSpace(e.Value))) {
					diags.Errorf(pos(e.Line, e.Column), "%s: unknown value %q (want %s)", k.Value, e.Value, strings.Join(want, ", "))
				}
			}
		}
		switch k.Value {
		case "cover":
			checkPath(&diags, pos(v.Line, v.Column), "cover", cfg.Cover)
		case "out":
			if strings.TrimSpace(cfg.Out) == "" {
				diags.Errorf(pos(v.Line, v.Column), "out: empty output directory")
			} else if err := content.CheckInside(fsys, cfg.Out); err != nil {
				// Without -o, the books go where handbook.yml says: a pull
				// request must not make CI write outside the checkout.
				diags.Errorf(pos(v.Line, v.Column), "out: %s (-o on the command line may name any directory)", err.(*content.ReadError).Reason())
			}
		}
	}
	return cfg, diags
}

// checkPath reports a path in handbook.yml that is not inside the source
// tree: absolute, or leaving it with "..". (A symlink that leads out is
// refused when the file is read.)
func checkPath(diags *diag.Diagnostics, at diag.Pos, what, p string) {
	name := path.Clean(strings.TrimPrefix(p, "./"))
	if p == "" || strings.Contains(p, `\`) || !fs.ValidPath(name) || name == "." {
		diags.Errorf(at, "%s %q is not a path inside the source tree", what, p)
	}
}

func cleanYAMLError(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n")
	s = strings.TrimSpace(s)
	if i := strings.Index(s, ": "); strings.HasPrefix(s, "line ") && i > 0 {
		s = s[i+2:]
	}
	return s
}

func sortedKeys(m map[string]bool) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
