#!/bin/sh
# Writes PgBouncer's user list from the app's own database credentials, then runs PgBouncer in
# the foreground. The list lives in /run/pgbouncer (a tmpfs in compose), never in the image.
set -eu
: "${TINYSCALE_DB_USER:?set TINYSCALE_DB_USER, the user the app and worker log in as}"
: "${TINYSCALE_DB_PASSWORD:?set TINYSCALE_DB_PASSWORD (.env; docs/operations.md, PgBouncer)}"
quote() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
umask 077
printf '%s %s\n' "$(quote "$TINYSCALE_DB_USER")" "$(quote "$TINYSCALE_DB_PASSWORD")" \
  >/run/pgbouncer/userlist.txt
exec /usr/sbin/pgbouncer "$@" /etc/pgbouncer/pgbouncer.ini
