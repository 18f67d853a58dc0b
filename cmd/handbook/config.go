package main

import (
	"bytes"
	"io/fs"
	"sort"
	"strings"

	"github.com/genai-handbook/handbook/content/diag"
	"gopkg.in/yaml.v3"
)

// configName is the optional tool configuration in the source root, for
// what _config.yml lacks. Command-line flags override it.
const configName = "handbook.yml"

// fileConfig is handbook.yml.
type fileConfig struct {
	Subtitle   string            `yaml:"subtitle"`    // book subtitle (default: site.description)
	AuthorSort string            `yaml:"author_sort"` // "Brown, William"
	Language   string            `yaml:"language"`    // BCP 47 tag (default: _config.yml lang, else en)
	Identifier string            `yaml:"identifier"`  // EPUB identifier (default: derived from title and source URL)
	Version    string            `yaml:"version"`     // overrides the version line
	Cover      string            `yaml:"cover"`       // cover image path in the source tree
	Fonts      map[string]string `yaml:"fonts"`       // regular, bold, italic, bolditalic, mono, monobold → TTF path in the source tree
	Paper      []string          `yaml:"paper"`       // a4, letter, a5
	Formats    []string          `yaml:"formats"`     // epub, pdf
	Editions   []string          `yaml:"editions"`    // screen, print
	Booklet    bool              `yaml:"booklet"`     // also build the A5 booklet
	Out        string            `yaml:"out"`         // output directory
	Name       string            `yaml:"name"`        // output file-name stem (default: from the title)
	EmbedFonts bool              `yaml:"embed_fonts"` // embed fonts in the EPUB
}

// configKeys lists the keys handbook.yml may have, for error messages.
var configKeys = map[string]bool{
	"subtitle": true, "author_sort": true, "language": true, "identifier": true, "version": true,
	"cover": true, "fonts": true, "paper": true, "formats": true, "editions": true, "booklet": true, "out": true, "name": true, "embed_fonts": true,
}

var fontKeys = map[string]bool{"regular": true, "bold": true, "italic": true, "bolditalic": true, "mono": true, "monobold": true}

// loadConfig reads handbook.yml from the source root when it exists.
// Unknown keys and wrong types are errors with their line and column.
func loadConfig(fsys fs.FS) (fileConfig, diag.Diagnostics) {
	var cfg fileConfig
	var diags diag.Diagnostics
	data, err := fs.ReadFile(fsys, configName)
	if err != nil {
		return cfg, nil // optional
	}
	pos := func(line, col int) diag.Pos { return diag.Pos{File: configName, Line: line, Col: col} }
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
		diags.Errorf(pos(doc.Line, doc.Column), "%s must be a mapping of keys to values", configName)
		return cfg, diags
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if !configKeys[k.Value] {
			diags.Errorf(pos(k.Line, k.Column), "unknown key %q (known: %s)", k.Value, strings.Join(sortedKeys(configKeys), ", "))
			continue
		}
		if k.Value == "fonts" && v.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(v.Content); j += 2 {
				if fk := v.Content[j]; !fontKeys[fk.Value] {
					diags.Errorf(pos(fk.Line, fk.Column), "unknown font style %q (known: %s)", fk.Value, strings.Join(sortedKeys(fontKeys), ", "))
				}
			}
		}
		// Decode each key on its own so a type error names its line.
		one := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{k, v}}
		if err := one.Decode(&cfg); err != nil {
			diags.Errorf(pos(v.Line, v.Column), "key %q: %s", k.Value, cleanYAMLError(err))
		}
	}
	return cfg, diags
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
