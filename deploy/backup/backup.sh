#!/usr/bin/env bash
# TinyScale's database backup: pg_dump in custom format into a timestamped file, checked, handed
# to an optional upload command, then old backups removed by count and by age.
# docs/operations.md, "Backups".
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=deploy/backup/pgenv.sh
source "$HERE/pgenv.sh"

usage() {
  cat <<'USAGE'
usage: backup.sh [--dir DIR] [--keep N] [--max-age DAYS] [--upload CMD]

Dumps the database (pg_dump -Fc) to DIR/PREFIX-DATABASE-YYYYmmddTHHMMSSZ.dump, checks that
pg_restore can read it, runs the upload command if there is one, then deletes this database's
older backups in DIR beyond the newest N and those older than DAYS (never the new one).

  --dir DIR        where backups go (BACKUP_DIR, default ./backups); created if missing
  --keep N         backups kept by count, newest first (BACKUP_KEEP, default 14; 0: no limit)
  --max-age DAYS   backups kept by age (BACKUP_MAX_AGE_DAYS, default 30; 0: no limit)
  --upload CMD     run by sh with the new file as $1, e.g. 'aws s3 cp "$1" s3://bucket/'
                   (BACKUP_UPLOAD_CMD); a failure fails the backup and deletes nothing
  --prefix NAME    the files' prefix (BACKUP_PREFIX, default tinyscale)

The connection: libpq's PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD (or ~/.pgpass), PGSSLMODE;
any of them unset is taken from TINYSCALE_DB_DIRECT_URL, else TINYSCALE_DB_URL, and
TINYSCALE_DB_USER / TINYSCALE_DB_PASSWORD, the app's own settings.
pg_dump must be the server's major version or newer.

Exit status: 0 backed up, 1 failed (the message says why), 2 usage error.
USAGE
}

say() { printf 'backup: %s\n' "$*" >&2; }
die() {
  say "FAILED: $*"
  exit 1
}

dir="${BACKUP_DIR:-backups}"
keep="${BACKUP_KEEP:-14}"
max_age="${BACKUP_MAX_AGE_DAYS:-30}"
upload="${BACKUP_UPLOAD_CMD:-}"
prefix="${BACKUP_PREFIX:-tinyscale}"
while (($#)); do
  case "$1" in
    --dir) dir="${2:?--dir needs a directory}"; shift 2 ;;
    --keep) keep="${2:?--keep needs a number}"; shift 2 ;;
    --max-age) max_age="${2:?--max-age needs a number of days}"; shift 2 ;;
    --upload) upload="${2:?--upload needs a command}"; shift 2 ;;
    --prefix) prefix="${2:?--prefix needs a name}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[[ $keep =~ ^[0-9]+$ ]] || { say "--keep must be a whole number, not '$keep'"; exit 2; }
[[ $max_age =~ ^[0-9]+$ ]] || { say "--max-age must be a whole number of days, not '$max_age'"; exit 2; }
[[ $prefix =~ ^[A-Za-z0-9._-]+$ ]] || { say "--prefix may hold letters, digits, '.', '_' and '-' only"; exit 2; }

for program in pg_dump pg_restore psql; do
  command -v "$program" >/dev/null 2>&1 ||
    die "$program is not installed: install the PostgreSQL client of the server's major version or newer (Debian: postgresql-client-NN)"
done
pgenv_from_tinyscale || exit 2
[[ -n ${PGDATABASE:-} ]] || { say "no database named: set PGDATABASE or TINYSCALE_DB_URL"; exit 2; }
[[ $PGDATABASE =~ ^[A-Za-z0-9._-]+$ ]] || die "database name '$PGDATABASE' cannot be part of a file name"

# pg_dump refuses a newer server itself, after connecting; saying so first, in words an operator
# can act on, is worth one query.
server_num="$(psql -X -At -v ON_ERROR_STOP=1 -c 'show server_version_num' 2>&1)" ||
  die "cannot connect to $(pgenv_describe): $server_num"
server_major="$(pg_major "$server_num")"
dump_major="$(client_major pg_dump)"
if ((dump_major < server_major)); then
  die "pg_dump is version $dump_major and the server $server_major: pg_dump must be the server's major version or newer (install postgresql-client-$server_major, or run the backup in the postgres:$server_major image)"
fi

mkdir -p "$dir" || die "cannot create $dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
name="$prefix-$PGDATABASE-$stamp.dump"
file="$dir/$name"
[[ ! -e $file ]] || die "$file exists already (two backups in the same second?)"
partial="$file.partial"
# dumps hold password hashes and every click: readable by their owner only
umask 077
trap 'rm -f "$partial"' EXIT

say "dumping $(pgenv_describe) (server $server_major, pg_dump $dump_major) to $file"
started=$SECONDS
pg_dump --format=custom --compress=6 --no-password --file="$partial" ||
  die "pg_dump exited with $? (its message is above); nothing was written"
# a dump pg_restore cannot list is no backup
entries="$(pg_restore --list "$partial" | grep -cv '^;')" ||
  die "pg_restore cannot read the new dump: it is damaged; nothing was kept"
mv -f "$partial" "$file"
trap - EXIT
size="$(wc -c <"$file" | tr -d ' ')"
say "wrote $file: $size bytes, $entries objects, in $((SECONDS - started)) s"

if [[ -n $upload ]]; then
  say "uploading: $upload"
  if ! sh -c "$upload" upload "$file"; then
    die "the upload command failed; $file is kept and no old backup was deleted"
  fi
  say "uploaded $file"
fi

# Retention, on this prefix's and database's files only: their names sort by time.
removed=0
mapfile -t backups < <(find "$dir" -maxdepth 1 -type f \
  -name "$prefix-$PGDATABASE-[0-9]*T[0-9]*Z.dump" -printf '%f\n' | sort -r)
cutoff=""
if ((max_age > 0)); then
  cutoff="$(date -u -d "@$(($(date -u +%s) - max_age * 86400))" +%Y%m%dT%H%M%SZ)"
fi
index=0
for old in "${backups[@]}"; do
  index=$((index + 1))
  [[ $old == "$name" ]] && continue
  when="${old#"$prefix-$PGDATABASE-"}"
  when="${when%.dump}"
  reason=""
  if ((keep > 0 && index > keep)); then
    reason="beyond the newest $keep"
  elif [[ -n $cutoff && $when < $cutoff ]]; then
    reason="older than $max_age days"
  fi
  if [[ -n $reason ]]; then
    rm -f "$dir/$old" || die "cannot delete $dir/$old"
    say "removed $dir/$old ($reason)"
    removed=$((removed + 1))
  fi
done
say "done: $file; $((${#backups[@]} - removed)) backups of $PGDATABASE in $dir, $removed removed"
