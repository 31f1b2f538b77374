# shellcheck shell=bash
# Helpers shared by the bench/ scripts: messages, tools, the JDK, background processes and
# their cleanup. Sourced, never run; the caller has `set -euo pipefail`.

# Progress goes to stderr, so that stdout carries only the figures.
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  printf '[bench] error: %s\n' "$*" >&2
  exit 1
}

# whole_numbers NAME... — dies unless each named variable holds a whole number (the settings
# that the bench scripts take from the environment).
whole_numbers() {
  local setting
  for setting in "$@"; do
    [[ ${!setting} =~ ^[0-9]+$ ]] || die "$setting must be a whole number, not '${!setting}'"
  done
}

# median DECIMALS — the median of the numbers on stdin, one per line.
median() {
  sort -n | awk -v d="$1" '{v[NR] = $1} END {printf "%." d "f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# no_arguments "$@" — the calling script's header comment for -h/--help; any other argument is
# an error (benchmarks take their settings from the environment).
no_arguments() {
  local script=${BASH_SOURCE[1]}
  if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$script"
    exit 0
  fi
  (($# == 0)) || die "bench $(basename "$script" .sh) takes no arguments (settings are environment variables; see --help)"
}

# stop_on_exit — on exit, Ctrl-C or SIGTERM: stop every process started with start_bg (below),
# then run the caller's bench_cleanup function if it has one.
stop_on_exit() {
  trap on_exit EXIT
  trap 'log "interrupted: stopping"; exit 130' INT
  trap 'log "terminated: stopping"; exit 143' TERM
}
on_exit() {
  local status=$?
  trap - EXIT INT TERM
  stop_all
  if declare -F bench_cleanup >/dev/null; then bench_cleanup || true; fi
  exit "$status"
}

# ---------------------------------------------------------------------------------------
# Tools

# require_tools CMD:PACKAGE ... — installs the Debian packages of the missing commands when
# running as root (apt-get update once, first), else says exactly what to install.
require_tools() {
  local spec missing_cmds=() missing_pkgs=()
  for spec in "$@"; do
    if ! command -v "${spec%%:*}" >/dev/null 2>&1; then
      missing_cmds+=("${spec%%:*}")
      missing_pkgs+=("${spec#*:}")
    fi
  done
  ((${#missing_pkgs[@]} == 0)) && return 0
  if ((EUID != 0)); then
    die "missing ${missing_cmds[*]}: install them with 'sudo apt-get install ${missing_pkgs[*]}' and re-run"
  fi
  command -v apt-get >/dev/null 2>&1 ||
    die "missing ${missing_cmds[*]} and no apt-get here: install the packages ${missing_pkgs[*]}"
  local nginx_was_running=no
  [[ -s /run/nginx.pid ]] && nginx_was_running=yes
  log "installing ${missing_pkgs[*]} (apt-get update first)"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 ||
    die "apt-get update failed; install ${missing_pkgs[*]} by hand"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing_pkgs[@]}" >&2 ||
    die "apt-get install ${missing_pkgs[*]} failed"
  # Debian's nginx package starts the system nginx (port 80) where init scripts may run;
  # this script never leaves an nginx running that it caused to start.
  if [[ $nginx_was_running == no && -s /run/nginx.pid ]]; then
    log "stopping the system nginx that the package installation started"
    nginx -s quit >/dev/null 2>&1 || true
  fi
  for spec in "$@"; do
    command -v "${spec%%:*}" >/dev/null 2>&1 || die "${spec%%:*} is still missing after installing ${spec#*:}"
  done
}

# ---------------------------------------------------------------------------------------
# JDK 25: JAVA_HOME if it is 25 or newer, else the machine's Temurin 25, else an error
# (lib/jdk.sh, shared with ./tinyscale).

# shellcheck source=lib/jdk.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../lib/jdk.sh"

find_jdk25() {
  jdk25_home || die "$JDK25_MISSING"
}

# ---------------------------------------------------------------------------------------
# Background processes. Each is started in its own session/process group (setsid), so that
# stopping it also stops whatever it started itself (nginx workers, embedded databases).

BENCH_PIDS=()   # started processes, stopped in reverse order by stop_all
declare -A BENCH_NAMES=()

# start_bg NAME LOGFILE CMD... — sets BG_PID.
start_bg() {
  local name=$1 logfile=$2
  shift 2
  setsid "$@" >"$logfile" 2>&1 </dev/null &
  BG_PID=$!
  BENCH_PIDS+=("$BG_PID")
  BENCH_NAMES[$BG_PID]=$name
}

# is_alive PID — it runs: it exists, and is neither a zombie nor gone between the two looks (the
# shell reaps its exited children while it waits for the command substitution below, so a process
# that kill -0 just found can have no /proc entry a moment later)
is_alive() {
  local state
  [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null &&
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [[ -n $state && $state != Z ]]
}

# stop_pid PID [GRACE_SECONDS] — SIGTERM to the process, so that it stops what it started
# in its own orderly way; SIGKILL after the grace time; then whatever is left of its process
# group gets SIGTERM and, two seconds later, SIGKILL.
stop_pid() {
  local pid=$1 grace=${2:-20} name=${BENCH_NAMES[$1]:-process} i
  if is_alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
      is_alive "$pid" || break
      sleep 0.1
    done
    if is_alive "$pid"; then
      log "$name (pid $pid) ignored SIGTERM for ${grace}s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  if pgrep -g "$pid" >/dev/null 2>&1; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do
      pgrep -g "$pid" >/dev/null 2>&1 || break
      sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  unset "BENCH_NAMES[$pid]"
  local kept=() p
  for p in "${BENCH_PIDS[@]}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
  BENCH_PIDS=("${kept[@]}")
}

stop_all() {
  local i
  for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${BENCH_PIDS[i]}" 30
  done
}

# ---------------------------------------------------------------------------------------
# Small utilities

port_in_use() { # PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# await_port PORT PID SECONDS — waits until something listens on 127.0.0.1:PORT, giving up early
# when PID has exited; status 0 when it listens.
await_port() {
  local port=$1 pid=$2 seconds=$3 i
  for ((i = 0; i < seconds * 10; i++)); do
    port_in_use "$port" && return 0
    is_alive "$pid" || break
    sleep 0.1
  done
  port_in_use "$port"
}

rss_kb() { # PID [PID...] -> summed VmRSS in kB
  local pid total=0 kb
  for pid in "$@"; do
    kb=$(awk '/^VmRSS:/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${kb:-0}))
  done
  printf '%s\n' "$total"
}

# Busy share of each CPU between two snapshots of /proc/stat (user+nice+system+irq+softirq
# over everything except steal): shows which side, server or wrk, was saturated.
cpu_snapshot() { awk '/^cpu[0-9]+ /{print $1, $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }
cpu_busy() { # "BEFORE" "AFTER" CPU -> percent
  awk -v cpu="$3" 'NR==FNR{if($1==cpu){b=$2;t=$3}; next} $1==cpu{d=$3-t; if (d > 0) printf "%.0f", 100*($2-b)/d; else printf "0"}' \
    <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

# CPU time used so far by processes, in clock ticks (CLK_TCK per second): "TOTAL KERNEL",
# user + system and system alone (system time includes the loopback's network processing
# that the kernel does while the process sends).
proc_cpu_ticks() { # PID...
  local pid total=0 kernel=0 user system
  for pid in "$@"; do
    # fields after "(comm)": state is 1st, utime 12th, stime 13th
    # a process that has gone counts nothing (read fails at once on the empty input)
    read -r user system < <(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12, $13}') || true
    total=$((total + ${user:-0} + ${system:-0}))
    kernel=$((kernel + ${system:-0}))
  done
  printf '%s %s\n' "$total" "$kernel"
}
CLK_TCK=$(getconf CLK_TCK)
ticks_to_seconds() { awk -v t="$1" -v hz="$CLK_TCK" 'BEGIN{printf "%.2f", t / hz}'; }

# Microseconds during which some runnable task waited for a CPU (Linux PSI), or nothing where
# /proc/pressure is missing. Over a run where the server and wrk each have a core of their
# own, a large share means other processes competed for the CPUs.
cpu_pressure_us() { awk '/^some/{sub("total=", "", $5); print $5}' /proc/pressure/cpu 2>/dev/null || true; }

elapsed_since() { # START_EPOCH_SECONDS -> "12 s"
  printf '%d s' $(($(date +%s) - $1))
}
