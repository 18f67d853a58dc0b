package compile

import (
	"io/fs"
	"os"
	"testing"
	"testing/fstest"

	"github.com/genai-handbook/handbook/content"
	"github.com/genai-handbook/handbook/content/example"
	"github.com/genai-handbook/handbook/content/realbook"
	"github.com/genai-handbook/handbook/content/synth"
)

// memFS copies a source tree into memory, so benchmarks measure the
// compiler rather than the disk.
func memFS(b *testing.B, fsys fs.FS) fstest.MapFS {
	m := fstest.MapFS{}
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := fs.ReadFile(fsys, p)
			m[p] = &fstest.MapFile{Data: data}
		}
		return nil
	})
	return m
}

func benchSources(b *testing.B) []struct {
	name string
	fsys fs.FS
} {
	srcs := []struct {
		name string
		fsys fs.FS
	}{{"example", memFS(b, example.FS)}}
	if dir, ok := realbook.Dir(); ok {
		srcs = append(srcs, struct {
			name string
			fsys fs.FS
		}{"handbook", memFS(b, os.DirFS(dir))})
	}
	for _, n := range []int{1, 10, 50} {
		srcs = append(srcs, struct {
			name string
			fsys fs.FS
		}{"synth" + itoa(n), synth.Generate(n)})
	}
	return srcs
}

func itoa(n int) string {
	return map[int]string{1: "1x", 10: "10x", 50: "50x"}[n]
}

// BenchmarkLoad measures source reading: includes and Liquid.
func BenchmarkLoad(b *testing.B) {
	for _, s := range benchSources(b) {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				content.Load(s.fsys, content.Options{})
			}
		})
	}
}

// BenchmarkCompile measures the compile stage alone: markdown, HTML
// lowering, numbering, ids and cross-references.
func BenchmarkCompile(b *testing.B) {
	for _, s := range benchSources(b) {
		b.Run(s.name, func(b *testing.B) {
			src, diags := content.Load(s.fsys, content.Options{})
			if diags.HasErrors() {
				b.Fatal(diags)
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(src.Text)))
			for b.Loop() {
				Compile(src, Options{})
			}
		})
	}
}

// BenchmarkNesting compiles the pathological sources of TestNestingLinear
// (constructs nested tens of thousands deep, 40–600 KB each); its time
// per byte must not grow with the size.
func BenchmarkNesting(b *testing.B) {
	for _, c := range nested(nestingSize) {
		b.Run(c.name, func(b *testing.B) {
			src, diags := content.Load(fstest.MapFS{"index.md": {Data: []byte("---\ntitle: t\n---\n<h1>I</h1>\n\n" + c.body + "\n")}}, content.Options{})
			if diags.HasErrors() {
				b.Fatal(diags)
			}
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				Compile(src, Options{})
			}
		})
	}
}
