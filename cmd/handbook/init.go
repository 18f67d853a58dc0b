package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/genai-handbook/handbook/content/example"
)

func newInit(stdout, stderr io.Writer) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init DIR",
		Short: "Write the bundled example handbook into DIR as a starting point",
		Long: `init writes the bundled example handbook (index.md, _config.yml, _includes/,
assets/) into DIR, creating it. It never overwrites a file: when any of the
files it would write already exists, it lists them and writes nothing,
unless --force is given.`,
		Example: `  handbook init my-handbook && handbook build my-handbook`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{err: fmt.Errorf("init writes the example handbook into a directory: name one (%d given)", len(args)),
					hint: "For example: handbook init my-handbook"}
			}
			return nil
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
		RunE: func(_ *cobra.Command, args []string) error {
			dir := args[0]
			written, exist, err := example.WriteTo(dir, force)
			if len(exist) > 0 {
				fmt.Fprintf(stderr, "handbook: init: %s already in %s; nothing written (--force overwrites them):\n  %s\n",
					plural(len(exist), "file"), dir, strings.Join(exist, "\n  "))
				return exitError{1}
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "wrote %s into %s; build it with: handbook build %s\n", plural(len(written), "file"), dir, dir)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite files that already exist")
	return cmd
}
