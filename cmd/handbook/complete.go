package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// Shell completion: cobra completes commands and flags; these complete the
// flags' values. The same functions serve bash, zsh and fish, since the
// scripts cobra generates ask the program itself (handbook __complete …).

// completeDirs completes the positional source directory.
func completeDirs(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveFilterDirs
}

// completeList completes a comma-separated list of values from choices:
// after "epub," it offers "epub,pdf", leaving out values already given.
func completeList(choices ...string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		prefix, given := "", map[string]bool{}
		if i := strings.LastIndex(toComplete, ","); i >= 0 {
			prefix = toComplete[:i+1]
			for _, v := range strings.Split(toComplete[:i], ",") {
				given[strings.TrimSpace(v)] = true
			}
		}
		var out []string
		for _, c := range choices {
			if !given[c] {
				out = append(out, prefix+c)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeOne completes a single value from choices.
func completeOne(choices ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(choices, cobra.ShellCompDirectiveNoFileComp)
}
