package main

import (
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

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
// "1,10,100") as directories.
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
	real := os.Getenv("HANDBOOK_SOURCE")
	if real == "" {
		real = filepath.Join("..", "..", "..", "shared", "handbook")
	}
	if _, err := os.Stat(filepath.Join(real, "index.md")); err == nil {
		abs, _ := filepath.Abs(real)
		srcs = append(srcs, benchSource{size: "handbook", dir: abs})
	}
	sizes := os.Getenv("BENCH_SIZES")
	if sizes == "" {
		sizes = "1,10,100"
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

// BenchmarkStages measures each stage on each source size, named
// stage=…/size=… so that `benchstat -col /size` prints a stage × size
// table: load (includes, Liquid), compile (markdown, lowering, passes),
// epub, pdf (screen A4), print (the print edition, A4), and build (the
// whole `handbook build` as a process: EPUB, A4 and Letter screen PDFs and
// the print edition, with its peak RSS).
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
			b.ReportAllocs()
			for b.Loop() {
				content.Load(fsys, content.Options{})
			}
		})
		b.Run("stage=compile/size="+s.size, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				compile.Compile(src, compile.Options{})
			}
		})
		b.Run("stage=epub/size="+s.size, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := epub.Write(io.Discard, bk, epub.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("stage=pdf/size="+s.size, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := pdf.Write(io.Discard, bk, pdf.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("stage=print/size="+s.size, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := pdf.Write(io.Discard, bk, pdf.Options{Edition: "print"}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("stage=build/size="+s.size, func(b *testing.B) {
			out := b.TempDir()
			var peak int64
			for b.Loop() {
				cmd := exec.Command(bin, "build", "--source", s.dir, "--out", out, "--quiet")
				cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1717545600")
				if o, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("build: %v\n%s", err, o)
				}
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > peak {
					peak = ru.Maxrss // KiB on Linux
				}
			}
			b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
		})
	}
}
