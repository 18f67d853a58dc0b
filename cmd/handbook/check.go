package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/genai-handbook/handbook/compile/pipeline"
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
			ctx, stop := interruptible()
			defer stop()
			diags, err := p.check(ctx, stderr, format == "json")
			if err != nil {
				return err
			}
			switch format {
			case "json":
				err = writeCheckJSON(stdout, p.book, diags)
			case "github":
				err = diags.WriteGitHub(stdout)
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
	cmd.RegisterFlagCompletionFunc("format", completeOne("text", "json", "github"))
	return cmd
}

// check lays the plan's books out without writing them and returns every
// diagnostic build would print: the plan's and the backends', sorted. A
// book that cannot be made at all is an error.
func (p *plan) check(ctx context.Context, stderr io.Writer, quiet bool) (diag.Diagnostics, error) {
	diags := append(diag.Diagnostics(nil), p.diags...)
	if p.book == nil {
		return diags, nil
	}
	prog := newProgress(nil, stderr, "checking", len(p.books), quiet)
	defer prog.close()
	more, err := pipeline.Check(ctx, p.book, p.options("", prog))
	if err != nil {
		return nil, err
	}
	return append(diags, more...).Deduped(), nil
}

func writeCheckText(w io.Writer, bk *tree.Book, diags diag.Diagnostics) error {
	var sb strings.Builder
	for _, d := range diags {
		sb.WriteString(d.String())
		sb.WriteByte('\n')
	}
	if bk != nil {
		sb.WriteString(tree.Count(bk).Summary(bk))
	}
	fmt.Fprintf(&sb, "%s, %s\n", plural(diags.Count(diag.Error), "error"), plural(diags.Count(diag.Warning), "warning"))
	_, err := io.WriteString(w, sb.String())
	return err
}

func writeCheckJSON(w io.Writer, bk *tree.Book, diags diag.Diagnostics) error {
	out := struct {
		Diagnostics []diag.JSON `json:"diagnostics"`
		Errors      int         `json:"errors"`
		Warnings    int         `json:"warnings"`
		Stats       *tree.Stats `json:"stats,omitempty"`
	}{Diagnostics: diags.JSON(), Errors: diags.Count(diag.Error), Warnings: diags.Count(diag.Warning)}
	if bk != nil {
		s := tree.Count(bk)
		out.Stats = &s
	}
	return writeJSON(w, out)
}
