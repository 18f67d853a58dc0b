// Package layout is the PDF's layout engine: it measures words in a
// font set, breaks them into lines (total fit through package linebreak,
// hyphenation through package hyphen, emergency breaks for what cannot
// fit), turns lines into a flow of items, and breaks flows into pages
// with keeps, widows and orphans, floats and chapter cut-offs.
//
// It knows no book design and no words of any language: a design
// (package design) decides what is set in which style where, and a
// writer (package pdf/writer) draws the pages. Lengths are millimetres;
// inside an item y grows downwards from the item's top, on a page from
// the page's top edge.
//
// A Setter does the work; Dump writes pages as plain text, the oracle of
// the layout tests.
package layout
