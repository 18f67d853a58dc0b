package main

import (
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/content"
	"github.com/genai-handbook/handbook/content/example"
	"github.com/genai-handbook/handbook/content/synth"
	"github.com/genai-handbook/handbook/epub"
	"github.com/genai-handbook/handbook/pdf"
)

// benchSource is a handbook on disk for the benchmarks.
type benchSource struct {
	size string // "example", "handbook", "synth1x", …
	dir  string
}

// benchSources lays out the bundled example, the real handbook (when
// present) and synthetic handbooks of the sizes in BENCH_SIZES (default
// "1,10,50") as directories.
func benchSources(b *testing.B) []benchSource {
	root := b.TempDir()
	write := func(name string, fsys fs.FS) benchSource {
		dir := filepath.Join(root, name)
		fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
				return nil
			}
			data, _ := fs.ReadFile(fsys, p)
			dst := filepath.Join(dir, filepath.FromSlash(p))
			os.MkdirAll(filepath.Dir(dst), 0o755)
			return os.WriteFile(dst, data, 0o644)
		})
		return benchSource{size: name, dir: dir}
	}
	srcs := []benchSource{write("example", example.FS)}
	if dir := realHandbook(); dir != "" {
		srcs = append(srcs, benchSource{size: "handbook", dir: dir})
	}
	sizes := os.Getenv("BENCH_SIZES")
	if sizes == "" {
		sizes = "1,10,50"
	}
	for _, n := range strings.Split(sizes, ",") {
		k := 0
		for _, c := range strings.TrimSpace(n) {
			k = k*10 + int(c-'0')
		}
		if k > 0 {
			srcs = append(srcs, write("synth"+strings.TrimSpace(n)+"x", synth.Generate(k)))
		}
	}
	return srcs
}

// cpuTime returns the CPU time this process has used, every thread's.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs f b.N times and reports, besides the wall time, the CPU time
// per run (the targets are in CPU time: on two cores a stage may take
// less wall time than CPU time).
func loop(b *testing.B, f func()) {
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		f()
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// process runs the handbook binary with args (b.N times) and reports its
// CPU time and peak RSS. The peak is GNU time's (/usr/bin/time) when it
// is installed: the rusage of a child this process starts is not the
// child's alone, since Go starts it with vfork, so that exec carries
// this process's own peak (hundreds of megabytes after the in-process
// stages on a large book) into the child's. Without GNU time the figure
// is that upper bound, reported as "peak-RSS-bound-MiB".
func process(b *testing.B, bin string, args ...string) {
	var peak int64
	var cpu time.Duration
	gnuTime, err := exec.LookPath("/usr/bin/time")
	rssFile := filepath.Join(b.TempDir(), "rss")
	for b.Loop() {
		name, argv := bin, args
		if err == nil {
			name, argv = gnuTime, append([]string{"-f", "%M", "-o", rssFile, bin}, args...)
		}
		cmd := exec.Command(name, argv...)
		cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1717545600")
		if o, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, o)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		kib := int64(0)
		if err == nil {
			data, _ := os.ReadFile(rssFile)
			kib, _ = strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
		} else if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			kib = ru.Maxrss // KiB on Linux
		}
		peak = max(peak, kib)
	}
	b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	if err == nil {
		b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
	} else {
		b.ReportMetric(float64(peak)/1024, "peak-RSS-bound-MiB")
	}
}

// BenchmarkStages measures each stage on each source size, named
// stage=…/size=… so that `benchstat -col /size` prints a stage × size
// table: load (includes, Liquid), compile (markdown, lowering, passes),
// epub, pdf (screen A4), print (the print edition, A4), print-vs-screen
// (both, one after the other, and their ratio), print-layout (the
// print edition typeset, not drawn: what an EPUB-only build adds for its
// page numbers), each in this process with its CPU time; then as processes, with CPU time and peak
// RSS: check (`handbook check`), epub-only (`build --format epub`, which
// typesets the print edition for its page numbers) and build (the whole
// release set: EPUB, A4 and Letter screen PDFs, the print edition and
// SHA256SUMS). When pandoc is installed, vs-pandoc runs the release set
// and pandoc's EPUB of the same expanded markdown one after the other and
// reports both times and pandoc's time over ours ("pandoc/build", above 1
// when the whole set is faster than pandoc's EPUB alone); for the example
// and the real handbook only.
func BenchmarkStages(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "handbook")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for _, s := range benchSources(b) {
		fsys := os.DirFS(s.dir)
		src, diags := content.Load(fsys, content.Options{})
		if diags.HasErrors() {
			b.Fatalf("%s: %v", s.size, diags)
		}
		bk, _ := compile.Compile(src, compile.Options{})
		b.Run("stage=load/size="+s.size, func(b *testing.B) {
			loop(b, func() { content.Load(fsys, content.Options{}) })
		})
		b.Run("stage=compile/size="+s.size, func(b *testing.B) {
			loop(b, func() { compile.Compile(src, compile.Options{}) })
		})
		b.Run("stage=epub/size="+s.size, func(b *testing.B) {
			loop(b, func() {
				if err := epub.Write(io.Discard, bk, epub.Options{}); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run("stage=pdf/size="+s.size, func(b *testing.B) {
			loop(b, func() {
				if _, err := pdf.Write(io.Discard, bk, pdf.Options{}); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run("stage=print/size="+s.size, func(b *testing.B) {
			loop(b, func() {
				if _, err := pdf.Write(io.Discard, bk, pdf.Options{Edition: "print"}); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run("stage=print-vs-screen/size="+s.size, func(b *testing.B) {
			// The print edition's target is a time relative to the
			// screen edition's: both are made twice in each run, in
			// turns (screen, print, print, screen: the one made second
			// pays for some of the first one's garbage), and the ratio
			// of their times is reported.
			var screen, print time.Duration
			timed := func(ed string) time.Duration {
				t0 := time.Now()
				if _, err := pdf.Write(io.Discard, bk, pdf.Options{Edition: ed}); err != nil {
					b.Fatal(err)
				}
				return time.Since(t0)
			}
			for b.Loop() {
				screen += timed("screen")
				print += timed("print")
				print += timed("print")
				screen += timed("screen")
			}
			b.ReportMetric(float64(screen)/float64(time.Millisecond)/float64(2*b.N), "screen-ms")
			b.ReportMetric(float64(print)/float64(time.Millisecond)/float64(2*b.N), "print-ms")
			b.ReportMetric(float64(print)/float64(screen), "print/screen")
		})
		b.Run("stage=print-layout/size="+s.size, func(b *testing.B) {
			loop(b, func() {
				if _, err := pdf.Check(bk, pdf.Options{Edition: "print"}); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run("stage=check/size="+s.size, func(b *testing.B) {
			process(b, bin, "check", "--source", s.dir)
		})
		b.Run("stage=epub-only/size="+s.size, func(b *testing.B) {
			process(b, bin, "build", "--source", s.dir, "--out", b.TempDir(), "--format", "epub", "--quiet")
		})
		b.Run("stage=build/size="+s.size, func(b *testing.B) {
			process(b, bin, "build", "--source", s.dir, "--out", b.TempDir(), "--quiet")
		})
		pandoc, err := exec.LookPath("pandoc")
		if err != nil || (s.size != "example" && s.size != "handbook") {
			continue
		}
		b.Run("stage=vs-pandoc/size="+s.size, func(b *testing.B) {
			dir := b.TempDir()
			md := filepath.Join(dir, "book.md")
			if err := os.WriteFile(md, src.Text, 0o644); err != nil {
				b.Fatal(err)
			}
			timed := func(name string, args ...string) time.Duration {
				cmd := exec.Command(name, args...)
				cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1717545600")
				t0 := time.Now()
				if o, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%s: %v\n%s", name, err, o)
				}
				return time.Since(t0)
			}
			var ours, theirs time.Duration
			for b.Loop() {
				ours += timed(bin, "build", "--source", s.dir, "--out", filepath.Join(dir, "out"), "--quiet")
				theirs += timed(pandoc, "-f", "markdown", "-t", "epub3", "--metadata", "title="+bk.Meta.Title, "-o", filepath.Join(dir, "pandoc.epub"), md)
			}
			b.ReportMetric(float64(ours)/float64(time.Millisecond)/float64(b.N), "build-ms")
			b.ReportMetric(float64(theirs)/float64(time.Millisecond)/float64(b.N), "pandoc-epub-ms")
			b.ReportMetric(float64(theirs)/float64(ours), "pandoc/build")
		})
	}
}
