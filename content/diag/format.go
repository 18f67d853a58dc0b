package diag

import (
	"fmt"
	"io"
	"strings"
)

// WriteGitHub writes the diagnostics as GitHub Actions workflow commands
// (::warning file=F,line=L,col=C::message), with their notes as further
// lines of the message.
func (diags Diagnostics) WriteGitHub(w io.Writer) error {
	// The escapes are GitHub's: in a value %, CR and LF; in a property
	// also ':' and ','.
	value := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	prop := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
	var sb strings.Builder
	for _, d := range diags {
		var props []string
		if d.Pos.File != "" {
			props = append(props, "file="+prop.Replace(d.Pos.File))
			if d.Pos.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", d.Pos.Line))
				if d.Pos.Col > 0 {
					props = append(props, fmt.Sprintf("col=%d", d.Pos.Col))
				}
			}
		}
		msg := d.Msg
		for _, n := range d.Notes {
			msg += "\n" + n.Pos.String() + ": note: " + n.Msg
		}
		cmd := "::" + d.Severity.String()
		if len(props) > 0 {
			cmd += " " + strings.Join(props, ",")
		}
		sb.WriteString(cmd + "::" + value.Replace(msg) + "\n")
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// JSON is the machine-readable form of a diagnostic (check --format json,
// build --json).
type JSON struct {
	File     string     `json:"file"`
	Line     int        `json:"line"`
	Col      int        `json:"col"`
	Severity string     `json:"severity"`
	Message  string     `json:"message"`
	Notes    []JSONNote `json:"notes,omitempty"`
}

// JSONNote is a note of a diagnostic in its JSON form.
type JSONNote struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

// JSON converts the diagnostics to their JSON form (never nil).
func (diags Diagnostics) JSON() []JSON {
	out := []JSON{}
	for _, d := range diags {
		jd := JSON{File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col, Severity: d.Severity.String(), Message: d.Msg}
		for _, n := range d.Notes {
			jd.Notes = append(jd.Notes, JSONNote{File: n.Pos.File, Line: n.Pos.Line, Col: n.Pos.Col, Message: n.Msg})
		}
		out = append(out, jd)
	}
	return out
}

// EditDistance is the Levenshtein distance of a and b (in runes), or
// limit when it is at least limit: how a "did you mean" tells a typo.
func EditDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit)
}

// Suggest returns the names a mistyped name may have meant, in the order
// given: those within one typo of it (two, for a name of five letters or
// more: "stirct" is strict), and those it begins (of three letters or
// more: "form" is format; a single letter: "q" is quiet).
func Suggest(name string, names []string) []string {
	typos := 1
	if len(name) >= 5 {
		typos = 2
	}
	prefix := len(name) >= 3 || len(name) == 1
	var out []string
	for _, n := range names {
		if len(name) > 1 && EditDistance(name, n, typos+1) <= typos || prefix && strings.HasPrefix(n, name) {
			out = append(out, n)
		}
	}
	return out
}
