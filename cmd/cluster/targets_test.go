package main

import (
	"strings"
	"testing"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
)

// A monitor named under its group gets the hint of its cluster address, before any node is read.
func TestTargetMonitorUnderGroupHintsClusterAddress(t *testing.T) {
	loaded, diags := config.Load("../../testdata/valid/windows-iis", config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	check := newTargetChecker(loaded.Config)
	err := check.beforePlan([]addrs.Address{mustParse(t, "group.iis.monitor.sdw1")})
	if err == nil || !strings.Contains(err.Error(), "did you mean cluster.web.monitor.sdw1?") {
		t.Errorf("--target group.iis.monitor.sdw1: %v, want a hint naming cluster.web.monitor.sdw1", err)
	}
	if err := check.beforePlan([]addrs.Address{mustParse(t, "cluster.web.monitor.sdw1"), mustParse(t, "group.iis")}); err != nil {
		t.Errorf("valid targets refused: %v", err)
	}
}

// Shell completion completes --target with the configuration's addresses.
func TestTargetCompletion(t *testing.T) {
	out, errOut, code := runRoot(t, nil, "__complete", "plan", "../../testdata/valid/windows-iis", "--target", "cluster.web.mon")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.Contains(out, "cluster.web.monitor.sdw1\n") || strings.Contains(out, "group.iis\n") || !strings.HasPrefix(lines[len(lines)-1], ":") {
		t.Errorf("completions of --target cluster.web.mon:\n%s", out)
	}
}
