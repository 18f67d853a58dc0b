package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/genai-handbook/handbook/content/example"
)

func newInit(stdout io.Writer) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init DIR",
		Short: "Write the bundled example handbook into DIR as a starting point",
		Long: `init writes the bundled example handbook (index.md, _config.yml, _includes/,
assets/) into DIR, creating it. It refuses a DIR that already holds an
index.md unless --force is given.`,
		Example: `  handbook init my-handbook && handbook build --source my-handbook`,
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			dir := args[0]
			if _, err := os.Stat(filepath.Join(dir, "index.md")); err == nil && !force {
				return usageError{fmt.Errorf("%s already holds a handbook (index.md); use --force to overwrite", dir)}
			}
			n := 0
			err := fs.WalkDir(example.FS, ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if filepath.Ext(p) == ".go" {
					return nil
				}
				dst := filepath.Join(dir, filepath.FromSlash(p))
				if d.IsDir() {
					return os.MkdirAll(dst, 0o755)
				}
				data, err := example.FS.ReadFile(p)
				if err != nil {
					return err
				}
				n++
				return os.WriteFile(dst, data, 0o644)
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "wrote %d files into %s; build it with: handbook build --source %s\n", n, dir, dir)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing handbook")
	return cmd
}
