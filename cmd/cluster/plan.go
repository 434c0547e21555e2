package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the owner of this command.
func newPlanCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "plan",
		Short: "(not yet implemented)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("plan is not implemented yet")
		},
	}
}
