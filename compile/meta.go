package compile

import (
	"crypto/sha1"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
)

// isAuthorBlock reports whether the paragraph above the introduction is
// the author/version block: lines separated by hard breaks, or a version
// link.
func isAuthorBlock(p *tree.Paragraph) bool {
	for _, in := range p.Content {
		switch in := in.(type) {
		case *tree.LineBreak:
			return true
		case *tree.Link:
			if tree.IsVersion(strings.TrimSpace(tree.PlainText(in.Content))) {
				return true
			}
		}
	}
	return false
}

// meta fills the book's metadata from the config, the front matter and the
// author block ("Name \ [@x](…) | [site](…) \ [v0.1](repo) (June 5, 2024)").
func (c *compiler) meta(bk *tree.Book, opt Options) {
	m := &bk.Meta
	cfg := c.src.Config
	m.Title = strings.TrimSpace(cfg.Title)
	if m.Title == "" {
		m.Title = strings.TrimSpace(c.src.FrontMatter.Title)
	}
	if m.Title == "" {
		m.Title = tree.DefaultTitle
	}
	m.Subtitle = strings.TrimSpace(cfg.Description)
	m.PageTitle = strings.TrimSpace(c.src.FrontMatter.Title)
	m.Language = firstNonEmpty(opt.Language, cfg.Language, "en")
	if !KindleAccepts(m.Language) {
		at := opt.LanguageAt
		if opt.Language == "" {
			at = diag.Pos{File: "_config.yml"}
		}
		c.diags.Warnf(at, "language %s is not one Send to Kindle accepts: Kindle readers who send the EPUB get error E999 (other reading systems are not affected)", diag.Quote(m.Language))
	}
	if c.authorBlock != nil {
		c.parseAuthorBlock(m, c.authorBlock)
	}
	siteURL := strings.TrimSpace(cfg.URL)
	if siteURL != "" && !tree.IsSafeURL(siteURL) {
		c.diags.Warnf(diag.Pos{File: "_config.yml"}, "url %s is not an http or https address: the book names no source", diag.Quote(siteURL))
		siteURL = ""
	}
	m.SourceURL = firstNonEmpty(m.VersionURL, siteURL)
	m.Slug = slug(firstNonEmpty(opt.Slug, m.Title))
	m.Identifier = firstNonEmpty(opt.Identifier, nameUUID(m.Title+"\n"+m.SourceURL))
	m.Subtitle = firstNonEmpty(opt.Subtitle, m.Subtitle)
	m.Version = firstNonEmpty(opt.Version, m.Version)
	if opt.Version == "" {
		c.releaseTag(m, opt.Tag, opt.TagDate)
	}
	m.AuthorSort = firstNonEmpty(opt.AuthorSort, sortName(m.Author))
	bk.Files = sortedFiles(c.files)
	for _, p := range bk.Parts {
		if p.Title == "" {
			p.Title = m.Title // a part without a heading is titled by the book
		}
	}
}

func (c *compiler) parseAuthorBlock(m *tree.Meta, p *tree.Paragraph) {
	var lines [][]tree.Inline
	var cur []tree.Inline
	for _, in := range p.Content {
		if _, ok := in.(*tree.LineBreak); ok {
			lines = append(lines, cur)
			cur = nil
			continue
		}
		cur = append(cur, in)
	}
	lines = append(lines, cur)
	for i, line := range lines {
		version := false
		for j, in := range line {
			l, ok := in.(*tree.Link)
			if !ok {
				continue
			}
			if t := strings.TrimSpace(tree.PlainText(l.Content)); tree.IsVersion(t) && m.Version == "" {
				version = true
				m.Version = t
				if tree.IsSafeURL(l.URL) {
					m.VersionURL = l.URL // not a #fragment: the books name it as their source
				}
				rest := strings.TrimSpace(tree.PlainText(line[j+1:]))
				rest = strings.TrimSuffix(strings.TrimPrefix(rest, "("), ")")
				m.Date = strings.TrimSpace(rest)
				m.DateISO = isoDate(m.Date)
				if m.Date != "" && m.DateISO == "" {
					c.diags.Warnf(p.Pos, "version date %s is not a date like \"June 5, 2024\"", diag.Quote(m.Date))
				}
				continue
			}
			if !version {
				m.AuthorLinks = append(m.AuthorLinks, l)
			}
		}
		if !version && m.Version == "" {
			c.badVersionLink(line)
		}
		if i == 0 && !version && m.Author == "" {
			var text []tree.Inline
			for _, in := range line {
				if _, ok := in.(*tree.Link); !ok {
					text = append(text, in)
				}
			}
			m.Author = strings.TrimSpace(tree.PlainText(text))
			if m.Author == "" && len(m.AuthorLinks) > 0 {
				m.Author = strings.TrimSpace(tree.PlainText(m.AuthorLinks[0].Content))
			}
		}
	}
}

// isoDate parses the dates a version line uses into YYYY-MM-DD.
func isoDate(s string) string {
	for _, layout := range []string{"January 2, 2006", "Jan 2, 2006", "January 2 2006", "2 January 2006", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// slug makes a file-name stem: lower case ASCII letters and digits, other
// runs turned into single hyphens.
func slug(s string) string {
	var sb strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && sb.Len() > 0 {
				sb.WriteByte('-')
			}
			sb.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	if sb.Len() == 0 {
		return "handbook"
	}
	return sb.String()
}

// nameUUID returns a name-based (version 5, RFC 4122) UUID URN in the URL
// namespace: the same name always gives the same identifier.
func nameUUID(name string) string {
	ns := []byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns)
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

func sortedFiles(m map[string]*tree.File) []*tree.File {
	fs := make([]*tree.File, 0, len(m))
	for _, f := range m {
		fs = append(fs, f)
	}
	for i := 1; i < len(fs); i++ { // insertion sort: a handful of files
		for j := i; j > 0 && fs[j].Path < fs[j-1].Path; j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
	return fs
}

// sortName turns "William Brown" into "Brown, William" for catalogues; a
// single name is kept as it is.
func sortName(name string) string {
	f := strings.Fields(name)
	if len(f) < 2 {
		return name
	}
	return f[len(f)-1] + ", " + strings.Join(f[:len(f)-1], " ")
}

// looksLikeVersion matches link text that was meant as a version but is
// not one: "v0.2 beta", "v 0.2", "0.2 (draft)".
var looksLikeVersion = regexp.MustCompile(`^[vV]?\s*\d`)

// badVersionLink warns about a link on a line of the author block whose
// text starts like a version but is not one, or that is followed by a
// date in parentheses as the version is: the books would otherwise carry
// no version, in their metadata or file names, without a word (issue 26,
// case 11).
func (c *compiler) badVersionLink(line []tree.Inline) {
	for j, in := range line {
		l, ok := in.(*tree.Link)
		if !ok {
			continue
		}
		t := strings.TrimSpace(tree.PlainText(l.Content))
		rest := strings.TrimSpace(tree.PlainText(line[j+1:]))
		dated := strings.HasPrefix(rest, "(") && isoDate(strings.Trim(rest, "() ")) != ""
		if looksLikeVersion.MatchString(t) || dated {
			c.diags.Warnf(l.Pos, "version link %s is not a version like \"v0.2\" or \"v1.2.3-beta\": the books have no version (set one in the link text, or version: in handbook.yml)", diag.Quote(t))
			return
		}
	}
}

// releaseTag lets the source checkout's release tag win over the version
// line: the book shows the tag, dated with the tagged commit's date
// rather than the version line's, and a warning says so when the two
// differ.
func (c *compiler) releaseTag(m *tree.Meta, tag string, when time.Time) {
	if tag == "" || tag == m.Version {
		return
	}
	if m.Version != "" {
		shown := tag
		if !when.IsZero() {
			shown += " · " + when.Format("January 2, 2006")
		}
		c.diags.Warnf(diag.Pos{File: "index.md"}, "git tag %s differs from the version line %s: the book shows the tag and its commit's date (%s)", diag.Quote(tag), diag.Quote(m.Version), shown)
	}
	m.Version = tag
	if !when.IsZero() {
		m.Date = when.Format("January 2, 2006")
		m.DateISO = when.Format("2006-01-02")
	}
}
