package compile

import (
	"bytes"
	"encoding/base64"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/content/example"
)

var update = flag.Bool("update", false, "rewrite golden files")

// txtarFS turns an archive into a source tree. Files named "want.*" are
// expectations, not sources; "X.b64" is stored base64-decoded as X.
func txtarFS(t testing.TB, ar *txtar.Archive) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "want.") {
			continue
		}
		data := f.Data
		name := f.Name
		if strings.HasSuffix(name, ".b64") {
			dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(data)))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			data, name = dec, strings.TrimSuffix(name, ".b64")
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// render is what a golden case compares: diagnostics, then the dump. A
// book must pass tree.Check first.
func render(t testing.TB, bk *tree.Book, diags diag.Diagnostics) []byte {
	t.Helper()
	if bk != nil {
		if err := tree.Check(bk); err != nil {
			t.Errorf("tree.Check: %v", err)
		}
	}
	var buf bytes.Buffer
	buf.WriteString("== diagnostics\n")
	for _, d := range diags {
		buf.WriteString(d.String() + "\n")
	}
	buf.WriteString("== tree\n")
	if bk == nil {
		buf.WriteString("(none)\n")
	} else if err := tree.Dump(&buf, bk); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCases compiles each testdata/cases/*.txtar source tree and compares
// diagnostics and tree dump with the archive's "want" file (rewritten by
// -update).
func TestCases(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.txtar")
	if len(files) == 0 {
		t.Fatal("no cases")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			bk, diags := Load(txtarFS(t, ar), Options{})
			got := render(t, bk, diags)
			var want []byte
			wi := -1
			for i, f := range ar.Files {
				if f.Name == "want" {
					want, wi = f.Data, i
				}
			}
			if *update {
				if wi < 0 {
					ar.Files = append(ar.Files, txtar.File{Name: "want"})
					wi = len(ar.Files) - 1
				}
				ar.Files[wi].Data = got
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if !bytes.Equal(got, want) {
				t.Errorf("mismatch (run go test -update to accept)\n--- got\n%s\n--- want\n%s", got, want)
			}
		})
	}
}

// TestExampleGolden pins the bundled example's whole tree.
func TestExampleGolden(t *testing.T) {
	bk, diags := Load(example.FS, Options{})
	if len(diags) != 0 {
		t.Fatalf("the bundled example must compile cleanly, got:\n%v", diags)
	}
	got := render(t, bk, diags)
	golden := "testdata/example.golden"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("example tree changed (run go test -update to accept); got:\n%s", got)
	}
}
