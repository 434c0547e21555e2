package e2e

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pkg/sftp"
	"golang.org/x/text/encoding/japanese"

	"github.com/clusterctl/cluster/lab"
	"github.com/clusterctl/cluster/lab/labdir"
)

// windowsSJIS is the Windows test configuration: four servers, three failover groups, managed
// services, registry synchronisation and Japanese text in SJIS scripts (its header names the
// seed of every part).
const windowsSJIS = "e2e/testdata/windows-sjis-4nodes"

// The node paths the scenario reads and edits over SFTP (Win32-OpenSSH's /C:/ form).
const (
	winInstall  = "/C:/Program Files/EXPRESSCLUSTER"
	winIISStart = winInstall + "/scripts/iis/iis/start.bat"
	winLock     = winInstall + "/work/cluster/lock"
)

// windowsRig is a started set of Windows-dialect nodes sv1..sv4, reached with shell = "cmd"
// (the var file's hosts say so): nodes runs the cluster binary with that var file and knows
// each node's host root (for lab faults), sftp opens an SFTP session to a node as the tool's
// user does.
type windowsRig struct {
	*nodes
	sftp func(t *testing.T, node string) *sftp.Client
}

// TestWindowsScenarioOnLabNodes runs the whole Windows scenario on four in-process Windows lab
// nodes (cmd.exe emulation, /C:/ SFTP, code page 932, CRLF).
func TestWindowsScenarioOnLabNodes(t *testing.T) {
	names := []string{"sv1", "sv2", "sv3", "sv4"}
	l, err := lab.StartInProcess(lab.Options{Dir: t.TempDir(), Names: names, Binary: binary, Windows: []string{"*"}, CodePage: 932})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	n := &nodes{t: t, names: names, roots: map[string]string{}, varFile: filepath.Join(l.Dir, lab.VarsFile), home: t.TempDir()}
	for _, name := range names {
		node, ok := l.Registry().Node(name)
		if !ok {
			t.Fatalf("no lab node %s", name)
		}
		n.roots[name] = node.Root
	}
	runWindowsScenario(t, windowsRig{nodes: n, sftp: func(t *testing.T, name string) *sftp.Client { return labSFTP(t, l, name) }})
}

// TestWindowsScenarioOnRealSSHD runs the same scenario on Windows-dialect nodes on real sshd,
// where no POSIX shell exists: chrooted nodes whose login shell is the cmd.exe emulation, with
// the real internal-sftp, peers of each other over the peer link (startWindowsRealCluster).
func TestWindowsScenarioOnRealSSHD(t *testing.T) {
	n := startWindowsRealCluster(t, "sv1", "sv2", "sv3", "sv4")
	runWindowsScenario(t, windowsRig{nodes: n, sftp: func(_ *testing.T, name string) *sftp.Client { return n.sftp(name) }})
}

// runWindowsScenario is issue 17's done-when on rig: the Windows configuration validates,
// plans, applies and re-plans "No changes"; a hand edit on sv3 is drift on sv3 only, and a
// service or registry key out of line is warned of on its node only; the cluster imports from a
// node and from a copy of its files into configurations that plan "No changes" with the
// Japanese text intact; backups lists the backups apply made and rollback returns to one;
// status shows the groups; force-unlock removes a lock left on a node.
func runWindowsScenario(t *testing.T, rig windowsRig) {
	n := rig.nodes
	dir := copyTree(t, filepath.Join(repoRoot(), windowsSJIS))
	vars := []string{"--var-file", n.varFile}
	plan := func(t *testing.T, what string, code int, dir string) result {
		t.Helper()
		return n.run(append([]string{"plan", "--detailed-exitcode"}, append(vars, dir)...)...).must(t, code, what)
	}
	apply := func(t *testing.T, what string) {
		t.Helper()
		n.run(append([]string{"apply", "--auto-approve"}, append(vars, dir)...)...).must(t, 0, what)
	}

	n.run(append([]string{"validate"}, append(vars, dir)...)...).must(t, 0, "validate")
	if p := n.planJSON(dir); p.Summary.Add == 0 || p.Summary.Change != 0 || p.Summary.Destroy != 0 {
		t.Fatalf("first plan summary = %+v, want only additions", p.Summary)
	}
	apply(t, "first apply")
	if r := plan(t, "plan after apply", 0, dir); !strings.Contains(r.stdout, "No changes") {
		t.Errorf("plan after apply does not say No changes:\n%s", r.stdout)
	}
	fs := map[string]*sftp.Client{}
	for _, name := range n.names {
		fs[name] = rig.sftp(t, name)
	}
	applied := readNodeFile(t, fs["sv1"], winIISStart)
	wantSJIS(t, "sv1 "+winIISStart, applied, "最高プライオリティサーバで起動中です")

	t.Run("drift on sv3 only", func(t *testing.T) {
		f, err := fs["sv3"].OpenFile(winIISStart, os.O_WRONLY|os.O_APPEND)
		if err != nil {
			t.Fatalf("open %s on sv3 over SFTP: %v", winIISStart, err)
		}
		if _, err := f.Write([]byte("rem edited by hand\r\n")); err != nil {
			t.Fatal(err)
		}
		f.Close()
		if got := driftedNodes(n.planJSON(dir)); strings.Join(got, ",") != "cluster.jpweb.node.sv3" {
			t.Fatalf("drifted nodes = %v, want exactly cluster.jpweb.node.sv3", got)
		}
		apply(t, "repairing apply")
		plan(t, "plan after the repair", 0, dir)
	})

	t.Run("service and registry warnings on their node", func(t *testing.T) {
		set := func(node string, f labdir.Fault, arg string) {
			if err := labdir.SetFault(n.roots[node], f, arg); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = labdir.ClearFault(n.roots[node], f, arg) })
		}
		set("sv3", labdir.ServiceAuto, "W3SVC")
		set("sv4", labdir.RegistryMissing, `HKLM\SOFTWARE\NEC\ExpressMail`)
		out := plan(t, "plan with W3SVC automatic on sv3 and ExpressMail's key gone on sv4", 0, dir)
		text := out.stdout + out.stderr
		for _, w := range []struct{ summary, node, other string }{
			{"Managed service starts at boot", "cluster.jpweb.node.sv3", "sc config W3SVC start= demand"},
			{"Synchronised registry key missing", "cluster.jpweb.node.sv4", `HKLM\SOFTWARE\NEC\ExpressMail`},
		} {
			if strings.Count(text, w.summary) != 1 || !strings.Contains(text, w.node) || !strings.Contains(text, w.other) {
				t.Errorf("want %q once, on %s, naming %s:\n%s", w.summary, w.node, w.other, text)
			}
		}
	})

	t.Run("status shows the groups", func(t *testing.T) {
		st := n.run(append([]string{"status"}, append(vars, dir)...)...).must(t, 0, "status")
		for _, want := range []string{"group.iis", "group.mail", "group.securevisor"} {
			if !strings.Contains(st.stdout, want) {
				t.Errorf("status does not show %s:\n%s%s", want, st.stdout, st.stderr)
			}
		}
		for _, name := range n.names {
			if !lineHas(st.stdout, "server  "+name, "Online, running") {
				t.Errorf("status does not show %s running:\n%s", name, st.stdout)
			}
		}
	})

	t.Run("import from a node", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "imported")
		addr, _ := varHost(t, n.varFile, "sv1")
		// Without --shell the node is taken for a POSIX one: one error naming the flag.
		r := n.run(append([]string{"import", "--from", addr, "--out", filepath.Join(t.TempDir(), "posix")}, importFlags(t, n)...)...).must(t, 1, "import --from a Windows node without --shell")
		if !strings.Contains(r.stderr, "pass --shell cmd") {
			t.Errorf("import without --shell does not say to pass --shell cmd:\n%s", r.stderr)
		}
		r = n.run(append([]string{"import", "--from", addr, "--out", out, "--shell", "cmd", "--code-page", "932"}, importFlags(t, n)...)...).must(t, 0, "import --from sv1")
		if !strings.Contains(r.stdout, "renders the same clp.conf and scripts") {
			t.Errorf("import does not say it reproduces the cluster:\n%s\n%s", r.stdout, r.stderr)
		}
		wantImportedScript(t, out, applied)
		wantCmdShell(t, out)
		// Alone, without the var file: what import wrote says how to reach every node.
		if r := n.run("plan", "--detailed-exitcode", out).must(t, 0, "plan of the configuration imported from sv1"); !strings.Contains(r.stdout, "No changes") {
			t.Errorf("plan of the imported configuration:\n%s", r.stdout)
		}
	})

	t.Run("import from a copy of the node's files", func(t *testing.T) {
		copied := t.TempDir()
		fetchTree(t, fs["sv2"], winInstall+"/etc", filepath.Join(copied, "etc"))
		fetchTree(t, fs["sv2"], winInstall+"/scripts", filepath.Join(copied, "scripts"))
		out := filepath.Join(t.TempDir(), "imported")
		n.run(append([]string{"import", "--from-file", copied, "--out", out, "--shell", "cmd", "--code-page", "932"}, hostFlags(t, n)...)...).must(t, 0, "import --from-file")
		wantImportedScript(t, out, applied)
		wantCmdShell(t, out)
		plan(t, "plan of the configuration imported from a copy", 0, out)
	})

	t.Run("backups and rollback", func(t *testing.T) {
		// A second configuration: apply backs up the first before it replaces it.
		const was, now = "最高プライオリティサーバで起動中です\\\" /A\"]", "最高プライオリティサーバで起動しました\\\" /A\"]"
		edit(t, filepath.Join(dir, "iis.hcl"), was, now)
		// The plan shows what changes as the nodes see it: Windows paths, commands as cmd.exe
		// receives them, the script's Japanese text decoded from Shift_JIS.
		wantWindowsDisplay(t, "plan of the second configuration", plan(t, "plan of the second configuration", 2, dir), "最高プライオリティサーバで起動しました")
		// Through a saved plan: the SJIS script survives the plan file (issue 17's first defect).
		planFile := filepath.Join(t.TempDir(), "second.plan")
		n.run(append([]string{"plan", "--out", planFile}, append(vars, dir)...)...).must(t, 0, "plan --out the second configuration")
		n.run("apply", planFile).must(t, 0, "apply the saved plan of the second configuration")
		wantSJIS(t, "sv1 start.bat after the second apply", readNodeFile(t, fs["sv1"], winIISStart), "最高プライオリティサーバで起動しました")

		list := n.run(append([]string{"backups"}, append(vars, dir)...)...).must(t, 0, "backups")
		if !strings.Contains(list.stdout, "cluster.jpweb") || !strings.Contains(list.stdout, "sv1, sv2, sv3, sv4") {
			t.Fatalf("backups does not list a backup every node keeps:\n%s\n%s", list.stdout, list.stderr)
		}
		rb := n.run(append([]string{"rollback", "--auto-approve"}, append(vars, dir)...)...).must(t, 0, "rollback")
		if !strings.Contains(rb.stdout+rb.stderr, "returns to backup") {
			t.Errorf("rollback does not say which backup it returns to:\n%s\n%s", rb.stdout, rb.stderr)
		}
		wantWindowsDisplay(t, "rollback", rb, "最高プライオリティサーバで起動中です")
		for _, name := range n.names {
			if got := readNodeFile(t, fs[name], winIISStart); string(got) != string(applied) {
				t.Errorf("%s: start.bat after rollback is not the first configuration's", name)
			}
		}
		// The nodes hold the first configuration again: the HCL (the second) differs from them.
		if r := plan(t, "plan after rollback", 2, dir); !strings.Contains(r.stdout, "group.iis.exec.iis") {
			t.Errorf("after rollback the plan should update group.iis.exec.iis:\n%s", r.stdout)
		}

		// The rollback backed up the second configuration it replaced: --to that backup
		// returns to it, and the HCL matches the nodes again.
		after := backupIDs(t, n.run(append([]string{"backups"}, append(vars, dir)...)...).must(t, 0, "backups after rollback").stdout)
		if len(after) == 0 || slices.Contains(backupIDs(t, list.stdout), after[0]) {
			t.Fatalf("the rollback made no new backup: before\n%s\nafter %v", list.stdout, after)
		}
		n.run(append([]string{"rollback", "--auto-approve", "--to", after[0]}, append(vars, dir)...)...).must(t, 0, "rollback --to the newest backup")
		plan(t, "plan after rolling back to the second configuration", 0, dir)

		missing := n.run(append([]string{"rollback", "--auto-approve", "--to", "19990101T000000Z-00000000"}, append(vars, dir)...)...)
		if missing.code == 0 || !strings.Contains(missing.stdout+missing.stderr, "No backup to roll back to") {
			t.Errorf("rollback to a missing backup: exit %d\n%s\n%s", missing.code, missing.stdout, missing.stderr)
		}
	})

	t.Run("force-unlock", func(t *testing.T) {
		// A lock of a run on another machine: never broken automatically.
		other := map[string]any{"id": "0123456789abcdef", "holder": "admin@elsewhere", "host": "elsewhere", "pid": 4242,
			"operation": "apply", "created": time.Now().UTC().Add(-time.Hour)}
		plantWindowsLock(t, fs["sv2"], other)
		locked := n.run(append([]string{"apply", "--auto-approve"}, append(vars, dir)...)...).must(t, 1, "apply under another run's lock")
		if !strings.Contains(locked.stderr, "locked by another run") || !strings.Contains(locked.stderr, "0123456789abcdef") {
			t.Fatalf("apply under a lock:\n%s", locked.stderr)
		}
		n.run(append([]string{"force-unlock", "0123456789abcdef"}, append(vars, dir)...)...).must(t, 0, "force-unlock ID")
		wantGone(t, fs["sv2"], winLock)

		// A lock of a run of this machine whose process is gone.
		gone := exec.Command("true")
		if err := gone.Run(); err != nil {
			t.Fatal(err)
		}
		plantWindowsLock(t, fs["sv3"], deadRunRecord(t, gone.Process.Pid))
		r := n.run(append([]string{"force-unlock", "--all-stale", "--yes"}, append(vars, dir)...)...).must(t, 0, "force-unlock --all-stale")
		if !strings.Contains(r.stdout, "Removed 1 stale lock(s)") {
			t.Errorf("force-unlock --all-stale:\n%s", r.stdout)
		}
		wantGone(t, fs["sv3"], winLock)

		// A lock file that records no holder (a run killed while writing it), two hours old:
		// apply names its Windows path, and force-unlock by that path removes it.
		plantWindowsLock(t, fs["sv4"], nil)
		then := time.Now().Add(-2 * time.Hour)
		if err := fs["sv4"].Chtimes(winLock, then, then); err != nil {
			t.Fatal(err)
		}
		const lockPath = `C:\Program Files\EXPRESSCLUSTER\work\cluster\lock`
		refused := n.run(append([]string{"apply", "--auto-approve"}, append(vars, dir)...)...).must(t, 1, "apply under a lock without holder")
		for _, want := range []string{"records no holder", lockPath, "2h0m", "force-unlock"} {
			if !strings.Contains(refused.stderr, want) {
				t.Errorf("apply's error lacks %q:\n%s", want, refused.stderr)
			}
		}
		// Typed in another letter case: Windows names are not case-sensitive.
		n.run(append([]string{"force-unlock", strings.ToLower(lockPath)}, append(vars, dir)...)...).must(t, 0, "force-unlock LOCK_PATH")
		wantGone(t, fs["sv4"], winLock)
		plan(t, "plan after force-unlock", 0, dir)
	})
}

// wantWindowsDisplay checks the plan text of a run against Windows cmd nodes: paths as Windows
// names them, never the MSYS form; clpcl as cmd.exe receives it; the script's Japanese line
// readable in the diff, and no undecoded byte.
func wantWindowsDisplay(t *testing.T, what string, r result, japanese string) {
	t.Helper()
	out := r.stdout + r.stderr
	for _, want := range []string{
		`write the configuration directory to C:\Program Files\EXPRESSCLUSTER\work\cluster\staged`,
		`"C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe" --suspend`,
		`+ARMBCAST /MSG "` + japanese + `" /A`, // the added line of the start.bat diff, decoded
	} {
		if !strings.Contains(out, want) {
			t.Errorf("%s does not show %q:\n%s", what, want, out)
		}
	}
	if strings.Contains(out, "/c/Program Files") || strings.Contains(out, "'C:\\") || !utf8.ValidString(out) || strings.ContainsRune(out, utf8.RuneError) {
		t.Errorf("%s shows an MSYS path, POSIX quotes or undecoded bytes:\n%s", what, out)
	}
}

// backupIDs lists the backup IDs `cluster backups` printed, newest first.
func backupIDs(t *testing.T, out string) []string {
	t.Helper()
	var ids []string
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 1 && regexp.MustCompile(`^\d{8}T\d{6}Z-[0-9a-f]{8}$`).MatchString(f[0]) {
			ids = append(ids, f[0])
		}
	}
	return ids
}

// driftedNodes lists the nodes named by the drift of a plan's changes.
func driftedNodes(p jsonPlan) []string {
	var out []string
	for _, c := range p.Changes {
		for _, d := range c.Drift {
			out = append(out, d.Node)
		}
	}
	return out
}

// hostFlags are import's --host flags for every node, from the var file's hosts.
func hostFlags(t *testing.T, n *nodes) []string {
	t.Helper()
	var out []string
	for _, name := range n.names {
		addr, port := varHost(t, n.varFile, name)
		out = append(out, "--host", name+"="+addr+":"+port)
	}
	return out
}

// importFlags are import --from's connection flags: the var file's user, key and known hosts,
// sv1's port, and every node's --host.
func importFlags(t *testing.T, n *nodes) []string {
	t.Helper()
	_, port := varHost(t, n.varFile, "sv1")
	return append([]string{"--port", port,
		"--user", varString(t, n.varFile, "ssh_user"), "--identity-file", varString(t, n.varFile, "identity_file"),
		"--known-hosts-file", varString(t, n.varFile, "known_hosts_file")}, hostFlags(t, n)...)
}

// varHost reads node's address and port from the hosts map of a var file, one host a line
// (`  sv1 = { address = "127.0.0.1", port = 2222, ... }`).
func varHost(t *testing.T, varFile, node string) (addr, port string) {
	t.Helper()
	for _, line := range strings.Split(readLocalString(t, varFile), "\n") {
		l := strings.TrimSpace(line)
		if !strings.HasPrefix(l, node+" ") && !strings.HasPrefix(l, node+"=") {
			continue
		}
		addr = between(l, `address = "`, `"`)
		port = between(l, "port = ", ",")
		if port == "" {
			port = between(l, "port = ", " ")
		}
		return addr, strings.TrimSpace(port)
	}
	t.Fatalf("no host %s in %s", node, varFile)
	return "", ""
}

// varString reads a top-level string variable of a var file (`name = "value"`).
func varString(t *testing.T, varFile, name string) string {
	t.Helper()
	for _, line := range strings.Split(readLocalString(t, varFile), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && strings.TrimSpace(k) == name {
			var s string
			if err := json.Unmarshal([]byte(strings.TrimSpace(v)), &s); err != nil {
				t.Fatalf("%s: %s: %v", varFile, name, err)
			}
			return s
		}
	}
	t.Fatalf("no %s in %s", name, varFile)
	return ""
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, to)
	return v
}

// wantCmdShell fails unless the imported configuration in dir reaches its nodes with
// shell = "cmd".
func wantCmdShell(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "cluster.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\s*shell\s*=\s*"cmd"$`).Match(b) {
		t.Errorf("the imported configuration does not reach its nodes with shell = \"cmd\":\n%s", b)
	}
}

// wantImportedScript fails unless the imported configuration in dir keeps the IIS start.bat
// as the node holds it (node): written in UTF-8 for editing, with the Japanese text, in a
// script whose charset is SJIS, so that it renders the node's bytes exactly.
func wantImportedScript(t *testing.T, dir string, node []byte) {
	t.Helper()
	local := readLocal(t, filepath.Join(dir, "scripts", "iis", "iis", "start.bat"))
	if !strings.Contains(string(local), "最高プライオリティサーバで起動中です") {
		t.Errorf("the imported start.bat lacks the Japanese text")
	}
	if sjis, err := japanese.ShiftJIS.NewEncoder().Bytes(local); err != nil || string(sjis) != string(node) {
		t.Errorf("the imported start.bat in SJIS is not the node's, byte for byte (%v)", err)
	}
	if !regexp.MustCompile(`(?m)^\s*charset\s*=\s*"SJIS"$`).Match(readLocal(t, filepath.Join(dir, "group-iis.hcl"))) {
		t.Errorf("the imported IIS script does not say charset = \"SJIS\"")
	}
}

// wantSJIS fails unless data holds text encoded in Shift_JIS (and not as UTF-8).
func wantSJIS(t *testing.T, what string, data []byte, text string) {
	t.Helper()
	sjis, err := japanese.ShiftJIS.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), sjis) || strings.Contains(string(data), text) {
		t.Errorf("%s does not hold %q in Shift_JIS", what, text)
	}
}

// plantWindowsLock leaves a lock file holding record on a Windows node over SFTP, as a run
// that took it and never released it would (nil: an empty file, a run killed while taking it).
func plantWindowsLock(t *testing.T, fs *sftp.Client, record map[string]any) {
	t.Helper()
	var b []byte
	if record != nil {
		var err error
		if b, err = json.Marshal(record); err != nil {
			t.Fatal(err)
		}
	}
	if err := fs.MkdirAll(path.Dir(winLock)); err != nil {
		t.Fatal(err)
	}
	f, err := fs.OpenFile(winLock, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		t.Fatalf("create %s: %v", winLock, err)
	}
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func wantGone(t *testing.T, fs *sftp.Client, p string) {
	t.Helper()
	if _, err := fs.Stat(p); !os.IsNotExist(err) {
		t.Errorf("%s is still there (%v)", p, err)
	}
}

func readNodeFile(t *testing.T, fs *sftp.Client, p string) []byte {
	t.Helper()
	f, err := fs.Open(p)
	if err != nil {
		t.Fatalf("open %s over SFTP: %v", p, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fetchTree copies the node directory dir into the local directory to, over SFTP.
func fetchTree(t *testing.T, fs *sftp.Client, dir, to string) {
	t.Helper()
	w := fs.Walk(dir)
	for w.Step() {
		if err := w.Err(); err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(w.Path(), dir), "/")
		local := filepath.Join(to, filepath.FromSlash(rel))
		if w.Stat().IsDir() {
			if err := os.MkdirAll(local, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(local, readNodeFile(t, fs, w.Path()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// copyTree copies the directory src into a new temporary directory, for a test to edit.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if fi.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func readLocal(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readLocalString(t *testing.T, p string) string { t.Helper(); return string(readLocal(t, p)) }
