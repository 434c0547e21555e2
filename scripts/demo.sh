#!/usr/bin/env bash
# The main job end to end on the built-in lab: start four simulated Windows nodes (Microsoft's
# OpenSSH with cmd.exe, code page 932, no POSIX shell), validate the 4-node IIS single-standby
# example, plan, apply, and plan again to show the cluster converged.
# Usage: scripts/demo.sh [BINARY] [LAB_DIR]
set -euo pipefail
bin=${1:-bin/cluster}
lab=${2:-.lab}
example=examples/iis-single-standby-4nodes

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

"$bin" lab down --dir "$lab" >/dev/null 2>&1 || true
rm -rf "$lab"
step "cluster lab up: four simulated Windows nodes on loopback, each with its own SSH host key and root"
"$bin" lab up --names sv1,sv2,sv3,sv4 --windows '*' --dir "$lab"
trap '"$bin" lab down --dir "$lab" >/dev/null 2>&1 || true' EXIT

step "cluster validate $example"
"$bin" validate "$example"

step "cluster plan: every node is read over SSH; nothing is installed yet"
"$bin" plan --var-file "$lab/lab.vars.hcl" --out "$lab/demo.plan" "$example"

step "cluster apply: the saved plan, exactly as shown"
"$bin" apply "$lab/demo.plan"

step "cluster plan --detailed-exitcode: a converged cluster has no changes (exit 0)"
"$bin" plan --var-file "$lab/lab.vars.hcl" --detailed-exitcode "$example"

step "cluster lab status"
"$bin" lab status --dir "$lab"

step "what sv2 says: clpstat over SSH, host key checked against the lab's known_hosts"
read -r addr port < <("$bin" lab status --dir "$lab" | awk '$1 == "sv2" { print $2, $3 }')
# The node runs the command as cmd.exe /c does, and prints in its code page (932) with CRLF.
ssh -q -o BatchMode=yes -o UserKnownHostsFile="$lab/known_hosts" -i "$lab/id_ed25519" -p "$port" "$addr" \
  '"C:\Program Files\EXPRESSCLUSTER\bin\clpstat.exe"' | iconv -f CP932 -t UTF-8 | tr -d '\r'
printf '\nDemo complete.\n'
