package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
	"github.com/genai-handbook/handbook/content/diag"
)

func newCheck(stdout, stderr io.Writer) *cobra.Command {
	var sf sourceFlags
	var format string
	var strict bool
	cmd := &cobra.Command{
		Use:   "check [DIR]",
		Short: "Report every problem a build would, without writing books",
		Long: `check does everything build does but write files: it reads handbook.yml
and the cover, compiles the handbook, applies the git tag, and lays every
book out (into nothing), so that it reports the same diagnostics build
would, each on one line (file:line:col: severity: message), sorted, followed
by a summary of the book.

--format github also writes each diagnostic as a GitHub Actions annotation
(::warning file=…,line=…,col=…::…), which GitHub shows on the changed lines.

Exit status: 0 when clean, 1 on errors (or on warnings with --strict),
2 on usage errors.`,
		Example: `  handbook check ../genai-handbook.github.io
  handbook check --strict               # fail CI on warnings too
  handbook check --format github        # in a GitHub Actions workflow
  handbook check --format json          # for editors`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeDirs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" && format != "github" {
				return usageError{err: fmt.Errorf("--format %q: want text, json or github", format)}
			}
			f := defaultBuildFlags()
			f.source = sf
			p, err := newPlan("check", f, func(string) bool { return false }, args)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			diags, err := p.check(ctx, stderr, format == "json")
			if err != nil {
				return err
			}
			switch format {
			case "json":
				err = writeCheckJSON(stdout, p.book, diags)
			case "github":
				err = writeAnnotations(stdout, diags)
				if err == nil {
					err = writeCheckText(stdout, p.book, diags)
				}
			default:
				err = writeCheckText(stdout, p.book, diags)
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
	sf.add(cmd, true)
	cmd.Flags().BoolVar(&strict, "strict", false, "treat warnings as errors")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or github (text plus GitHub Actions annotations)")
	registerCheckCompletions(cmd)
	return cmd
}

// check lays the plan's books out into io.Discard and returns every
// diagnostic build would print: the plan's and the backends', sorted.
// A book that cannot be made at all is an error.
func (p *plan) check(ctx context.Context, stderr io.Writer, quiet bool) (diag.Diagnostics, error) {
	diags := append(diag.Diagnostics(nil), p.diags...)
	if p.book == nil {
		return diags, nil
	}
	prog := newProgress(nil, stderr, "checking", len(p.arts), quiet)
	defer prog.close()
	reports := p.layOut(ctx, "", prog, func(int) (io.Writer, func() []byte) {
		return io.Discard, func() []byte { return nil }
	}, func(_ int, r *artifactReport, _ []byte) {
		prog.finish(filepath.Base(r.Path), "", r.Pages)
	})
	prog.close()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	for _, r := range reports {
		diags = append(diags, r.diags...)
		if r.err != nil {
			return nil, fmt.Errorf("%s: %w", r.Path, r.err)
		}
	}
	return dedupe(diags), nil
}

// writeAnnotations writes diagnostics as GitHub Actions workflow commands
// (::warning file=F,line=L,col=C::message), with their notes as further
// lines of the message.
func writeAnnotations(w io.Writer, diags diag.Diagnostics) error {
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
