package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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
			var files []string
			err := fs.WalkDir(example.FS, ".", func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && filepath.Ext(p) != ".go" {
					files = append(files, p)
				}
				return err
			})
			if err != nil {
				return err
			}
			var exist []string
			for _, p := range files {
				if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p))); err == nil {
					exist = append(exist, p)
				}
			}
			if len(exist) > 0 && !force {
				fmt.Fprintf(stderr, "handbook: init: %s already in %s; nothing written (--force overwrites them):\n  %s\n",
					plural(len(exist), "file"), dir, strings.Join(exist, "\n  "))
				return exitError{1}
			}
			for _, p := range files {
				dst := filepath.Join(dir, filepath.FromSlash(p))
				if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
					return err
				}
				data, err := example.FS.ReadFile(p)
				if err != nil {
					return err
				}
				// Replace rather than write through: a symlink in DIR must
				// not lead the example's files elsewhere.
				if err := os.Remove(dst); err != nil && !os.IsNotExist(err) {
					return err
				}
				if err := os.WriteFile(dst, data, 0o644); err != nil {
					return err
				}
			}
			fmt.Fprintf(stdout, "wrote %s into %s; build it with: handbook build %s\n", plural(len(files), "file"), dir, dir)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite files that already exist")
	return cmd
}
