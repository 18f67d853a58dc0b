// Command testsum reads `go test -json` on stdin and prints what `go test`
// prints (a line per package, the output of failed tests and of build
// failures), then, as the run's last lines, every skipped test and why,
// grouped by reason. It exits 1 when a package failed, and, under CI=true,
// when a test was skipped because a validator is not installed: CI must
// never pass without running one.
//
// Usage: go test -json ./... | go run ./.ci/testsum
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action     string
	Package    string
	ImportPath string // build-output and build-fail events
	Test       string
	Elapsed    float64
	Output     string
}

// module is dropped from package paths in the report.
const module = "github.com/genai-handbook/handbook/"

// shortReason is the one line that stands for every test -short skips.
const shortReason = "-short: the validators (epubcheck, qpdf, poppler, zbar) and the whole builds of the real handbook are skipped; make test runs them"

// logPrefix is the "file_test.go:12: " that t.Skip puts before its message.
var logPrefix = regexp.MustCompile(`^\s*[\w.-]+\.go:\d+: `)

// missingTool matches a skip message that blames a missing program.
var missingTool = regexp.MustCompile(`(?i)\bnot installed\b|\bnot found in \$PATH\b`)

func main() {
	os.Exit(summarize(os.Stdin, os.Stdout, os.Getenv("CI") == "true"))
}

func summarize(r io.Reader, w io.Writer, ci bool) int {
	type key struct{ pkg, test string }
	output := map[key]*strings.Builder{}
	skipped := map[string][]string{} // reason → "pkg Test"
	failedPkgs := 0
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Fprintln(w, sc.Text()) // not JSON: go's own message
			continue
		}
		pkg := strings.TrimPrefix(e.Package, module)
		k := key{e.Package, e.Test}
		switch e.Action {
		case "build-output":
			fmt.Fprint(w, e.Output)
		case "output":
			b := output[k]
			if b == nil {
				b = &strings.Builder{}
				output[k] = b
			}
			b.WriteString(e.Output)
		case "skip":
			if e.Test == "" {
				fmt.Fprintf(w, "?   \t%s\t[no test files]\n", e.Package)
				continue
			}
			reason := skipReason(output[k])
			if strings.HasPrefix(reason, "-short") {
				// One line for them all: which validator or build each
				// test skips is in its source.
				reason = shortReason
			}
			skipped[reason] = append(skipped[reason], pkg+" "+e.Test)
			delete(output, k)
		case "pass":
			if e.Test == "" {
				fmt.Fprintf(w, "ok  \t%s\t%.3fs\n", e.Package, e.Elapsed)
			}
			delete(output, k)
		case "fail":
			if e.Test != "" {
				if b := output[k]; b != nil {
					for _, line := range strings.SplitAfter(b.String(), "\n") {
						if !strings.HasPrefix(line, "=== ") {
							fmt.Fprint(w, line)
						}
					}
				}
				delete(output, k)
				continue
			}
			failedPkgs++
			// Tests of the package that never ended: the package's
			// binary died while they ran (a timeout's panic, a crash, a
			// fatal error in another goroutine). Their output is the
			// story: the panic names the running tests and dumps every
			// goroutine, among them the test that hung.
			var unfinished []string
			for ok := range output {
				if ok.pkg == e.Package && ok.test != "" {
					unfinished = append(unfinished, ok.test)
				}
			}
			sort.Strings(unfinished)
			for _, test := range unfinished {
				fmt.Fprintf(w, "--- UNFINISHED: %s (the package failed while it ran; its last output:)\n", test)
				printTail(w, output[key{e.Package, test}].String())
				delete(output, key{e.Package, test})
			}
			if b := output[k]; b != nil {
				printTail(w, b.String())
			}
			delete(output, k)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(w, "testsum: %v\n", err)
		return 1
	}
	code := 0
	if failedPkgs > 0 {
		code = 1
	}
	if n := countAll(skipped); n > 0 {
		reasons := make([]string, 0, len(skipped))
		for r := range skipped {
			reasons = append(reasons, r)
		}
		sort.Strings(reasons)
		fmt.Fprintf(w, "\nskipped %d %s:\n", n, plural(n, "test"))
		for _, r := range reasons {
			tests := skipped[r]
			sort.Strings(tests)
			list := tests
			more := ""
			if len(list) > 5 {
				list, more = list[:5], fmt.Sprintf(" and %d more", len(tests)-5)
			}
			fmt.Fprintf(w, "  %s\n      %s%s\n", r, strings.Join(list, ", "), more)
			if ci && missingTool.MatchString(r) {
				fmt.Fprintf(w, "      FAIL: CI=true requires every validator\n")
				code = 1
			}
		}
	}
	if code == 0 {
		fmt.Fprintln(w, "PASS")
	} else {
		fmt.Fprintln(w, "FAIL")
	}
	return code
}

// maxTail is the most lines printTail prints of one output: a timeout's
// goroutine dump can run to thousands, and the test that hung is named in
// its first lines.
const maxTail = 400

// printTail prints out without the "=== RUN" lines, keeping its first
// and last lines when it is longer than maxTail.
func printTail(w io.Writer, out string) {
	var lines []string
	for _, line := range strings.SplitAfter(out, "\n") {
		if line != "" && !strings.HasPrefix(line, "=== ") {
			lines = append(lines, line)
		}
	}
	if len(lines) > maxTail {
		head := lines[:maxTail/2]
		tail := lines[len(lines)-maxTail/2:]
		lines = append(append(head, fmt.Sprintf("\t… %d lines left out …\n", len(lines)-maxTail)), tail...)
	}
	for _, line := range lines {
		fmt.Fprint(w, line)
	}
}

// skipReason is the message of a skipped test's t.Skip, without the
// "=== RUN" and "--- SKIP" lines and the file:line prefix.
func skipReason(b *strings.Builder) string {
	if b == nil {
		return "(no reason given)"
	}
	var lines []string
	for _, line := range strings.Split(b.String(), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		lines = append(lines, logPrefix.ReplaceAllString(line, ""))
	}
	if len(lines) == 0 {
		return "(no reason given)"
	}
	return strings.Join(lines, " ")
}

func countAll(m map[string][]string) int {
	n := 0
	for _, v := range m {
		n += len(v)
	}
	return n
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
