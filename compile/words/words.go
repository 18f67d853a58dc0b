// Package words is the table of the words the books print that are not
// the source's: the titles of the pages the tool adds, the labels of its
// tables and notes, and the sentences of its own pages (the colophon, the
// print edition's "About this edition", the study plan's and the
// booklet's instructions, the EPUB's accessibility summary). Both
// backends read them from here and nowhere else, so that a language
// option has one table to choose; English is the only one so far.
//
// A field whose text takes values is a fmt format: its doc comment names
// the values, in order.
package words

import "strconv"

// Words is one language's table.
type Words struct {
	// Pages and headings the tool adds.
	Contents        string // the PDF's contents page, its running head and outline entry; the EPUB's navigation document
	TableOfContents string // the EPUB's landmark of its contents
	Landmarks       string // the EPUB navigation document's landmarks heading
	Pages           string // the EPUB's page-list heading
	Cover           string // the EPUB's cover document and landmark
	CoverOf         string // the cover image's alternative text: the title
	CoverSubtitle   string // added to CoverOf: the subtitle
	CoverAuthor     string // added to CoverOf: the author
	CoverTitle      string // the cover document's <title>: the book's title
	TitlePage       string // the EPUB's title page document and landmark
	StartOfContent  string // the EPUB's landmark of the first part
	Colophon        string
	Credits         string
	Goal            string // before a part's summary
	Notes           string // a ruled page for the reader's notes
	Image           string // the text of an image without alternative text

	// The colophon.
	By              string // the author
	Version         string // before the version (and date)
	FromSource      string // the source's address follows
	AndFromSource   string // the same after the version
	Source          string // the EPUB's label of the source's address
	ToCite          string // before the citation block
	TypesetPDF      string // the PDF's note on how it was made; TypesetBy, TypesetFor, TypesetOn follow
	TypesetBy       string // the program
	TypesetFor      string // the paper's name
	TypesetOn       string // the date
	SetIn           string // the font set's name
	MadeBy          string // the EPUB's note: the program; MadeOn follows
	MadeOn          string // the date
	MadeFromSource  string // ends the EPUB's note
	CoverDrawn      string // the EPUB's cover was drawn: the font set's name
	FontsEmbedded   string // the EPUB embeds its fonts: the font set's name
	PageNumbersFrom string // the EPUB's page numbers: the edition they are those of
	ThePrintEdition string // that edition when it has no name of its own
	PrintEditionOf  string // the same in the EPUB's metadata: the book's title
	DateFormat      string // time.Format's layout of a date in the text
	PaperNames      map[string]string

	// The EPUB's accessibility summary.
	A11yBase       string
	A11yAllAlt     string
	A11yMissingAlt string
	A11yPageList   string

	// The print edition.
	PrintEdition       string // on the cover
	SourceOfVersion    string // the title page version link's entry in the Resources list
	AboutEdition       string // the colophon's heading
	AboutText          string // the book's title
	AboutLinks         string
	AboutPlan          string // the study plan's page label
	AboutBooklet       string
	Resources          string // a section's list of its links
	QRBelow            string // a resource entry whose QR code follows the list
	QRFor              string // a QR code's alternative text: the address
	LinkToPage         string // what an internal link of the PDF leads to: the page label
	PageRef            string // a page reference: the page label (no-break space inside)
	KindGroups         [6]string
	KindOne, KindMany  [6]string // a resource kind counted: "1 video", "2 videos"
	StudyPlan          string
	StudyPlanIntro     string // the reading speed in words a minute
	PlanColumns        [5]string
	PlanOpening        string // the row of a part's opening pages
	PlanTotal          string // a part's row of totals
	Minutes            string // a reading time: the minutes
	PlanPageWidth      string // the widest page column entry, for its width
	PlanMinutesWidth   string // the widest reading-time entry, for its width
	BookletHow         string // the instruction sheet's title
	BookletThisFile    string // the book's title
	BookletThisBook    string // when the book has no title
	BookletIntro       string // BookletThisFile, the pages, the sheets, the signatures
	BookletOneSig      string // the sheets
	BookletSameSigs    string // the signatures, the sheets of each
	BookletMixedSigs   string // the signatures, the sheet counts but the last, the last
	BookletSteps       [4]string
	BookletCreep       string // the creep in mm a sheet
	BookletSignatures  string // the table's title
	BookletColumns     [4]string
	Sheet, SheetPlural string

	// The "What's new" page (see Changes) and CHANGES.md.
	WhatsNew      string    // the page's short title: the landmark, the outline, the contents
	WhatsNewIn    string    // the page's heading: the version
	WhatsNewSince string    // added to the heading: the earlier version
	ChangeGroups  [7]string // the lists' headings, in tree.Change order (see Group)
	NoChanges     string    // the page of a release whose chapters did not change
	WordsChanged  string    // an updated chapter: the words added, removed
	Formerly      string    // a renamed chapter: its old title
	MovedFrom     string    // a moved chapter: the part it was in
	InChapter     string    // a new resource: its chapter's title
	FromChapter   string    // a removed resource: its chapter's title
	DetailSep     string    // between an entry's title and what changed
	MarkNew       string    // a new chapter's mark in the contents
	MarkUpdated   string    // an updated chapter's mark in the contents
}

// English is the table in English.
var English = &Words{
	Contents:        "Contents",
	TableOfContents: "Table of Contents",
	Landmarks:       "Landmarks",
	Pages:           "Pages",
	Cover:           "Cover",
	CoverOf:         "Cover of %s",
	CoverSubtitle:   ": %s",
	CoverAuthor:     ", by %s",
	CoverTitle:      "Cover: %s",
	TitlePage:       "Title Page",
	StartOfContent:  "Start of Content",
	Colophon:        "Colophon",
	Credits:         "Credits",
	Goal:            "Goal:",
	Notes:           "Notes",
	Image:           "image",

	By:              "By %s",
	Version:         "Version ",
	FromSource:      "From the source at ",
	AndFromSource:   ", from the source at ",
	Source:          "Source: ",
	ToCite:          "To cite this book:",
	TypesetPDF:      "This PDF was typeset",
	TypesetBy:       " by %s",
	TypesetFor:      " for %s paper",
	TypesetOn:       " on %s",
	SetIn:           "Set in %s.",
	MadeBy:          "Made by ",
	MadeOn:          " on ",
	MadeFromSource:  " from the handbook’s source.",
	CoverDrawn:      " The cover was drawn from the book’s metadata in the %s fonts.",
	FontsEmbedded:   " The text is set in the %s fonts, which your reading system may replace with your own choice.",
	PageNumbersFrom: "The page numbers in this book (its page list, and the marks in its text) are those of %s.",
	ThePrintEdition: "the print edition",
	PrintEditionOf:  "%s, print edition",
	DateFormat:      "January 2, 2006",
	PaperNames:      map[string]string{"a4": "A4", "letter": "US Letter", "a5": "A5"},

	A11yBase: "This publication has a navigable table of contents, a heading for every part, chapter and section in a logical order, and footnotes linked to and from their references. " +
		"Text is not set in fixed colours or sizes, so reading-system settings for font, size and night mode apply.",
	A11yAllAlt:     " Every image, including the cover, has a text alternative. It meets the EPUB Accessibility 1.1 and WCAG 2.1 Level AA requirements.",
	A11yMissingAlt: " Some images lack a text alternative.",
	A11yPageList:   " Page numbers of the print edition are marked in the text and listed for navigation.",

	PrintEdition:     "Print edition",
	SourceOfVersion:  "Source of this version",
	AboutEdition:     "About this edition",
	AboutText:        "This is the print edition of %s.",
	AboutLinks:       " Every link to an outside resource is marked in the text with a small bracketed number. At the end of each chapter, its Resources list gives for every number the link’s text, its site, its full address and a QR code: scan the code with a phone to open the page. A link to another part of the book gives the chapter and page it leads to.",
	AboutPlan:        " The Study plan on page %s lists every chapter with its resources as a checklist.",
	AboutBooklet:     "This booklet’s pages are imposed two to an A4 sheet, in signatures that are each folded and bound through their fold; the file’s first sheet says how to print, fold and bind them.",
	Resources:        "Resources",
	QRBelow:          "QR code below",
	QRFor:            "QR code for %s",
	LinkToPage:       "Page %s",
	PageRef:          "p.\u00a0%s",
	KindGroups:       [6]string{"Videos", "Papers", "Code", "Courses", "Books", "Articles"},
	KindOne:          [6]string{"video", "paper", "code", "course", "book", "article"},
	KindMany:         [6]string{"videos", "papers", "code", "courses", "books", "articles"},
	StudyPlan:        "Study plan",
	StudyPlanIntro:   "For a group that works through the book chapter by chapter: each chapter with its page, the time its text takes to read at about %d words a minute, and its resources by kind (their numbers, addresses and QR codes are in the Resources list at the chapter’s end). Tick a chapter when the group has discussed it; the last column is for notes.",
	PlanColumns:      [5]string{"Chapter", "Page", "Reading", "Resources", "Notes"},
	PlanOpening:      "Opening pages",
	PlanTotal:        "Section total",
	Minutes:          "%d min",
	PlanPageWidth:    "p. 000",
	PlanMinutesWidth: "000 min",
	BookletHow:       "How to print and bind this booklet",
	BookletThisFile:  "This file is “%s”",
	BookletThisBook:  "This file is this book",
	BookletIntro:     "%s as a booklet of %d A5 pages imposed two to a side on %s of landscape A4, in %s. A signature is a few sheets folded together once; the signatures, each bound through its fold and stacked in order, make the book.",
	BookletOneSig:    "one signature of %s",
	BookletSameSigs:  "%d signatures of %s each",
	BookletMixedSigs: "%d signatures of %s and %s sheets",
	BookletSteps: [4]string{
		"Print the whole file on A4 paper, double-sided, flipping on the short edge (“short-edge binding”), at actual size (100 %, not “fit to page”). The back of this first sheet is blank so that every sheet after it is printed on its own front and back. To print a signature again, print the file pages the table gives, double-sided.",
		"Keep the sheets in order and split them into the signatures the table lists.",
		"Fold each signature on its own: its sheets in a pile in order, the first on top, fronts (the odd file pages) up; fold the pile in half along the fold marks, the short lines at the middle of the top and bottom edges, turning the left half under, so that the signature’s first page is on the outside.",
		"Stack the folded signatures in order, the first on top, their folds together, and staple or sew along the folds: each signature through its own fold (two or three staples from the outside; a long-reach stapler helps), then tape or clip the stack along the spine, or sew the signatures to one another through their folds.",
	},
	BookletCreep:      "Folded, a signature’s inner sheets reach further toward the outer edge than the sheets around them, by the paper’s thickness a sheet (creep). To make up for it, their pages are printed %s mm a sheet nearer the fold, so that the text of every page lines up.",
	BookletSignatures: "The signatures",
	BookletColumns:    [4]string{"Signature", "Sheets", "File pages", "Book pages"},
	Sheet:             "sheet",
	SheetPlural:       "sheets",

	WhatsNew:      "What’s new",
	WhatsNewIn:    "What’s new in %s",
	WhatsNewSince: " (since %s)",
	ChangeGroups:  [7]string{"New chapters", "Updated chapters", "Renamed chapters", "Moved chapters", "Removed chapters", "New resources", "Removed resources"},
	NoChanges:     "No chapter changed.",
	WordsChanged:  "+%d / −%d words",
	Formerly:      "formerly “%s”",
	MovedFrom:     "moved from %s",
	InChapter:     "in %s",
	FromChapter:   "from %s",
	DetailSep:     " — ",
	MarkNew:       "new",
	MarkUpdated:   "updated",
}

// For returns the table of a language (a BCP 47 tag such as "en-US"):
// English for every language so far.
func For(lang string) *Words { return English }

// Count returns n with the singular or the plural: "1 sheet", "3 sheets".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Paper returns a paper's name ("a4", "letter", "a5") as the text gives
// it.
func (w *Words) Paper(p string) string {
	if p == "" {
		p = "a4"
	}
	if n, ok := w.PaperNames[p]; ok {
		return n
	}
	return p
}
