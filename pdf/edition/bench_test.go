package edition

import (
	"testing"

	"github.com/genai-handbook/handbook/pdf/internal/testbook"
)

// BenchmarkTypeset sets the real handbook (or the example) on A4, in the
// screen and print editions, each with a cache of its own.
func BenchmarkTypeset(b *testing.B) {
	bks := testbook.All(b)
	bk := bks[len(bks)-1]
	for _, c := range []struct {
		name string
		opt  Options
	}{{"screen", Options{}}, {"print", Options{Print: true, Duplex: true}}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Typeset(bk.Tree, c.opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
