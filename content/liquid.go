package content

import (
	"bytes"
	"io/fs"
	"path"
	"strings"

	"github.com/genai-handbook/handbook/content/diag"
)

// ctx is the file being expanded.
type ctx struct {
	file   int32    // index into src.files
	f      *srcFile // src.files[file]
	params []param  // the parameters of the include tag that included f
	depth  int      // 0 for index.md
}

// param is one include parameter, key="value". The value is the bytes
// data[off:end] of file, so that substituted bytes keep their position.
type param struct {
	key      string
	file     int32
	off, end int
}

// isSpace reports whether c is whitespace for Liquid's whitespace control.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// piece is one part of Text while it is being built: the bytes
// data[a:b] of file, or, when fixed, the value v mapped to offset a.
type piece struct {
	file  int32
	fixed bool
	a, b  int
	v     string
}

// grow accounts for n more bytes of Text starting at offset a of file fi,
// reporting an error and stopping when that exceeds MaxTotalSize.
func (l *loader) grow(fi int32, a, n int) bool {
	if int64(l.size)+int64(n) > l.opt.MaxTotalSize {
		l.errorf(l.src.files[fi].pos(a), "expanded text is larger than the limit of %d bytes", l.opt.MaxTotalSize)
		l.stopped = true
		return false
	}
	l.size += n
	return true
}

// emit appends data[a:b] of file fi to Text.
func (l *loader) emit(fi int32, a, b int) {
	if a >= b || l.stopped || !l.grow(fi, a, b-a) {
		return
	}
	if n := len(l.pieces); n > 0 {
		last := &l.pieces[n-1]
		if last.file == fi && !last.fixed && last.b == a {
			last.b = b
			return
		}
	}
	l.pieces = append(l.pieces, piece{file: fi, a: a, b: b})
}

// emitFixed appends v to Text, every byte of it mapped to offset foff of
// file fi (the tag it replaces).
func (l *loader) emitFixed(fi int32, foff int, v string) {
	if v == "" || l.stopped || !l.grow(fi, foff, len(v)) {
		return
	}
	l.pieces = append(l.pieces, piece{file: fi, fixed: true, a: foff, v: v})
}

// build makes Text and the span table from the pieces, in one allocation.
func (l *loader) build() {
	s := l.src
	s.Text = make([]byte, 0, l.size)
	s.spans = make([]span, 0, len(l.pieces))
	for _, p := range l.pieces {
		s.spans = append(s.spans, span{off: len(s.Text), foff: p.a, file: p.file, fixed: p.fixed})
		if p.fixed {
			s.Text = append(s.Text, p.v...)
		} else {
			s.Text = append(s.Text, s.files[p.file].data[p.a:p.b]...)
		}
	}
	l.pieces = nil
}

// emitText appends the literal text data[a:b] of c, trimming leading
// whitespace when ltrim is set (after a "-%}") and trailing whitespace
// when rtrim is set (before a "{%-").
func (l *loader) emitText(c ctx, a, b int, ltrim, rtrim bool) {
	d := c.f.data
	if ltrim {
		for a < b && isSpace(d[a]) {
			a++
		}
	}
	if rtrim {
		for b > a && isSpace(d[b-1]) {
			b--
		}
	}
	l.emit(c.file, a, b)
}

// tag is one Liquid tag, {% ... %} or {{ ... }}, found in a file.
type tag struct {
	start, end   int  // the whole tag is data[start:end]
	in, inEnd    int  // the contents without the dashes
	ltrim, rtrim bool // "{%-" and "-%}"
	output       bool // {{ }} rather than {% %}
}

// nextTag finds the next "{%" or "{{" at or after p. It returns the tag
// and found == true, or, when the tag is not closed, found == true and
// t.end == -1; found is false when there are no more tags.
func nextTag(d []byte, p int) (t tag, found bool) {
	for {
		i := bytes.IndexByte(d[p:], '{')
		if i < 0 || p+i+1 >= len(d) {
			return tag{}, false
		}
		k := p + i
		if c := d[k+1]; c != '%' && c != '{' {
			p = k + 1
			continue
		}
		t.start = k
		t.output = d[k+1] == '{'
		closer := []byte("%}")
		if t.output {
			closer = []byte("}}")
		}
		t.in = k + 2
		if t.in < len(d) && d[t.in] == '-' {
			t.ltrim = true
			t.in++
		}
		e := bytes.Index(d[t.in:], closer)
		if e < 0 {
			t.end = -1
			return t, true
		}
		t.inEnd = t.in + e
		t.end = t.inEnd + 2
		if t.inEnd > t.in && d[t.inEnd-1] == '-' {
			t.rtrim = true
			t.inEnd--
		}
		return t, true
	}
}

// tagName splits the contents of a {% %} tag into its name and the offset
// where its arguments start.
func tagName(d []byte, t tag) (string, int) {
	i := t.in
	for i < t.inEnd && isSpace(d[i]) {
		i++
	}
	j := i
	for j < t.inEnd && isWordByte(d[j]) {
		j++
	}
	if j == i {
		for j < t.inEnd && !isSpace(d[j]) {
			j++
		}
	}
	return string(d[i:j]), j
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// expand expands the Liquid in c.f.data from offset p to the end into Text.
func (l *loader) expand(c ctx, p int) {
	d := c.f.data
	ltrim := false // the previous tag ended with "-%}"
	for !l.stopped {
		t, found := nextTag(d, p)
		if !found {
			l.emitText(c, p, len(d), ltrim, false)
			return
		}
		l.emitText(c, p, t.start, ltrim, t.ltrim)
		at := c.f.pos(t.start)
		if t.end < 0 {
			if t.output {
				l.errorf(at, "unclosed Liquid output tag: no \"}}\" before the end of the file")
			} else {
				l.errorf(at, "unclosed Liquid tag: no \"%%}\" before the end of the file")
			}
			return
		}
		p, ltrim = t.end, t.rtrim
		if t.output {
			l.output(c, t, at)
			continue
		}
		name, args := tagName(d, t)
		switch name {
		case "":
			l.errorf(at, "empty Liquid tag")
		case "include":
			l.include(c, t, args, at)
		case "comment":
			e, ok := findEndComment(d, t.end)
			if !ok {
				l.errorf(at, "unclosed Liquid comment: no {%% endcomment %%} before the end of the file")
				return
			}
			p, ltrim = e.end, e.rtrim
		case "raw":
			e, ok := findEndRaw(d, t.end)
			if !ok {
				l.errorf(at, "unclosed Liquid raw block: no {%% endraw %%} before the end of the file")
				return
			}
			l.emitText(c, t.end, e.start, t.rtrim, e.ltrim)
			p, ltrim = e.end, e.rtrim
		case "endcomment":
			l.errorf(at, "unexpected Liquid tag \"endcomment\" without an opening \"comment\"")
		case "endraw":
			l.errorf(at, "unexpected Liquid tag \"endraw\" without an opening \"raw\"")
		default:
			l.errorf(at, "unsupported Liquid tag %s", diag.Quote(name))
		}
	}
}

// nextBlockTag finds the next {% %} tag at or after p, skipping {{ }}.
// found is false when there is none or it is not closed.
func nextBlockTag(d []byte, p int) (tag, bool) {
	i := bytes.Index(d[p:], []byte("{%"))
	if i < 0 {
		return tag{}, false
	}
	t, found := nextTag(d, p+i)
	return t, found && t.end >= 0
}

// findEndComment finds the {% endcomment %} closing a comment whose body
// starts at p, counting nested comments. Other tags inside are ignored.
func findEndComment(d []byte, p int) (tag, bool) {
	depth := 1
	for {
		t, ok := nextBlockTag(d, p)
		if !ok {
			return tag{}, false
		}
		p = t.end
		switch name, _ := tagName(d, t); name {
		case "comment":
			depth++
		case "endcomment":
			depth--
			if depth == 0 {
				return t, true
			}
		}
	}
}

// findEndRaw finds the {% endraw %} closing a raw block whose body starts
// at p. Nothing in between is interpreted: as in Liquid, the first
// "{%", optional "-" and spaces, "endraw", spaces, optional "-", "%}"
// ends the block.
func findEndRaw(d []byte, p int) (tag, bool) {
	for {
		i := bytes.Index(d[p:], []byte("{%"))
		if i < 0 {
			return tag{}, false
		}
		k := p + i
		t := tag{start: k, in: k + 2}
		j := t.in
		if j < len(d) && d[j] == '-' {
			t.ltrim = true
			j++
			t.in = j
		}
		for j < len(d) && isSpace(d[j]) {
			j++
		}
		if bytes.HasPrefix(d[j:], []byte("endraw")) {
			j += len("endraw")
			for j < len(d) && isSpace(d[j]) {
				j++
			}
			t.inEnd = j
			if j < len(d) && d[j] == '-' {
				t.rtrim = true
				j++
			}
			if bytes.HasPrefix(d[j:], []byte("%}")) {
				t.end = j + 2
				return t, true
			}
		}
		p = k + 2
	}
}

// trimSpace trims Liquid whitespace from both ends of s.
func trimSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) })
}

// output expands a {{ variable }} tag.
func (l *loader) output(c ctx, t tag, at diag.Pos) {
	expr := trimSpace(string(c.f.data[t.in:t.inEnd]))
	switch {
	case expr == "":
		l.errorf(at, "empty Liquid output tag")
	case strings.Contains(expr, "|"):
		l.errorf(at, "unsupported Liquid filter in %s", diag.Quote(expr))
	case expr == "site.title":
		l.emitFixed(c.file, t.start, l.src.Config.Title)
	case expr == "site.description":
		l.emitFixed(c.file, t.start, l.src.Config.Description)
	case expr == "page.title":
		l.emitFixed(c.file, t.start, l.src.FrontMatter.Title)
	case strings.HasPrefix(expr, "include.") && c.depth > 0:
		key := expr[len("include."):]
		for i := len(c.params) - 1; i >= 0; i-- {
			if pr := c.params[i]; pr.key == key {
				l.emit(pr.file, pr.off, pr.end)
				return
			}
		}
		l.warnf(at, "include parameter %s is not set; it expands to nothing", diag.Quote(key))
	default:
		l.errorf(at, "unknown Liquid variable %s", diag.Quote(expr))
	}
}

// include expands {% include name key="value" ... %}; args is the offset
// in c.f.data where the tag's arguments start.
func (l *loader) include(c ctx, t tag, args int, at diag.Pos) {
	d := c.f.data
	i := args
	for i < t.inEnd && isSpace(d[i]) {
		i++
	}
	j := i
	for j < t.inEnd && !isSpace(d[j]) {
		j++
	}
	name := string(d[i:j])
	if name == "" {
		l.errorf(at, "include tag needs a file name")
		return
	}
	if strings.Contains(name, "{{") {
		l.errorf(at, "unsupported Liquid variable in include name %s", diag.Quote(trimSpace(string(d[i:t.inEnd]))))
		return
	}
	params, ok := parseParams(c, j, t.inEnd)
	if !ok {
		l.errorf(at, "malformed include parameters %s; want key=\"value\" or key='value'", diag.Quote(trimSpace(string(d[j:t.inEnd]))))
		return
	}
	full, msg := includePath(name)
	if msg != "" {
		l.errorf(at, "%s", msg)
		return
	}
	ent, ok := l.incCache[full]
	if !ok {
		res := readFile(l.fsys, full, l.opt.MaxFileSize, l.byReal)
		ent = incEntry{file: -1, res: res}
		if res.kind == readOK {
			if f := l.addFile(res); f != nil {
				ent.file = l.byReal[f.path]
			}
			ent.res.data = nil
		}
		l.incCache[full] = ent
	}
	switch ent.res.kind {
	case readOK:
	case readNotFound:
		l.errorf(at, "include %s not found in _includes/", diag.Quote(name))
	case readNotRegular:
		l.errorf(at, "include %s is not a regular file", diag.Quote(name))
	case readOutside:
		l.errorf(at, "include %s refused: symlink %s points outside the source root", diag.Quote(name), diag.Quote(ent.res.link))
	case readUnresolvable:
		l.errorf(at, "include %s refused: cannot resolve symlink %s", diag.Quote(name), diag.Quote(ent.res.link))
	case readLoop:
		l.errorf(at, "include %s refused: too many levels of symlinks at %s", diag.Quote(name), diag.Quote(ent.res.link))
	case readTooBig:
		l.errorf(at, "include %s is larger than the limit of %d bytes", diag.Quote(name), l.opt.MaxFileSize)
	default:
		l.errorf(at, "cannot read include %s: %v", diag.Quote(name), ent.res.err)
	}
	if ent.file < 0 {
		return // not readable, or invalid UTF-8 (reported at the bad byte)
	}
	for k, fr := range l.stack {
		if fr.file == ent.file {
			d := diag.Diagnostic{Pos: at, Severity: diag.Error, Msg: "include cycle: " + diag.Quote(name) + " is already being included"}
			for _, fr := range l.stack[max(k, 1):] {
				d.Notes = append(d.Notes, diag.Note{Pos: fr.tag, Msg: diag.Quote(fr.name) + " included from here"})
			}
			l.report(d)
			return
		}
	}
	if c.depth+1 > l.opt.MaxIncludeDepth {
		l.errorf(at, "include %s nested too deeply: more than %d levels", diag.Quote(name), l.opt.MaxIncludeDepth)
		return
	}
	l.expansions++
	if l.expansions > maxExpansions {
		l.errorf(at, "too many includes expanded: more than %d; stopping", maxExpansions)
		l.stopped = true
		return
	}
	l.stack = append(l.stack, frame{file: ent.file, tag: at, name: name})
	l.expand(ctx{file: ent.file, f: l.src.files[ent.file], params: params, depth: c.depth + 1}, 0)
	l.stack = l.stack[:len(l.stack)-1]
}

// parseParams parses the include parameters in c.f.data[p:end]:
// whitespace-separated key="value" or key='value', keys made of letters,
// digits, '_' and '-'. Values are taken verbatim (no escapes).
func parseParams(c ctx, p, end int) ([]param, bool) {
	d := c.f.data
	var ps []param
	for {
		for p < end && isSpace(d[p]) {
			p++
		}
		if p == end {
			return ps, true
		}
		k := p
		for p < end && (isWordByte(d[p]) || d[p] == '-') {
			p++
		}
		if p == k {
			return nil, false
		}
		key := string(d[k:p])
		for p < end && isSpace(d[p]) {
			p++
		}
		if p == end || d[p] != '=' {
			return nil, false
		}
		p++
		for p < end && isSpace(d[p]) {
			p++
		}
		if p == end || (d[p] != '"' && d[p] != '\'') {
			return nil, false
		}
		q := d[p]
		p++
		v := p
		for p < end && d[p] != q {
			p++
		}
		if p == end {
			return nil, false
		}
		ps = append(ps, param{key: key, file: c.file, off: v, end: p})
		p++
		if p < end && !isSpace(d[p]) {
			return nil, false
		}
	}
}

// includePath checks an include name and returns the path of the file
// under _includes/, or a message saying why the name is refused.
func includePath(name string) (string, string) {
	switch {
	case strings.Contains(name, `\`):
		return "", "include path " + diag.Quote(name) + " contains a backslash; use / to separate directories"
	case strings.HasPrefix(name, "/") || len(name) >= 2 && name[1] == ':' && isLetter(name[0]):
		return "", "include path " + diag.Quote(name) + " is absolute; it must be relative to _includes/"
	}
	for _, el := range strings.Split(name, "/") {
		if el == ".." {
			return "", "include path " + diag.Quote(name) + " leaves _includes/"
		}
	}
	clean := path.Clean(name)
	full := includesDir + "/" + clean
	if clean == "." || !fs.ValidPath(full) {
		return "", "invalid include path " + diag.Quote(name)
	}
	return full, ""
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
