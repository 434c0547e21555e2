package sshnode

import (
	"time"

	"golang.org/x/crypto/ssh"
)

// keepalive sends keepalive@openssh.com every interval and closes the client after maxMisses
// consecutive requests without a reply, so that a dead peer fails pending sessions instead of
// hanging them until TCP gives up. Any reply counts, including OpenSSH's "request failed". It
// returns when the connection closes.
func keepalive(client *ssh.Client, interval time.Duration, maxMisses int) {
	if interval <= 0 {
		return
	}
	closed := make(chan struct{})
	go func() { client.Wait(); close(closed) }()

	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	misses := 0
	for {
		select {
		case <-closed:
			return
		case <-ticker.C:
		}
		reply := make(chan error, 1)
		go func() {
			_, _, err := client.SendRequest("keepalive@openssh.com", true, nil)
			reply <- err
		}()
		select {
		case <-closed:
			return
		case err := <-reply:
			if err != nil {
				client.Close()
				return
			}
			misses = 0
		case <-time.After(interval):
			// The request stays outstanding; a late reply is simply dropped.
			if misses++; misses >= maxMisses {
				client.Close()
				return
			}
		}
	}
}
