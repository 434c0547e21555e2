package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the owner of this command.
func newLabCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "lab",
		Short: "(not yet implemented)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("lab is not implemented yet")
		},
	}
}
