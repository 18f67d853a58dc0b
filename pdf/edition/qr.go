package edition

import (
	"runtime"
	"sync"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/pdf/qr"
)

// outsideURL returns the address outside the book that in leads to: an
// external link's, or a remote image's (which the book shows as a link);
// "" for anything else.
func outsideURL(in tree.Inline) string {
	switch x := in.(type) {
	case *tree.Link:
		if !x.IsInternal() {
			return x.URL
		}
	case *tree.Image:
		if x.File == nil && x.IsRemote() {
			return x.Src
		}
	}
	return ""
}

// encodeURLs starts encoding the QR codes of every deep link of b (see
// deepLink) and returns them at once, each with its size (N) but not yet
// its modules: the layout needs only the size, which the address's length
// decides, so the codes are encoded meanwhile, on the cores the layout
// leaves idle (encoding tries all eight masks of a code). wait returns
// when every code's modules are set; nothing may read them before. The result
// does not depend on the scheduling; addresses that cannot be encoded are
// left out (cite reports them).
func encodeURLs(b *tree.Book, enc *qr.Encoder) (codes map[string]*qr.Code, wait func()) {
	seen := map[string]bool{}
	var urls []string
	add := func(u string) {
		if deepLink(u) && !seen[u] {
			seen[u] = true
			urls = append(urls, u)
		}
	}
	tree.Walk(b, func(_ tree.Block, in tree.Inline) bool {
		if u := outsideURL(in); u != "" {
			add(u)
		}
		return true
	})
	for _, l := range b.Meta.AuthorLinks {
		add(l.URL)
	}
	add(b.Meta.VersionURL)
	codes = make(map[string]*qr.Code, len(urls))
	var todo []string
	for _, u := range urls {
		n, err := qr.Side(qr.Text(u))
		if err != nil {
			continue
		}
		codes[u] = qr.Pending(n)
		todo = append(todo, u)
	}
	var wg sync.WaitGroup
	next := make(chan string, len(todo))
	for _, u := range todo {
		next <- u
	}
	close(next)
	// One core for the layout that runs meanwhile, the others encode.
	for w := 0; w < max(1, runtime.GOMAXPROCS(0)-1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range next {
				// Only the modules are written here: the layout reads N
				// meanwhile.
				if c, err := enc.Code(qr.Text(u)); err == nil {
					codes[u].Fill(c)
				}
			}
		}()
	}
	return codes, wg.Wait
}
