package planner

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strings"
	"syscall"
	"time"

	"github.com/clusterctl/cluster/transport"
)

// LockInfo is what a lock directory records about its holder.
type LockInfo struct {
	ID        string    `json:"id"`
	Holder    string    `json:"holder"` // user@host
	Host      string    `json:"host"`
	PID       int       `json:"pid"`
	Operation string    `json:"operation"`
	Created   time.Time `json:"created"`
}

func (l LockInfo) String() string {
	return fmt.Sprintf("ID %s, held by %s (pid %d) since %s for %q", l.ID, l.Holder, l.PID, l.Created.Format(time.RFC3339), l.Operation)
}

// LockedError says a unit is locked by another run.
type LockedError struct {
	Node string
	Info LockInfo
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("%s is locked by another run: %s. Wait for it to finish, or if that run is gone, "+
		"run 'cluster force-unlock %s'", e.Node, e.Info, e.Info.ID)
}

// NewLockInfo describes this process as a lock holder.
func NewLockInfo(operation string) LockInfo {
	var b [8]byte
	_, _ = rand.Read(b[:])
	host, _ := os.Hostname()
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return LockInfo{ID: hex.EncodeToString(b[:]), Holder: name + "@" + host, Host: host, PID: os.Getpid(),
		Operation: operation, Created: time.Now().UTC().Truncate(time.Second)}
}

// errNotOurs: the lock exists but another run's ID is in it.
var errNotOurs = errors.New("the lock is held by another run")

// lockHeld is the exit status of the acquire script when the directory already exists.
const lockHeld = 17

// acquireLock creates dir on node (mkdir is atomic) and records info in it.
func acquireLock(ctx context.Context, node transport.Node, dir transport.NodePath, info LockInfo) error {
	data, _ := json.Marshal(info)
	script := `mkdir -p "$1" && { mkdir "$2" 2>/dev/null || exit ` + fmt.Sprint(lockHeld) + `; } && cat > "$2/info"`
	parent := dir.Dir()
	res, err := node.Run(ctx, transport.Cmd("sh", "-c", script, "sh", parent, dir).WithStdin(data))
	if err != nil {
		return err
	}
	switch res.ExitCode {
	case 0:
		return nil
	case lockHeld:
		held, err := readLock(ctx, node, dir)
		if err != nil {
			return fmt.Errorf("%s is locked, and its lock could not be read: %w", node.Name(), err)
		}
		return &LockedError{Node: node.Name(), Info: held}
	default:
		return fmt.Errorf("locking %s: %s", node.Name(), strings.TrimSpace(string(res.Stderr)))
	}
}

func readLock(ctx context.Context, node transport.Node, dir transport.NodePath) (LockInfo, error) {
	files, err := node.ReadFiles(ctx, []transport.NodePath{dir.Join("info")})
	if err != nil {
		return LockInfo{}, err
	}
	var info LockInfo
	if !files[0].Exists {
		// A run killed between mkdir and writing info: the lock has no holder to name.
		return LockInfo{ID: "unknown"}, nil
	}
	if err := json.Unmarshal(files[0].Data, &info); err != nil {
		return LockInfo{}, fmt.Errorf("lock info: %w", err)
	}
	return info, nil
}

// releaseLock removes dir if it is still ours (id matches); "unknown" matches a lock without info.
// It reports whether a lock was removed.
func releaseLock(ctx context.Context, node transport.Node, dir transport.NodePath, id string) (bool, error) {
	script := `[ -d "$1" ] || exit 4
if [ -f "$1/info" ]; then grep -q "\"id\":\"$2\"" "$1/info" || exit 3; elif [ "$2" != unknown ]; then exit 3; fi
rm -rf "$1"`
	res, err := node.Run(ctx, transport.Cmd("sh", "-c", script, "sh", dir, id))
	switch {
	case err != nil:
		return false, err
	case res.ExitCode == 4:
		return false, nil
	case res.ExitCode == 3:
		return false, fmt.Errorf("%s: %w, not %s", node.Name(), errNotOurs, id)
	case !res.OK():
		return false, fmt.Errorf("unlocking %s: %s", node.Name(), strings.TrimSpace(string(res.Stderr)))
	}
	return true, nil
}

// abandoned reports whether a lock was left by a process of this host that no longer runs: such
// a lock can be broken safely, because nobody can still be applying under it.
func abandoned(info LockInfo) bool {
	host, _ := os.Hostname()
	if info.Host != host || info.PID <= 0 || info.PID == os.Getpid() {
		return false
	}
	err := syscall.Kill(info.PID, 0)
	return errors.Is(err, syscall.ESRCH)
}
