package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/hcl/generate"
	"github.com/clusterctl/cluster/internal/atomicfile"
	"github.com/clusterctl/cluster/providers/clusterpro"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/sshnode"
)

// importFlags are the flags of `cluster import`.
type importFlags struct {
	from, fromFile, out, name, installDir string
	hosts                                 []string
	force, acceptNewHostKeys              bool
	// shell and codePage say how the nodes run commands (docs/windows.md, "The shell
	// setting"): --from reaches the node that way, and the written configuration says so.
	shell                       string
	codePage                    int
	placeholderScripts          bool
	become, becomePasswordStdin bool
	ssh                         config.SSH
	port                        int
}

func newImportCmd(g *globals) *cobra.Command {
	f := &importFlags{}
	cmd := &cobra.Command{
		Use:   "import (--from NODEADDR | --from-file PATH) [--out DIR]",
		Short: "Write the HCL of an existing cluster, read from a node or a saved clp.conf",
		Long: `import reads an existing cluster's configuration directory (clp.conf and the scripts beside
it) and writes it as HCL into DIR: cluster.hcl, one group-<name>.hcl per failover group,
variables.hcl, and the scripts under scripts/ as the vendor lays them out. Settings the
language does not model are kept verbatim as vendor_parameters, so nothing is lost: the
written configuration renders the same clp.conf, and 'cluster plan' against the same cluster
shows no changes. import checks exactly that before it reports success.

--from reads the directory from a node over SSH, with the same host-key checks as plan;
--from-file reads a clp.conf file, or a directory holding clp.conf (or etc/clp.conf) with
scripts/ beside it, in the vendor's layout: scripts/<group>/<resource>/start.sh and stop.sh
(.bat on Windows), scripts/monitor.s/<monitor>/genw.sh.

A Windows node as it ships (Microsoft's OpenSSH with cmd.exe, no POSIX shell) is read with
--shell cmd (or powershell), and --code-page when its console is not UTF-8 (932 on a
Japanese Windows); the written cluster gets the same ssh settings. On such a node only the
Windows install directories are looked at: EXPRESSCLUSTER's, then CLUSTERPRO's. An install
directory other than the platform's default is written as the cluster's install_dir.

Into a directory that already holds a configuration (another cluster), the cluster is written
beside it without touching its files: labelled --name (default: its clp.conf name, kept as the
name argument), its groups and scripts <label>_<name>, its files <label>-cluster.hcl,
<label>-group-<name>.hcl and <label>-variables.hcl (var.<label>_hosts), its scripts under
<label>/. The directory's own ssh block applies. --force writes the standalone layout instead,
replacing files.

A script that is not there is never guessed: it is written as unknown_content, which
validate accepts with a warning and plan and apply refuse until you supply the file, and
import exits 1 listing them. --placeholder-scripts writes scripts that do nothing and
succeed instead (applying them replaces the nodes' scripts with no-ops).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.from, "from", "", "read the cluster from the node at `ADDR`ESS over SSH")
	fl.StringVar(&f.fromFile, "from-file", "", "read the cluster from a clp.conf file or configuration `PATH`")
	fl.StringVar(&f.out, "out", ".", "write the configuration into `DIR`")
	fl.StringVar(&f.name, "name", "", "label the cluster `NAME` in HCL (default: its name in clp.conf)")
	fl.StringVar(&f.installDir, "install-dir", "", "the product's install `DIR` on the nodes (default: the Linux, then the Windows location; with --shell cmd or powershell the EXPRESSCLUSTER, then the CLUSTERPRO one); written as install_dir when not the platform's default")
	fl.StringArrayVar(&f.hosts, "host", nil, "default address of a node in var.hosts, as `NAME=ADDR[:PORT]` (repeatable)")
	fl.BoolVar(&f.force, "force", false, "replace files already in DIR")
	fl.BoolVar(&f.placeholderScripts, "placeholder-scripts", false, "write a script that does nothing for each script not found, instead of unknown_content")
	fl.IntVar(&f.port, "port", 0, "SSH port of --from (default: ~/.ssh/config, else 22)")
	fl.StringVar(&f.ssh.User, "user", "", "SSH login `USER` (default: ~/.ssh/config, else the local user)")
	fl.StringArrayVar(&f.ssh.IdentityFiles, "identity-file", nil, "private key `FILE` (repeatable)")
	fl.StringVar(&f.ssh.KnownHostsFile, "known-hosts-file", "", "known_hosts `FILE` (default ~/.ssh/known_hosts)")
	fl.BoolVar(&f.become, "become", false, "read the node as root through sudo (the configuration written gets become = true)")
	fl.StringVar(&f.ssh.BecomeUser, "become-user", "", "with --become, run as `USER` instead of root")
	fl.BoolVar(&f.becomePasswordStdin, "become-password-stdin", false, "with --become, read sudo's password from the first line of standard input (never from an argument)")
	fl.StringVar(&f.shell, "shell", "", "how the nodes run commands: `posix`, cmd or powershell (a stock Windows node: cmd)")
	fl.IntVar(&f.codePage, "code-page", 0, "console code `PAGE` of cmd and powershell nodes: 437, 932, 936 or 65001")
	fl.BoolVar(&f.acceptNewHostKeys, "accept-new-host-keys", false, "record the key of a never-seen node (a changed key still stops the import)")
	cmd.MarkFlagsMutuallyExclusive("from", "from-file")
	cmd.MarkFlagsOneRequired("from", "from-file")
	return cmd
}

func runImport(cmd *cobra.Command, f *importFlags) error {
	opts, err := f.generateOptions()
	if err != nil {
		return err
	}
	if err := f.becomeSettings(cmd.InOrStdin(), cmd.ErrOrStderr()); err != nil {
		return err
	}
	var src clusterpro.Source
	if f.fromFile != "" {
		src, err = readLocalDirectory(f.fromFile)
		src.InstallDir = f.installDir // where the nodes have it (default: the platform's)
	} else {
		src, err = f.readNode(cmd.Context())
	}
	if err != nil {
		return err
	}
	missing := clusterpro.MarkUnknown
	if f.placeholderScripts {
		missing = clusterpro.WritePlaceholders
	}
	if !f.force {
		if opts.Prefix, err = besideLabel(f.out, f.name, src); err != nil {
			return err
		}
	}
	im, err := clusterpro.Import(src, f.name, opts, missing)
	if err != nil {
		return err
	}
	if err := writeImport(f.out, im.Files, f.force); err != nil {
		return err
	}
	// The written configuration must load and render the cluster it came from.
	loaded, diags := config.Load(f.out, config.LoadOptions{Environ: os.Environ()})
	if diags.HasErrors() {
		return fmt.Errorf("the written configuration in %s does not validate (a bug; please report it): %s", f.out, diags.Error())
	}
	diffs, err := clusterpro.Differences(loaded.Config.Clusters[im.Label], src, im.Placeholders...)
	if err != nil {
		return err
	}
	errOut := cmd.ErrOrStderr()
	for _, w := range im.Warnings {
		fmt.Fprintln(errOut, "Warning:", w)
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "Imported %s from %s into %s:\n", im.Summary(), src.Where, f.out)
	for _, p := range im.FilePaths() {
		fmt.Fprintf(out, "  %s\n", p)
	}
	if len(diffs) > 0 {
		fmt.Fprintf(errOut, "Error: the written configuration does not reproduce the cluster exactly:\n")
		for _, d := range diffs {
			fmt.Fprintf(errOut, "  %s\n", d)
		}
		return silentExit(1)
	}
	if len(im.Unknown) > 0 {
		fmt.Fprintf(errOut, "\nError: %d scripts were not found beside %s and are not imported:\n", len(im.Unknown), src.Where)
		for _, p := range im.Unknown {
			fmt.Fprintf(errOut, "  %s\n", p)
		}
		fmt.Fprintf(errOut, `The configuration marks them unknown_content: validate accepts it with a warning, but plan
and apply refuse this cluster until you supply them. Copy each file from a node's
configuration directory to the same path in %s, set start/stop = file("...") in its script
block and remove the part from unknown_content; or import with --from NODE, which reads the
scripts too. (--placeholder-scripts writes scripts that do nothing instead.)
`, f.out)
		return silentExit(1)
	}
	if len(im.Placeholders) > 0 {
		fmt.Fprintf(out, "\nThe configuration renders the same clp.conf, and scripts that do nothing in place of the %d not found. Set var.%s to the nodes' SSH addresses, then:\n  cluster plan %s\n", len(im.Placeholders), hostsVar(opts), f.out)
		return nil
	}
	fmt.Fprintf(out, "\nThe configuration renders the same clp.conf and scripts. Set var.%s to the nodes' SSH addresses, then:\n  cluster plan %s\n", hostsVar(opts), f.out)
	return nil
}

func (f *importFlags) generateOptions() (generate.Options, error) {
	opts := generate.Options{Hosts: map[string]generate.Host{}, SSHUser: f.ssh.User, KnownHostsFile: f.ssh.KnownHostsFile,
		Become: f.become, BecomeUser: f.ssh.BecomeUser, Shell: f.shell, CodePage: f.codePage}
	if err := f.checkDialect(); err != nil {
		return opts, err
	}
	if len(f.ssh.IdentityFiles) > 0 {
		opts.IdentityFile = f.ssh.IdentityFiles[0]
	}
	for _, h := range f.hosts {
		name, addr, ok := strings.Cut(h, "=")
		if !ok || name == "" || addr == "" {
			return opts, fmt.Errorf("--host %q: want NAME=ADDR[:PORT]", h)
		}
		host := generate.Host{Address: addr}
		if a, p, err := net.SplitHostPort(addr); err == nil {
			port, err := strconv.Atoi(p)
			if err != nil || port < 1 || port > 65535 {
				return opts, fmt.Errorf("--host %q: bad port", h)
			}
			host = generate.Host{Address: a, Port: port}
		}
		opts.Hosts[name] = host
	}
	return opts, nil
}

// readNode reads the configuration directory installed on the node --from names.
func (f *importFlags) readNode(ctx context.Context) (clusterpro.Source, error) {
	pool := sshnode.NewPool(sshnode.Options{Parallelism: 1, AcceptNewHostKeys: f.acceptNewHostKeys})
	defer pool.Close()
	ssh := f.ssh
	ssh.Shell, ssh.CodePage = f.shell, f.codePage
	ep := config.Endpoint{Address: f.from, Port: f.port, SSH: ssh}
	node, err := pool.Connect(ctx, f.from, ep)
	if err != nil {
		return clusterpro.Source{}, f.dialectHint(err)
	}
	dirs := f.installDirs()
	// Every candidate directory is read in one session; the first holding a clp.conf wins.
	ops := make([]transport.Op, len(dirs))
	for i, dir := range dirs {
		ops[i] = clusterpro.ReadDirectory(transport.NodePath(dir))
	}
	results, err := transport.Do(ctx, node, ops...)
	if err != nil {
		return clusterpro.Source{}, f.readHint(f.dialectHint(err))
	}
	for i, dir := range dirs {
		d, err := clusterpro.DirectoryOf(results[i])
		if err != nil {
			return clusterpro.Source{}, fmt.Errorf("%s: reading %s: %w", f.from, dir, err)
		}
		if d.Conf != nil {
			return clusterpro.Source{Conf: d.Conf, Files: d.Files, Where: f.from + ":" + dir, InstallDir: dir}, nil
		}
	}
	return clusterpro.Source{}, fmt.Errorf("%s holds no clp.conf under %s; give the install directory with --install-dir", f.from, strings.Join(dirs, " or "))
}

// clusterproWindowsInstallDir is where the Japanese, CLUSTERPRO-branded product installs on
// Windows (EXPRESSCLUSTER/clpcfset script/change_ipaddr/Windows/clp_changeIP.ps1,
// $clp_install_path; docs/windows.md, "EXPRESSCLUSTER on Windows").
const clusterproWindowsInstallDir = `C:\Program Files\CLUSTERPRO`

// installDirs are the directories --from looks for clp.conf in, in order: --install-dir, else
// the Linux then the Windows default; on a Windows-dialect node only the Windows ones,
// EXPRESSCLUSTER's then CLUSTERPRO's (such a node refuses a POSIX path, which would fail the
// whole read).
func (f *importFlags) installDirs() []string {
	switch {
	case f.installDir != "":
		return []string{f.installDir}
	case f.windowsDialect():
		return []string{config.DefaultWindowsInstallDir, clusterproWindowsInstallDir}
	}
	return []string{config.DefaultLinuxInstallDir, config.DefaultWindowsInstallDir}
}

// windowsDialect: --shell names a Windows shell (files over SFTP, Windows paths only).
func (f *importFlags) windowsDialect() bool {
	return transport.WindowsShell(f.shell)
}

// checkDialect refuses a --shell or --code-page the transport does not know, and sudo on a
// Windows node (Windows has no sudo: docs/windows.md, "No sudo on Windows").
func (f *importFlags) checkDialect() error {
	switch f.shell {
	case "", transport.ShellPosix, transport.ShellCmd, transport.ShellPowerShell:
	default:
		return fmt.Errorf("--shell %q: want posix, cmd or powershell", f.shell)
	}
	if f.codePage != 0 && !slices.Contains(transport.CodePages, f.codePage) {
		return fmt.Errorf("--code-page %d: want one of %v", f.codePage, transport.CodePages)
	}
	if f.codePage != 0 && !f.windowsDialect() {
		return fmt.Errorf("--code-page applies to cmd and powershell nodes: give --shell cmd or --shell powershell too")
	}
	if f.become && f.windowsDialect() {
		return fmt.Errorf("--become runs sudo, which a %s node does not have: leave it out", f.shell)
	}
	return nil
}

// dialectHint completes the error of a node that does not answer in the dialect import used
// with the flag that sets it (the transport's message names the configuration setting).
func (f *importFlags) dialectHint(err error) error {
	var d *sshnode.DialectError
	if errors.As(err, &d) {
		return fmt.Errorf("%w; for import, pass --shell %s", err, d.Want)
	}
	return err
}

// readHint completes a failed read of a node taken for a POSIX one: a Windows node whose SSH
// server does not say it is Microsoft's OpenSSH is not recognised when it connects, and its
// cmd.exe fails the first POSIX batch (docs/windows.md, "The dialect check": not detected).
func (f *importFlags) readHint(err error) error {
	var d *sshnode.DialectError
	if f.windowsDialect() || errors.As(err, &d) {
		return err
	}
	return fmt.Errorf("%w (if %s is a Windows node without a POSIX shell, pass --shell cmd)", err, f.from)
}

// readLocalDirectory reads a clp.conf file with the scripts/ beside it, or a directory holding
// clp.conf or etc/clp.conf.
func readLocalDirectory(path string) (clusterpro.Source, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return clusterpro.Source{}, err
	}
	conf, root := path, filepath.Dir(path)
	if fi.IsDir() {
		root = path
		conf = filepath.Join(path, "clp.conf")
		if _, err := os.Stat(conf); errors.Is(err, os.ErrNotExist) {
			conf = filepath.Join(path, "etc", "clp.conf")
		}
	} else if filepath.Base(root) == "etc" {
		root = filepath.Dir(root) // an install directory: scripts/ sits beside etc/
	}
	if fi, err := os.Stat(conf); err == nil && fi.Size() > clpconf.MaxSize {
		return clusterpro.Source{}, fmt.Errorf("%s: %w", conf, &clpconf.LimitError{Limit: "size", Max: clpconf.MaxSize})
	}
	data, err := os.ReadFile(conf)
	if err != nil {
		return clusterpro.Source{}, err
	}
	src := clusterpro.Source{Conf: data, Files: map[string][]byte{}, Where: conf}
	scripts := filepath.Join(root, "scripts")
	err = filepath.WalkDir(scripts, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) && p == scripts {
				return filepath.SkipDir
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		src.Files[filepath.ToSlash(rel)] = b
		return err
	})
	return src, err
}

// writeImport writes the generated files under dir, refusing to replace one unless force.
// Each file is written whole under a temporary name and renamed into place.
// besideLabel decides how a cluster is imported into a directory that already holds a
// configuration (another cluster): beside it, labelled label (the --name, else its clp.conf
// name), so that none of its objects, files or variables collide with what is there. An empty
// or new directory gets the standalone layout (""). A label the directory already uses for a
// cluster is refused before anything is written.
func besideLabel(dir, name string, src clusterpro.Source) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", nil // a new directory
	}
	hasConfig := false
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".hcl") && !strings.HasSuffix(n, ".vars.hcl") && !strings.HasPrefix(n, ".") {
			hasConfig = true
		}
	}
	if !hasConfig {
		return "", nil
	}
	label := name
	if label == "" {
		doc, err := clpconf.Parse(src.Conf)
		if err != nil {
			return "", fmt.Errorf("%s: %w", src.Where, err)
		}
		label = doc.ClusterName()
	}
	existing, _ := config.Load(dir, config.LoadOptions{UnknownVariables: true, Environ: os.Environ()})
	if existing.Config != nil {
		if _, taken := existing.Config.Clusters[label]; taken {
			return "", fmt.Errorf("%s already declares cluster.%s: give the imported cluster another label with --name", dir, label)
		}
	}
	return label, nil
}

// hostsVar is the variable the imported nodes' addresses come from.
func hostsVar(opts generate.Options) string {
	if opts.Prefix != "" {
		return opts.Prefix + "_hosts"
	}
	return "hosts"
}

func writeImport(dir string, files generate.Files, force bool) error {
	if !force {
		for p := range files {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p))); err == nil {
				return fmt.Errorf("%s already exists in %s: import into an empty directory, or pass --force to replace it", p, dir)
			}
		}
	}
	for p, b := range files {
		path := filepath.Join(dir, filepath.FromSlash(p))
		if err := atomicfile.Write(path, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// becomeSettings completes the ssh settings with --become and its password, read from stdin so
// that it is never in the process list or the shell history; on a terminal, without echo.
func (f *importFlags) becomeSettings(stdin io.Reader, stderr io.Writer) error {
	if !f.become {
		if f.ssh.BecomeUser != "" || f.becomePasswordStdin {
			return fmt.Errorf("--become-user and --become-password-stdin need --become")
		}
		return nil
	}
	if f.fromFile != "" {
		return fmt.Errorf("--become reads a node: use it with --from")
	}
	f.ssh.Become = &f.become
	if !f.becomePasswordStdin {
		return nil
	}
	var line string
	if tty, ok := stdin.(interface{ Fd() uintptr }); ok && isTerminal(stdin) {
		fmt.Fprintf(stderr, "sudo password on %s: ", f.from)
		b, err := term.ReadPassword(int(tty.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return fmt.Errorf("--become-password-stdin: %w", err)
		}
		line = string(b)
	} else {
		read, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("--become-password-stdin: %w", err)
		}
		line = strings.TrimRight(read, "\r\n")
	}
	if line == "" {
		return fmt.Errorf("--become-password-stdin: standard input holds no password")
	}
	f.ssh.BecomePassword = line
	return nil
}
