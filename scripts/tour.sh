#!/usr/bin/env bash
# The README tour, runnable: every command of "A tour", each example on a fresh lab.
# Usage: scripts/tour.sh [WORK_DIR]     (cluster on PATH: make install, or go install ./cmd/cluster)
# Exits non-zero at the first command that does not do what the README says.
set -euo pipefail
work=${1:-$(mktemp -d)}
mkdir -p "$work"
command -v cluster >/dev/null || { echo "cluster is not on PATH: run make install" >&2; exit 1; }

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
expect() { # expect CODE COMMAND...: run COMMAND, fail unless it exits CODE
  local want=$1 code=0
  shift
  "$@" || code=$?
  if [ "$code" != "$want" ]; then
    echo "tour: '$*' exited $code, want $want" >&2
    exit 1
  fi
}
labs=()
trap 'for l in "${labs[@]}"; do cluster lab down --dir "$l" >/dev/null 2>&1 || true; done' EXIT

# --- the main example: IIS on four nodes --------------------------------------------------
lab=$work/tour
labs+=("$lab")
rm -rf "$lab" # a fresh lab: a lab keeps its nodes' state across lab down / lab up
step "cluster lab up: four simulated nodes on loopback"
cluster lab up --names sv1,sv2,sv3,sv4 --dir "$lab"
ex=examples/iis-single-standby-4nodes
cluster validate "$ex"
cluster fmt --check --recursive "$ex"

step "plan, save it, show it, apply exactly that plan"
cluster plan --var-file "$lab/lab.vars.hcl" --out "$lab/web.plan" "$ex"
cluster show "$lab/web.plan" >/dev/null
cluster show --json "$lab/web.plan" | jq -e '.format_version == "1.0"' >/dev/null
cluster show --format markdown "$lab/web.plan" > "$lab/web.md"
head -1 "$lab/web.md"
cluster apply "$lab/web.plan"

step "the same saved plan again: refused as stale (exit 1)"
expect 1 cluster apply "$lab/web.plan"

step "a real diff: edit a copy, plan it (exit 2: changes)"
cp -r "$ex" "$lab/web"
sed -i 's/name = "MSFTPSVC"/name = "MSFTPSVC-NEW"/' "$lab/web/iis.hcl"
expect 2 cluster plan --var-file "$lab/lab.vars.hcl" --detailed-exitcode "$lab/web"
cluster plan --var-file "$lab/lab.vars.hcl" --markdown "$lab/web" > "$lab/plan.md"
head -1 "$lab/plan.md"

step "apply it with a JSON stream, then plan: converged (exit 0)"
cluster apply --auto-approve --json --var-file "$lab/lab.vars.hcl" "$lab/web" | jq -r '."@message"'
expect 0 cluster plan --var-file "$lab/lab.vars.hcl" --detailed-exitcode "$lab/web"
cluster lab down --dir "$lab"

# --- the other kinds of object, each on a fresh lab with the node names it uses -------------
tour_example() { # tour_example EXAMPLE NAMES [SETUP [WINDOWS_NAMES]]
  local ex=examples/$1 lab=$work/$1 windows=()
  labs+=("$lab")
  rm -rf "$lab"
  step "$1 on a fresh lab ($2)"
  if [ -n "${4:-}" ]; then windows=(--windows "$4"); fi
  cluster lab up --names "$2" "${windows[@]}" --dir "$lab" >/dev/null
  if [ -n "${3:-}" ]; then "$3" "$lab"; fi
  cluster plan --var-file "$lab/lab.vars.hcl" --out "$lab/saved.plan" "$ex" >/dev/null
  cluster apply "$lab/saved.plan" | tail -1
  expect 0 cluster plan --var-file "$lab/lab.vars.hcl" --detailed-exitcode "$ex" >/dev/null
  cluster lab down --dir "$lab" >/dev/null
}
# Server-Scan's scan servers are set up with its own environment setup, which the tool does not
# write: on the lab, a lab-only list in the node root's .lab (docs/lab.md, "Server-Scan").
scan_servers() {
  local root
  root=$(jq -r '.nodes[] | select(.name == "mailsv") | .root' "$1/lab.json")
  mkdir -p "$root/.lab"
  printf '%s\n' WinNT01 WinNT02 WinNT03 WinNT04 > "$root/.lab/serverscan-servers"
  mkdir -p "$root/etc" && echo 'vkscan 20001/tcp' > "$root/etc/services" # the example's service name
  cluster lab fault --dir "$1" mailsv scan-inact WinNT02 # a dropped connection: apply reattaches it
}
tour_example server-scan-standby mailsv scan_servers
tour_example groupmax-status-files objsv "" objsv
# WEBharmo/OLTP inside IIS (seed 001, 1.4): START.BAT cleans up before IIS starts (1.4.5).
tour_example webharmo-oltp sv1,sv2,sv3,sv4
# WSMGR for Web runs on Windows Server: the server group on Windows lab nodes, reached with
# shell = "cmd". What the example expects on its management server web1 and the lab node lacks:
# WSMGR settings (authored with WSMGR's admin tool). The site's commands the example declares
# (WSMGR for Web has no command line for its sync or its sync monitor, docs/servergroup.md) are
# the Windows lab's LAB-ONLY .exe stand-ins in C:\LabSiteTools: wsmgr-sync.exe copies web1's
# config directory to the member, as WSMGR's own sync would (the tool never does).
wsmgr_settings() {
  local root
  root=$(jq -r '.nodes[] | select(.name == "web1") | .root' "$1/lab.json")
  mkdir -p "$root/c/Program Files/WSMGR/config"
  printf 'port = 8080\r\n' > "$root/c/Program Files/WSMGR/config/site.conf"
}
tour_example wsmgr-server-group web1,web2,web3,web4 wsmgr_settings web1,web2,web3,web4

# --- a fleet: three branch clusters from one module with for_each ---------------------------
tour_example fleet osaka1,osaka2,nagoya1,nagoya2,fukuoka1,fukuoka2
step "fleet: the outputs, one expression, the graph"
cluster output --dir examples/fleet virtual_ips
echo 'module.branch["osaka"].servers' | cluster console --dir examples/fleet
expect 0 cluster graph --dir examples/fleet >/dev/null

printf '\nTour complete.\n'
