// Package edition typesets a book in one of its editions. The screen
// edition is the book design alone (package design). The print edition
// adds its matter through design.Matter: numbered references of external
// links with a Resources list (text, site, full address, QR code) at the
// end of each section, page references for internal links, the study
// plan, Notes pages; it sets the book again until its page references
// are right. A booklet imposes the print edition's A5 pages on A4 sheets,
// in signatures, with a sheet of instructions.
//
// It knows nothing of the PDF format: package pdf draws a Book's
// Drawing through package pdf/writer.
package edition

import (
	"fmt"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
	"github.com/genai-handbook/handbook/fonts"
	"github.com/genai-handbook/handbook/pdf/design"
	"github.com/genai-handbook/handbook/pdf/layout"
	"github.com/genai-handbook/handbook/pdf/qr"
)

// Options configures Typeset. The zero value sets the screen edition on
// A4 in the Go fonts.
type Options struct {
	// Paper is "a4", "letter" or "a5". Default "a4".
	Paper string
	// Print sets the print edition: numbered references and Resources
	// lists for external links, page references for internal ones, black
	// ink, a study plan. Default false: the screen edition.
	Print bool
	// Duplex lays the print edition out for two-sided printing: mirrored
	// margins, part openers on right-hand pages. Ignored on screen.
	Duplex bool
	// Booklet imposes the print edition's A5 pages on A4 sheets
	// (Layout.Sheets), in signatures (Layout.Signatures). It needs Print,
	// Duplex and Paper "a5".
	Booklet bool
	// SignatureSheets is the most sheets a booklet's signature may have
	// (four pages a sheet). Default (0) 8 sheets, 32 pages; negative is
	// an error. Ignored unless Booklet.
	SignatureSheets int
	// Creep is a booklet's creep compensation in mm per sheet, about the
	// paper's thickness: the pages of a signature's sheet s (0 the
	// outermost) are drawn s × Creep nearer the fold (see impose).
	// Default (0) 0.1 mm; negative: none. Ignored unless Booklet.
	Creep float64
	// Fonts are the faces to set the book in. Default fonts.Default().
	Fonts *fonts.Set
	// Generator names the program in the colophon. Default "".
	Generator string
	// Created is the date the colophon gives. Default (zero): not given.
	Created time.Time
	// Cache holds what Typeset calls on the same book share; pass one
	// Cache to every edition of a build. Default nil: a cache of this
	// call's own.
	Cache *layout.Cache
	// QR encodes the print edition's QR codes; pass one Encoder to every
	// edition of a build. Default nil: an Encoder of this call's own.
	QR *qr.Encoder
	// Keep records, on every page, the items placed on it and keeps
	// every page's operations (tests). Default false.
	Keep bool
	// Discard leaves the body pages without their items' drawing
	// operations, for a caller that wants only what typesetting finds
	// (diagnostics, pages, QR codes, the page map) and not the drawing:
	// a long book's operations are hundreds of megabytes. Default false.
	Discard bool
	// setAgain sets the print edition again whenever a page label was
	// wrong, rather than correcting it in place (patchRefs): the tests
	// compare the two.
	setAgain bool
}

// edition is the validated form of the edition options.
type edition struct {
	print   bool // the print edition: references, page refs, ink
	duplex  bool // two-sided: mirrored margins, recto openers
	booklet bool // impose on sheets
	// A booklet's signatures: at most sheets sheets each; the pages of
	// sheet s drawn s × creep (mm, ≥ 0) nearer the fold.
	sheets int
	creep  float64
}

// Booklet defaults (Options.SignatureSheets, Options.Creep).
const (
	defaultSignatureSheets = 8
	defaultCreep           = 0.1 // mm: office paper of 80 g/m² is about 0.1 mm thick
)

// Typeset lays out b. It never modifies b. Problems found on the way
// (characters no font can draw, QR codes that cannot be encoded, page
// references that did not settle) are returned as diagnostics, sorted.
func Typeset(b *tree.Book, opt Options) (*Book, diag.Diagnostics, error) {
	if b == nil {
		return nil, nil, fmt.Errorf("edition: nil book")
	}
	g, err := design.Paper(opt.Paper, opt.Print)
	if err != nil {
		return nil, nil, err
	}
	ed := edition{print: opt.Print, duplex: opt.Print && opt.Duplex, booklet: opt.Booklet && opt.Print && opt.Duplex}
	if ed.booklet {
		ed.sheets, ed.creep = opt.SignatureSheets, opt.Creep
		switch {
		case ed.sheets < 0:
			return nil, nil, fmt.Errorf("edition: %d sheets a signature", ed.sheets)
		case ed.sheets == 0:
			ed.sheets = defaultSignatureSheets
		}
		switch {
		case ed.creep < 0:
			ed.creep = 0
		case ed.creep == 0:
			ed.creep = defaultCreep
		}
		// The innermost sheet's pages move by the most; past half the
		// inner margin there would be little white left at the fold for
		// the staples or the thread.
		if sh := ed.creep * float64(ed.sheets-1); sh > g.Left/2 {
			return nil, nil, fmt.Errorf("edition: creep of %g mm a sheet over %d sheets would move the innermost pages %.1f mm, more than half the %g mm inner margin", ed.creep, ed.sheets, sh, g.Left)
		}
	}
	if opt.Cache == nil {
		opt.Cache = &layout.Cache{}
	}
	so := design.Options{Paper: opt.Paper, Print: ed.print, Duplex: ed.duplex, Booklet: ed.booklet, Fonts: opt.Fonts, Generator: opt.Generator, Created: opt.Created, Cache: opt.Cache, Keep: opt.Keep, Discard: opt.Discard}
	var ds diag.Diagnostics
	var bk *Book
	if ed.print {
		bk, err = typesetPrint(b, so, ed, opt, &ds)
	} else {
		var lay *design.Layout
		lay, err = design.Set(b, so, nil, &ds)
		bk = &Book{Layout: lay, Passes: 1}
	}
	if err != nil {
		return nil, nil, err
	}
	ds.Sort()
	return bk, ds, nil
}

// Book is a book typeset in one of its editions: the design's pages,
// with the print edition's matter.
type Book struct {
	*design.Layout
	Passes int               // typesetting passes until the page references settled
	Refs   map[string]string // print: anchor id → page label printed in a page reference
	// A booklet's signatures, in order: together they hold Pages, each
	// a multiple of four of them.
	Signatures []Signature
	// A booklet's sheet sides, in file order after Instructions.
	Sheets []*Sheet
	// A booklet's first sheet, on the sheets' paper: how to print, fold
	// and bind the booklet, and a blank back (so that, printed two-sided,
	// every sheet after it keeps its own front and back). It is no page
	// of the book.
	Instructions []*layout.Page
	// Resources are the print edition's Resources lists in book order:
	// the title page's, then each Section's opening pages' and each
	// chapter's that has links, then the credits'.
	Resources [][]Resource
	// Plan is the print edition's study plan, row by row.
	Plan []PlanRow
}

// maxPasses bounds the print edition's typesetting passes. A page
// reference's text ("p. 99" or "p. 100") can move what follows it, so
// the book is set again with the pages the previous pass found until
// nothing moves; in practice the second pass settles it.
const maxPasses = 5

// typesetPrint lays out the print edition, until its page references are
// right (see maxPasses).
func typesetPrint(b *tree.Book, so design.Options, ed edition, opt Options, diags *diag.Diagnostics) (*Book, error) {
	var refs map[string]string
	enc := opt.QR
	if enc == nil {
		enc = &qr.Encoder{}
	}
	qrs, wait := encodeURLs(b, enc)
	defer wait() // the codes' modules are drawn once this returns
	for pass := 1; ; pass++ {
		var d diag.Diagnostics
		m := &printMatter{ed: ed, refs: refs, used: map[string]string{}, loose: map[string]string{}, qrs: qrs, qrEnc: enc}
		lay, err := design.Set(b, so, m, &d)
		if err != nil {
			return nil, err
		}
		bk := &Book{Layout: lay, Passes: pass, Signatures: m.sigs, Resources: m.resLists, Plan: m.planRows}
		actual := map[string]string{}
		settled := true
		for _, used := range []map[string]string{m.used, m.loose} {
			for id, printed := range used {
				a := ""
				if dd, ok := lay.Anchors[id]; ok {
					a = lay.Pages[dd.Page].Label
				}
				actual[id] = a
				if a != printed {
					settled = false
				}
			}
		}
		if !settled && !opt.setAgain && m.patchRefs(lay, actual) {
			settled = true
		}
		if settled || pass == maxPasses {
			if !settled {
				d.Warnf(tree.Pos{}, "pdf: page references did not settle after %d passes; some may be off by a page", pass)
			}
			bk.Refs = m.used
			for id, l := range m.loose {
				if _, ok := bk.Refs[id]; !ok {
					bk.Refs[id] = l
				}
			}
			if ed.booklet {
				// Imposed once, on the pass that stays: imposing copies
				// every page's operations.
				bk.Sheets = impose(bk, ed.creep)
				bk.Instructions = m.instructions(bk)
			}
			*diags = append(*diags, d...)
			return bk, nil
		}
		refs = actual
	}
}
