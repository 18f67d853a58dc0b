package main

import (
	"io"

	"github.com/spf13/cobra"
)

func newBuild(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the books (EPUB and PDF)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return nil
		},
	}
	return cmd
}
