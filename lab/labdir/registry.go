package labdir

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/clusterctl/cluster/internal/atomicfile"
)

// Files of a lab directory and of a node root.
const (
	RegistryFile = "lab.json"        // in the lab directory
	NodeInfoFile = ".lab/node.json"  // in a node root
	PeerLinkFile = ".lab/peers.sock" // in a node root: the socket of its peer link, when it has one
)

// Registry is the content of DIR/lab.json: every node of the lab, in declaration order.
type Registry struct {
	Nodes []Node `json:"nodes"`
}

// Node is one lab node as the registry records it.
type Node struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	Port    int    `json:"port"`
	// Root is the absolute path of the node's isolated root directory.
	Root string `json:"root"`
	// HostKey is the node's public host key in authorized_keys format.
	HostKey string `json:"host_key"`
	// Fingerprint is the SHA-256 fingerprint of HostKey (SHA256:...).
	Fingerprint string `json:"host_key_fingerprint"`
	// Dialect is DialectCmd for a Windows node (Microsoft's OpenSSH with cmd.exe); empty for a
	// POSIX node.
	Dialect string `json:"dialect,omitempty"`
	// CodePage is a Windows node's console code page (932 on a Japanese Windows).
	CodePage int `json:"code_page,omitempty"`
}

// DialectCmd marks a Windows node whose exec requests run as cmd.exe /c "<command>".
const DialectCmd = "cmd"

// Node returns the node called name.
func (r Registry) Node(name string) (Node, bool) {
	for _, n := range r.Nodes {
		if n.Name == name {
			return n, true
		}
	}
	return Node{}, false
}

// ReadRegistry reads DIR/lab.json.
func ReadRegistry(labDir string) (Registry, error) {
	var r Registry
	if err := readJSON(filepath.Join(labDir, RegistryFile), &r); err != nil {
		return Registry{}, fmt.Errorf("lab registry: %w", err)
	}
	return r, nil
}

// WriteRegistry replaces DIR/lab.json atomically.
func WriteRegistry(labDir string, r Registry) error {
	return writeJSON(filepath.Join(labDir, RegistryFile), r)
}

// NodeInfo is the content of <root>/.lab/node.json: who this node is and where its lab lives,
// so that an emulated command can find its peers.
type NodeInfo struct {
	Name   string `json:"name"`
	LabDir string `json:"lab_dir"`
	// PeerLink is the node path of the Unix socket of a peer server (emulate.ServePeers) for a
	// node that cannot see its peers' roots (a chrooted node on real sshd): its emulations
	// reach the peers through it instead of through the registry in LabDir.
	PeerLink string `json:"peer_link,omitempty"`
}

// ReadNodeInfo reads <root>/.lab/node.json.
func ReadNodeInfo(root string) (NodeInfo, error) {
	var info NodeInfo
	if err := readJSON(filepath.Join(root, NodeInfoFile), &info); err != nil {
		return NodeInfo{}, fmt.Errorf("lab node identity: %w", err)
	}
	if info.Name == "" {
		return NodeInfo{}, fmt.Errorf("lab node identity: %s has no name", filepath.Join(root, NodeInfoFile))
	}
	return info, nil
}

// WriteNodeInfo replaces <root>/.lab/node.json atomically.
func WriteNodeInfo(root string, info NodeInfo) error {
	return writeJSON(filepath.Join(root, NodeInfoFile), info)
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(data, '\n'), 0o644)
}

// IsNotExist reports whether err means a file is missing, through any wrapping.
func IsNotExist(err error) bool { return errors.Is(err, os.ErrNotExist) }
