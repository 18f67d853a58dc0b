package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/genai-handbook/handbook/compile/pipeline"
)

// liveAfter is how long a build runs before the live progress line
// appears: a shorter one would only flicker.
const liveAfter = time.Second

// liveEvery is how often the live line is redrawn.
const liveEvery = 200 * time.Millisecond

// liveWidth bounds the live line so that it never wraps on a narrow
// terminal (a wrapped line cannot be erased with \r).
const liveWidth = 78

// progress reports a build as it goes: each book's line on out as soon as
// that book is done, notes on errw, and, when errw is a terminal, a live
// line there (how many books are done, which are being made, pages so far,
// time) for builds that take more than liveAfter.
type progress struct {
	mu     sync.Mutex
	out    io.Writer // the books' lines; nil to print none
	errw   io.Writer // notes and the live line
	quiet  bool      // print neither notes nor the live line
	live   bool      // errw is a terminal: draw the live line
	verb   string    // "building" or "checking"
	total  int
	done   int
	pages  int
	active []string // books being made, in the order they started
	t0     time.Time
	drawn  bool // the live line is on the screen
	stop   chan struct{}
	exited chan struct{}

	// line makes a finished book's line of the report ("" for none);
	// with hold, the lines are kept in held rather than printed.
	line    func(r *pipeline.BookReport, took time.Duration) string
	hold    bool
	held    []string
	started map[string]time.Time // the books being made, when each started
}

// newProgress starts reporting on total books. The live line is drawn
// only on a terminal, and never in CI logs or with quiet.
func newProgress(out, errw io.Writer, verb string, total int, quiet bool) *progress {
	p := &progress{out: out, errw: errw, quiet: quiet, verb: verb, total: total, t0: time.Now()}
	if f, ok := errw.(*os.File); ok && !quiet && os.Getenv("CI") == "" {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.live = true
			p.stop, p.exited = make(chan struct{}), make(chan struct{})
			go p.tick()
		}
	}
	return p
}

func (p *progress) tick() {
	defer close(p.exited)
	t := time.NewTicker(liveEvery)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			if time.Since(p.t0) >= liveAfter {
				p.draw()
			}
			p.mu.Unlock()
		}
	}
}

// draw redraws the live line; p.mu is held. When the line would be too
// wide, the book's name is shortened, not the counts.
func (p *progress) draw() {
	head := fmt.Sprintf("%s %d/%d", p.verb, p.done, p.total)
	tail := ""
	if p.pages > 0 {
		tail += " · " + plural(p.pages, "page")
	}
	tail += fmt.Sprintf(" · %.0f s", time.Since(p.t0).Seconds())
	mid := ""
	if len(p.active) > 0 {
		name := []rune(p.active[0])
		more := ""
		if len(p.active) > 1 {
			more = fmt.Sprintf(" +%d", len(p.active)-1)
		}
		room := liveWidth - len([]rune(head+tail+more)) - len(" · making ")
		if len(name) > room && room > 1 {
			name = append(name[:room-1], '…')
		}
		mid = " · making " + string(name) + more
	}
	fmt.Fprintf(p.errw, "\r\033[K%s%s%s", head, mid, tail)
	p.drawn = true
}

// erase takes the live line off the screen before other output; p.mu is
// held.
func (p *progress) erase() {
	if p.drawn {
		fmt.Fprint(p.errw, "\r\033[K")
		p.drawn = false
	}
}

// Started says that book name is being made (pipeline.Progress).
func (p *progress) Started(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.active = append(p.active, name)
	if p.started == nil {
		p.started = map[string]time.Time{}
	}
	p.started[name] = time.Now()
}

// Finished says that a book is done, printing its line of the report
// (pipeline.Progress).
func (p *progress) Finished(r *pipeline.BookReport) {
	p.mu.Lock()
	defer p.mu.Unlock()
	name := filepath.Base(r.Path)
	for i, a := range p.active {
		if a == name {
			p.active = append(p.active[:i], p.active[i+1:]...)
			break
		}
	}
	took := time.Since(p.started[name])
	r.Millis = took.Milliseconds()
	p.done++
	p.pages += r.Pages
	line := ""
	if p.line != nil {
		line = p.line(r, took)
	}
	switch {
	case line == "":
	case p.hold:
		p.held = append(p.held, line)
	case p.out != nil:
		p.erase()
		fmt.Fprintln(p.out, line)
	}
}

// Waiting says another build holds the output directory
// (pipeline.Progress).
func (p *progress) Waiting(dir string) {
	p.note("waiting for another build into %s to finish…", rel(dir))
}

// Note prints what the build did besides the books (pipeline.Progress).
func (p *progress) Note(msg string) { p.note("%s", msg) }

// note prints a line of information on errw (not with quiet).
func (p *progress) note(format string, args ...any) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
	fmt.Fprintf(p.errw, "handbook: "+format+"\n", args...)
}

// close stops the live line and takes it off the screen.
func (p *progress) close() {
	if p.live {
		close(p.stop)
		<-p.exited
		p.live = false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
}

// plural returns "1 book", "2 books", "0 books".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// humanDuration prints a build's time: milliseconds under a second,
// seconds with one decimal above.
func humanDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func humanSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
