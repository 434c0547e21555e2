package lab

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/clusterctl/cluster/internal/atomicfile"
	"github.com/clusterctl/cluster/lab/labdir"
)

// The readiness protocol between Up and the background server: one line on the pipe Up hands
// over as an extra file, "ready" once every node listens or "error: ..." when starting failed.
const (
	readyLine  = "ready"
	errorLine  = "error: "
	upDeadline = 60 * time.Second
)

// ErrRunning is returned by Up when the lab in the directory is already being served.
var ErrRunning = errors.New("the lab is already running")

// UpOptions describe a background lab.
type UpOptions struct {
	Options
	// Command is the argv that runs Serve in a new process with the readiness pipe as file
	// descriptor 3 (`cluster lab serve --dir DIR --ready-fd 3 ...`): package lab does not know
	// the command line of the binary that embeds it.
	Command []string
}

// Up starts the lab in the background, detached in its own session, logging to DIR/lab.log,
// and returns once every node listens, with the registry of the started lab.
func Up(opts UpOptions) (labdir.Registry, error) {
	if supported != nil {
		return labdir.Registry{}, supported
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return labdir.Registry{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return labdir.Registry{}, err
	}
	if pid, alive := readPID(dir); alive {
		return labdir.Registry{}, fmt.Errorf("%w (pid %d); stop it with `cluster lab down`", ErrRunning, pid)
	}
	if len(opts.Command) == 0 {
		return labdir.Registry{}, errors.New("lab up: no serve command")
	}
	logFile, err := os.OpenFile(filepath.Join(dir, LogFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return labdir.Registry{}, err
	}
	defer logFile.Close()
	r, w, err := os.Pipe()
	if err != nil {
		return labdir.Registry{}, err
	}
	defer r.Close()

	cmd := exec.Command(opts.Command[0], opts.Command[1:]...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.ExtraFiles = []*os.File{w} // fd 3 in the child
	detach(cmd)
	err = cmd.Start()
	w.Close() // the child holds the only write end now: EOF means it died
	if err != nil {
		return labdir.Registry{}, fmt.Errorf("start the lab server: %w", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }() // reap it if it dies while we wait

	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case l := <-line:
		switch {
		case l == readyLine:
			return labdir.ReadRegistry(dir)
		case strings.HasPrefix(l, errorLine):
			return labdir.Registry{}, errors.New(strings.TrimPrefix(l, errorLine))
		}
		<-exited
		return labdir.Registry{}, fmt.Errorf("the lab server exited before it was ready; see %s", filepath.Join(dir, LogFile))
	case <-time.After(upDeadline):
		cmd.Process.Kill()
		return labdir.Registry{}, fmt.Errorf("the lab server was not ready after %s; see %s", upDeadline, filepath.Join(dir, LogFile))
	}
}

// Serve runs the lab in this process until ctx ends: it records its pid in DIR/lab.pid, starts
// the nodes, reports readiness (or the error) as one line on ready (nil: nowhere) and, when ctx
// ends, stops the nodes and removes the pid file.
func Serve(ctx context.Context, opts Options, ready io.Writer) error {
	if ready == nil {
		ready = io.Discard
	}
	err := serve(ctx, opts, ready)
	if err != nil {
		fmt.Fprintf(ready, "%s%v\n", errorLine, err)
	}
	return err
}

func serve(ctx context.Context, opts Options, ready io.Writer) error {
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return err
	}
	opts.Dir = dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if pid, alive := readPID(dir); alive && pid != os.Getpid() {
		return fmt.Errorf("%w (pid %d)", ErrRunning, pid)
	}
	pidFile := filepath.Join(dir, PIDFile)
	if err := atomicfile.Write(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return err
	}
	defer os.Remove(pidFile)
	l, err := StartInProcess(opts)
	if err != nil {
		return err
	}
	if opts.Log != nil {
		for _, n := range l.Registry().Nodes {
			opts.Log.Printf("node %s listening on %s:%d", n.Name, n.Address, n.Port)
		}
	}
	fmt.Fprintln(ready, readyLine)
	<-ctx.Done()
	return l.Close()
}

// NodeStatus is one node as `cluster lab status` shows it.
type NodeStatus struct {
	labdir.Node
	Up     bool
	Faults []string
}

// LabStatus is the state of a lab directory.
type LabStatus struct {
	PID     int // 0 when no server runs
	Running bool
	Nodes   []NodeStatus
}

// Status reports whether the lab's server runs and, per node, whether it accepts connections
// and which faults are on.
func Status(dir string) (LabStatus, error) {
	reg, err := labdir.ReadRegistry(dir)
	if err != nil {
		return LabStatus{}, err
	}
	var st LabStatus
	st.PID, st.Running = readPID(dir)
	for _, n := range reg.Nodes {
		ns := NodeStatus{Node: n, Faults: labdir.ListFaults(n.Root)}
		if st.Running && !labdir.HasFault(n.Root, labdir.NodeDown, "") {
			conn, err := net.DialTimeout("tcp", net.JoinHostPort(n.Address, strconv.Itoa(n.Port)), time.Second)
			if err == nil {
				conn.Close()
				ns.Up = true
			}
		}
		st.Nodes = append(st.Nodes, ns)
	}
	return st, nil
}

// Down stops the background server with SIGTERM and waits for it to exit (SIGKILL after
// timeout). Node state stays on disk. It reports whether a server was running.
func Down(dir string, timeout time.Duration) (bool, error) {
	pidFile := filepath.Join(dir, PIDFile)
	pid, alive := readPID(dir)
	if !alive {
		os.Remove(pidFile) // stale
		return false, nil
	}
	if err := terminate(pid); err != nil {
		return true, fmt.Errorf("stop the lab server (pid %d): %w", pid, err)
	}
	deadline := time.Now().Add(timeout)
	for processAlive(pid) {
		if time.Now().After(deadline) {
			kill(pid)
			time.Sleep(100 * time.Millisecond)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := os.Remove(pidFile); err != nil && !labdir.IsNotExist(err) {
		return true, err
	}
	return true, nil
}

// readPID reads DIR/lab.pid and reports whether that process is alive.
func readPID(dir string) (int, bool) {
	data, err := os.ReadFile(filepath.Join(dir, PIDFile))
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	return pid, processAlive(pid)
}

// processAlive reports whether pid exists and is not a zombie awaiting its parent.
func processAlive(pid int) bool {
	if !pidExists(pid) {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc: trust kill(0)
	}
	// The state is the field after the parenthesised command name.
	if i := strings.LastIndexByte(string(stat), ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z'
	}
	return true
}
