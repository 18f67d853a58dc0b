package tree

// Index fills in what the compiler derives from a finished tree for every
// backend to read (none derives it again): the table of contents
// (Book.Contents; Entry says what goes in it) and the words of every
// part and chapter (ReadingWords). Compile calls it last; a tree
// built by hand, in a test, is indexed the same way.
func Index(bk *Book) {
	var out []Entry
	subs := func(part, chapter int, bs []Block) {
		WalkBlocks(bs, func(b Block, in Inline) bool {
			if _, ok := in.(*Footnote); ok {
				return false
			}
			if h, ok := b.(*Heading); ok && h.Level == 3 && h.InTOC {
				out = append(out, Entry{Level: 2, Title: h.FullTitle(), ID: h.ID, Part: part, Chapter: chapter})
			}
			return true
		})
	}
	for i, p := range bk.Parts {
		p.Words = ReadingWords(p.Blocks)
		out = append(out, Entry{Level: 0, Title: p.FullTitle(), ID: p.ID, Part: i, Chapter: -1})
		subs(i, -1, p.Blocks)
		for j, ch := range p.Chapters {
			ch.Words = ReadingWords(ch.Blocks)
			if ch.Heading.InTOC {
				out = append(out, Entry{Level: 1, Title: ch.Heading.FullTitle(), ID: ch.Heading.ID, Part: i, Chapter: j})
			}
			subs(i, j, ch.Blocks)
		}
	}
	out = append(out, Entry{Level: 0, Title: "Credits", Part: -1, Chapter: -1, Back: true})
	bk.Contents = out
}
