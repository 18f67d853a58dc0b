package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/genai-handbook/handbook/content/example"
)

type step struct {
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	Dir  string            `yaml:"working-directory"`
	Env  map[string]string `yaml:"env"`
	With map[string]string `yaml:"with"`
}

type workflow struct {
	On   map[string]any    `yaml:"on"`
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		Needs string `yaml:"needs"`
		Steps []step `yaml:"steps"`
	} `yaml:"jobs"`
}

func readWorkflow(t *testing.T, path string) (workflow, string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", path))
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatalf("%s does not parse: %v", path, err)
	}
	var runs strings.Builder
	for _, j := range w.Jobs {
		for _, s := range j.Steps {
			runs.WriteString(s.Uses + "\n" + s.Run + "\n")
		}
	}
	return w, runs.String()
}

func tags(t *testing.T, w workflow) string {
	push, _ := w.On["push"].(map[string]any)
	tl, _ := push["tags"].([]any)
	if len(tl) != 1 {
		t.Fatalf("on.push.tags = %v", push["tags"])
	}
	return tl[0].(string)
}

// TestHandbookReleaseWorkflow: the workflow for the handbook's repository
// runs on v* tags and names the commands the release needs; --strict is
// offered in a comment, not imposed.
func TestHandbookReleaseWorkflow(t *testing.T) {
	const path = "docs/handbook-repo/.github/workflows/release.yml"
	w, runs := readWorkflow(t, path)
	if tags(t, w) != "v*" {
		t.Errorf("not triggered by v* tags")
	}
	for _, want := range []string{
		"actions/checkout@",
		"go install github.com/genai-handbook/handbook/cmd/handbook@",
		"handbook check --format github .",
		"handbook build . -o dist",
		"SOURCE_DATE_EPOCH",
		"sha256sum -c SHA256SUMS",
		"gh release",
		"--notes-file dist/CHANGES.md",
	} {
		if !strings.Contains(runs, want) {
			t.Errorf("release workflow lacks %q", want)
		}
	}
	if strings.Contains(runs, "--strict") {
		t.Errorf("--strict in a step: the release would fail on the handbook's warnings")
	}
	data, _ := os.ReadFile(filepath.Join("..", "..", path))
	// The earlier release's tag, which "What's new" compares with, is in
	// the whole history only.
	if !regexp.MustCompile(`(?m)^\s*fetch-depth: 0\b`).Match(data) {
		t.Errorf("the checkout is not the whole history (fetch-depth: 0)")
	}
	if !regexp.MustCompile(`(?m)^\s*#.*handbook check --strict`).Match(data) {
		t.Errorf("--strict is not shown as an option in a comment")
	}
}

// TestHandbookReleaseWorkflowRuns runs the steps of the handbook's release
// workflow, from the check to the checksums, as GitHub would (bash -eo
// pipefail, the step's directory and environment), with this handbook
// command on PATH: on a copy of the real handbook in the full suite, of
// the bundled example under -short. Every step passes, and the check
// writes one annotation per warning.
func TestHandbookReleaseWorkflowRuns(t *testing.T) {
	bash := needTool(t, "bash", "bash")
	w, _ := readWorkflow(t, "docs/handbook-repo/.github/workflows/release.yml")
	src := filepath.Join(t.TempDir(), "handbook")
	if dir := realHandbook(); dir != "" && !testing.Short() {
		copyTree(t, os.DirFS(dir), src)
	} else {
		copyTree(t, example.FS, src)
		// A warning, so that there is an annotation to see.
		f, _ := os.OpenFile(filepath.Join(src, "index.md"), os.O_APPEND|os.O_WRONLY, 0)
		f.WriteString("\nA [link](#nowhere) to nowhere.\n")
		f.Close()
	}
	bin := t.TempDir()
	exe, _ := os.Executable()
	if err := os.Symlink(exe, filepath.Join(bin, "handbook")); err != nil {
		t.Skip(err)
	}
	ran := 0
	var check string
	for _, s := range w.Jobs["books"].Steps {
		if s.Run == "" || strings.Contains(s.Run, "go install") || strings.Contains(s.Run, "gh release") {
			continue // these need the network and GitHub
		}
		cmd := exec.Command(bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", s.Run)
		cmd.Dir = filepath.Join(src, s.Dir)
		cmd.Env = append(os.Environ(), asMain+"=1", "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "GITHUB_REF_NAME=v0.1", "CI=true", "GITHUB_ACTIONS=true")
		for k, v := range w.Env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		for k, v := range s.Env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("step %q: %v\n%s", s.Name, err, out)
		}
		if strings.Contains(s.Run, "handbook check") {
			check = string(out)
		}
		ran++
	}
	if ran != 3 {
		t.Errorf("ran %d steps, want 3 (check, build, verify)", ran)
	}
	// The release set: the EPUB, the Kobo edition and the PDFs, each
	// in SHA256SUMS.
	sums, _ := os.ReadFile(filepath.Join(src, "dist", "SHA256SUMS"))
	for _, ext := range []string{".kepub.epub", "[0-9].epub", "-print.pdf", "[0-9].pdf"} {
		m, _ := filepath.Glob(filepath.Join(src, "dist", "*"+ext))
		if len(m) != 1 || !strings.Contains(string(sums), "  "+filepath.Base(m[0])+"\n") {
			t.Errorf("the release set lacks the book *%s, or SHA256SUMS does: %v\n%s", ext, m, sums)
		}
	}
	m := regexp.MustCompile(`(\d+) errors?, (\d+) warnings?`).FindStringSubmatch(check)
	if m == nil {
		t.Fatalf("check printed no summary:\n%s", check)
	}
	annotations := len(regexp.MustCompile(`(?m)^::warning file=[^,]+,line=\d+,col=\d+::`).FindAllString(check, -1))
	if warnings, _ := strconv.Atoi(m[2]); annotations != warnings {
		t.Errorf("%d warnings but %d annotations:\n%s", warnings, annotations, check)
	}
	t.Logf("check: %s, %d annotations", m[0], annotations)
}

// TestToolWorkflows: this repository tests on every push with .ci/run, and
// publishes binaries for three systems and two architectures, stamped with
// the tag, with SHA256SUMS, on its own tags.
func TestToolWorkflows(t *testing.T) {
	w, runs := readWorkflow(t, ".github/workflows/test.yml")
	if _, ok := w.On["push"]; !ok || !strings.Contains(runs, ".ci/run") {
		t.Errorf("test workflow does not run .ci/run on push")
	}
	w, runs = readWorkflow(t, ".github/workflows/release.yml")
	if tags(t, w) != "v*" || w.Jobs["binaries"].Needs != "test" {
		t.Errorf("release workflow: not on v* tags, or not after the tests")
	}
	for _, want := range []string{
		"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64",
		"go build", "-X main.version=${GITHUB_REF_NAME}", "sha256sum handbook-* > SHA256SUMS", "gh release create",
	} {
		if !strings.Contains(runs, want) {
			t.Errorf("release workflow lacks %q", want)
		}
	}
}

// TestCIRunScript runs .ci/run with stand-ins for id, sudo, apt-get and
// make: as a user it installs the missing packages through sudo -n, as
// root directly, and then runs make test.
func TestCIRunScript(t *testing.T) {
	bash := needTool(t, "bash", "bash")
	for _, uid := range []string{"1001", "0"} {
		bin := t.TempDir()
		log := filepath.Join(bin, "log")
		fake := func(name, body string) {
			os.WriteFile(filepath.Join(bin, name), []byte("#!"+bash+"\n"+body+"\n"), 0o755)
		}
		fake("id", `echo `+uid)
		fake("sudo", `echo "sudo $*" >> `+log+`; [ "$1" = -n ] && shift; "$@"`)
		fake("apt-get", `echo "apt-get $*" >> `+log)
		fake("make", `echo "make $*" >> `+log)
		for _, tool := range []string{"env", "dirname"} {
			p, err := exec.LookPath(tool)
			if err != nil {
				t.Skip(err)
			}
			os.Symlink(p, filepath.Join(bin, tool))
		}
		cmd := exec.Command(bash, filepath.Join("..", "..", ".ci", "run"))
		cmd.Env = append(os.Environ(), "PATH="+bin, "TESTFLAGS=-short")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("uid %s: %v\n%s", uid, err, out)
		}
		got, _ := os.ReadFile(log)
		wantSudo := uid != "0"
		if strings.Contains(string(got), "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install") != wantSudo ||
			!strings.Contains(string(got), "apt-get install -y -qq --no-install-recommends") ||
			!strings.Contains(string(got), "qpdf") ||
			!strings.HasSuffix(string(got), "make test TESTFLAGS=-short\n") {
			t.Errorf("uid %s:\n%s", uid, got)
		}
	}
}
