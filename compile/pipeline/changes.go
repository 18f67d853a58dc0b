package pipeline

import (
	"bytes"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/compile/words"
)

// ChangesName is the release notes' file, written beside the books when
// the book was compared with an earlier release (see CompileSince).
const ChangesName = "CHANGES.md"

// ReleaseNotes returns CHANGES.md for bk: the books' "What's new" page
// in Markdown, ready to paste as a release's notes, each chapter linked
// to its place on the handbook's site (see SiteURL), or unlinked when the
// site is not known; nil when bk has no Changes.
func ReleaseNotes(bk *tree.Book) []byte {
	if bk.Changes == nil {
		return nil
	}
	wd := words.For(bk.Meta.Language)
	heading, lists := wd.Changes(bk.Changes, bk.Meta.Version)
	site := SiteURL(bk.Meta.SourceURL)
	var b bytes.Buffer
	b.WriteString("## " + mdEscape(heading) + "\n\n")
	if len(lists) == 0 {
		b.WriteString(mdEscape(wd.NoChanges) + "\n")
	}
	link := func(text, href string) string {
		if href == "" {
			return mdEscape(text)
		}
		return "[" + mdEscape(text) + "](" + strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(href) + ")"
	}
	for i, l := range lists {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("### " + mdEscape(l.Heading) + "\n\n")
		for _, e := range l.Entries {
			href := e.URL
			if href == "" && e.ID != "" && site != "" {
				href = site + "#" + url.PathEscape(e.ID)
			}
			b.WriteString("- " + link(e.Title, href))
			if e.Detail != "" {
				b.WriteString(mdEscape(wd.DetailSep + e.Detail))
			}
			b.WriteString("\n")
		}
	}
	return b.Bytes()
}

// staleNotes reports whether out holds a CHANGES.md that a build wrote
// (it begins with the heading ReleaseNotes gives it): a user's own file
// of that name is left alone.
func staleNotes(out string) bool {
	f, err := os.Open(filepath.Join(out, ChangesName))
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	return bytes.HasPrefix(head[:n], []byte("## "+words.English.WhatsNew))
}

// mdEscape escapes what Markdown would read as markup in plain text.
var mdEscape = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, "#", `\#`, "|", `\|`).Replace

// SiteURL returns the address of the handbook's site, where its chapters
// are (with "#" and a chapter's id): for a source on GitHub, its GitHub
// Pages site (https://OWNER.github.io/ for the repository
// OWNER.github.io, else https://OWNER.github.io/NAME/); for a source
// address that is not a code host's, that address (the site's url in
// _config.yml); "" when unknown, and for the placeholder example.com
// that a new Jekyll site's configuration holds.
func SiteURL(source string) string {
	u, err := url.Parse(source)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case host == "github.com" || host == "www.github.com":
		f := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(f) < 2 || f[0] == "" || f[1] == "" {
			return ""
		}
		owner, name := strings.ToLower(f[0]), strings.TrimSuffix(f[1], ".git")
		if strings.EqualFold(name, owner+".github.io") {
			return "https://" + owner + ".github.io/"
		}
		return "https://" + owner + ".github.io/" + name + "/"
	case host == "gitlab.com" || host == "codeberg.org" || host == "bitbucket.org":
		return ""
	case host == "example.com" || host == "example.org" || host == "example.net" || strings.HasSuffix(host, ".example.com"):
		return ""
	}
	s := u.String()
	if u.Fragment != "" || u.RawQuery != "" {
		return ""
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s
}
