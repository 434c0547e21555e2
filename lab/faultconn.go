package lab

import (
	"net"
	"sync"
	"time"

	"github.com/clusterctl/cluster/lab/labdir"
)

// faultConn applies the slow and drop faults to one connection, as read when it was accepted.
type faultConn struct {
	net.Conn
	delay time.Duration // before every read and write
	limit int64         // bytes to the client before the connection drops; <= 0: no limit

	mu   sync.Mutex
	sent int64
}

// withFaults wraps conn when the node at root has a slow or drop fault on.
func withFaults(conn net.Conn, root string) net.Conn {
	ms, slow := labdir.FaultValue(root, labdir.Slow, "")
	limit, drop := labdir.FaultValue(root, labdir.Drop, "")
	if !slow && !drop {
		return conn
	}
	fc := &faultConn{Conn: conn}
	if slow {
		fc.delay = time.Duration(ms) * time.Millisecond
	}
	if drop {
		fc.limit = max(int64(limit), 1)
	}
	return fc
}

func (c *faultConn) Read(p []byte) (int, error) {
	time.Sleep(c.delay)
	return c.Conn.Read(p)
}

func (c *faultConn) Write(p []byte) (int, error) {
	time.Sleep(c.delay)
	if c.limit <= 0 {
		return c.Conn.Write(p)
	}
	c.mu.Lock()
	room := c.limit - c.sent
	c.mu.Unlock()
	if room <= 0 {
		c.Conn.Close()
		return 0, net.ErrClosed
	}
	chunk := p
	if int64(len(chunk)) > room {
		chunk = chunk[:room]
	}
	n, err := c.Conn.Write(chunk)
	c.mu.Lock()
	c.sent += int64(n)
	c.mu.Unlock()
	if err == nil && n < len(p) {
		c.Conn.Close() // the limit is reached mid-write: the peer sees a cut connection
		return n, net.ErrClosed
	}
	return n, err
}
