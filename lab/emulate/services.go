package emulate

import (
	"fmt"
	"io"
	"os"

	"github.com/clusterctl/cluster/lab/labdir"
)

// The OS service managers, as far as the tool asks them: a service's startup type. Every service
// starts by hand (Windows DEMAND_START, systemd disabled) unless the node's service-auto fault
// names it. Nothing else of sc or systemctl is emulated.

// runSc emulates `sc qc NAME` on a Windows node, in sc's layout.
func runSc(argv0 string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 2 || args[0] != "qc" {
		fmt.Fprintln(stderr, "lab: only `sc qc NAME` is emulated")
		return 1
	}
	name := args[1]
	start := "3   DEMAND_START"
	if serviceAuto(name) {
		start = "2   AUTO_START"
	}
	fmt.Fprintf(stdout, "[SC] QueryServiceConfig SUCCESS\n\nSERVICE_NAME: %s\n        TYPE               : 10  WIN32_OWN_PROCESS\n        START_TYPE         : %s\n        ERROR_CONTROL      : 1   NORMAL\n", name, start)
	return 0
}

// runSystemctl emulates `systemctl is-enabled [--] NAME` on a Linux node: "enabled" and exit 0,
// or "disabled" and exit 1, as systemd answers.
func runSystemctl(argv0 string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "is-enabled" {
		args = args[1:]
		if len(args) > 0 && args[0] == "--" {
			args = args[1:]
		}
	} else {
		args = nil
	}
	if len(args) != 1 {
		fmt.Fprintln(stderr, "lab: only `systemctl is-enabled NAME` is emulated")
		return 1
	}
	if serviceAuto(args[0]) {
		fmt.Fprintln(stdout, "enabled")
		return 0
	}
	fmt.Fprintln(stdout, "disabled")
	return 1
}

// runReg emulates `reg query KEY`: the key exists unless the node's registry-missing fault names
// it (the product is not installed there). An emulated key holds no values, except on a node
// whose registry-differs fault names it: there it holds one REG_SZ value, so its values differ
// from the other nodes'. reg's layout (testdata/vendor-output/registry/reg-query-values.txt): a
// blank line, the key, one line per value (four spaces, name, type, data, four spaces apart),
// a blank line.
func runReg(argv0 string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) < 2 || args[0] != "query" {
		fmt.Fprintln(stderr, "lab: only `reg query KEY` is emulated")
		return 1
	}
	root := os.Getenv(RootEnv)
	if root != "" && labdir.HasFault(root, labdir.RegistryMissing, args[1]) {
		fmt.Fprintln(stderr, "ERROR: The system was unable to find the specified registry key or value.")
		return 1
	}
	fmt.Fprintf(stdout, "\r\n%s\r\n", args[1])
	if root != "" && labdir.HasFault(root, labdir.RegistryDiffers, args[1]) {
		fmt.Fprintf(stdout, "    %s    REG_SZ    %s\r\n", LabDiffersValue, "set on this node only")
	}
	fmt.Fprint(stdout, "\r\n")
	return 0
}

// LabDiffersValue is the value a registry-differs fault adds to the emulated key.
const LabDiffersValue = "LabDiffers"

func serviceAuto(name string) bool {
	root := os.Getenv(RootEnv)
	return root != "" && labdir.HasFault(root, labdir.ServiceAuto, name)
}
