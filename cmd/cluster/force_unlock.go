package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the owner of this command.
func newForceUnlockCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "force-unlock",
		Short: "(not yet implemented)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("force-unlock is not implemented yet")
		},
	}
}
