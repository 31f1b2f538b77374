#!/usr/bin/env bash
# Runs one of the dashboard's npm scripts (build, test, e2e) with the machine's Node.js and npm,
# after installing the pinned packages (npm ci) when node_modules is missing or older than
# package-lock.json. Called by the Maven build (dashboard/pom.xml); usage: dashboard/npm.sh SCRIPT [ARGS]
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { printf 'dashboard: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

NEED="the dashboard is built with Node.js 20.19 or newer and npm 11 or newer"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  die "no Node.js or npm on the PATH: $NEED; install them (Debian's nodejs package is too old: take Node.js 20.19+ from nodejs.org or your package manager, then 'npm install -g npm@11')"
fi
IFS=. read -r major minor _ <<<"$(node -p 'process.versions.node')"
if ! ((major > 20 || (major == 20 && minor >= 19))); then
  die "Node.js $(node -v) is too old: $NEED"
fi
npm_major="$(npm -v)"
npm_major="${npm_major%%.*}"
if ((npm_major < 11)); then
  die "npm $(npm -v) is too old: $NEED ('npm install -g npm@11' upgrades it)"
fi

cd "$DIR"
if [[ ! node_modules/.package-lock.json -nt package-lock.json ]]; then
  say "installing the dashboard's packages (npm ci; the first time takes a minute)"
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
fi
exec npm run --silent "$@"
