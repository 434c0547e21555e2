package opensshtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"strings"

	"golang.org/x/crypto/ssh"
)

// writeKey generates an ed25519 key, writes the private half in OpenSSH format (mode 0600, as
// sshd and ssh demand) and returns the public key.
func writeKey(path, comment string) (ssh.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, err
	}
	sp, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path+".pub", ssh.MarshalAuthorizedKey(sp), 0o644); err != nil {
		return nil, err
	}
	return sp, nil
}

// authorizedLine renders a public key in authorized_keys format, without the newline.
func authorizedLine(k ssh.PublicKey) string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
}

// knownHostsHost renders an address as known_hosts does: [addr]:port unless the port is 22.
func knownHostsHost(addr string, port int) string {
	if port == 22 {
		return addr
	}
	return fmt.Sprintf("[%s]:%d", addr, port)
}
