# shellcheck shell=bash
# Running wrk and reading its results. Sourced after lib/common.sh.

# wrk_time_to_us "6.12ms" -> 6120 (wrk prints latencies as us, ms, s, m or h)
wrk_time_to_us() {
  awk -v t="$1" 'BEGIN {
    if (match(t, /^[0-9.]+/) == 0) { exit 1 }
    v = substr(t, 1, RLENGTH); u = substr(t, RLENGTH + 1)
    if (u == "us") f = 1; else if (u == "ms") f = 1000; else if (u == "s") f = 1000000;
    else if (u == "m") f = 60000000; else if (u == "h") f = 3600000000; else exit 1
    printf "%.0f\n", v * f }'
}

# wrk_result FILE KEY — a value from the "BENCH_RESULT k=v ..." line that
# bench/wrk/random-codes.lua prints; when the line is missing (another script), rps and
# p99_us fall back to wrk's own "Requests/sec:" and "99%" lines.
wrk_result() {
  local file=$1 key=$2 line value
  line=$(grep -m1 '^BENCH_RESULT ' "$file" || true)
  if [[ -n $line ]]; then
    value=$(tr ' ' '\n' <<<"$line" | awk -F= -v k="$key" '$1 == k {print $2; exit}')
    if [[ -n $value ]]; then
      printf '%s\n' "$value"
      return 0
    fi
  fi
  case $key in
  rps) awk '/^Requests\/sec:/ {print $2; exit}' "$file" ;;
  p99_us)
    value=$(awk '$1 == "99%" {print $2; exit}' "$file")
    [[ -n $value ]] && wrk_time_to_us "$value"
    ;;
  esac
}

# wrk_non_3xx FILE — the count wrk reports as "Non-2xx or 3xx responses" (0 if none)
wrk_non_3xx() {
  awk '/Non-2xx or 3xx responses:/ {print $NF; found=1} END {if (!found) print 0}' "$1"
}

# wrk_socket_errors FILE — wrk's "Socket errors: connect 0, read 0, write 0, timeout 0", or
# nothing when there were none
wrk_socket_errors() {
  grep -m1 'Socket errors:' "$1" | sed 's/^ *//' || true
}

# run_wrk SERVER_PIDS OUTFILE WRK_ARGS... — wrk pinned to CPU 1, in the background so that
# the EXIT trap can stop it at once. Records, for the run:
#   WRK_CPU0 / WRK_CPU1  busy share (%) of CPU 0 (the server's) and CPU 1 (wrk's)
#   WRK_SERVER_CPU       CPU seconds used by the server processes SERVER_PIDS (space-separated)
#   WRK_SERVER_KERNEL    the part of WRK_SERVER_CPU spent in the kernel
#   WRK_PRESSURE         share (%) of the time some task waited for a CPU, or "n/a"
run_wrk() {
  local -a server_pids
  read -r -a server_pids <<<"$1"
  local out=$2 before after total_before kernel_before total_after kernel_after psi_before psi_after start_ns end_ns status=0
  shift 2
  before=$(cpu_snapshot)
  read -r total_before kernel_before < <(proc_cpu_ticks "${server_pids[@]}")
  psi_before=$(cpu_pressure_us)
  start_ns=$(date +%s%N)
  start_bg wrk "$out" taskset -c 1 wrk "$@"
  wait "$BG_PID" || status=$?
  end_ns=$(date +%s%N)
  psi_after=$(cpu_pressure_us)
  read -r total_after kernel_after < <(proc_cpu_ticks "${server_pids[@]}")
  after=$(cpu_snapshot)
  stop_pid "$BG_PID" 1
  # shellcheck disable=SC2034 # read by the caller
  WRK_CPU0=$(cpu_busy "$before" "$after" cpu0)
  # shellcheck disable=SC2034 # read by the caller
  WRK_CPU1=$(cpu_busy "$before" "$after" cpu1)
  # shellcheck disable=SC2034 # read by the caller
  WRK_SERVER_CPU=$(ticks_to_seconds $((total_after - total_before)))
  # shellcheck disable=SC2034 # read by the caller
  WRK_SERVER_KERNEL=$(ticks_to_seconds $((kernel_after - kernel_before)))
  if [[ -n $psi_before && -n $psi_after ]]; then
    # shellcheck disable=SC2034 # read by the caller
    WRK_PRESSURE=$(awk -v p=$((psi_after - psi_before)) -v ns=$((end_ns - start_ns)) 'BEGIN{printf "%.0f", 100 * p * 1000 / ns}')
  else
    # shellcheck disable=SC2034 # read by the caller
    WRK_PRESSURE=n/a
  fi
  if ((status != 0)); then
    sed 's/^/  wrk: /' "$out" >&2
    die "wrk failed (exit $status): see above"
  fi
}

# wrk_cpu_us FILE DECIMALS [SECONDS] — the server's CPU time per answered request, in µs, for
# the run that run_wrk just made into FILE (SECONDS, by default WRK_SERVER_CPU, over wrk's
# request count); 0 if none
wrk_cpu_us() {
  awk -v s="${3:-$WRK_SERVER_CPU}" -v n="$(wrk_result "$1" requests)" -v d="$2" \
    'BEGIN{if (n > 0) printf "%." d "f", s * 1e6 / n; else print "0"}'
}

# check_wrk_output LABEL FILE — fails on responses wrk counts as errors (status > 399) and
# when no request completed; socket errors are reported, not fatal.
check_wrk_output() {
  local label=$1 file=$2 bad socket
  bad=$(wrk_non_3xx "$file")
  if [[ $bad != 0 ]]; then
    sed 's/^/  wrk: /' "$file" >&2
    die "$label: Non-2xx or 3xx responses: $bad (see $file)"
  fi
  socket=$(wrk_socket_errors "$file")
  [[ -n $socket ]] && log "$label: $socket"
  local rps
  rps=$(wrk_result "$file" rps)
  if [[ -z $rps ]] || ! awk -v r="$rps" 'BEGIN {exit !(r > 0)}'; then
    die "$label: wrk completed no request (see $file)"
  fi
}
