package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostileHead starts every hostile source: a version line, an
// introduction and one chapter.
const hostileHead = "---\ntitle: T\n---\nA B \\\n[v0.1](https://example.com) (June 5, 2024)\n\n<h1 id=\"intro\">Intro</h1>\n\n<h2>One</h2>\n\n"

// hostileCase is a source within the tool's limits (8 MiB a file and in
// all) that once took minutes or gigabytes (issue 26, case 4).
type hostileCase struct {
	name  string
	cmd   string // the command the issue found at fault: check or build
	files map[string]string
	exit  int
	want  string // in the command's output
}

func hostileCases() []hostileCase {
	words := []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "lambda"}
	var para strings.Builder
	for i := 0; para.Len() < 7_200_000; i++ {
		para.WriteString(words[(i*7+i/3)%len(words)])
		para.WriteByte(' ')
	}
	big := strings.Repeat("A line of an include that is pulled in again and again.\n", 7_000_000/57)
	var inc31 strings.Builder
	inc31.WriteString(hostileHead)
	for i := 0; i < 31; i++ {
		inc31.WriteString("{% include big.md %}\n")
	}
	return []hostileCase{
		{name: "word-1MB", cmd: "check", files: map[string]string{"index.md": hostileHead + strings.Repeat("x", 1<<20) + "\n"},
			want: "is wider than a line: it is broken between characters"},
		{name: "word-7MB", cmd: "build", files: map[string]string{"index.md": hostileHead + strings.Repeat("x", 7_000_000) + "\n"},
			want: "is wider than a line: it is broken between characters"},
		{name: "quotes-100000-deep", cmd: "build", files: map[string]string{"index.md": hostileHead + strings.Repeat("> ", 100_000) + "deep\n"},
			want: "nested more than 100 deep"},
		{name: "paragraph-7MB", cmd: "build", files: map[string]string{"index.md": hostileHead + para.String() + "\n"}},
		{name: "emphasis-100000-deep", cmd: "build", files: map[string]string{"index.md": hostileHead + strings.Repeat("*a ", 100_000) + "x" + strings.Repeat(" a*", 100_000) + "\n"},
			want: "nested more than 32 deep"},
		{name: "include-8MB-31-times", cmd: "build", exit: 1, files: map[string]string{"index.md": inc31.String(), "_includes/big.md": big},
			want: "expanded text is larger than the limit of 8388608 bytes"},
	}
}

// maxRSS is the most memory a build of anything within the source limits
// may take.
const maxRSS = 1 << 30

// TestHostileResources runs the command (check or build) that each hostile
// source once defeated, as a process, and holds it to the bounds: no more than 1 GiB of memory (the process's
// peak resident set), and no hang (a build that runs past a minute on a
// busy machine is killed and fails the test; the CPU times are logged,
// and the closing note of issue 26 quotes wall times on a quiet machine). Linear time
// is checked by counting work in the packages' own tests; this test
// checks what a user would see. The same constructs, smaller, are in
// TestBadInput, whose books pass epubcheck and qpdf.
func TestHostileResources(t *testing.T) {
	notShort(t, "building sources of several megabytes")
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			src := filepath.Join(root, "src")
			for name, data := range c.files {
				p := filepath.Join(src, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := []string{c.cmd, src}
			if c.cmd == "build" {
				args = append(args, "-o", filepath.Join(root, "out"))
			}
			// A minute on a busy machine: a hang, not a slow run.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := handbookCmd(t, args...)
			cmd = exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
			cmd.Env = append(os.Environ(), asMeasure+"=1")
			// A hang kills the build with its measuring parent: they
			// are a process group of their own.
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("%s hung: killed after a minute", args[0])
			}
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != c.exit {
				t.Errorf("%s: exit %d, want %d\n%s", args[0], code, c.exit, tail(string(out), 2000))
			}
			if !strings.Contains(string(out), c.want) {
				t.Errorf("%s: output lacks %q:\n%s", args[0], c.want, tail(string(out), 2000))
			}
			// The build's own peak, as its parent measured it (see
			// measure).
			i := bytes.LastIndex(out, []byte("\nmaxrss "))
			if i < 0 {
				t.Fatalf("no maxrss line in the output:\n%s", tail(string(out), 2000))
			}
			kib, err := strconv.ParseInt(strings.TrimSpace(string(out[i+len("\nmaxrss "):])), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			out = out[:i]
			rss := kib << 10
			ps := cmd.ProcessState
			t.Logf("%s: %v of CPU, %d MiB", args[0], (ps.UserTime() + ps.SystemTime()).Round(10*time.Millisecond), rss>>20)
			if rss > maxRSS {
				t.Errorf("%s took %d MiB, more than %d MiB", args[0], rss>>20, maxRSS>>20)
			}
		})
	}
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
