package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/genai-handbook/handbook/compile/backend"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
)

// Build lays out bk's books and, with an output directory, writes them:
// each is staged as a temporary file as soon as it is made, and when every
// one was made (and, with Strict, without a warning) they and SHA256SUMS
// are put in place together (see outdir.go). Books not yet started when
// ctx is done are not made; a failed, interrupted or strict build leaves
// the previous books as they were. The error is ErrFailed, ErrStrict,
// ctx's, or one about the output directory (IsUsage tells one that the
// caller asked for).
func Build(ctx context.Context, bk *tree.Book, opt Options) (*Report, error) {
	rep := &Report{}
	if opt.Progress == nil {
		opt.Progress = nopProgress{}
	}
	out := opt.Out
	if out != "" {
		if err := checkOut(opt.Source, bk, out, opt.Books); err != nil {
			return rep, err
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			return rep, err
		}
	}
	for _, n := range opt.Notes {
		opt.Progress.Note(n)
	}
	if opt.Date.IsZero() {
		opt.Date = SourceDate(opt.Source, bk)
	}
	if pct, ok := gcPercent(bk); ok {
		defer debug.SetGCPercent(debug.SetGCPercent(pct))
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit makes the collector work harder only when a very
		// large handbook nears it (see memoryLimit).
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(memoryLimit(bk)))
	}

	// The lock is taken when the first book is ready to be staged, and
	// held until every book is in place: builds into one directory make
	// their books at the same time but stage and commit them one after
	// the other.
	var lk locker
	defer lk.release()
	acquire := func() error { return lk.acquire(ctx, out, opt.Progress) }

	rep.Books = opt.lay(ctx, bk, func(r *BookReport, data []byte) {
		if r.Err != nil || out == "" {
			return
		}
		sum := sha256.Sum256(data)
		r.SHA256 = hex.EncodeToString(sum[:])
		if r.Err = acquire(); r.Err == nil {
			r.tmp, r.Err = stage(r.Path, data)
		}
	})
	for _, r := range rep.Books {
		rep.Diagnostics = append(rep.Diagnostics, r.Diagnostics...)
	}
	rep.Diagnostics = rep.Diagnostics.Deduped()
	discard := func() {
		for _, r := range rep.Books {
			if r.tmp != "" {
				os.Remove(r.tmp)
			}
		}
	}
	switch {
	case ctx.Err() != nil:
		discard()
		return rep, ctx.Err()
	case rep.Failed() > 0:
		discard()
		return rep, ErrFailed
	case opt.Strict && len(rep.Diagnostics) > 0:
		discard()
		return rep, ErrStrict
	case out == "":
		return rep, nil
	}

	// Every book is made and staged: put them in place, with SHA256SUMS
	// for exactly the books the directory then holds.
	if err := acquire(); err != nil {
		discard()
		return rep, err
	}
	var drop []string
	if opt.Clean {
		var err error
		if drop, err = otherVersions(out, bk); err != nil {
			discard()
			return rep, err
		}
	}
	staged := append([]*BookReport(nil), rep.Books...)
	sums := filepath.Join(out, "SHA256SUMS")
	if opt.Checksums {
		tmp, err := stageChecksums(out, rep.Books, drop)
		if err != nil {
			discard()
			return rep, errors.New("SHA256SUMS: " + err.Error())
		}
		staged = append(staged, &BookReport{Path: sums, tmp: tmp})
		rep.Sums = sums
	}
	if notes := ReleaseNotes(bk); notes != nil {
		path := filepath.Join(out, ChangesName)
		tmp, err := stage(path, notes)
		if err != nil {
			discard()
			return rep, errors.New(ChangesName + ": " + err.Error())
		}
		staged = append(staged, &BookReport{Path: path, tmp: tmp})
		rep.Changes = path
	}
	if err := commit(out, staged); err != nil {
		return rep, err
	}
	if rep.Changes != "" {
		opt.Progress.Note("wrote " + rep.Changes + ": the release notes since " + bk.Changes.Since)
	} else if staleNotes(out) {
		// An earlier build's notes would name other books.
		if err := os.Remove(filepath.Join(out, ChangesName)); err == nil {
			opt.Progress.Note("removed " + filepath.Join(out, ChangesName) + ": these books have no earlier release to compare with")
		}
	}
	if !opt.Checksums {
		// The books just written would make an older SHA256SUMS lie.
		if err := os.Remove(sums); err == nil {
			opt.Progress.Note("removed " + sums + ": it no longer matches the books (--checksums=false)")
		}
	}
	for _, name := range drop {
		if err := os.Remove(filepath.Join(out, name)); err != nil {
			return rep, err
		}
		opt.Progress.Note("removed " + filepath.Join(out, name) + " (another version)")
	}
	if !opt.Clean {
		if other, _ := otherVersions(out, bk); len(other) > 0 {
			opt.Progress.Note(otherNote(out, other))
		}
	}
	return rep, nil
}

// Check lays bk's books out without writing them (Out is ignored) and
// returns the backends' diagnostics: what `handbook check` reports
// beside the compiler's. A book that cannot be laid out is an error.
func Check(ctx context.Context, bk *tree.Book, opt Options) (diag.Diagnostics, error) {
	opt.Out, opt.Strict = "", false
	rep, err := Build(ctx, bk, opt)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	for _, r := range rep.Books {
		if r.Err != nil {
			return nil, fmt.Errorf("%s: %w", r.Path, r.Err)
		}
	}
	return rep.Diagnostics, err
}

// otherNote says that dir holds books of other versions.
func otherNote(dir string, other []string) string {
	n := "1 book"
	if len(other) != 1 {
		n = strconv.Itoa(len(other)) + " books"
	}
	return dir + " also holds " + n + " of other versions (" + strings.Join(other, ", ") + "); handbook clean " + dir + ", or build --clean, removes them"
}

// lay makes the books, as many at a time as workers allows and the
// costliest first, and calls done as soon as each is finished (from
// several goroutines at once) with its bytes (nil when it is laid out
// only).
func (opt Options) lay(ctx context.Context, bk *tree.Book, done func(r *BookReport, data []byte)) []*BookReport {
	books := opt.Books
	reports := make([]*BookReport, len(books))
	bopt := backend.Options{Date: opt.Date, Generator: opt.Generator, Fonts: opt.Fonts, Cover: opt.Cover,
		EmbedFonts: opt.EmbedFonts, Shared: &backend.Shared{}, Big: bigBook(bk), LayOnly: opt.Out == ""}
	// A book that carries a printed edition's page numbers takes them
	// from that edition being made beside it, as soon as it is laid out,
	// rather than laying it out again.
	laidOf := map[int]*pagesDone{}  // the book that gives page numbers → its laying out
	pagesOf := map[int]*pagesDone{} // the book that takes them → what it waits for
	for i, b := range books {
		pu, ok := b.(backend.PageUser)
		if !ok || pu.PagesFrom() == nil {
			continue
		}
		for j, c := range books {
			if c == pu.PagesFrom() {
				if laidOf[j] == nil {
					laidOf[j] = &pagesDone{done: make(chan struct{})}
				}
				pagesOf[i] = laidOf[j]
				break
			}
		}
	}
	var wg sync.WaitGroup
	slots := make(chan struct{}, workers(bk))
	for _, i := range costliestFirst(books) {
		b := books[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			published := laidOf[i]
			if published != nil {
				// Whatever happens, the book waiting for it goes on.
				defer published.publish(nil)
			}
			o := bopt
			// What a book can do while it waits (an EPUB's cover).
			var prepared chan any
			if p, ok := b.(backend.Preparer); ok {
				prepared = make(chan any, 1)
				go func() { prepared <- p.Prepare(bk, o) }()
			}
			// Waiting comes before taking a slot: with one slot, a book
			// holding it would wait for ever.
			var pages []tree.PageStart
			if src := pagesOf[i]; src != nil {
				<-src.done
				pages = src.pages
			}
			// A very large book's books are made one at a time (see
			// workers), except the light ones (an EPUB: text and a
			// zip, no layout), which run beside them.
			if !(bopt.Big && cost(b) == 0) {
				slots <- struct{}{}
				defer func() { <-slots }()
			}
			r := &BookReport{Path: filepath.Join(opt.Out, b.FileName(bk))}
			reports[i] = r
			if ctx.Err() != nil {
				r.Err = ctx.Err()
				return
			}
			opt.Progress.Started(filepath.Base(r.Path))
			if pu, ok := b.(backend.PageUser); ok && pu.PagesFrom() != nil {
				from := pu.PagesFrom()
				if pages == nil {
					// No such edition beside it (or it failed): it is
					// laid out, not written, for the page its every
					// page begins on.
					lo := o
					lo.LayOnly = true
					l, err := from.Lay(bk, lo)
					if err != nil {
						r.Err = err
						done(r, nil)
						opt.Progress.Finished(r)
						return
					}
					pages = l.Result().PageMap
				}
				o.Pages = pages
				if d, ok := from.(backend.Describer); ok {
					o.PageSource = d.Describe(bk)
				}
			}
			if prepared != nil {
				o.Prepared = <-prepared
			}
			data, err := makeBook(b, bk, o, r, published)
			r.Err = err
			done(r, data)
			opt.Progress.Finished(r)
		}()
	}
	wg.Wait()
	return reports
}

// makeBook lays book b out and, unless the build lays out only, writes it
// into memory; it publishes the page map as soon as it is known.
func makeBook(b backend.Backend, bk *tree.Book, o backend.Options, r *BookReport, published *pagesDone) ([]byte, error) {
	l, err := b.Lay(bk, o)
	if l != nil {
		r.Result = l.Result()
	}
	if published != nil && err == nil {
		published.publish(r.PageMap)
	}
	if err != nil || o.LayOnly {
		return nil, err
	}
	var buf bytes.Buffer
	res, err := l.Write(&buf)
	r.Result = res
	r.Bytes = buf.Len()
	return buf.Bytes(), err
}

// pagesDone is a printed edition's page map, published to the books that
// carry its page numbers as soon as it is laid out.
type pagesDone struct {
	once  sync.Once
	done  chan struct{} // closed when pages is set
	pages []tree.PageStart
}

// publish sets the page map (nil: none, the edition failed or was never
// laid out) and lets the waiting books go; only the first call counts.
func (p *pagesDone) publish(pages []tree.PageStart) {
	p.once.Do(func() {
		p.pages = pages
		close(p.done)
	})
}

// costliestFirst orders the books to start the costliest first (see
// backend.Costly), so that the last to finish is a short one.
func costliestFirst(books []backend.Backend) []int {
	order := make([]int, len(books))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return cost(books[order[x]]) > cost(books[order[y]]) })
	return order
}

// cost is b's cost (see backend.Costly), 1 when it says none.
func cost(b backend.Backend) int {
	if c, ok := b.(backend.Costly); ok {
		return c.Cost()
	}
	return 1
}

// workers is how many books are made at once: one per core, since each is
// CPU-bound; and one at a time for a very large handbook, whose books each
// need hundreds of megabytes while they are being made, so that peak memory
// stays that of one book rather than the sum of all.
func workers(bk *tree.Book) int {
	if bigBook(bk) {
		return 1
	}
	return max(1, runtime.GOMAXPROCS(0))
}

// gcPercent is the garbage collector's target while the books are made:
// for a book up to a few times the handbook's size, 200 rather than Go's
// 100. Making its books allocates a couple of hundred megabytes over a
// small live heap, and at 100 the collector runs a cycle every few
// megabytes. On the real handbook's release set, 200 and 400 take the
// same time (400 did better before the typesetter reused its paragraph
// memory) and 200 peaks at 120 MB rather than 170 (100: 95 MB, 5% more
// CPU). A larger book keeps the default, so that its peak memory stays
// bounded, and so does a GOGC the user set.
func gcPercent(bk *tree.Book) (int, bool) {
	if os.Getenv("GOGC") != "" || tree.Count(bk).Words > smallBookWords {
		return 0, false
	}
	return 200, true
}

// smallBookWords is about four times the real handbook.
const smallBookWords = 50_000

// bigBook reports whether bk is very large, over bigBookWords: its books
// are made one at a time, without a shared cache, and with the garbage
// collector's default target, so that its peak memory stays bounded.
func bigBook(bk *tree.Book) bool { return tree.Count(bk).Words > bigBookWords }

// bigBookWords is about thirty times the real handbook (11,500 words).
const bigBookWords = 350_000

// memoryLimit is the default soft memory limit of a build of bk
// (GOMEMLIMIT overrides it): 256 MiB and 400 bytes a word of the book,
// at most 768 MiB. A book's live heap peaks at about 50 bytes a byte of
// its text (about 8 bytes a word) while a PDF is drawn, so the limit
// leaves the collector room, and a build of anything within the source's
// limits (8 MiB of text) stays under 1 GiB of memory. The real handbook
// needs about 120 MiB and never meets it.
func memoryLimit(bk *tree.Book) int64 {
	return min(768<<20, 256<<20+400*int64(tree.Count(bk).Words))
}

// checkOut refuses an output directory inside the source's _includes/ (a
// book there would be read back as an include), and a book whose file
// would overwrite a source file.
func checkOut(src Source, bk *tree.Book, out string, books []backend.Backend) error {
	if src.Dir == "" {
		return nil
	}
	inc := filepath.Join(src.Dir, "_includes")
	if r, err := filepath.Rel(inc, out); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return usagef("--out %s is inside the source's _includes/", out)
	}
	for _, b := range books {
		if p := filepath.Join(out, b.FileName(bk)); readsSource(src, bk, p) {
			return usagef("output %s would overwrite a source file", p)
		}
	}
	return nil
}

// readsSource reports whether the file at p is one the build reads:
// index.md, the configuration files, an include or an image the book
// refers to (embedded or not).
func readsSource(src Source, bk *tree.Book, p string) bool {
	r, err := filepath.Rel(src.Dir, p)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return false
	}
	r = filepath.ToSlash(r)
	read := r == "index.md" || r == "_config.yml" || r == "handbook.yml" || strings.HasPrefix(r, "_includes/")
	tree.Walk(bk, func(_ tree.Block, in tree.Inline) bool {
		if img, ok := in.(*tree.Image); ok {
			read = read || path.Clean(strings.TrimPrefix(img.Src, "/")) == r
		}
		return true
	})
	return read
}

// nopProgress hears nothing.
type nopProgress struct{}

func (nopProgress) Waiting(string)       {}
func (nopProgress) Started(string)       {}
func (nopProgress) Finished(*BookReport) {}
func (nopProgress) Note(string)          {}
