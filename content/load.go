package content

import (
	"bytes"
	"fmt"
	"io/fs"
	"unicode/utf8"

	"github.com/genai-handbook/handbook/content/diag"
)

// Default limits, used when the corresponding Options field is zero.
const (
	DefaultMaxIncludeDepth       = 32      // Options.MaxIncludeDepth
	DefaultMaxFileSize     int64 = 8 << 20 // Options.MaxFileSize
	DefaultMaxTotalSize    int64 = 8 << 20 // Options.MaxTotalSize
)

// maxExpansions bounds the number of include tags expanded in one Load, so
// that a few small files including each other many times (without a
// cycle) cannot make Load run for an exponential time.
const maxExpansions = 1 << 16

// The fixed names in the source root.
const (
	configFile  = "_config.yml"
	indexFile   = "index.md"
	includesDir = "_includes"
)

// loader holds the state of one Load.
type loader struct {
	fsys  fs.FS
	opt   Options
	src   *Source
	diags diag.Diagnostics
	seen  map[string]bool // diagnostics already reported, by String()

	incCache map[string]incEntry // by "_includes/name", cleaned
	byReal   map[string]int32    // file index by resolved path

	pieces []piece // Text to be, in order
	size   int     // total length of pieces

	stack      []frame
	expansions int
	stopped    bool // a global limit was hit: expand nothing more
}

// incEntry is the cached outcome of reading an include file: a file
// index (-1 when unusable) and the read result to report again at every
// tag naming it.
type incEntry struct {
	file int32
	res  readResult
}

// frame is one level of the include stack.
type frame struct {
	file int32    // index into src.files
	tag  diag.Pos // the include tag that included this file; zero for index.md
	name string   // the name in that tag
}

// Load reads the handbook rooted at fsys: _config.yml (optional), index.md
// with its front matter, and every {% include %} under _includes/,
// recursively, expanding the supported Liquid (see the package
// documentation) into s.Text.
//
// Load always returns a non-nil Source, complete as far as the input
// allowed, and the problems found, in the order found; a problem never
// stops the rest of the loading, and the text of an erroneous tag is
// dropped. When index.md is missing, Text is empty and the diagnostics
// hold an error. A problem inside a file included several times is
// reported once.
//
// Load never reads a file through a symlink that leaves the root: it
// resolves symlinks itself, only when fsys implements fs.ReadLinkFS, and
// only to targets inside the root; any other symlink is refused unread.
// A file reached through a symlink is named, in Files and in positions,
// by its resolved path.
func Load(fsys fs.FS, opt Options) (*Source, diag.Diagnostics) {
	if opt.MaxIncludeDepth <= 0 {
		opt.MaxIncludeDepth = DefaultMaxIncludeDepth
	}
	if opt.MaxFileSize <= 0 {
		opt.MaxFileSize = DefaultMaxFileSize
	}
	if opt.MaxTotalSize <= 0 {
		opt.MaxTotalSize = DefaultMaxTotalSize
	}
	l := &loader{
		fsys:     fsys,
		opt:      opt,
		src:      &Source{FS: fsys},
		seen:     make(map[string]bool),
		incCache: make(map[string]incEntry),
		byReal:   make(map[string]int32),
	}
	if fsys == nil {
		l.errorf(diag.Pos{File: indexFile}, "no index.md in the source root")
		return l.src, l.diags
	}
	if f := l.readRoot(configFile, true); f != nil {
		l.parseConfig(f)
	}
	f := l.readRoot(indexFile, false)
	if f == nil {
		return l.src, l.diags
	}
	body := l.frontMatter(f)
	fi := l.byReal[f.path]
	l.stack = append(l.stack, frame{file: fi})
	l.expand(ctx{file: fi, f: f}, body)
	l.build()
	return l.src, l.diags
}

// report appends d unless an identical diagnostic was already reported
// (a file included several times reports its problems once).
func (l *loader) report(d diag.Diagnostic) {
	k := d.String()
	if l.seen[k] {
		return
	}
	l.seen[k] = true
	l.diags = append(l.diags, d)
}

func (l *loader) errorf(pos diag.Pos, format string, args ...any) {
	l.report(diag.Diagnostic{Pos: pos, Severity: diag.Error, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) warnf(pos diag.Pos, format string, args ...any) {
	l.report(diag.Diagnostic{Pos: pos, Severity: diag.Warning, Msg: fmt.Sprintf(format, args...)})
}

// readRoot reads a file of the source root. It returns nil, after
// reporting why, when the file cannot be used; a missing optional file is
// silently nil.
func (l *loader) readRoot(name string, optional bool) *srcFile {
	res := readFile(l.fsys, name, l.opt.MaxFileSize, l.byReal)
	at := diag.Pos{File: name}
	switch res.kind {
	case readOK:
		return l.addFile(res)
	case readNotFound:
		if !optional {
			l.errorf(at, "no %s in the source root", name)
		}
	case readNotRegular:
		l.errorf(at, "not a regular file")
	case readOutside:
		l.errorf(at, "refused: symlink %s points outside the source root", diag.Quote(res.link))
	case readUnresolvable:
		l.errorf(at, "refused: cannot resolve symlink %s", diag.Quote(res.link))
	case readLoop:
		l.errorf(at, "refused: too many levels of symlinks at %s", diag.Quote(res.link))
	case readTooBig:
		l.errorf(at, "file is larger than the limit of %d bytes", l.opt.MaxFileSize)
	default:
		l.errorf(at, "cannot read file: %v", res.err)
	}
	return nil
}

// addFile registers a file that was read successfully, or returns the one
// already registered under the same resolved path. It returns nil when
// the file is not valid UTF-8, after reporting the first bad byte.
func (l *loader) addFile(res readResult) *srcFile {
	if i, ok := l.byReal[res.real]; ok {
		f := l.src.files[i]
		if !f.ok {
			return nil
		}
		return f
	}
	f := newSrcFile(res.real, res.data)
	l.byReal[res.real] = int32(len(l.src.files))
	l.src.files = append(l.src.files, f)
	l.src.Files = append(l.src.Files, res.real)
	if bad := firstInvalidUTF8(f.data); bad >= 0 {
		l.errorf(f.pos(bad), "invalid UTF-8")
		return nil
	}
	for _, c := range f.controls {
		what := fmt.Sprintf("control character U+%04X", c.char)
		if c.count > 1 {
			what = fmt.Sprintf("%d control characters (the first U+%04X)", c.count, c.char)
		}
		l.warnf(c.pos, "%s removed: a book cannot show it", what)
	}
	if more := f.controlLines - len(f.controls); more > 0 {
		l.warnf(f.controls[len(f.controls)-1].pos, "control characters removed from %d more lines of this file", more)
	}
	f.ok = true
	return f
}

// firstInvalidUTF8 returns the offset of the first byte of b that is not
// part of valid UTF-8, or -1.
func firstInvalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// frontMatter parses the front matter of index.md, if any, and returns the
// offset where the body starts.
func (l *loader) frontMatter(f *srcFile) int {
	d := f.data
	end, ok := fenceLine(d, 0, false)
	if !ok {
		l.warnf(f.pos(0), "index.md has no front matter; Jekyll would copy it verbatim without expanding Liquid")
		return 0
	}
	for p := end; p < len(d); {
		if e, ok := fenceLine(d, p, true); ok {
			l.parseFrontMatter(f, d[end:p], 2)
			return e
		}
		nl := bytes.IndexByte(d[p:], '\n')
		if nl < 0 {
			break
		}
		p += nl + 1
	}
	l.errorf(f.pos(0), "front matter is not closed: no \"---\" line after the opening one")
	return 0
}

// fenceLine reports whether the line of d starting at p is a front matter
// fence ("---", or also "..." when closing is set, optionally followed by
// spaces or tabs) and returns the offset just after it.
func fenceLine(d []byte, p int, closing bool) (int, bool) {
	if len(d)-p < 3 {
		return 0, false
	}
	s := string(d[p : p+3])
	if s != "---" && !(closing && s == "...") {
		return 0, false
	}
	i := p + 3
	for i < len(d) && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	if i == len(d) {
		return i, closing // an opening fence must be followed by a line
	}
	if d[i] != '\n' {
		return 0, false
	}
	return i + 1, true
}
