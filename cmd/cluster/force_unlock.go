package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/sftpops"
)

type forceUnlockFlags struct {
	// Only variables and how to connect: force-unlock looks at the lock of every unit, and
	// changes nothing else.
	observe  observeFlags
	allStale bool
	yes      bool
}

func newForceUnlockCmd(g *globals) *cobra.Command {
	f := &forceUnlockFlags{}
	cmd := &cobra.Command{
		Use:   "force-unlock {LOCK_ID | LOCK_PATH | --all-stale} [DIR]",
		Short: "Remove a run-wide lock left by a run that is gone",
		Long: `force-unlock removes a run-wide lock from the nodes of the configuration in DIR.

  LOCK_ID      the lock with this ID, on every node (the ID is printed by the run that is
               refused: "locked by another run: ID ..."; it is matched literally)
  LOCK_PATH    a lock that records no holder, at this path on every node (printed by the run
               that is refused: "its lock records no holder (lock PATH, AGE old)")
  --all-stale  every lock that records no holder and is over a minute old, and every lock whose
               holder is proven gone; the locks are listed first and removal must be confirmed
               (or --yes)

Only do this when you know the run that holds the lock is no longer running. A lock whose holder
is proven dead (a run of this same machine, in this boot, whose process is gone) is removed
automatically by the next plan or apply.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if f.allStale {
				return cobra.MaximumNArgs(1)(cmd, args)
			}
			if len(args) == 0 {
				return errors.New("name the lock: LOCK_ID, LOCK_PATH, or --all-stale")
			}
			return cobra.RangeArgs(1, 2)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dirArgs := args
			if !f.allStale {
				dirArgs = args[1:]
			}
			cfg, err := loadConfig(cmd, g, configDir(dirArgs), f.observe.load)
			if err != nil {
				return err
			}
			eng, run, closeConns, err := startRun(cmd, f.observe.runFlags(), cfg, nil, nil)
			if err != nil {
				return err
			}
			defer closeConns()
			out := cmd.OutOrStdout()
			for _, l := range run.ClearedLocks {
				fmt.Fprintf(out, "Removed the lock of a run that no longer exists: %s\n", l)
			}
			switch {
			case f.allStale:
				return unlockStale(cmd, eng, run, f.yes)
			case isLockPath(args[0]):
				return unlockPath(cmd, eng, run, args[0])
			}
			return unlockID(cmd, eng, run, args[0])
		},
	}
	f.observe.register(cmd.Flags())
	cmd.Flags().BoolVar(&f.allStale, "all-stale", false, "remove every stale lock (listed first, then confirmed)")
	cmd.Flags().BoolVar(&f.yes, "yes", false, "with --all-stale: remove without asking")
	return cmd
}

// isLockPath tells a lock directory from a lock ID (IDs are hexadecimal).
func isLockPath(s string) bool { return strings.ContainsAny(s, `/\`) }

func unlockID(cmd *cobra.Command, eng *planner.Engine, run *planner.Run, id string) error {
	n, err := eng.ForceUnlock(cmd.Context(), run, id)
	for _, l := range run.ClearedLocks {
		if l.Info.ID == id {
			n++
		}
	}
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("no node holds a lock with ID %s", id)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "Removed lock %s from %d node(s).\n", id, n)
	return nil
}

func unlockPath(cmd *cobra.Command, eng *planner.Engine, run *planner.Run, path string) error {
	locks, err := eng.Locks(cmd.Context(), run)
	if err != nil {
		return err
	}
	var remove []planner.LockStatus
	var held []string
	for _, l := range locks {
		if !sameLockPath(l.Path, path) {
			continue
		}
		if l.Readable {
			held = append(held, fmt.Sprintf("  %s\n    remove it by its ID: cluster force-unlock %s", l, l.Info.ID))
			continue
		}
		remove = append(remove, l)
	}
	n, err := eng.RemoveLocks(cmd.Context(), remove)
	if n > 0 {
		fmt.Fprintf(cmd.OutOrStdout(), "Removed the lock %s from %d node(s).\n", path, n)
	}
	if len(held) > 0 {
		fmt.Fprintf(cmd.OutOrStdout(), "Kept, because they name their holder:\n%s\n", strings.Join(held, "\n"))
	}
	if err != nil {
		return err
	}
	if n == 0 && len(held) == 0 {
		return fmt.Errorf("no node holds a lock at %s", path)
	}
	return nil
}

// sameLockPath: arg, as the user typed it, names the lock at p. A POSIX path must match
// exactly or in its MSYS form (/c/...). A Windows path also matches with either slash or in
// Win32-OpenSSH's SFTP form (/C:/...), compared as the SFTP transport compares Windows paths
// (sftpops.SamePath: without regard to case, as Windows looks names up), so
// C:\PROGRAM FILES\... names the same lock.
func sameLockPath(p transport.NodePath, arg string) bool {
	if string(p) == arg || p.Posix() == transport.NodePath(arg).Posix() {
		return true
	}
	a, ok1 := sftpForm(string(p))
	b, ok2 := sftpForm(arg)
	return ok1 && ok2 && sftpops.SamePath(a, b)
}

// sftpForm is a Windows path, given in its SFTP form or as a drive path with either slash, in
// the SFTP form; ok is false for any other path.
func sftpForm(s string) (string, bool) {
	if _, err := sftpops.SFTPToWindows(s); err == nil {
		return s, true
	}
	p, err := sftpops.WindowsToSFTP(strings.ReplaceAll(s, "/", `\`))
	return p, err == nil
}

func unlockStale(cmd *cobra.Command, eng *planner.Engine, run *planner.Run, yes bool) error {
	locks, err := eng.Locks(cmd.Context(), run)
	out := cmd.OutOrStdout()
	var stale []planner.LockStatus
	for _, l := range locks {
		if l.Stale() {
			stale = append(stale, l)
			continue
		}
		why := "its holder may still be running"
		if !l.Readable {
			why = "under a minute old: a run may be taking it right now"
		}
		fmt.Fprintf(out, "Kept (%s):\n  %s\n", why, l)
	}
	if len(stale) == 0 {
		// The locks of runs that no longer exist were removed while reading the nodes (and
		// listed above): they were stale too.
		if n := len(run.ClearedLocks); n > 0 {
			fmt.Fprintf(out, "Removed %d stale lock(s); no other lock is stale.\n", n)
		} else {
			fmt.Fprintln(out, "No stale locks.")
		}
		return err
	}
	fmt.Fprintln(out, "Stale locks:")
	for _, l := range stale {
		fmt.Fprintf(out, "  %s\n", l)
	}
	if !yes {
		if err := confirm(cmd, fmt.Sprintf("\nRemove these %d lock(s)?\n  Only 'yes' will be accepted.\n\n  Enter a value: ", len(stale))); err != nil {
			return err
		}
	}
	n, rerr := eng.RemoveLocks(cmd.Context(), stale)
	fmt.Fprintf(out, "Removed %d stale lock(s).\n", n)
	return errors.Join(err, rerr)
}

// confirm asks on the terminal; without one it refuses rather than guess. (It asks after
// listing the stale locks, so even without a terminal the user sees them.)
func confirm(cmd *cobra.Command, question string) error {
	if !isTerminal(os.Stdin) && cmd.InOrStdin() == io.Reader(os.Stdin) {
		return errors.New("removing stale locks needs confirmation, and stdin is not a terminal: run with --yes")
	}
	return askYes(cmd, question, "force-unlock cancelled; no lock was removed")
}
