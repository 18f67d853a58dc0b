// Package synth generates synthetic handbooks for scaling benchmarks: a
// source tree with the real handbook's structure (author block,
// introduction, sections with "Goal:" summaries, raw-HTML chapter
// headings, lists, links and cross-links, a citation) at N times its size.
// The text is our own filler, drawn deterministically from a fixed word
// list, so the same N always gives the same bytes.
package synth

import (
	"fmt"
	"strings"
	"testing/fstest"
)

// Per unit of scale, the shape of the real handbook: 9 sections of about 6
// chapters, each chapter about 1.8 KB of markdown with 5 or 6 links.
const (
	sectionsPerUnit    = 9
	chaptersPerSection = 6
	paragraphsPerCh    = 3
)

// Generate returns a handbook source tree n times the size of the real
// one (n ≥ 1). Sections are numbered on across units (Section X, XI, …).
func Generate(n int) fstest.MapFS {
	if n < 1 {
		n = 1
	}
	g := &gen{state: 0x9E3779B97F4A7C15}
	fsys := fstest.MapFS{}
	fsys["_config.yml"] = &fstest.MapFile{Data: []byte("title: Synthetic Handbook\ndescription: \"A Generated Test Book\"\nmarkdown: kramdown\nkramdown:\n  input: GFM\n  smart_quotes: lsquo,rsquo,ldquo,rdquo\n")}
	var index strings.Builder
	index.WriteString("---\nlayout: default\ntitle: Synthetic\n---\n\nSam Synth \\\n[@synth](https://example.com/synth) | [synth.example](https://synth.example) \\\n[v1.0](https://example.com/synth/repo) (January 2, 2025)\n\n{% include intro.md %}\n")
	fsys["_includes/intro.md"] = &fstest.MapFile{Data: []byte(g.intro())}
	total := n * sectionsPerUnit
	for s := 1; s <= total; s++ {
		fmt.Fprintf(&index, `
<div class="section" id="section%d">
  <div class="section-header no-numbering" id="section%d-header">
    <div class="section-header-container">
      <div class="section-header-content">
        <h1 id="s%d">Section %s: %s</h1>
        <div class="section-summary"><b>Goal:</b> %s.</div>
      </div>
    </div>
  </div>
  <div class="section-content" markdown="1">
    {%% include section%d.md %%}
  </div>
</div>
`, s, s, s, roman(s), g.title(3), g.sentence(14), s)
		fsys[fmt.Sprintf("_includes/section%d.md", s)] = &fstest.MapFile{Data: []byte(g.section(s, total))}
	}
	index.WriteString("\n{% include credits.md %}\n")
	fsys["index.md"] = &fstest.MapFile{Data: []byte(index.String())}
	fsys["_includes/credits.md"] = &fstest.MapFile{Data: []byte("\n<br>\n<h5 class=\"no-numbering no-toc\">Citation</h5>\n\nCite the generated book as a whole:\n\n```\n@misc{Synth25,\n  title = {Synthetic Handbook},\n  year = 2025\n}\n```\n")}
	return fsys
}

// gen is a small xorshift generator: deterministic, seeded by a constant,
// and free of any package-level random source.
type gen struct{ state uint64 }

func (g *gen) next() uint64 {
	g.state ^= g.state << 13
	g.state ^= g.state >> 7
	g.state ^= g.state << 17
	return g.state
}

func (g *gen) intn(n int) int { return int(g.next() % uint64(n)) }

var words = strings.Fields(`model data training loss gradient layer token sequence attention network
vector matrix sample estimate bias variance kernel feature label score method signal
memory cache batch step rate weight prior posterior update search graph tree path
value policy reward state action error noise scale length context window output input
simple careful useful robust slow fast small large early late deep shallow linear sparse`)

func (g *gen) word() string { return words[g.intn(len(words))] }

func (g *gen) title(n int) string {
	ws := make([]string, n)
	for i := range ws {
		w := g.word()
		ws[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(ws, " ")
}

func (g *gen) sentence(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.word()
	}
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// paragraph is about 550 bytes with two links and some emphasis.
func (g *gen) paragraph() string {
	var b strings.Builder
	for i := 0; i < 5; i++ {
		b.WriteString(g.sentence(12))
		switch i {
		case 1:
			fmt.Fprintf(&b, ", see this [%s](https://example.org/%s/%d)", g.word(), g.word(), g.intn(100000))
		case 3:
			fmt.Fprintf(&b, " -- the *%s* \"%s\" [notes](https://docs.example.com/%s-%d)", g.word(), g.word(), g.word(), g.intn(1000))
		}
		b.WriteString(". ")
	}
	return strings.TrimSpace(b.String())
}

func (g *gen) intro() string {
	var b strings.Builder
	b.WriteString("<h1 class=\"no-numbering\" id=\"intro\">Introduction</h1>\n\n" + g.paragraph() + "\n\n")
	b.WriteString("<h2 class=\"no-numbering no-toc\">Background</h2>\n\n" + g.paragraph() + "\n\n")
	b.WriteString("<h2>Preliminaries</h2>\n<h3 class=\"no-numbering no-toc\">Math</h3>\n\n" + g.paragraph() + "\n\n")
	b.WriteString("- Resources:\n    - [one](https://example.net/a)\n    - [two](https://example.net/b)\n\n")
	return b.String()
}

// section writes one include: an opening paragraph and its chapters, the
// last of which links to a chapter of another section.
func (g *gen) section(s, total int) string {
	var b strings.Builder
	b.WriteString("\n" + g.paragraph() + "\n\n")
	for c := 1; c <= chaptersPerSection; c++ {
		fmt.Fprintf(&b, "<h2>%s %d-%d</h2>\n\n", g.title(2), s, c)
		for p := 0; p < paragraphsPerCh; p++ {
			b.WriteString(g.paragraph() + "\n\n")
		}
		if c == 2 {
			fmt.Fprintf(&b, "- %s\n- %s, with `%s`\n    - %s\n\n", g.sentence(6), g.sentence(5), g.word(), g.sentence(4))
		}
		if c == chaptersPerSection && total > 1 {
			fmt.Fprintf(&b, "Compare [section %d](#s%d).\n\n", s%total+1, s%total+1)
		}
	}
	return b.String()
}

// roman writes n in Roman numerals, as the site's section headings do.
// synth imports nothing of the compiler (it is test tooling for every
// stage); its test checks this against the tree's numbering.
func roman(n int) string {
	var sb strings.Builder
	for _, r := range []struct {
		v int
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for ; n >= r.v; n -= r.v {
			sb.WriteString(r.s)
		}
	}
	return sb.String()
}
