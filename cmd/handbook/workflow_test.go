package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type workflow struct {
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
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
// runs on v* tags and names the commands the release needs.
func TestHandbookReleaseWorkflow(t *testing.T) {
	w, runs := readWorkflow(t, "docs/handbook-repo/.github/workflows/release.yml")
	if tags(t, w) != "v*" {
		t.Errorf("not triggered by v* tags")
	}
	for _, want := range []string{
		"actions/checkout@",
		"go install github.com/genai-handbook/handbook/cmd/handbook@",
		"handbook check --strict",
		"handbook build",
		"SOURCE_DATE_EPOCH",
		"sha256sum -c SHA256SUMS",
		"gh release",
	} {
		if !strings.Contains(runs, want) {
			t.Errorf("release workflow lacks %q", want)
		}
	}
}

// TestToolWorkflows: this repository tests on every push and publishes
// binaries on tags.
func TestToolWorkflows(t *testing.T) {
	w, runs := readWorkflow(t, ".github/workflows/test.yml")
	if _, ok := w.On["push"]; !ok || !strings.Contains(runs, "bash .ci/run") {
		t.Errorf("test workflow does not run .ci/run on push")
	}
	w, runs = readWorkflow(t, ".github/workflows/release.yml")
	if tags(t, w) != "v*" || !strings.Contains(runs, "go build") || !strings.Contains(runs, "main.version=") || !strings.Contains(runs, "gh release create") {
		t.Errorf("release workflow incomplete:\n%s", runs)
	}
}
