package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/genai-handbook/handbook/compile"
	"github.com/genai-handbook/handbook/compile/tree"
)

func newDump(stdout, stderr io.Writer) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "dump",
		Short: "Print the compiled book tree as indented text",
		Long: `dump prints the book tree the backends receive: metadata, parts with their
"Goal:" summaries, numbered chapters, blocks and inline content, with every
internal link's resolved target. Diagnostics go to stderr.`,
		Example: `  handbook dump --source ../genai-handbook.github.io | less`,
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			src, err := openSource(dir, stderr)
			if err != nil {
				return err
			}
			bk, diags := compile.Load(src.fsys, compile.Options{})
			for _, d := range diags {
				io.WriteString(stderr, d.String()+"\n")
			}
			if bk == nil {
				return exitError{1}
			}
			return tree.Dump(stdout, bk)
		},
	}
	cmd.Flags().StringVar(&dir, "source", "", "handbook source directory (default: current directory if it has index.md, else the bundled example)")
	return cmd
}
