package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newForceUnlockCmd(g *globals) *cobra.Command {
	f := &runFlags{}
	cmd := &cobra.Command{
		Use:   "force-unlock LOCK_ID [DIR]",
		Short: "Remove a run-wide lock left by a run that is gone",
		Long: `force-unlock removes the lock with LOCK_ID from every node of the configuration in DIR.
The lock ID is printed by the run that is refused ("locked by another run: ID ...").
Only do this when you know the run that holds the lock is no longer running: a lock left by
a killed run on this same machine is broken automatically.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd, g, configDir(args[1:]), f.load)
			if err != nil {
				return err
			}
			eng, run, closeConns, err := startRun(cmd, f, cfg)
			if err != nil {
				return err
			}
			defer closeConns()
			n, err := eng.ForceUnlock(cmd.Context(), run, args[0])
			if err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("no node holds a lock with ID %s", args[0])
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Removed lock %s from %d node(s).\n", args[0], n)
			return nil
		},
	}
	f.register(cmd.Flags())
	return cmd
}
