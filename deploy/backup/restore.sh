#!/usr/bin/env bash
# Restores a backup.sh dump into a database. docs/operations.md, "Backups".
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=deploy/backup/pgenv.sh
source "$HERE/pgenv.sh"

usage() {
  cat <<'USAGE'
usage: restore.sh [--create] [--force] DUMP [-- PG_RESTORE_OPTIONS...]

Restores DUMP (a backup.sh file, pg_dump -Fc) into the database the connection names, in one
transaction: it all lands, or the database is left as it was.

  --create   create the database first if it does not exist (needs CREATEDB; connects to the
             maintenance database 'postgres' to do it)
  --force    restore into a database that holds tables already: every object the dump holds is
             dropped and re-created from it (pg_restore --clean --if-exists); objects the dump
             does not hold are left alone. Without it a non-empty database is refused.
  after --   passed to pg_restore, e.g. --no-owner when the dump's owner does not exist here

Stop the app (servers and workers) first. The connection is backup.sh's: libpq's PG* variables,
any unset taken from TINYSCALE_DB_DIRECT_URL / TINYSCALE_DB_URL, TINYSCALE_DB_USER and
TINYSCALE_DB_PASSWORD.

Exit status: 0 restored, 1 failed (the database is unchanged), 2 usage error or refused.
USAGE
}

say() { printf 'restore: %s\n' "$*" >&2; }
die() {
  say "FAILED: $*"
  exit 1
}
refuse() {
  say "$*"
  exit 2
}

create="" force="" dump="" extra=()
while (($#)); do
  case "$1" in
    --create) create=1; shift ;;
    --force) force=1; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    -*) usage >&2; exit 2 ;;
    *)
      [[ -z $dump ]] || { usage >&2; exit 2; }
      dump="$1"; shift ;;
  esac
done
[[ -n $dump ]] || { usage >&2; exit 2; }
[[ -r $dump ]] || refuse "cannot read $dump"

for program in pg_restore psql; do
  command -v "$program" >/dev/null 2>&1 ||
    die "$program is not installed: install the PostgreSQL client (Debian: postgresql-client-NN)"
done
pgenv_from_tinyscale || exit 2
[[ -n ${PGDATABASE:-} ]] || refuse "no database named: set PGDATABASE or TINYSCALE_DB_URL"
target="$(pgenv_describe)"

entries="$(pg_restore --list "$dump" 2>&1 | grep -cv '^;')" ||
  die "$dump is not a dump pg_restore can read (pg_dump -Fc): $(pg_restore --list "$dump" 2>&1 | head -n 3)"
dumped_from="$(pg_restore --list "$dump" | sed -n 's/^;[[:space:]]*Dumped from database version: *//p')"

# psql against the maintenance database, for what cannot be done from inside the target
maintenance() { PGDATABASE=postgres psql -X -At -v ON_ERROR_STOP=1 "$@"; }

exists="$(maintenance -v db="$PGDATABASE" <<'SQL' 2>&1
select count(*) from pg_database where datname = :'db'
SQL
)" || die "cannot connect to $target: $exists"
if [[ $exists == 0 ]]; then
  [[ -n $create ]] || refuse "database $PGDATABASE does not exist: create it, or pass --create"
  say "creating database $PGDATABASE"
  out="$(maintenance -v db="$PGDATABASE" <<'SQL' 2>&1
create database :"db"
SQL
)" || die "cannot create database $PGDATABASE: $out"
fi

tables="$(psql -X -At -v ON_ERROR_STOP=1 -c "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\_toast%'" 2>&1)" ||
  die "cannot read $target: $tables"
options=(--dbname="$PGDATABASE" --single-transaction --exit-on-error --no-password)
if ((tables > 0)); then
  [[ -n $force ]] ||
    refuse "$PGDATABASE holds $tables tables already: restore into an empty database, or pass --force to replace what the dump holds"
  say "$PGDATABASE holds $tables tables: replacing the dump's objects (--force)"
  options+=(--clean --if-exists)
fi

say "restoring $dump ($entries objects, dumped from Postgres ${dumped_from:-?}) into $target"
started=$SECONDS
pg_restore "${options[@]}" "${extra[@]}" "$dump" ||
  die "pg_restore exited with $? (its message is above); the transaction was rolled back"
after="$(psql -X -At -v ON_ERROR_STOP=1 -c "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\_toast%'")"
say "restored $dump into $target in $((SECONDS - started)) s: $after tables; start the app and check /health/ready"
