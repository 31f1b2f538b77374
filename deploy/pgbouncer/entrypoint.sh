#!/bin/sh
# Writes PgBouncer's user list from the app's own database credentials, and its configuration
# with that user allowed the console's SHOW commands, then runs PgBouncer in the foreground.
# Both live in /run/pgbouncer (a tmpfs in compose), never in the image.
set -eu
: "${TINYSCALE_DB_USER:?set TINYSCALE_DB_USER, the user the app and worker log in as}"
: "${TINYSCALE_DB_PASSWORD:?set TINYSCALE_DB_PASSWORD (.env; docs/operations.md, PgBouncer)}"
quote() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
umask 077
printf '%s %s\n' "$(quote "$TINYSCALE_DB_USER")" "$(quote "$TINYSCALE_DB_PASSWORD")" \
  >/run/pgbouncer/userlist.txt
# [pgbouncer] is the file's last section
{ cat /etc/pgbouncer/pgbouncer.ini; printf 'stats_users = %s\n' "$TINYSCALE_DB_USER"; } \
  >/run/pgbouncer/pgbouncer.ini
exec /usr/sbin/pgbouncer "$@" /run/pgbouncer/pgbouncer.ini
