package main

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/lab"
	"github.com/clusterctl/cluster/lab/labdir"
)

// labFlags are the flags shared by the lab subcommands.
type labFlags struct {
	dir      string
	nodes    int
	names    []string
	windows  []string // nil: the lab's previous choice
	codePage int
}

func newLabCmd(g *globals) *cobra.Command {
	f := &labFlags{}
	cmd := &cobra.Command{
		Use:   "lab",
		Short: "Run simulated cluster nodes on this machine",
		Long: `lab runs simulated nodes, each an SSH server on its own loopback address with an
isolated root directory in which the vendor commands (clpcl, clpcfctrl, vkhoststat, xodstsinit,
...) are emulated. Point a configuration at DIR/lab.vars.hcl to plan and apply against it.`,
	}
	cmd.PersistentFlags().StringVar(&f.dir, "dir", ".lab", "lab `DIR`ectory")
	cmd.AddCommand(newLabUpCmd(f), newLabServeCmd(f), newLabStatusCmd(f), newLabDownCmd(f), newLabFaultCmd(f))
	return cmd
}

func (f *labFlags) options() lab.Options {
	return lab.Options{Dir: f.dir, Nodes: f.nodes, Names: f.names, Windows: f.windows, CodePage: f.codePage}
}

func (f *labFlags) addNodeFlags(cmd *cobra.Command) {
	cmd.Flags().IntVar(&f.nodes, "nodes", 0, fmt.Sprintf("number of nodes, named sv1..svN (default %d, or the lab's previous nodes)", lab.DefaultNodes))
	cmd.Flags().StringSliceVar(&f.names, "names", nil, "node `NAMES`, comma-separated (instead of --nodes)")
	cmd.Flags().StringSliceVar(&f.windows, "windows", nil,
		"make these `NAMES` Windows nodes (Microsoft's OpenSSH with cmd.exe, SFTP with /C:/ paths, no POSIX shell; '*' for every node, '' for none; default: the lab's previous choice)")
	cmd.Flags().IntVar(&f.codePage, "code-page", 0, "console code page of the Windows nodes: 437, 932 or 65001 (default: the lab's previous, else 932)")
}

func newLabUpCmd(f *labFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "up",
		Short: "Start the lab nodes in the background",
		Long: `up starts the lab: simulated cluster nodes on this machine, to try every command of cluster
without a real cluster. Each node is an SSH server on its own loopback address (127.0.0.11,
127.0.0.12, ...) with its own root directory under DIR/nodes/, in which the vendor commands
(clpcl, clpcfctrl, vkhoststat, xodstsinit, ...) are emulated as strictly as the product behaves.

up returns once every node accepts connections and prints their addresses and host keys. It
writes DIR/lab.vars.hcl (hosts, ssh_user, identity_file, known_hosts_file): pass it with
--var-file to plan and apply against the lab. The nodes keep their state across 'lab down' and
'lab up'; 'lab fault' injects faults (a slow or down node, a full disk). See docs/lab.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.nodes != 0 && len(f.names) != 0 {
				return errors.New("use --nodes or --names, not both")
			}
			exe, err := os.Executable()
			if err != nil {
				return err
			}
			dir, err := filepath.Abs(f.dir)
			if err != nil {
				return err
			}
			serve := []string{exe, "lab", "serve", "--dir", dir, "--ready-fd", "3"}
			if f.nodes != 0 {
				serve = append(serve, "--nodes", strconv.Itoa(f.nodes))
			}
			if len(f.names) != 0 {
				serve = append(serve, "--names", strings.Join(f.names, ","))
			}
			if f.windows != nil {
				serve = append(serve, "--windows="+strings.Join(f.windows, ","))
			}
			if f.codePage != 0 {
				serve = append(serve, "--code-page", strconv.Itoa(f.codePage))
			}
			opts := f.options()
			opts.Dir = dir
			reg, err := lab.Up(lab.UpOptions{Options: opts, Command: serve})
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tADDRESS\tPORT\tHOST KEY")
			for _, n := range reg.Nodes {
				fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", n.Name, n.Address, n.Port, n.Fingerprint)
			}
			if err := w.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\nLab running in %s. Use --var-file %s\n", dir, filepath.Join(dir, lab.VarsFile))
			return nil
		},
	}
	f.addNodeFlags(cmd)
	return cmd
}

// newLabServeCmd is the hidden command `lab up` runs in the background.
func newLabServeCmd(f *labFlags) *cobra.Command {
	var readyFD int
	cmd := &cobra.Command{
		Use:    "serve",
		Short:  "Serve the lab nodes in the foreground",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var ready io.Writer = cmd.OutOrStdout()
			if readyFD > 0 {
				pipe := os.NewFile(uintptr(readyFD), "ready")
				defer pipe.Close()
				ready = closeAfterLine{pipe}
			}
			opts := f.options()
			opts.Log = log.New(cmd.ErrOrStderr(), "lab: ", log.LstdFlags)
			return lab.Serve(cmd.Context(), opts, ready)
		},
	}
	cmd.Flags().IntVar(&readyFD, "ready-fd", 0, "file descriptor on which to report readiness")
	f.addNodeFlags(cmd)
	return cmd
}

// closeAfterLine closes the readiness pipe after its one line, so `lab up` sees the end.
type closeAfterLine struct{ f *os.File }

func (c closeAfterLine) Write(p []byte) (int, error) {
	n, err := c.f.Write(p)
	c.f.Close()
	return n, err
}

func newLabStatusCmd(f *labFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show the lab nodes, whether they are up, and their faults",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := lab.Status(f.dir)
			if labdir.IsNotExist(err) {
				return fmt.Errorf("no lab in %s: start one with `cluster lab up`", f.dir)
			}
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if st.Running {
				fmt.Fprintf(out, "Lab server running (pid %d).\n\n", st.PID)
			} else {
				fmt.Fprintf(out, "Lab server not running.\n\n")
			}
			w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tADDRESS\tPORT\tKIND\tSTATE\tFAULTS")
			for _, n := range st.Nodes {
				kind := "posix"
				if n.Dialect == labdir.DialectCmd {
					kind = fmt.Sprintf("windows (cmd.exe, code page %d)", n.CodePage)
				}
				state := "down"
				if n.Up {
					state = "up"
				}
				faults := strings.Join(n.Faults, ",")
				if faults == "" {
					faults = "-"
				}
				fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\t%s\n", n.Name, n.Address, n.Port, kind, state, faults)
			}
			return w.Flush()
		},
	}
}

func newLabDownCmd(f *labFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "down",
		Short: "Stop the lab nodes (their state is kept)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			was, err := lab.Down(f.dir, 10*time.Second)
			if err != nil {
				return err
			}
			if was {
				fmt.Fprintln(cmd.OutOrStdout(), "Lab stopped.")
			} else {
				fmt.Fprintln(cmd.OutOrStdout(), "Lab was not running.")
			}
			return nil
		},
	}
}

func newLabFaultCmd(f *labFlags) *cobra.Command {
	var off bool
	kinds := make([]string, 0, len(labdir.Faults()))
	for _, k := range labdir.Faults() {
		kinds = append(kinds, string(k))
	}
	cmd := &cobra.Command{
		Use:   "fault NODE KIND [ARG]",
		Short: "Inject (or with --off clear) a fault on a lab node",
		Long: `fault switches a fault on a lab node; --off switches it off. Kinds:
  node-down              the node refuses connections; pushes to it fail
  slow MS                MS milliseconds of delay per read and write on new connections
  drop BYTES             new connections are cut after BYTES sent to the client
  disk-full              emulated commands that write fail; df reports 0 free
  scan-inact SERVER      the scan server is disconnected (INACT) once
  scan-down SERVER       vkattach cannot reach the scan server
  sts-ioerror PATH       I/O errors on that status file (the current pair is swapped away)
  vendor-fail OP         clpcl --suspend / --resume (OP suspend | resume) fails on this server
  service-auto NAME      the OS service NAME starts at boot (sc qc: AUTO_START; systemctl: enabled)
  registry-missing KEY   reg query KEY fails: the product is not installed on this node
  registry-differs KEY   reg query KEY lists a value the other nodes lack`,
		Args:      cobra.RangeArgs(2, 3),
		ValidArgs: kinds,
		RunE: func(cmd *cobra.Command, args []string) error {
			reg, err := labdir.ReadRegistry(f.dir)
			if err != nil {
				return err
			}
			node, ok := reg.Node(args[0])
			if !ok {
				return fmt.Errorf("no node %q in the lab in %s", args[0], f.dir)
			}
			kind, arg := labdir.Fault(args[1]), ""
			if len(args) == 3 {
				arg = args[2]
			}
			if off {
				return labdir.ClearFault(node.Root, kind, arg)
			}
			return labdir.SetFault(node.Root, kind, arg)
		},
	}
	cmd.Flags().BoolVar(&off, "off", false, "switch the fault off")
	return cmd
}
