package content

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/genai-handbook/handbook/content/diag"
)

// yamlLineRE matches the "yaml: line N: msg" form of yaml.v3 errors.
var yamlLineRE = regexp.MustCompile(`(?s)^yaml: line (\d+): (.*)$`)

// parseYAML parses data (from file f, starting at line firstLine of f) into
// a mapping node. It returns nil for an empty document. YAML errors are
// reported at their line; the top level must be a mapping.
func (l *loader) parseYAML(f *srcFile, data []byte, firstLine int) (m *yaml.Node) {
	var doc yaml.Node
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("yaml: %v", r)
			}
		}()
		return yaml.Unmarshal(data, &doc)
	}()
	if err != nil {
		msg := err.Error()
		line := 1
		if sm := yamlLineRE.FindStringSubmatch(msg); sm != nil {
			msg = sm[2]
			if n, err := strconv.Atoi(sm[1]); err == nil && n >= 1 {
				line = n
				if yamlParserError(msg) {
					line++ // yaml.v3 reports these lines 0-based
				}
			}
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		msg = strings.ReplaceAll(msg, "\n", " ")
		l.errorf(l.linePos(f, firstLine+line-1), "invalid YAML: %s", msg)
		return nil
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil // empty document
	}
	n := doc.Content[0]
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return nil
		}
		l.errorf(l.linePos(f, firstLine+n.Line-1), "top level of the YAML must be a mapping of keys to values")
		return nil
	}
	return n
}

// yamlParserError reports whether msg is one of the errors of yaml.v3's
// parser (as opposed to its scanner), whose "line N" is 0-based.
func yamlParserError(msg string) bool {
	if strings.HasPrefix(msg, "did not find expected ") {
		return true
	}
	switch msg {
	case "found undefined tag handle", "found duplicate %YAML directive",
		"found incompatible YAML document", "found duplicate %TAG directive":
		return true
	}
	return false
}

// linePos returns the position of column 1 of line (1-based) of f,
// clamped to the file's lines.
func (l *loader) linePos(f *srcFile, line int) diag.Pos {
	if line < 1 {
		line = 1
	}
	if line > len(f.lines) {
		line = len(f.lines)
	}
	return diag.Pos{File: f.path, Line: line, Col: 1}
}

// nodePos returns the position of n, which was parsed from f starting at
// line firstLine.
func (l *loader) nodePos(f *srcFile, n *yaml.Node, firstLine int) diag.Pos {
	p := l.linePos(f, firstLine+n.Line-1)
	if n.Column >= 1 {
		p.Col = n.Column
	}
	return p
}

// scalar returns the string value of a scalar node (following an alias),
// "" for null. ok is false when n is not a scalar.
func scalar(n *yaml.Node) (string, bool) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode {
		return "", false
	}
	if n.Tag == "!!null" {
		return "", true
	}
	return n.Value, true
}

// stringField stores the scalar value v of key into *dst, or reports an
// error when v is not a scalar.
func (l *loader) stringField(f *srcFile, firstLine int, key string, v *yaml.Node, dst *string) {
	s, ok := scalar(v)
	if !ok {
		l.errorf(l.nodePos(f, v, firstLine), "key %s must have a single value, not a list or mapping", diag.Quote(key))
		return
	}
	*dst = s
}

// parseConfig fills l.src.Config from _config.yml.
func (l *loader) parseConfig(f *srcFile) {
	m := l.parseYAML(f, f.data, 1)
	if m == nil {
		return
	}
	c := &l.src.Config
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		switch k.Value {
		case "title":
			l.stringField(f, 1, k.Value, v, &c.Title)
		case "description":
			l.stringField(f, 1, k.Value, v, &c.Description)
		case "url":
			l.stringField(f, 1, k.Value, v, &c.URL)
		case "lang":
			l.stringField(f, 1, k.Value, v, &c.Language)
		case "kramdown":
			if v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			if s, ok := scalar(v); ok && s == "" {
				continue // "kramdown:" with nothing under it
			}
			if v.Kind != yaml.MappingNode {
				l.errorf(l.nodePos(f, v, 1), "key %s must be a mapping of options to values", diag.Quote(k.Value))
				continue
			}
			c.Kramdown = make(map[string]string, len(v.Content)/2)
			for j := 0; j+1 < len(v.Content); j += 2 {
				kk, vv := v.Content[j], v.Content[j+1]
				s, ok := scalar(vv)
				if !ok {
					l.warnf(l.nodePos(f, vv, 1), "kramdown option %s is not a single value; ignored", diag.Quote(kk.Value))
					continue
				}
				c.Kramdown[kk.Value] = s
			}
		}
	}
}

// parseFrontMatter fills l.src.FrontMatter from the YAML between the
// "---" lines of index.md, which starts on line firstLine.
func (l *loader) parseFrontMatter(f *srcFile, data []byte, firstLine int) {
	m := l.parseYAML(f, data, firstLine)
	if m == nil {
		return
	}
	fm := &l.src.FrontMatter
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		switch k.Value {
		case "layout":
			l.stringField(f, firstLine, k.Value, v, &fm.Layout)
		case "title":
			l.stringField(f, firstLine, k.Value, v, &fm.Title)
		}
	}
}
