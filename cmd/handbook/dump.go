package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/genai-handbook/handbook/compile/tree"
)

func newDump(stdout, stderr io.Writer) *cobra.Command {
	var sf sourceFlags
	cmd := &cobra.Command{
		Use:   "dump [DIR]",
		Short: "Print the compiled book tree as indented text",
		Long: `dump prints the book tree the backends receive: metadata, parts with their
"Goal:" summaries, numbered chapters, blocks and inline content, with every
internal link's resolved target. Diagnostics go to stderr.`,
		Example: `  handbook dump ../genai-handbook.github.io | less
  handbook dump --example`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeDirs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f := defaultBuildFlags()
			f.source = sf
			p, err := newPlan("dump", f, func(string) bool { return false }, args)
			if err != nil {
				return err
			}
			p.diags.Print(stderr, false)
			if p.book == nil {
				return exitError{1}
			}
			return tree.Dump(stdout, p.book)
		},
	}
	sf.add(cmd, true)
	return cmd
}
