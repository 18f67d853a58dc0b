package main

import (
	"encoding/json"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestCheckBundledExample(t *testing.T) {
	code, out, errOut := runCmd("check", "--example")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
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
		{[]string{"check", warn}, 0, "index.md:8:1: warning: link \"bad\" points to the unknown anchor \"#nowhere\": the book shows its text without a link\n"},
		{[]string{"check", "--strict", warn}, 1, "1 warning"},
		{[]string{"check", "--source", bad}, 1, "index.md:4:1: error: "},
		{[]string{"check", filepath.Join(warn, "nope")}, 2, ""},
		{[]string{"check", warn, "--source", bad}, 2, ""},
		{[]string{"check", warn, "--example"}, 2, ""},
		{[]string{"check", warn, bad}, 2, ""},
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

// TestNoHandbookHint: without a source directory, outside a handbook and
// without --example, every command that reads a handbook exits 2 and
// says how to name one, instead of quietly using the bundled example.
func TestNoHandbookHint(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, name := range []string{"build", "check", "dump", "watch", "clean --source"} {
		code, out, errOut := runCmd(strings.Fields(name)[0])
		// watch has no --example, so its hint does not offer it.
		if code != 2 || !strings.Contains(errOut, "no handbook here") || !strings.Contains(errOut, "handbook "+name+" ../genai-handbook.github.io") ||
			strings.Contains(errOut, "--example") == (name == "watch") || strings.Contains(errOut, "--help") {
			t.Errorf("%s: exit %d; stdout %q; stderr:\n%s", name, code, out, errOut)
		}
	}
	if entries, _ := filepath.Glob("*"); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

func TestCheckJSON(t *testing.T) {
	dir := writeTree(t, map[string]string{"index.md": goodIndex})
	code, out, _ := runCmd("check", "--format", "json", dir)
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

// TestCheckGitHubAnnotations: --format github writes each diagnostic as
// a workflow command, escaped as GitHub wants, besides the text report.
func TestCheckGitHubAnnotations(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"index.md":       "---\ntitle: t\n---\n<h1 id=\"intro\">Intro</h1>\n\n<h2>One</h2>\n\n[bad](#nowhere)\n\n{% include a.md %}\n",
		"_includes/a.md": "[100%](#also-nowhere)\n",
	})
	code, out, errOut := runCmd("check", "--format", "github", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"::warning file=_includes/a.md,line=1,col=1::link \"100%25\" points to the unknown anchor \"#also-nowhere\"",
		"::warning file=index.md,line=8,col=1::link \"bad\" points to the unknown anchor \"#nowhere\"",
		"index.md:8:1: warning: link \"bad\" points to the unknown anchor \"#nowhere\": the book shows its text without a link\n",
		"0 errors, 2 warnings\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "::warning "); n != 2 {
		t.Errorf("%d annotations, want 2:\n%s", n, out)
	}
}

func TestDump(t *testing.T) {
	code, out, _ := runCmd("dump", "--example")
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
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := runCmd(args...)
		if code != 0 || !strings.HasPrefix(out, "handbook ") || strings.Count(out, "\n") != 1 {
			t.Errorf("%v: %d %q", args, code, out)
		}
	}
	old := version
	defer func() { version = old }()
	version = "v7.7.7"
	if code, out, _ := runCmd("version"); code != 0 || out != "handbook v7.7.7\n" {
		t.Errorf("stamped version: %d %q", code, out)
	}
}

// TestDescribeVersion: the version shown for each way the binary can be
// built.
func TestDescribeVersion(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "50d45c3915102128c0bce8d6410ad287e9426e1a"
	for _, tc := range []struct {
		name    string
		stamped string
		bi      *debug.BuildInfo
		want    string
	}{
		{"release binary", "v1.2.3", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "v1.2.3"},
		{"go install @v1.2.3", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{"go install @latest, untagged", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20251130103600-50d45c391510"}}, "v0.0.0-20251130103600-50d45c391510"},
		{"checkout, dirty", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20251130103600-50d45c391510+dirty"}, Settings: vcs(rev, "true")}, "devel (50d45c391510, dirty)"},
		{"checkout, clean, untagged", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.1.1-0.20251130103600-50d45c391510"}, Settings: vcs(rev, "false")}, "devel (50d45c391510)"},
		{"checkout at a tag", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.2.0"}, Settings: vcs(rev, "false")}, "v0.2.0 (50d45c391510)"},
		{"older go, checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true")}, "devel (50d45c391510, dirty)"},
		{"go test, no VCS", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
		{"no build info", "", nil, "devel"},
	} {
		if got := describeVersion(tc.stamped, tc.bi); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
