package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the owner of this command.
func newValidateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "validate",
		Short: "(not yet implemented)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("validate is not implemented yet")
		},
	}
}
