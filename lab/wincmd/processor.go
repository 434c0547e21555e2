package wincmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// CommandProcessor is what a node's registry key "Software\Microsoft\Command Processor" (under
// HKLM, or HKCU of the SSH user) tells every cmd.exe that starts without /D and /V (Microsoft,
// "cmd", https://learn.microsoft.com/windows-server/administration/windows-commands/cmd: "If
// /d was not specified in string, Cmd.exe looks for the following registry subkeys ...
// AutoRun"; and the DelayedExpansion entry, REG_DWORD 0 or 1, default 0, HKCU winning over
// HKLM: Microsoft, Windows Server 2003 registry reference, "DelayedExpansion Entry").
// Win32-OpenSSH starts cmd.exe with /c only (w32-doexec.c), so both apply to every exec
// request.
//
// On a lab node this is a lab-only setting, the file ProcessorFile under the node root
// (docs/lab.md, "Windows nodes"); a missing file is a stock Windows: no AutoRun, delayed
// expansion off.
type CommandProcessor struct {
	// AutoRun is the command line cmd.exe runs before the command (the AutoRun value).
	AutoRun string `json:"autorun,omitempty"`
	// DelayedExpansion is the DelayedExpansion value 1: !NAME! expands (cmd /V:ON).
	DelayedExpansion bool `json:"delayed_expansion,omitempty"`
}

// ProcessorFile holds a lab node's CommandProcessor, relative to the node root.
const ProcessorFile = ".lab/command-processor.json"

// ReadCommandProcessor reads a lab node's setting; a missing file is the default.
func ReadCommandProcessor(root string) (CommandProcessor, error) {
	var p CommandProcessor
	data, err := os.ReadFile(filepath.Join(root, ProcessorFile))
	if errors.Is(err, os.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return p, fmt.Errorf("%s: %w", ProcessorFile, err)
	}
	return p, nil
}

// WriteCommandProcessor sets a lab node's setting (tests use it).
func WriteCommandProcessor(root string, p CommandProcessor) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	file := filepath.Join(root, ProcessorFile)
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return os.WriteFile(file, data, 0o644)
}
