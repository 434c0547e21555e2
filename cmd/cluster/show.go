package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the owner of this command.
func newShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show",
		Short: "(not yet implemented)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("show is not implemented yet")
		},
	}
}
