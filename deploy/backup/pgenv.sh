# shellcheck shell=bash
# The connection of backup.sh and restore.sh, sourced by both, never run.
#
# libpq's own variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE, ...) are used
# as they are. Those left unset are filled from the app's settings, so a backup reads the same
# environment (or Secret) as the server: TINYSCALE_DB_DIRECT_URL, else TINYSCALE_DB_URL
# (jdbc:postgresql://host[:port]/database[?sslmode=...]), TINYSCALE_DB_USER, TINYSCALE_DB_PASSWORD.
# The direct URL comes first: behind PgBouncer in transaction mode TINYSCALE_DB_URL names the pool,
# and a dump wants one session on Postgres itself.

# pgenv_from_tinyscale — fills the unset PG* variables from TINYSCALE_DB_*; fails on a URL it
# cannot read.
pgenv_from_tinyscale() {
  local url="${TINYSCALE_DB_DIRECT_URL:-${TINYSCALE_DB_URL:-}}"
  if [[ -n $url ]]; then
    local rest="${url#jdbc:}" hostport database query="" host port=""
    if [[ $rest != postgresql://* ]]; then
      echo "not a jdbc:postgresql://host:port/database URL: $url" >&2
      return 1
    fi
    rest="${rest#postgresql://}"
    if [[ $rest == *\?* ]]; then
      query="${rest#*\?}"
      rest="${rest%%\?*}"
    fi
    hostport="${rest%%/*}"
    database="${rest#*/}"
    [[ $rest == */* ]] || database=""
    if [[ $hostport == *,* ]]; then
      echo "several hosts in $url: set PGHOST and PGPORT to the primary's" >&2
      return 1
    fi
    if [[ $hostport == \[*\]* ]]; then # [IPv6]:port
      host="${hostport#\[}"
      host="${host%%\]*}"
      port="${hostport##*\]}"
      port="${port#:}"
    elif [[ $hostport == *:* ]]; then
      host="${hostport%:*}"
      port="${hostport##*:}"
    else
      host="$hostport"
    fi
    [[ -n ${PGHOST:-} || -z $host ]] || export PGHOST="$host"
    [[ -n ${PGPORT:-} || -z $port ]] || export PGPORT="$port"
    [[ -n ${PGDATABASE:-} || -z $database ]] || export PGDATABASE="$database"
    local pair pairs=()
    IFS='&' read -r -a pairs <<<"$query"
    for pair in "${pairs[@]}"; do
      case "$pair" in
        sslmode=*) [[ -n ${PGSSLMODE:-} ]] || export PGSSLMODE="${pair#sslmode=}" ;;
      esac
    done
  fi
  [[ -n ${PGUSER:-} || -z ${TINYSCALE_DB_USER:-} ]] || export PGUSER="$TINYSCALE_DB_USER"
  [[ -n ${PGPASSWORD:-} || -z ${TINYSCALE_DB_PASSWORD:-} ]] || export PGPASSWORD="$TINYSCALE_DB_PASSWORD"
  return 0
}

# pgenv_describe — where the PG* variables point, without the password, for progress lines.
pgenv_describe() {
  printf '%s on %s:%s as %s' "${PGDATABASE:-(PGDATABASE unset)}" "${PGHOST:-local socket}" \
    "${PGPORT:-5432}" "${PGUSER:-$(id -un)}"
}

# pg_major VERSION_NUM — the major version of a server_version_num (150020 -> 15, 90624 -> 9).
pg_major() {
  printf '%s\n' "$(($1 / 10000))"
}

# client_major PROGRAM — the major version of a client program (pg_dump, pg_restore).
client_major() {
  "$1" --version | sed -n 's/^[^0-9]*\([0-9][0-9]*\).*/\1/p' | head -n 1
}
