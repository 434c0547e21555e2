package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// commandExamples are the Examples sections of --help (and of the man pages), by command path
// without "cluster ". They live in one place so that a test can hold every command to one.
var commandExamples = map[string]string{
	"": `  # The day-to-day loop, on the lab
  cluster lab up
  cluster plan --var-file .lab/lab.vars.hcl examples/iis-mutual-standby
  cluster apply --var-file .lab/lab.vars.hcl examples/iis-mutual-standby`,
	"version": `  cluster version`,
	"output": `  # Every output of the configuration in the current directory
  cluster output

  # One output, as JSON for a script
  cluster output --dir examples/fleet --json virtual_ips | jq -r .osaka`,
	"console": `  # Try an expression against the configuration
  echo 'module.branch["osaka"].vip' | cluster console --dir examples/fleet

  # Several, one per line
  cluster console --var-file prod.vars.hcl < expressions.txt`,
	"graph": `  # The objects and their dependencies, drawn with Graphviz
  cluster graph --dir examples/fleet | dot -Tsvg > fleet.svg`,
	"validate": `  # Check the configuration in the current directory
  cluster validate

  # With variable values, as JSON lines for an editor or CI
  cluster validate --var-file prod.vars.hcl --json examples/iis-mutual-standby`,
	"fmt": `  # Rewrite the files of the current directory in canonical format
  cluster fmt

  # In CI: change nothing, exit 1 if a file is not formatted (2: a file does not parse), and show the diff
  cluster fmt --check --diff --recursive .`,
	"plan": `  cluster plan --var-file prod.vars.hcl web/

  # Save the plan for a later 'cluster apply FILE' (CI: plan in one job, apply in another)
  cluster plan --var-file prod.vars.hcl --out web.plan web/

  # Only one failover group; exit 2 when there are changes
  cluster plan --target group.iis1 --detailed-exitcode web/

  # Only one branch of a module called with for_each (quote the brackets for the shell)
  cluster plan --target 'module.branch["osaka"]' fleet/

  # Terraform's spelling works too
  cluster plan -var-file=prod.vars.hcl -out=web.plan web/`,
	"apply": `  # Plan, ask for approval, apply
  cluster apply --var-file prod.vars.hcl web/

  # Apply a saved plan, from any directory (it records where its configuration is)
  cluster apply web.plan

  # In CI, without a terminal
  cluster apply --auto-approve --lock-timeout 5m --var-file prod.vars.hcl web/`,
	"show": `  cluster show web.plan
  cluster show --json web.plan | jq '.changes[].address'
  cluster show --format markdown web.plan > comment.md`,
	"force-unlock": `  # The lock ID is in the error of the run that found the lock
  cluster force-unlock 84f8fa4b6ca4551c web/

  # Remove every lock whose run is gone (listed first, then confirmed)
  cluster force-unlock --all-stale web/`,
	"import": `  # From a running node
  cluster import --from sv1 --user root --out web/

  # From a saved clp.conf (its scripts beside it)
  cluster import --from-file ./clp/clp.conf --name web --out web/`,
	"backups": `  cluster backups --var-file prod.vars.hcl web/`,
	"rollback": `  # Return every cluster to the newest backup apply made
  cluster rollback --var-file prod.vars.hcl web/

  # One cluster, to a given backup, in CI
  cluster rollback --to 20261122T100000Z-3f2a9c1e --target cluster.web --auto-approve web/`,
	"simulate": `  # What if sv1 fails, then sv2 as well?
  cluster simulate --fail sv1 --fail sv2 web/

  # Every node failing alone, without reading the nodes; exit 2 if iis1 goes down
  cluster simulate --offline --each-single-node --expect-available iis1 web/`,
	"status": `  cluster status --var-file prod.vars.hcl web/
  cluster status --json web/`,
	"lab": `  cluster lab up
  cluster lab status
  cluster lab down`,
	"lab up": `  # Four nodes, sv1..sv4, in ./.lab
  cluster lab up

  # Two named nodes in another directory; then plan against them
  cluster lab up --dir /tmp/lab --names sv1,sv2
  cluster plan --var-file /tmp/lab/lab.vars.hcl examples/securevisor-windows`,
	"lab down":   `  cluster lab down --dir /tmp/lab`,
	"lab status": `  cluster lab status`,
	"lab fault": `  # Slow every read and write of sv1 by 150 ms, then clear it
  cluster lab fault sv1 slow 150
  cluster lab fault sv1 slow --off

  cluster lab fault sv2 node-down`,
	"completion": `  # bash, for the current shell
  source <(cluster completion bash)

  # zsh, for every new shell
  cluster completion zsh > "${fpath[1]}/_cluster"`,
	"completion bash":       `  source <(cluster completion bash)`,
	"completion zsh":        `  cluster completion zsh > "${fpath[1]}/_cluster"`,
	"completion fish":       `  cluster completion fish > ~/.config/fish/completions/cluster.fish`,
	"completion powershell": `  cluster completion powershell | Out-String | Invoke-Expression`,
	"help":                  `  cluster help plan`,
}

// addExamples sets the Examples section of every command that has one in commandExamples.
// The completion and help commands, which cobra adds itself, are created first to get theirs.
func addExamples(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := strings.TrimPrefix(strings.TrimPrefix(c.CommandPath(), root.Name()), " ")
		if ex, ok := commandExamples[path]; ok && c.Example == "" {
			c.Example = ex
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
