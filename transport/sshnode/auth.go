package sshnode

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// credentials loads and caches what a Pool authenticates with: private keys (each file parsed,
// and its passphrase asked, once per run) and one connection to the ssh-agent.
type credentials struct {
	opts Options

	mu      sync.Mutex // guards the fields below; held while prompting so prompts never interleave
	signers map[string]ssh.Signer
	agent   agent.ExtendedAgent
	agentOK bool // the agent connection was attempted
	sock    net.Conn
}

func newCredentials(o Options) *credentials {
	return &credentials{opts: o, signers: map[string]ssh.Signer{}}
}

// auth returns the authentication method for user@host with the given identities, and a
// description of what it offers. Failing to load an explicitly named identity file is an
// *AuthError: retrying will not help.
func (c *credentials) auth(user, host string, ids []identity, useAgent bool, passphraseEnv string) (ssh.AuthMethod, []string, error) {
	var signers []ssh.Signer
	var offered []string
	for _, id := range ids {
		s, err := c.signer(id, passphraseEnv)
		if err != nil {
			return nil, offered, &AuthError{User: user, Host: host, Methods: offered, Err: err}
		}
		if s != nil {
			signers = append(signers, s)
			offered = append(offered, "identity file "+id.Path)
		}
	}
	var ag agent.ExtendedAgent
	if useAgent {
		if ag = c.agentClient(); ag != nil {
			offered = append(offered, "ssh-agent")
		}
	}
	if len(signers) == 0 && ag == nil {
		return nil, nil, &AuthError{User: user, Host: host, Err: errors.New("no identity file found and no ssh-agent available")}
	}
	method := ssh.PublicKeysCallback(func() ([]ssh.Signer, error) {
		all := signers
		if ag != nil {
			// An agent that fails now only loses its keys; the identity files are still offered.
			if more, err := ag.Signers(); err == nil {
				all = append(all[:len(all):len(all)], more...)
			}
		}
		return all, nil
	})
	return method, offered, nil
}

// signer loads one identity file; it returns (nil, nil) for a missing file that was not named
// explicitly.
func (c *credentials) signer(id identity, passphraseEnv string) (ssh.Signer, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.signers[id.Path]; ok {
		return s, nil
	}
	pem, err := os.ReadFile(id.Path)
	if errors.Is(err, fs.ErrNotExist) && !id.Explicit {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("identity file: %w", err)
	}
	s, err := ssh.ParsePrivateKey(pem)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		s, err = c.decrypt(id.Path, pem, passphraseEnv)
	}
	if err != nil {
		return nil, fmt.Errorf("identity file %s: %w", id.Path, err)
	}
	c.signers[id.Path] = s
	return s, nil
}

// decrypt opens an encrypted key with the passphrase from the environment variable named in the
// configuration, else from the terminal.
func (c *credentials) decrypt(path string, pem []byte, passphraseEnv string) (ssh.Signer, error) {
	var pass []byte
	if passphraseEnv != "" {
		pass = []byte(c.opts.Getenv(passphraseEnv))
	}
	if len(pass) == 0 {
		var err error
		pass, err = c.opts.Prompt(fmt.Sprintf("Enter passphrase for key '%s': ", path))
		if err != nil {
			hint := "set ssh.passphrase_env to the name of an environment variable holding it"
			if passphraseEnv != "" {
				hint = "$" + passphraseEnv + " is empty or unset"
			}
			return nil, fmt.Errorf("the key is encrypted and no passphrase is available (%s; cannot prompt: %w)", hint, err)
		}
	}
	s, err := ssh.ParsePrivateKeyWithPassphrase(pem, pass)
	if err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	return s, nil
}

// agentClient connects to $SSH_AUTH_SOCK once; it returns nil when no agent is reachable.
func (c *credentials) agentClient() agent.ExtendedAgent {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.agentOK {
		return c.agent
	}
	c.agentOK = true
	sock := c.opts.Getenv("SSH_AUTH_SOCK")
	if sock == "" {
		return nil
	}
	conn, err := net.Dial("unix", sock)
	if err != nil {
		return nil
	}
	c.sock = conn
	c.agent = agent.NewClient(conn)
	return c.agent
}

// close releases the agent connection.
func (c *credentials) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sock != nil {
		c.sock.Close()
		c.sock = nil
	}
}
