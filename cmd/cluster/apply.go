package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the owner of this command.
func newApplyCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "apply",
		Short: "(not yet implemented)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("apply is not implemented yet")
		},
	}
}
