// Package epubcheck runs the W3C EPUB validator, epubcheck, over a batch
// of books in one Java VM, for the tests of every package that writes
// EPUBs. Starting a VM and loading epubcheck's schemas costs about ten
// seconds of CPU and validating a book one to three, so a test collects
// its books and checks them together rather than one VM per book.
//
// It runs Debian's /usr/share/java/epubcheck.jar (package epubcheck) with
// Java's source launcher on EpubcheckBatch.java; a Java runtime without
// the compiler that launcher needs gets one `java -jar epubcheck.jar` per
// book instead.
package epubcheck

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Jar is where Debian's epubcheck package puts the validator.
const Jar = "/usr/share/java/epubcheck.jar"

//go:embed EpubcheckBatch.java
var batchSource []byte

// Message is one finding of epubcheck.
type Message struct {
	ID       string // "RSC-005"
	Severity string // "FATAL", "ERROR", "WARNING", "USAGE", "INFO"
	Text     string
	Path     string // the entry of the container, with its line and column
	Line     int
	Col      int
}

// String is the message as a test reports it.
func (m Message) String() string {
	loc := ""
	if m.Path != "" {
		loc = fmt.Sprintf("%s:%d:%d: ", m.Path, m.Line, m.Col)
	}
	return fmt.Sprintf("%s %s: %s%s", m.Severity, m.ID, loc, m.Text)
}

// Report is epubcheck's verdict on one book.
type Report struct {
	Messages                 []Message
	Fatals, Errors, Warnings int
}

// Problems returns the fatal errors, errors and warnings.
func (r Report) Problems() []Message {
	var out []Message
	for _, m := range r.Messages {
		switch m.Severity {
		case "FATAL", "ERROR", "WARNING":
			out = append(out, m)
		}
	}
	return out
}

// report is what Run reads of epubcheck's JSON report.
type report struct {
	Messages []struct {
		ID        string `json:"ID"`
		Severity  string `json:"severity"`
		Message   string `json:"message"`
		Locations []struct {
			Path   string `json:"path"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"locations"`
	} `json:"messages"`
	Checker struct {
		NFatal   int `json:"nFatal"`
		NError   int `json:"nError"`
		NWarning int `json:"nWarning"`
	} `json:"checker"`
}

// ErrMissing is returned by Run where Java or the epubcheck jar is not
// installed.
var ErrMissing = errors.New("epubcheck is not installed (apt-get install epubcheck default-jre-headless)")

// jvmFlags are the Java VM's options for a short run: the quick compiler
// only and the serial collector, which halve the CPU time epubcheck takes
// over a batch of small books (7.7 s rather than 17 s over 11) and make
// it less of a load beside other tests.
func jvmFlags() []string { return []string{"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"} }

// Run validates every file (an .epub path) and returns each one's report,
// in one Java VM when it can. work is a directory for the launcher's
// source file; the JSON reports are written beside the books.
func Run(work string, files []string) (map[string]Report, error) {
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, ErrMissing
	}
	if _, err := os.Stat(Jar); err != nil {
		return nil, ErrMissing
	}
	out := map[string]Report{}
	if len(files) == 0 {
		return out, nil
	}
	src := filepath.Join(work, "EpubcheckBatch.java")
	if err := os.WriteFile(src, batchSource, 0o644); err != nil {
		return nil, err
	}
	batched := exec.Command(java, append(append(jvmFlags(), "-cp", Jar, src), files...)...).Run() == nil
	for _, file := range files {
		var data []byte
		if batched {
			if data, err = os.ReadFile(file + ".json"); err != nil {
				return nil, fmt.Errorf("%s: no epubcheck report: %w", file, err)
			}
		} else {
			b, err := exec.Command(java, append(jvmFlags(), "-jar", Jar, "--json", "-", file)...).Output()
			var exit *exec.ExitError
			if err != nil && !errors.As(err, &exit) {
				return nil, fmt.Errorf("epubcheck %s: %w", file, err)
			}
			// The JSON report follows a line or two of plain text.
			i := bytes.Index(b, []byte("\n{"))
			if i < 0 {
				return nil, fmt.Errorf("epubcheck %s printed no report:\n%s", file, b)
			}
			data = b[i+1:]
		}
		var rep report
		if err := json.Unmarshal(data, &rep); err != nil {
			return nil, fmt.Errorf("%s: epubcheck report: %w", file, err)
		}
		r := Report{Fatals: rep.Checker.NFatal, Errors: rep.Checker.NError, Warnings: rep.Checker.NWarning}
		for _, m := range rep.Messages {
			msg := Message{ID: m.ID, Severity: m.Severity, Text: m.Message}
			if len(m.Locations) > 0 {
				l := m.Locations[0]
				msg.Path, msg.Line, msg.Col = l.Path, l.Line, l.Column
			}
			r.Messages = append(r.Messages, msg)
		}
		out[file] = r
	}
	return out, nil
}

// Check runs Run on files and fails tb for every fatal error, error or
// warning, naming the book. It skips tb under -short, and where epubcheck
// is missing, but fails it then under CI=true, where every validator must
// run.
func Check(tb testing.TB, files ...string) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("-short: skips epubcheck")
	}
	reports, err := Run(tb.TempDir(), files)
	if errors.Is(err, ErrMissing) {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%v; CI=true requires every validator", err)
		}
		tb.Skip(err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	for _, file := range files {
		r := reports[file]
		for _, m := range r.Problems() {
			tb.Errorf("%s: epubcheck %s", filepath.Base(file), m)
		}
		if n := r.Fatals + r.Errors + r.Warnings; n > 0 {
			tb.Errorf("%s: epubcheck: %d fatal / %d errors / %d warnings", filepath.Base(file), r.Fatals, r.Errors, r.Warnings)
		}
	}
}
