package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
)

func newCheck(stdout, stderr io.Writer) *cobra.Command {
	var dir, format string
	var strict bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Compile the handbook and report every problem, without writing books",
		Long: `check reads and compiles the handbook, then prints every diagnostic, sorted,
one per line (file:line:col: severity: message), and a summary of the book.

Exit status: 0 when clean, 1 on errors (or on warnings with --strict),
2 on usage errors.`,
		Example: `  handbook check --source ../genai-handbook.github.io
  handbook check --strict               # fail CI on warnings too
  handbook check --format json          # for editors and CI annotations`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if format != "text" && format != "json" {
				return usageError{fmt.Errorf("--format %q: want text or json", format)}
			}
			src, err := openSource(dir, stderr)
			if err != nil {
				return err
			}
			bk, diags := compile.Load(src.fsys, compile.Options{})
			if format == "json" {
				err = writeCheckJSON(stdout, bk, diags)
			} else {
				err = writeCheckText(stdout, bk, diags)
			}
			if err != nil {
				return err
			}
			if diags.HasErrors() || strict && len(diags) > 0 {
				return exitError{1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "source", "", "handbook source directory (default: current directory if it has index.md, else the bundled example)")
	cmd.Flags().BoolVar(&strict, "strict", false, "treat warnings as errors")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func writeCheckText(w io.Writer, bk *tree.Book, diags diag.Diagnostics) error {
	var sb strings.Builder
	for _, d := range diags {
		sb.WriteString(d.String())
		sb.WriteByte('\n')
	}
	if bk != nil {
		s := compile.Count(bk)
		title := bk.Meta.Title
		if bk.Meta.Version != "" {
			title += " " + bk.Meta.Version
		}
		fmt.Fprintf(&sb, "%s: %s + %s, %s, %s\n", title,
			plural(s.Introductions, "introduction"), plural(s.Sections, "part"),
			plural(s.Chapters, "numbered chapter"), plural(s.Words, "word"))
		fmt.Fprintf(&sb, "links: %d external, %d of %d internal resolved\n", s.ExternalLinks, s.InternalResolved, s.InternalLinks)
	}
	fmt.Fprintf(&sb, "%s, %s\n", plural(diags.Count(diag.Error), "error"), plural(diags.Count(diag.Warning), "warning"))
	_, err := io.WriteString(w, sb.String())
	return err
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// jsonDiagnostic is the machine-readable form of a diagnostic.
type jsonDiagnostic struct {
	File     string     `json:"file"`
	Line     int        `json:"line"`
	Col      int        `json:"col"`
	Severity string     `json:"severity"`
	Message  string     `json:"message"`
	Notes    []jsonNote `json:"notes,omitempty"`
}

type jsonNote struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

func writeCheckJSON(w io.Writer, bk *tree.Book, diags diag.Diagnostics) error {
	out := struct {
		Diagnostics []jsonDiagnostic `json:"diagnostics"`
		Errors      int              `json:"errors"`
		Warnings    int              `json:"warnings"`
		Stats       *compile.Stats   `json:"stats,omitempty"`
	}{Diagnostics: []jsonDiagnostic{}, Errors: diags.Count(diag.Error), Warnings: diags.Count(diag.Warning)}
	out.Diagnostics = toJSON(diags)
	if bk != nil {
		s := compile.Count(bk)
		out.Stats = &s
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// toJSON converts diagnostics to their JSON form (never nil).
func toJSON(diags diag.Diagnostics) []jsonDiagnostic {
	out := []jsonDiagnostic{}
	for _, d := range diags {
		jd := jsonDiagnostic{File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col, Severity: d.Severity.String(), Message: d.Msg}
		for _, n := range d.Notes {
			jd.Notes = append(jd.Notes, jsonNote{File: n.Pos.File, Line: n.Pos.Line, Col: n.Pos.Col, Message: n.Msg})
		}
		out = append(out, jd)
	}
	return out
}
