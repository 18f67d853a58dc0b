package hyphen

import (
	"bytes"
	"fmt"
	"slices"
	"unicode"
	"unicode/utf8"
)

// SyntaxError is the error Parse returns for malformed input. Line is the
// 1-based line of data where the problem was found.
type SyntaxError struct {
	Line int
	Msg  string
}

// Error formats the error as "hyphen: line N: message".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("hyphen: line %d: %s", e.Line, e.Msg)
}

// isLetter reports whether r may appear in a word: a Unicode letter, or a
// combining mark (so that decomposed accents belong to their word).
func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r|0x20 && r|0x20 <= 'z'
	}
	return unicode.IsLetter(r) || unicode.IsMark(r)
}

// lower is the case folding used for patterns, exceptions and words alike.
func lower(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// pattern is one parsed pattern: its characters (lower-cased letters and
// the boundary '.') and the digits in the len(chars)+1 gaps around them.
type pattern struct {
	chars  []rune
	digits []uint8
	line   int
}

// parser holds the state of one Parse call.
type parser struct {
	data []byte
	pos  int
	line int

	patterns   []pattern
	exceptions map[string][]int

	// The patterns' chars and digits are slices of these, to save
	// allocations.
	runes  []rune
	digits []uint8
}

func (ps *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Line: ps.line, Msg: fmt.Sprintf(format, args...)}
}

// Parse reads a TeX pattern file: \patterns{...} and \hyphenation{...}
// groups separated by white space, with % comments to the end of a line
// and letters in UTF-8. There may be several groups of each kind; there
// must be at least one group.
//
// A pattern is letters with at most one digit (0-9) in each gap between
// or around them, and '.' as its first or last letter to anchor it to a
// word's start or end, as in Liang's thesis and TeX. An exception is a
// word with '-' at each allowed point. Letters are lower-cased (Unicode
// simple case mapping); a letter is any Unicode letter or combining mark.
//
// Parse returns a *SyntaxError for malformed input: text or commands
// other than those groups, an unclosed or nested group, an unknown
// character, two digits in a row, a misplaced '.', a pattern without
// letters, the same pattern twice (as TeX refuses), an exception with an
// empty fragment ("a--b", "-ab"), invalid UTF-8. A later exception for
// the same word replaces an earlier one, as in TeX.
//
// The result uses DefaultOptions; see WithOptions.
func Parse(data []byte) (*Patterns, error) {
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:validPrefix(data)], []byte("\n"))
		return nil, &SyntaxError{Line: line, Msg: "invalid UTF-8"}
	}
	ps := &parser{data: data, line: 1, exceptions: map[string][]int{}}
	if err := ps.parse(); err != nil {
		return nil, err
	}
	t, err := compile(ps.patterns, ps.exceptions)
	if err != nil {
		return nil, err
	}
	return &Patterns{t: t, left: DefaultLeftMin, right: DefaultRightMin}, nil
}

func validPrefix(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// skipSpace skips white space and comments.
func (ps *parser) skipSpace() {
	for ps.pos < len(ps.data) {
		c := ps.data[ps.pos]
		switch {
		case c == '\n':
			ps.line++
			ps.pos++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			ps.pos++
		case c == '%':
			for ps.pos < len(ps.data) && ps.data[ps.pos] != '\n' {
				ps.pos++
			}
		default:
			r, n := utf8.DecodeRune(ps.data[ps.pos:])
			if !unicode.IsSpace(r) {
				return
			}
			ps.pos += n
		}
	}
}

func (ps *parser) parse() error {
	groups := 0
	for {
		ps.skipSpace()
		if ps.pos == len(ps.data) {
			break
		}
		if ps.data[ps.pos] != '\\' {
			r, _ := utf8.DecodeRune(ps.data[ps.pos:])
			return ps.errorf("unexpected %q outside \\patterns{} and \\hyphenation{}", r)
		}
		start := ps.pos + 1
		end := start
		for end < len(ps.data) && ('a' <= ps.data[end]|0x20 && ps.data[end]|0x20 <= 'z') {
			end++
		}
		name := string(ps.data[start:end])
		ps.pos = end
		if name != "patterns" && name != "hyphenation" {
			if name == "" {
				return ps.errorf("stray backslash")
			}
			return ps.errorf("unsupported command \\%s (only \\patterns{} and \\hyphenation{})", name)
		}
		ps.skipSpace()
		if ps.pos == len(ps.data) || ps.data[ps.pos] != '{' {
			return ps.errorf("\\%s not followed by {", name)
		}
		ps.pos++
		if err := ps.group(name == "patterns"); err != nil {
			return err
		}
		groups++
	}
	if groups == 0 {
		return ps.errorf("no \\patterns{} or \\hyphenation{} group")
	}
	return nil
}

// group reads the words of a group up to and including its closing brace.
func (ps *parser) group(patterns bool) error {
	open := ps.line
	for {
		ps.skipSpace()
		if ps.pos == len(ps.data) {
			ps.line = open
			return ps.errorf("unclosed group")
		}
		switch ps.data[ps.pos] {
		case '}':
			ps.pos++
			return nil
		case '{':
			return ps.errorf("nested {")
		case '\\':
			return ps.errorf("command inside a group")
		}
		start := ps.pos
		for ps.pos < len(ps.data) {
			r, n := utf8.DecodeRune(ps.data[ps.pos:])
			if unicode.IsSpace(r) || r == '%' || r == '{' || r == '}' || r == '\\' {
				break
			}
			ps.pos += n
		}
		word := ps.data[start:ps.pos]
		var err error
		if patterns {
			err = ps.pattern(word)
		} else {
			err = ps.exception(word)
		}
		if err != nil {
			return err
		}
	}
}

// pattern parses one pattern such as ".ach4" or "4z1z2".
func (ps *parser) pattern(s []byte) error {
	p := pattern{line: ps.line}
	digit := false // a digit was read for the current gap
	r0, d0 := len(ps.runes), len(ps.digits)
	ps.digits = append(ps.digits, 0)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRune(s[i:])
		i += n
		switch {
		case '0' <= r && r <= '9':
			if digit {
				return ps.errorf("pattern %q: two digits in a row", s)
			}
			digit = true
			ps.digits[len(ps.digits)-1] = uint8(r - '0')
		case r == '.' || isLetter(r):
			ps.runes = append(ps.runes, lower(r))
			ps.digits = append(ps.digits, 0)
			digit = false
		default:
			return ps.errorf("pattern %q: unexpected %q", s, r)
		}
	}
	p.chars = ps.runes[r0:len(ps.runes):len(ps.runes)]
	p.digits = ps.digits[d0:len(ps.digits):len(ps.digits)]
	letters := 0
	for i, r := range p.chars {
		if r == '.' {
			if i != 0 && i != len(p.chars)-1 {
				return ps.errorf("pattern %q: '.' inside a pattern", s)
			}
			continue
		}
		letters++
	}
	if letters == 0 {
		return ps.errorf("pattern %q has no letters", s)
	}
	ps.patterns = append(ps.patterns, p)
	return nil
}

// exception parses one exception such as "ta-ble".
func (ps *parser) exception(s []byte) error {
	var word []byte
	var points []int
	n := 0
	hyphen := true // at the start, as after a hyphen: a leading '-' is empty
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRune(s[i:])
		i += size
		switch {
		case r == '-':
			if hyphen {
				return ps.errorf("exception %q: empty fragment", s)
			}
			hyphen = true
			points = append(points, n)
		case isLetter(r):
			word = utf8.AppendRune(word, lower(r))
			n++
			hyphen = false
		default:
			return ps.errorf("exception %q: unexpected %q", s, r)
		}
	}
	if hyphen {
		return ps.errorf("exception %q: empty fragment", s)
	}
	ps.exceptions[string(word)] = slices.Clip(points)
	return nil
}
