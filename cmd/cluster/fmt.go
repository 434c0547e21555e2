package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the owner of this command.
func newFmtCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "fmt",
		Short: "(not yet implemented)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("fmt is not implemented yet")
		},
	}
}
