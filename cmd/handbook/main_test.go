package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes files (path → content) under a new temp dir.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCmd(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestCheckBundledExample(t *testing.T) {
	code, out, errOut := runCmd("check")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "using the bundled example handbook") {
		t.Errorf("stderr does not say the bundled example is used: %q", errOut)
	}
	for _, want := range []string{"1 introduction + 3 parts, 10 numbered chapters", "9 of 9 internal resolved", "0 errors, 0 warnings"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

const goodIndex = "---\ntitle: t\n---\n<h1 id=\"intro\">Intro</h1>\n\n<h2>One</h2>\n\n[bad](#nowhere)\n"

func TestCheckExitCodes(t *testing.T) {
	warn := writeTree(t, map[string]string{"index.md": goodIndex})
	bad := writeTree(t, map[string]string{"index.md": "---\ntitle: t\n---\n{% include missing.md %}\n"})
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"check", "--source", warn}, 0, "index.md:8:1: warning: link \"bad\" points to the unknown anchor \"#nowhere\": the book shows its text without a link\n"},
		{[]string{"check", "--strict", "--source", warn}, 1, "1 warning"},
		{[]string{"check", "--source", bad}, 1, "index.md:4:1: error: "},
		{[]string{"check", "--source", filepath.Join(warn, "nope")}, 2, ""},
		{[]string{"check", "--frobnicate"}, 2, ""},
		{[]string{"check", "--format", "yaml"}, 2, ""},
		{[]string{"nosuchcommand"}, 2, ""},
	} {
		code, out, errOut := runCmd(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("%v: exit %d, want %d; stdout:\n%s\nstderr:\n%s", tc.args, code, tc.code, out, errOut)
		}
	}
}

func TestCheckJSON(t *testing.T) {
	dir := writeTree(t, map[string]string{"index.md": goodIndex})
	code, out, _ := runCmd("check", "--format", "json", "--source", dir)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var got struct {
		Diagnostics []struct {
			File, Severity, Message string
			Line, Col               int
		}
		Warnings int
		Stats    struct{ Chapters int }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(got.Diagnostics) != 1 || got.Diagnostics[0].File != "index.md" || got.Diagnostics[0].Line != 8 ||
		got.Diagnostics[0].Severity != "warning" || got.Warnings != 1 || got.Stats.Chapters != 1 {
		t.Errorf("unexpected JSON: %+v", got)
	}
}

func TestDump(t *testing.T) {
	code, out, _ := runCmd("dump")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"part 1 #s1 Section I", "summary Goal: ", `chapter h2 #preliminaries "Chapter 1: Preliminaries"`} {
		if !strings.Contains(out, want) {
			t.Errorf("dump lacks %q", want)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCmd("version")
	if code != 0 || !strings.HasPrefix(out, "handbook v") {
		t.Errorf("version: %d %q", code, out)
	}
}
