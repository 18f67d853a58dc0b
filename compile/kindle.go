package compile

import (
	"slices"
	"strings"
)

// kindleLanguages are the languages Amazon's Send to Kindle and Kindle
// Direct Publishing accept in an EPUB's dc:language, as ISO 639-1 and
// 639-2 codes: the list KDP publishes (its help page on supported
// languages, as the Kindle EPUB fix-up tools carry it). A book in another
// language may be rejected with "E999" rather than converted.
var kindleLanguages = []string{
	// ISO 639-1 and the 639-3 codes KDP lists without a two-letter one.
	"af", "ar", "br", "ca", "co", "cy", "da", "de", "en", "es", "eu", "fi", "fr", "frr", "fy",
	"ga", "gd", "gl", "gsw", "gu", "gv", "hi", "is", "it", "ja", "kw", "lb", "ml", "mr",
	"nb", "nl", "nn", "no", "oc", "pl", "pt", "rm", "sco", "stq", "sv", "ta", "zh",
	// ISO 639-2, bibliographic and terminological.
	"afr", "ara", "baq", "bre", "cat", "chi", "cor", "cos", "cym", "dan", "deu", "dut", "eng",
	"eus", "fin", "fra", "fre", "fry", "ger", "gla", "gle", "glg", "glv", "guj", "hin", "ice",
	"isl", "ita", "jpn", "ltz", "mal", "mar", "nld", "nno", "nob", "nor", "oci", "por", "roh",
	"spa", "swe", "tam", "wel", "zho",
}

// KindleAccepts reports whether Send to Kindle accepts a book whose
// language is the BCP 47 tag lang: whether its primary language subtag
// ("pt" of "pt-BR") is one Amazon lists.
func KindleAccepts(lang string) bool {
	primary, _, _ := strings.Cut(strings.TrimSpace(lang), "-")
	return slices.Contains(kindleLanguages, strings.ToLower(primary))
}
