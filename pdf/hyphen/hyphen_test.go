package hyphen

import (
	"bufio"
	"errors"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// show writes word with '-' at each of p's points.
func show(p *Patterns, word string) string {
	var b strings.Builder
	last := 0
	for _, o := range p.Hyphenate(word) {
		b.WriteString(word[last:o])
		b.WriteByte('-')
		last = o
	}
	b.WriteString(word[last:])
	return b.String()
}

func mustParse(t testing.TB, src string) *Patterns {
	t.Helper()
	p, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return p
}

var loose = Options{LeftMin: 1, RightMin: 1}

func TestKnownWords(t *testing.T) {
	en := ForLanguage("en")
	for _, want := range []string{
		// The examples of the issue; each is what TeX itself prints
		// (testdata/tex-en-us.txt has these and a thousand more).
		"hy-phen-ation",
		"al-go-rithm",
		"com-puter", // "put-er" would leave 2 letters
		"trans-former",
		"prob-a-bil-ity",
		"su-per-vised",
		"gen-er-a-tive",
		"learn-ing",
		"in-for-ma-tion",
		"op-ti-miza-tion",
		"net-work",
		"em-bed-ding",
		// From the exception list.
		"ta-ble",
		"project",
		"projects",
		"present",
		"as-so-ciate",
		"ref-or-ma-tion",
		// The patterns' known bug, faithfully reproduced.
		"de-mo-c-rat",
		// Too short for any point under 2 and 3.
		"about",
		"data",
		"oboe",
	} {
		word := strings.ReplaceAll(want, "-", "")
		if got := show(en, word); got != want {
			t.Errorf("%s: got %s, want %s", word, got, want)
		}
	}
}

// TestMatchesTeX compares with TeX's own output for the words of
// testdata/tex-en-us.txt (see its header for how it was made).
func TestMatchesTeX(t *testing.T) {
	words := texWords(t)
	if len(words) < 1000 {
		t.Fatalf("only %d words in testdata/tex-en-us.txt", len(words))
	}
	en := ForLanguage("en-US")
	for _, want := range words {
		word := strings.ReplaceAll(want, "-", "")
		if got := show(en, word); got != want {
			t.Errorf("%s: got %s, TeX %s", word, got, want)
		}
	}
}

func texWords(t testing.TB) []string {
	f, err := os.Open("testdata/tex-en-us.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var words []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			words = append(words, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return words
}

// TestEveryException checks each word of the bundled file's
// \hyphenation{} list, read here independently of Parse.
func TestEveryException(t *testing.T) {
	src := string(enUS)
	i := strings.Index(src, `\hyphenation{`)
	if i < 0 {
		t.Fatal(`no \hyphenation{ in hyph-en-us.tex`)
	}
	body, _, ok := strings.Cut(src[i+len(`\hyphenation{`):], "}")
	if !ok {
		t.Fatal(`unclosed \hyphenation{`)
	}
	var exceptions []string
	for _, line := range strings.Split(body, "\n") {
		line, _, _ = strings.Cut(line, "%")
		exceptions = append(exceptions, strings.Fields(line)...)
	}
	if len(exceptions) != 14 {
		t.Errorf("%d exceptions, want the 14 of hyphen.tex: %q", len(exceptions), exceptions)
	}

	// Without the list, the patterns alone: at least some exceptions
	// must differ from them, or this test would prove nothing.
	patternsOnly := mustParse(t, src[:i]).WithOptions(loose)
	en := ForLanguage("en")
	enLoose := en.WithOptions(loose)
	differ := 0
	for _, e := range exceptions {
		word := strings.ReplaceAll(e, "-", "")
		// Every point, with the minimums at 1.
		if got := show(enLoose, word); got != e {
			t.Errorf("%s with minimums 1: got %s, want the exception %s", word, got, e)
		}
		if show(patternsOnly, word) != e {
			differ++
		}
		// With the default minimums: the exception's points that
		// leave 2 letters before and 3 after.
		var want []int
		letters := 0
		for _, r := range e {
			if r == '-' {
				if letters >= 2 && len(word)-letters >= 3 {
					want = append(want, letters)
				}
				continue
			}
			letters++
		}
		for _, w := range []string{word, strings.ToUpper(word), strings.ToUpper(word[:1]) + word[1:]} {
			if got := en.Hyphenate(w); !slices.Equal(got, want) {
				t.Errorf("%s: got %v, want %v (from %s)", w, got, want, e)
			}
		}
	}
	if differ < 10 {
		t.Errorf("only %d of %d exceptions differ from the patterns", differ, len(exceptions))
	}
	// Two of them by name: the noun, not the verb.
	for word, want := range map[string]string{"project": "pro-ject", "present": "pre-sent"} {
		if got := show(patternsOnly.WithOptions(Options{}), word); got != want {
			t.Errorf("patterns alone: %s: got %s, want %s", word, got, want)
		}
		if got := show(en, word); got != word {
			t.Errorf("with the exception: %s: got %s, want no point", word, got)
		}
	}
}

func TestMinimums(t *testing.T) {
	en := ForLanguage("")
	if got := en.Options(); got != DefaultOptions() || got != (Options{LeftMin: 2, RightMin: 3}) {
		t.Errorf("Options() = %+v, want 2 and 3", got)
	}
	for _, tc := range []struct {
		o    Options
		word string
		want string
	}{
		{Options{}, "hyphenation", "hy-phen-ation"},
		{Options{LeftMin: 3}, "hyphenation", "hyphen-ation"},
		{Options{RightMin: 6}, "hyphenation", "hy-phenation"},
		{Options{LeftMin: 7, RightMin: 5}, "hyphenation", "hyphenation"},
		{loose, "ended", "end-ed"},
		{Options{}, "ended", "ended"},
		// An exception: minimums of 1 do not add the patterns' last
		// point, oblig-a-to-ry.
		{loose, "obligatory", "oblig-a-tory"},
		{Options{LeftMin: -5, RightMin: -1}, "ended", "end-ed"}, // below 1 acts as 1
	} {
		if got := show(en.WithOptions(tc.o), tc.word); got != tc.want {
			t.Errorf("%+v %s: got %s, want %s", tc.o, tc.word, got, tc.want)
		}
	}
	if got := en.Options(); got != DefaultOptions() {
		t.Errorf("WithOptions changed the shared patterns: %+v", got)
	}

	// For every word, the points under any minimums are those under
	// minimums of 1 that leave enough letters on each side.
	all := en.WithOptions(loose)
	found := 0
	for _, line := range texWords(t) {
		word := strings.ReplaceAll(line, "-", "")
		n := len(word)
		every := all.Hyphenate(word)
		for _, o := range []Options{{}, {LeftMin: 1, RightMin: 4}, {LeftMin: 3, RightMin: 2}, {LeftMin: 4, RightMin: 4}} {
			p := en.WithOptions(o)
			l, r := p.Options().LeftMin, p.Options().RightMin
			var want []int
			for _, x := range every {
				if x >= l && n-x >= r {
					want = append(want, x)
				}
			}
			got := p.Hyphenate(word)
			if !slices.Equal(got, want) {
				t.Errorf("%+v %s: got %v, want %v", o, word, got, want)
			}
			if len(got) > 0 && (got[0] < l || n-got[len(got)-1] < r) {
				t.Errorf("%+v %s: %v breaks a minimum", o, word, got)
			}
		}
		if len(every) > 0 && (every[0] == 1 || every[len(every)-1] >= n-2) {
			found++
		}
	}
	if found < 50 {
		t.Errorf("only %d words with a point within 1 letter of the start or 2 of the end; the minimums are barely tested", found)
	}
}

func TestCase(t *testing.T) {
	en := ForLanguage("en")
	want := en.Hyphenate("generative")
	if len(want) == 0 {
		t.Fatal("generative: no points")
	}
	for _, w := range []string{"Generative", "GENERATIVE", "gEnErAtIvE"} {
		if got := en.Hyphenate(w); !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", w, got, want)
		}
	}
	if got := show(en, "TABLE"); got != "TA-BLE" {
		t.Errorf("TABLE: got %s", got)
	}
}

func TestNotAWord(t *testing.T) {
	en := ForLanguage("en")
	for _, w := range []string{
		"",
		"don't",
		"don’t",
		"hyphenation's",
		"GPT4",
		"transformer2",
		"co-operation",
		"e.g",
		"hyphenation,",
		"two words",
		" algorithm",
		"algorithm\u00a0",
		"hyphen\u00adation",
		"hyphen\xffation",
		"\xe2\x80",
		"generative\x00",
	} {
		if got := en.Hyphenate(w); got != nil {
			t.Errorf("%q: got %v, want nil", w, got)
		}
		dst := []int{7}
		if got := en.AppendPoints(dst, w); !slices.Equal(got, dst) {
			t.Errorf("AppendPoints(%q): got %v, want %v", w, got, dst)
		}
	}
}

func TestForLanguage(t *testing.T) {
	en := ForLanguage("en")
	if en == nil {
		t.Fatal(`ForLanguage("en") = nil`)
	}
	for _, tag := range []string{"", "en", "EN", "En", "en-US", "en-us", "en_US", "en_us", "en-GB", "en-gb", "en-AU", "en-Latn-US"} {
		if got := ForLanguage(tag); got != en {
			t.Errorf("ForLanguage(%q) = %p, want the English patterns %p", tag, got, en)
		}
	}
	for _, tag := range []string{"de", "de-DE", "fr", "es", "eng", "english", "enx", "-en", "_US", "und", "zh-Hans", " en"} {
		if got := ForLanguage(tag); got != nil {
			t.Errorf("ForLanguage(%q) = %p, want nil", tag, got)
		}
	}
	// nil hyphenates nothing.
	de := ForLanguage("de")
	if got := de.Hyphenate("Silbentrennung"); got != nil {
		t.Errorf("nil patterns: got %v", got)
	}
	if got := de.AppendPoints([]int{1}, "hyphenation"); !slices.Equal(got, []int{1}) {
		t.Errorf("nil patterns: AppendPoints got %v", got)
	}
	if de.WithOptions(loose) != nil {
		t.Error("nil.WithOptions is not nil")
	}
	if de.Options() != DefaultOptions() {
		t.Error("nil.Options is not the default")
	}
	var zero Patterns
	if got := zero.Hyphenate("hyphenation"); got != nil {
		t.Errorf("zero Patterns: got %v", got)
	}
}

// TestLiang checks the example of Liang's thesis (also in The TeXbook,
// appendix H): these nine patterns hyphenate "hyphenation" as
// hy-phen-ation, at the odd maxima of .h0y3p0h0e2n5a4t2i0o2n.
func TestLiang(t *testing.T) {
	p := mustParse(t, `\patterns{hy3ph he2n hena4 hen5at 1na n2at 1tio 2io o2n}`).WithOptions(loose)
	if got := show(p, "hyphenation"); got != "hy-phen-ation" {
		t.Errorf("got %s", got)
	}
	// Without hen5at, 2 (n2at) is the highest digit between n and a.
	p = mustParse(t, `\patterns{hy3ph he2n hena4 1na n2at 1tio 2io o2n}`).WithOptions(loose)
	if got := show(p, "hyphenation"); got != "hy-phenation" {
		t.Errorf("without hen5at: got %s", got)
	}
}

func TestTinyPatterns(t *testing.T) {
	for _, tc := range []struct {
		patterns string
		word     string
		want     string
	}{
		// An odd digit allows a point, everywhere the pattern matches.
		{`a1b`, "abab", "a-ba-b"},
		// An even one forbids it.
		{`a2b`, "abab", "abab"},
		// '.' anchors at the word's start or end.
		{`.a1b`, "abab", "a-bab"},
		{`a1b.`, "abab", "aba-b"},
		{`.a1b.`, "abab", "abab"},
		{`.a1b.`, "ab", "a-b"},
		// The highest digit wins where patterns overlap.
		{`a1b 2b`, "abab", "abab"},
		{`a1b 2b xa3b`, "xabab", "xa-bab"},
		{`a3b 2b xa4b`, "xabab", "xaba-b"},
		{`1b a2b a5ba`, "abab", "a-bab"},
		// Several digits in one pattern, and digits at its edges.
		// Between b and a, 3 (after b) beats 1 (before a).
		{`1a2b3`, "abab", "ab-ab"},
		{`a1b2a3b`, "abab", "a-ba-b"},
		// Zero is no digit.
		{`a0b`, "abab", "abab"},
		// Letters that no pattern has stop a match but not the word.
		{`a1b`, "abzab", "a-bza-b"},
		{`b1z`, "abzab", "ab-zab"},
		// Upper case in patterns and words alike.
		{`A1B`, "aBAb", "a-BA-b"},
	} {
		p := mustParse(t, `\patterns{`+tc.patterns+`}`).WithOptions(loose)
		if got := show(p, tc.word); got != tc.want {
			t.Errorf("%s on %s: got %s, want %s", tc.patterns, tc.word, got, tc.want)
		}
	}
}

func TestParseSyntax(t *testing.T) {
	// Comments, several groups of each kind, white space before a
	// brace, patterns and exceptions on one line.
	src := "% a comment \\patterns{zz}\n" +
		"\\patterns { % just type <return>\n" +
		"  a1b % b1c\n" +
		"}\n" +
		"\\hyphenation{ab-ab}% the last\n" +
		"\\patterns{c1d}\t\\hyphenation{\n  cd-cd\n  ab-abab}\n"
	p := mustParse(t, src).WithOptions(loose)
	for word, want := range map[string]string{
		"abab":   "ab-ab",   // exception
		"ababab": "ab-abab", // exception
		"abcd":   "a-bc-d",  // patterns; b1c was a comment
		"cdcd":   "cd-cd",   // exception of the second group
		"zz":     "zz",      // commented out
		"abc":    "a-bc",    // no exception for this one
	} {
		if got := show(p, word); got != want {
			t.Errorf("%s: got %s, want %s", word, got, want)
		}
	}

	// A later exception for the same word replaces an earlier one.
	p = mustParse(t, `\hyphenation{abc-def ab-cdef}`).WithOptions(loose)
	if got := show(p, "abcdef"); got != "ab-cdef" {
		t.Errorf("repeated exception: got %s", got)
	}
	// Only exceptions is fine; so is an empty group.
	p = mustParse(t, `\patterns{}\hyphenation{ta-ble}`)
	if got := show(p, "table"); got != "ta-ble" {
		t.Errorf("exceptions only: got %s", got)
	}
	if got := show(p, "tables"); got != "tables" {
		t.Errorf("exceptions only: tables: got %s", got)
	}
}

func TestParseUnicode(t *testing.T) {
	p := mustParse(t, "\\patterns{ä1ö 1ß e\u03011t}\n\\hyphenation{Über-see}").WithOptions(loose)
	for _, tc := range []struct {
		word string
		want []int
	}{
		{"xäöx", []int{3}},
		{"XÄÖX", []int{3}},
		{"Straße", []int{4}},
		{"STRAẞE", []int{4}}, // capital sharp s lower-cases to ß
		{"cafe\u0301teria", []int{6}},
		{"übersee", []int{5}},
		{"ÜBERSEE", []int{5}},
	} {
		if got := p.Hyphenate(tc.word); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.word, got, tc.want)
		}
	}
	// Offsets are in the word as given, even where lower-casing
	// changes a letter's length: U+0130 (2 bytes) lower-cases to 'i',
	// U+212A KELVIN SIGN (3 bytes) to 'k'.
	p = mustParse(t, `\patterns{i1k}`).WithOptions(loose)
	for _, tc := range []struct {
		word string
		want []int
	}{
		{"aik", []int{2}},
		{"aİk", []int{3}},
		{"aİ\u212a", []int{3}},
		{"\u212aİ\u212aİ\u212a", []int{5, 10}},
	} {
		if got := p.Hyphenate(tc.word); !slices.Equal(got, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.word, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		src  string
		line int
		msg  string
	}{
		{"", 1, "no \\patterns{} or \\hyphenation{} group"},
		{"% only a comment\n", 2, "no \\patterns{}"},
		{"\\patterns{a1b", 1, "unclosed group"},
		{"\\patterns{\na1b\n", 1, "unclosed group"},
		{"\\patterns a1b}", 1, "not followed by {"},
		{"\\patterns", 1, "not followed by {"},
		{"\\relax", 1, "unsupported command \\relax"},
		{"\\patterns{a1b}\n\\message{hi}", 2, "unsupported command \\message"},
		{"\\", 1, "stray backslash"},
		{"\\{}", 1, "stray backslash"},
		{"a1b", 1, "unexpected 'a' outside"},
		{"\\patterns{a1b}}", 1, "unexpected '}' outside"},
		{"\\patterns{{a1b}}", 1, "nested {"},
		{"\\patterns{a1b \\relax}", 1, "command inside a group"},
		{"\\patterns{\n\na12b}", 3, "two digits in a row"},
		{"\\patterns{a.b}", 1, "'.' inside a pattern"},
		{"\\patterns{..a}", 1, "'.' inside a pattern"},
		{"\\patterns{1.2}", 1, "has no letters"},
		{"\\patterns{12}", 1, "two digits in a row"},
		{"\\patterns{5}", 1, "has no letters"},
		{"\\patterns{a-b}", 1, "unexpected '-'"},
		{"\\patterns{a'b}", 1, "unexpected '\\''"},
		{"\\patterns{a^^e9b}", 1, "unexpected '^'"},
		{"\\patterns{a1b\nb1c\na1b}", 3, "duplicate pattern \"ab\" (first on line 1)"},
		{"\\patterns{a1b\nA2B}", 2, "duplicate pattern \"ab\" (first on line 1)"},
		{"\\patterns{1b b2}", 1, "duplicate pattern \"b\""},
		{"\\hyphenation{a--b}", 1, "empty fragment"},
		{"\\hyphenation{-ab}", 1, "empty fragment"},
		{"\\hyphenation{ab-}", 1, "empty fragment"},
		{"\\hyphenation{-}", 1, "empty fragment"},
		{"\\hyphenation{a1b}", 1, "unexpected '1'"},
		{"\\hyphenation{don't}", 1, "unexpected '\\''"},
		{"\\patterns{a1b}\n\\patterns{a\xffb}", 2, "invalid UTF-8"},
		{"\\patterns{" + strings.Repeat("a", maxPatternLen+1) + "}", 1, "more than"},
	} {
		p, err := Parse([]byte(tc.src))
		if err == nil {
			t.Errorf("Parse(%q): no error", tc.src)
			continue
		}
		if p != nil {
			t.Errorf("Parse(%q): non-nil patterns with an error", tc.src)
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q): %T %v, want *SyntaxError", tc.src, err, err)
			continue
		}
		if se.Line != tc.line || !strings.Contains(se.Msg, tc.msg) {
			t.Errorf("Parse(%q): line %d %q, want line %d with %q", tc.src, se.Line, se.Msg, tc.line, tc.msg)
		}
		if !strings.HasPrefix(err.Error(), "hyphen: line ") {
			t.Errorf("Parse(%q): error %q", tc.src, err)
		}
	}
}

// reference is Liang's algorithm done the obvious way: a map from each
// pattern's letters to its digits, looked up for every substring of the
// dotted word. It reads the patterns with its own code.
type reference struct {
	patterns   map[string][]int
	exceptions map[string][]int
}

func newReference(t *testing.T, src string) *reference {
	r := &reference{patterns: map[string][]int{}, exceptions: map[string][]int{}}
	var kind string
	for _, line := range strings.Split(src, "\n") {
		line, _, _ = strings.Cut(line, "%")
		for _, f := range strings.Fields(line) {
			switch {
			case f == `\patterns{`:
				kind = "p"
				continue
			case f == `\hyphenation{`:
				kind = "h"
				continue
			case f == "}":
				kind = ""
				continue
			}
			switch kind {
			case "p":
				var letters []rune
				digits := []int{0}
				for _, c := range f {
					if c >= '0' && c <= '9' {
						digits[len(digits)-1] = int(c - '0')
					} else {
						letters = append(letters, c)
						digits = append(digits, 0)
					}
				}
				r.patterns[string(letters)] = digits
			case "h":
				var points []int
				n := 0
				for _, c := range f {
					if c == '-' {
						points = append(points, n)
					} else {
						n++
					}
				}
				r.exceptions[strings.ReplaceAll(f, "-", "")] = points
			default:
				t.Fatalf("reference: %q outside a group", f)
			}
		}
	}
	return r
}

// points returns the points as letter counts, for a lower-case ASCII word.
func (r *reference) points(word string, left, right int) []int {
	n := len(word)
	keep := func(all []int) []int {
		var out []int
		for _, l := range all {
			if l >= left && n-l >= right {
				out = append(out, l)
			}
		}
		return out
	}
	if e, ok := r.exceptions[word]; ok {
		return keep(e)
	}
	dotted := "." + word + "."
	vals := make([]int, len(dotted)+1)
	for i := range dotted {
		for j := i + 1; j <= len(dotted); j++ {
			if d, ok := r.patterns[dotted[i:j]]; ok {
				for k, v := range d {
					vals[i+k] = max(vals[i+k], v)
				}
			}
		}
	}
	var all []int
	for l := 1; l < n; l++ {
		if vals[l+1]%2 == 1 {
			all = append(all, l)
		}
	}
	return keep(all)
}

// TestReference compares the trie with the reference on the TeX words,
// the exceptions, long words and random strings.
func TestReference(t *testing.T) {
	ref := newReference(t, string(enUS))
	if len(ref.patterns) < 4900 || len(ref.exceptions) != 14 {
		t.Fatalf("reference read %d patterns, %d exceptions", len(ref.patterns), len(ref.exceptions))
	}
	var words []string
	for _, w := range texWords(t) {
		words = append(words, strings.ReplaceAll(w, "-", ""))
	}
	for w := range ref.exceptions {
		words = append(words, w, w+"s", "un"+w)
	}
	words = append(words,
		strings.Repeat("hyphenation", 10), // 110 letters: past the stack buffers
		strings.Repeat("supercalifragilisticexpialidocious", 3),
		"pneumonoultramicroscopicsilicovolcanoconiosis",
	)
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "abcdefghijklmnopqrstuvwxyzeeaaiioo"
	for range 3000 {
		b := make([]byte, 1+rng.IntN(20))
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		words = append(words, string(b))
	}
	en := ForLanguage("en")
	for _, o := range []Options{{}, loose, {LeftMin: 3, RightMin: 2}} {
		p := en.WithOptions(o)
		for _, w := range words {
			want := ref.points(w, p.Options().LeftMin, p.Options().RightMin)
			got := p.Hyphenate(w)
			if !slices.Equal(got, want) {
				t.Errorf("%+v %s: got %v, reference %v", o, w, got, want)
			}
		}
	}
}

func TestAppendPoints(t *testing.T) {
	en := ForLanguage("en")
	dst := []int{-1}
	got := en.AppendPoints(dst, "hyphenation")
	if want := []int{-1, 2, 6}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := en.Hyphenate("hyphenation"); !slices.Equal(got, []int{2, 6}) {
		t.Errorf("Hyphenate: got %v", got)
	}
	if got := en.Hyphenate("project"); got != nil {
		t.Errorf("no points: got %#v, want nil", got)
	}

	buf := make([]int, 0, 16)
	for _, w := range []string{"hyphenation", "algorithm", "table", "Generative", "probability", "cat", strings.Repeat("ab", 32)} {
		if n := testing.AllocsPerRun(100, func() { buf = en.AppendPoints(buf[:0], w) }); n != 0 {
			t.Errorf("%s: %v allocations per call", w, n)
		}
	}
}

func TestConcurrent(t *testing.T) {
	want := texWords(t)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			en := ForLanguage([]string{"en", "en-US", "", "en_GB"}[g%4])
			for _, w := range want {
				if got := show(en, strings.ReplaceAll(w, "-", "")); got != w {
					errs <- got + " != " + w
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestOffsetsAreRuneBoundaries(t *testing.T) {
	p := mustParse(t, `\patterns{1a 1é 1ω}`).WithOptions(loose)
	for _, w := range []string{"bababa", "béébéé", "ωωωωω", "aéωaéω"} {
		pts := p.Hyphenate(w)
		if len(pts) == 0 {
			t.Errorf("%s: no points", w)
		}
		prev := 0
		for _, o := range pts {
			if o <= prev || o >= len(w) || !utf8.RuneStart(w[o]) {
				t.Errorf("%s: bad offsets %v", w, pts)
			}
			prev = o
		}
	}
}

// eightLetters are typical words of the handbook, eight letters each.
var eightLetters = []string{"computer", "training", "learning", "generate", "networks", "Features", "sequence", "gradient"}

func BenchmarkHyphenate(b *testing.B) {
	en := ForLanguage("en")
	buf := make([]int, 0, 16)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf = en.AppendPoints(buf[:0], eightLetters[i%len(eightLetters)])
	}
}

// BenchmarkHyphenateBook is one pass over the words of
// testdata/tex-en-us.txt, a thousand words of five letters or more.
func BenchmarkHyphenateBook(b *testing.B) {
	en := ForLanguage("en")
	var words []string
	for _, w := range texWords(b) {
		words = append(words, strings.ReplaceAll(w, "-", ""))
	}
	buf := make([]int, 0, 16)
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range words {
			buf = en.AppendPoints(buf[:0], w)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(words)), "ns/word")
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(enUS)))
	for b.Loop() {
		if _, err := Parse(enUS); err != nil {
			b.Fatal(err)
		}
	}
}
