package tree

import (
	"regexp"
	"strings"
)

// Limits of FileName, in bytes. A file system allows 255; the build stages
// a book as ".NAME.tmp-RANDOM" next to it, and a name should stay readable
// in a listing.
const (
	maxStem    = 64
	maxVersion = 32
	maxSuffix  = 32
	maxExt     = 10 // "kepub.epub", the Kobo edition's
)

// FileName returns the name of a file written for a book: the stem (the
// book's slug), the version and a suffix ("print-letter"), each reduced to
// safe characters, joined by "-", and the extension ("epub", ".epub",
// ".kepub.epub").
// Empty parts are left out; an empty stem becomes "book".
//
// Every book's file name comes from here, so that no version or name in
// the source (a version "v1/../../x", a git tag with "/") can make a
// backend write outside its output directory. The result holds only ASCII
// letters, digits, '_', '-' and '.', never starts with '.' or '-', never
// holds "..", and is at most 144 bytes long: any other character or run
// of characters becomes one '-', and a '.' is kept only between two
// letters or digits ("v0.1"). A stem that Windows reserves as a device
// name ("con", "nul", "com1", …) gets "-book" appended.
func FileName(stem, version, suffix, ext string) string {
	name := fileSafe(stem, maxStem)
	if name == "" {
		name = "book"
	}
	if windowsDevice(name) {
		name += "-book"
	}
	for _, part := range []string{fileSafe(version, maxVersion), fileSafe(suffix, maxSuffix)} {
		if part != "" {
			name += "-" + part
		}
	}
	if e := fileSafe(strings.TrimPrefix(ext, "."), maxExt); e != "" {
		name += "." + e
	}
	return name
}

// fileSafe reduces s to FileName's characters and at most max bytes.
func fileSafe(s string, max int) string {
	var sb strings.Builder
	pendingDash := false // a separator is due before the next character kept
	alnum := func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' }
	rs := []rune(s)
	for i, r := range rs {
		keep := alnum(r) || r == '_'
		if r == '.' {
			// Only between two letters or digits: no leading dot, no "..".
			prevAlnum := sb.Len() > 0 && !pendingDash && alnum(rune(sb.String()[sb.Len()-1]))
			keep = prevAlnum && i+1 < len(rs) && alnum(rs[i+1])
		}
		if !keep {
			pendingDash = true
			continue
		}
		if pendingDash && sb.Len() > 0 {
			sb.WriteByte('-')
		}
		pendingDash = false
		sb.WriteRune(r)
		if sb.Len() >= max {
			break
		}
	}
	out := sb.String()
	if len(out) > max {
		out = out[:max]
	}
	return strings.TrimRight(out, "-.")
}

// windowsDevice reports whether name is one of the device names Windows
// reserves whatever the extension ("nul.epub" cannot be created there).
func windowsDevice(name string) bool {
	switch n := strings.ToLower(name); n {
	case "con", "prn", "aux", "nul":
		return true
	default:
		return len(n) == 4 && (strings.HasPrefix(n, "com") || strings.HasPrefix(n, "lpt")) && n[3] >= '1' && n[3] <= '9'
	}
}

// Scheme returns the scheme of an absolute URL, in lower case and without
// its colon ("https" for "HTTPS://x"), and whether u starts with one at
// all (RFC 3986: a letter, then letters, digits, '+', '-' or '.', then
// ':'). It does not trim or decode u: the compiler normalises a URL before
// it asks.
func Scheme(u string) (string, bool) {
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(u[:i]), true
		default:
			return "", false
		}
	}
	return "", false
}

// AllowedScheme reports whether a link that leaves the book may use the
// scheme (as Scheme returns it): http, https and mailto. Every other
// scheme — javascript:, data:, file:, ftp:, … — could run code, reach the
// reader's own files or simply not work in a book, so the compiler turns
// such links into text.
func AllowedScheme(scheme string) bool {
	return scheme == "http" || scheme == "https" || scheme == "mailto"
}

// IsSafeURL reports whether u may be an external link's URL in a book:
// an allowed scheme, no control characters and no surrounding space.
func IsSafeURL(u string) bool {
	s, ok := Scheme(u)
	if !ok || !AllowedScheme(s) || strings.TrimSpace(u) != u {
		return false
	}
	for i := 0; i < len(u); i++ {
		if u[i] < 0x20 || u[i] == 0x7f {
			return false
		}
	}
	return true
}

// versionPattern matches a version as the handbook writes it: "v0.1",
// "v1.2.3", "0.4", "v1.0-rc.1".
var versionPattern = regexp.MustCompile(`^v?\d+(\.\d+)*([-+][0-9A-Za-z.-]+)?$`)

// IsVersion reports whether s is a version: the text of the version
// line's link, a release tag, the version part of a book's file name.
func IsVersion(s string) bool { return versionPattern.MatchString(s) }
