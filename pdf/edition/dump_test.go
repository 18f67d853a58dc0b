package edition

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/genai-handbook/handbook/pdf/internal/testbook"
)

var update = flag.Bool("update", false, "rewrite the golden dumps in testdata/")

// TestDumpGolden compares the dump of the fixture book's layout, on every
// paper and in both editions, with the golden files in testdata/. Run
// with -update after an intended change, and read the diff.
func TestDumpGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		opt  Options
	}{
		{"fixture-a4", Options{Paper: "a4"}},
		{"fixture-letter", Options{Paper: "letter"}},
		{"fixture-a5", Options{Paper: "a5"}},
		{"fixture-print-a4", Options{Paper: "a4", Print: true, Duplex: true}},
	} {
		lay := layoutOf(t, testbook.Fixture(), c.opt)
		var got bytes.Buffer
		if err := lay.Dump(&got); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", c.name+".dump")
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s: dump differs from %s (run with -update and read the diff)\n%s", c.name, path, firstDiff(got.String(), string(want)))
		}
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := bytes.Split([]byte(got), []byte("\n")), bytes.Split([]byte(want), []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b []byte
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if !bytes.Equal(a, b) {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, a, b)
		}
	}
	return ""
}
