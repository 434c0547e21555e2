package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkg/sftp"
)

// TestStatusFilesOnWindowsLabNode: the Groupmax example on an in-process Windows lab node
// (cmd.exe emulation, SFTP with /D:/ paths, no POSIX shell). See statusFilesOnWindows.
func TestStatusFilesOnWindowsLabNode(t *testing.T) {
	n, l := stsWindowsNode(t)
	statusFilesOnWindows(t, n, labSFTP(t, l, "objsv"))
}

// TestStatusFilesOnWindowsRealSSHD: the same on a Windows-dialect node on real sshd (the labcmd
// login shell in a chroot, the real internal-sftp serving /C:, /D:, /E:). A status-file node is
// a single node, so the chroot keeps nothing from it.
func TestStatusFilesOnWindowsRealSSHD(t *testing.T) {
	n, fs := stsWindowsSSHD(t)
	statusFilesOnWindows(t, n, fs)
}

// statusFilesOnWindows: plan reads the node over SFTP and plans init_command for the missing
// files only; apply runs D:\HiOBJ\bin\xodstsinit.exe for those (an existing file keeps its
// bytes) and writes the definition; the re-plan says "No changes"; a hand edit of the
// definition over SFTP is planned back, with its line in the plan's diff; `cluster status`
// reads the files.
func statusFilesOnWindows(t *testing.T, n *nodes, fs *sftp.Client) {
	ex := filepath.Join("examples", stsExample)
	// The site made sts1's A file by hand before (say, as the manual says): it must be kept.
	if err := fs.MkdirAll("/D:/HiOBJ/sts"); err != nil {
		t.Fatal(err)
	}
	sftpWrite(t, fs, "/D:/HiOBJ/sts/sts1a", "made by hand")

	plan := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "first plan")
	if strings.Contains(plan.stdout, `-f D:\HiOBJ\sts\sts1a`) {
		t.Errorf("the plan re-initialises an existing file:\n%s", plan.stdout)
	}
	stsInOrder(t, plan.stdout, stsInit, `E:\HiOBJ\sts\sts1b`, stsInit, `D:\HiOBJ\sts\sts2a`, `E:\HiOBJ\sts\sts3b`, "write the definition file")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply")

	if got := sftpRead(t, fs, "/D:/HiOBJ/sts/sts1a"); got != "made by hand" {
		t.Errorf("the existing A file was changed: %q", got)
	}
	for _, p := range []string{"/E:/HiOBJ/sts/sts1b", "/D:/HiOBJ/sts/sts2a", "/E:/HiOBJ/sts/sts2b", "/D:/HiOBJ/sts/sts3a", "/E:/HiOBJ/sts/sts3b"} {
		if got := sftpRead(t, fs, p); !strings.HasPrefix(got, "XODSTS initialized") {
			t.Errorf("%s is not a file xodstsinit.exe made: %q", p, got[:min(len(got), 20)])
		}
	}
	want, err := os.ReadFile(filepath.Join(repoRoot(), ex, "sts.def"))
	if err != nil {
		t.Fatal(err)
	}
	if got := sftpRead(t, fs, "/D:/HiOBJ/conf/sts"); got != string(want) {
		t.Errorf("D:\\HiOBJ\\conf\\sts is not definition_content byte for byte:\n%q", got)
	}
	r := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after apply")
	if !strings.Contains(r.stdout, "No changes") {
		t.Errorf("plan after apply:\n%s", r.stdout)
	}

	// Someone edits the definition by hand over SFTP: the plan writes it back, the edit in its diff.
	sftpWrite(t, fs, "/D:/HiOBJ/conf/sts", string(want)+"# edited by hand\r\n")
	r = n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 2, "plan after the hand edit")
	if !strings.Contains(r.stdout, "write the definition file") || !strings.Contains(r.stdout, "edited by hand") {
		t.Errorf("the hand edit is not planned back:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, stsInit) {
		t.Errorf("a definition edit re-initialises files:\n%s", r.stdout)
	}
	// Through a saved plan: applied as planned; refused when the node changed since.
	saved := filepath.Join(t.TempDir(), "sts.plan")
	n.run("plan", "--out", saved, "--var-file", n.varFile, ex).must(t, 0, "plan --out")
	sftpWrite(t, fs, "/D:/HiOBJ/conf/sts", string(want)+"# edited twice\r\n")
	r = n.run("apply", saved)
	if r.code == 0 || !strings.Contains(r.stderr, "Saved plan is stale") {
		t.Errorf("a saved plan applied after the node changed: exit %d\n%s", r.code, r.stderr)
	}
	n.run("plan", "--out", saved, "--var-file", n.varFile, ex).must(t, 0, "plan --out again")
	n.run("apply", saved).must(t, 0, "apply the saved plan")
	if got := sftpRead(t, fs, "/D:/HiOBJ/conf/sts"); got != string(want) {
		t.Errorf("the definition after the second apply:\n%q", got)
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the second apply")

	// The run lock is a file created exclusively over SFTP beside the object server's state,
	// D:\HiOBJ\var\cluster\lock: gone after the runs, and respected when someone holds it.
	if st, err := fs.Stat("/D:/HiOBJ/var/cluster"); err != nil || !st.IsDir() {
		t.Errorf("the lock directory D:\\HiOBJ\\var\\cluster: %v", err)
	}
	if _, err := fs.Stat("/D:/HiOBJ/var/cluster/lock"); !os.IsNotExist(err) {
		t.Errorf("a lock is left after the runs (%v)", err)
	}
	sftpWrite(t, fs, "/D:/HiOBJ/var/cluster/lock", "held by someone else")
	sftpWrite(t, fs, "/D:/HiOBJ/conf/sts", "# edited again\r\n")
	r = n.run("apply", "--auto-approve", "--lock-timeout", "0s", "--var-file", n.varFile, ex)
	if r.code == 0 || !strings.Contains(r.stderr, `is being locked by another run right now (lock D:\HiOBJ\var\cluster\lock`) {
		t.Errorf("apply under someone else's lock: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if got := sftpRead(t, fs, "/D:/HiOBJ/conf/sts"); got != "# edited again\r\n" {
		t.Errorf("apply wrote under someone else's lock: %q", got)
	}
	if err := fs.Remove("/D:/HiOBJ/var/cluster/lock"); err != nil {
		t.Fatal(err)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply once the lock is gone")

	// status reads the same files; sts3's B file removed by hand shows as missing.
	if err := fs.Remove("/E:/HiOBJ/sts/sts3b"); err != nil {
		t.Fatal(err)
	}
	s := n.statusJSON(ex, 0)
	var got []string
	for _, l := range s.StatusFiles[0].Logicals {
		got = append(got, fmt.Sprintf("%s=%s/%d/%d", l.Name, l.State, l.ASize, l.BSize))
	}
	if f := s.StatusFiles[0]; !f.Defined || strings.Join(got, " ") != "sts1=unknown/12/4096 sts2=unknown/4096/4096 sts3=unknown/4096/-1" {
		t.Errorf("status: %+v %v", f, got)
	}
}

// stsWindowsSSHD starts objsv as a Windows-dialect node on real sshd, laid out as a lab Windows
// node (startWindowsRealCluster: var file with shell = "cmd" and code page 932), and returns
// the nodes and an SFTP session to it.
func stsWindowsSSHD(t *testing.T) (*nodes, *sftp.Client) {
	t.Helper()
	n := startWindowsRealCluster(t, "objsv")
	return n, n.sftp("objsv")
}

func sftpWrite(t *testing.T, fs *sftp.Client, p, content string) {
	t.Helper()
	f, err := fs.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
	if err != nil {
		t.Fatalf("open %s: %v", p, err)
	}
	if _, err := f.Write([]byte(content)); err != nil {
		t.Fatalf("write %s: %v", p, err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func sftpRead(t *testing.T, fs *sftp.Client, p string) string {
	t.Helper()
	f, err := fs.Open(p)
	if err != nil {
		t.Fatalf("open %s: %v", p, err)
	}
	defer f.Close()
	var b strings.Builder
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatalf("read %s: %v", p, err)
	}
	return b.String()
}
