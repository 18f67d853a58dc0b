package words

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestEnglishComplete: every entry of the English table is set, and each
// format takes the values its doc comment names.
func TestEnglishComplete(t *testing.T) {
	v := reflect.ValueOf(English).Elem()
	for i := 0; i < v.NumField(); i++ {
		name := v.Type().Field(i).Name
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			if f.String() == "" {
				t.Errorf("English.%s is empty", name)
			}
		case reflect.Array:
			for j := 0; j < f.Len(); j++ {
				if f.Index(j).String() == "" {
					t.Errorf("English.%s[%d] is empty", name, j)
				}
			}
		case reflect.Map:
			for _, p := range []string{"a4", "letter", "a5"} {
				if English.Paper(p) == p {
					t.Errorf("English has no name for paper %s", p)
				}
			}
		}
	}
	verbs := map[string]int{"CoverOf": 1, "CoverTitle": 1, "By": 1, "TypesetBy": 1, "TypesetFor": 1, "TypesetOn": 1, "SetIn": 1,
		"CoverDrawn": 1, "FontsEmbedded": 1, "PageNumbersFrom": 1, "PrintEditionOf": 1, "AboutText": 1, "AboutPlan": 1, "PageRef": 1,
		"StudyPlanIntro": 1, "Minutes": 1, "BookletThisFile": 1, "BookletIntro": 4, "BookletOneSig": 1, "BookletSameSigs": 2,
		"BookletMixedSigs": 3, "BookletCreep": 1, "CoverSubtitle": 1, "CoverAuthor": 1, "QRFor": 1, "LinkToPage": 1,
		"WhatsNewIn": 1, "WhatsNewSince": 1, "WordsChanged": 2, "Formerly": 1, "MovedFrom": 1, "InChapter": 1, "FromChapter": 1}
	verb := regexp.MustCompile(`%[sdv]`)
	for i := 0; i < v.NumField(); i++ {
		name := v.Type().Field(i).Name
		if f := v.Field(i); f.Kind() == reflect.String {
			if got := len(verb.FindAllString(f.String(), -1)); got != verbs[name] {
				t.Errorf("English.%s takes %d values, want %d: %q", name, got, verbs[name], f.String())
			}
		}
	}
	if got := Count(1, "sheet", "sheets") + ", " + Count(3, "sheet", "sheets"); got != "1 sheet, 3 sheets" {
		t.Errorf("Count: %q", got)
	}
}

// TestNoWordsElsewhere: the packages that set the books' pages print no
// words of their own: a string literal of the layout engine, the PDF's
// design and editions, or the EPUB that reads as text (a capitalised word,
// or two words) is a diagnostic, an error, markup or one of the few
// listed here with their reason. A word added to a book outside the
// table fails here.
func TestNoWordsElsewhere(t *testing.T) {
	allowed := map[string]string{
		"blog post":  "a vague link text recognised in the source (edition.vague), not printed",
		"paper here": "the same", "post here": "the same", "video here": "the same",
		"EPUB Accessibility 1.1 - WCAG 2.1 Level AA": "the conformance statement, spelt as EPUB Accessibility 1.1 requires",
		"/* Embedded fonts:":                         "a comment in the EPUB's stylesheet",
		"Mono":                                       "a font family's name in the stylesheet",
		"Mono\", monospace; }":                       "the same",
	}
	text := regexp.MustCompile(`(^|[^A-Za-z%])([A-Z][a-z]{2,}|[a-z]{3,} [a-z]{3,})`)
	// Diagnostics and errors are for the maintainer; NewNode and Open
	// take a structure type of PDF ("Figure", "Caption"), not text.
	quiet := map[string]bool{"Errorf": true, "Warnf": true, "Infof": true, "New": true, "panic": true, "Fatalf": true, "NewNode": true, "Open": true}
	for _, dir := range []string{"../../pdf/layout", "../../pdf/design", "../../pdf/edition", "../../epub"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		if len(files) == 0 {
			t.Fatalf("no Go files in %s", dir)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.ImportSpec:
					return false
				case *ast.CallExpr:
					name := ""
					switch fn := n.Fun.(type) {
					case *ast.SelectorExpr:
						name = fn.Sel.Name
					case *ast.Ident:
						name = fn.Name
					}
					if quiet[name] {
						return false
					}
				case *ast.BasicLit:
					if n.Kind != token.STRING {
						return true
					}
					s, err := strconv.Unquote(n.Value)
					if err != nil {
						return true
					}
					// Markup: what is inside tags (or a tag the literal
					// leaves open) is not text.
					plain := markup.ReplaceAllString(s, " ")
					if m := text.FindStringSubmatch(plain); m != nil {
						if _, ok := allowed[strings.TrimSpace(s)]; !ok {
							t.Errorf("%s: %q prints words outside package words", fset.Position(n.Pos()), clip(s))
						}
					}
				}
				return true
			})
		}
	}
}

// markup matches tags, a tag left open at the end of a literal, and
// entities.
var markup = regexp.MustCompile(`<[^>]*>?|&[a-z]+;`)

// clip shortens s for a message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return fmt.Sprint(s)
}
